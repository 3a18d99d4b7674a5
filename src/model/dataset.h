#pragma once

#include "model/decimal.h"
#include "model/diagnostic.h"
#include "model/name_pool.h"
#include "model/text_store.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::model {

/// The table rows are read from, shared by the SourceRefs of all its rows.
struct SourceTable {
    std::string file;
    std::string sheet;
    /// Canonical header → column index, so that a later stage can point at the cell
    /// (绩效指标.xlsx[Sheet1!J34]) and not just the row.
    std::map<std::string, int> columns;

    /// The id SourceRefs know `table` by: tables are held once per distinct content for the
    /// life of the process (a few per dataset read), so that a row's origin takes 8 bytes.
    static std::uint32_t hold(SourceTable table);
};

/// A row's origin, kept so that documents and the manifest can cite their source rows.
struct SourceRef {
    std::uint32_t table = 0;  ///< SourceTable::hold's id; 0 when the row has no source
    int row = 0;

    /// A row of a file without columns to point at (e.g. the history store's figures).
    static SourceRef inFile(std::string file, int row);
    /// The file's display name; empty when the row has no source.
    const std::string& file() const;
    /// The sheet's name; empty for CSV.
    const std::string& sheet() const;
    /// Column of a canonical header in the row's table, or −1.
    int column(const std::string& header) const;
};

/// What `dataset.json` says about the dataset as a whole.
struct DatasetConfig {
    int year = 0;                              ///< 年度 (required)
    std::string authority;                     ///< 发文机关 (required)
    std::string letterPrefix;                  ///< 文号前缀, default: first char of authority + "财绩"
    std::string ruleSet = "national-2020";     ///< 评分规则
    std::optional<Decimal> varianceThreshold;  ///< 偏差阈值; empty = the rule set's
    std::string publishDate;                   ///< 公开日期, ISO "2025-08-20", may be empty
    std::string contactOffice;                 ///< 联系处室 for letters, may be empty
    std::string contactPhone;                  ///< 联系电话 of the issuing office, may be empty
    int rectificationDays = 30;                ///< 整改期限（天）: a letter's deadline after its date
    std::string letterhead;                    ///< 版头: 发文机关标志 of letters; empty = authority, "none" = preprinted paper
    std::string copyTo;                        ///< 抄送 of letters (版记), may be empty
    std::string printer;                       ///< 印发机关 of letters (版记), may be empty
    std::string colophonFormat = "公文";       ///< 版记格式: "公文" (GB/T 9704 7.4) or "信函" (10.1: 抄送 only, no rules)
};

enum class UnitKind { Department, Unit };

/// 单位: a budget unit or a department (主管部门).
struct Unit {
    std::string code;
    std::string name;
    std::string parentCode;  ///< empty for a department itself
    UnitKind kind = UnitKind::Department;
    std::string contact;  ///< personal data: never public
    std::string phone;    ///< personal data: never public
    SourceRef source;
};

/// Which line of the 项目资金 block a funding row fills.
enum class FundKind {
    Total,          ///< 年度资金总额 (合计)
    CurrentFiscal,  ///< 其中：当年财政拨款
    CarryOver,      ///< 上年结转资金
    FiscalSpecial,  ///< 财政专户管理资金 (Sichuan's form and others)
    UnitOwn,        ///< 单位资金
    Other,          ///< 其他资金
};

/// 预算执行: one row of a project's funding, in 万元.
struct FundingRow {
    FundKind kind = FundKind::Total;
    std::optional<Decimal> initial;    ///< 年初预算数 (A0), may be blank
    Decimal adjusted;                  ///< 全年预算数 (A)
    Decimal executed;                  ///< 全年执行数 (B)
    Text reason;                       ///< 偏差原因 / 预算调整说明
    std::optional<Decimal> selfScore;  ///< the unit's own score for execution
    SourceRef source;
};

enum class Operator : std::uint8_t { Ge, Gt, Eq, Lt, Le, Qualitative };

/// A target or actual as found, plus its number when it has one. For percent quantities
/// (unit % or a % sign on either value) `value` is in percent points: 95% → 95. 16 bytes: the
/// text as found is held (as a Name) only when it is not the number's own rendering
/// (Decimal::toString), so most actuals ("90.86") keep no text at all.
class Quantity {
public:
    OptionalDecimal value;     ///< the number, if the text is one
    bool percentSign = false;  ///< the text carried a % sign

    /// The text as found, trimmed.
    std::string text() const { return !text_.empty() ? text_.str() : value ? value->toString() : std::string(); }
    bool empty() const { return text_.empty() && !value; }
    /// Sets the text as found (after `value`: a text that is the value's rendering is not held).
    void setText(NamePool& names, const std::string& text) { text_ = value && text == value->toString() ? Name() : names.intern(text); }

private:
    Name text_;
};

/// 三级绩效指标: one row of the indicator table, owned by a project (in its `indicators`) or by
/// a unit (部门整体, in Dataset::unitIndicators). 96 bytes: 900,000 rows at 60,000 projects.
struct Indicator {
    // Widest members first, so that the row packs into 96 bytes.
    Quantity target;
    Quantity actual;
    OptionalDecimal weight;  ///< 分值; empty → from the rule set
    OptionalDecimal selfScore;
    Text reason;    ///< 偏差原因分析
    Text measures;  ///< 改进措施
    SourceRef source;
    Name unitCode;  ///< owner when a 部门整体 indicator; empty in a project's rows
    Name level1;
    Name level2;
    Name level3;
    Name unitOfMeasure;  ///< 计量单位
    Operator op = Operator::Ge;
    /// True when target and actual compare on the percent scale.
    bool percentScale() const;
};

/// 项目: a project with its funding rows and indicators.
struct Project {
    std::string code;
    std::string name;
    std::string unitCode;
    Name category;            ///< 项目类别
    Name functionClass;       ///< 功能分类科目
    Name fundingSource;       ///< 资金来源
    bool classified = false;  ///< 涉密: never in public outputs
    Name period;              ///< 实施期
    Text goal;                ///< 年度总体目标
    Text achieved;            ///< 总体目标完成情况
    std::string owner;        ///< 项目负责人: personal data
    SourceRef source;
    std::vector<FundingRow> funds;
    std::vector<Indicator> indicators;
};

/// 部门整体: department-wide figures of one year (预算数, 执行数, 三公经费 …), by canonical name.
struct DepartmentFigures {
    std::string unitCode;
    int year = 0;
    std::map<std::string, Decimal> figures;
    SourceRef source;
};

/// Everything read from one dataset folder. Vectors are sorted by code (and year).
struct Dataset {
    std::string folder;
    /// Where the rows' narratives (Text) lie; shared by copies of the dataset.
    std::shared_ptr<TextStore> texts = std::make_shared<TextStore>();
    /// One copy of each short repeated value of the rows (Name); shared by copies of the dataset.
    std::shared_ptr<NamePool> names = std::make_shared<NamePool>();
    DatasetConfig config;
    std::vector<Unit> units;
    std::vector<Project> projects;
    std::vector<Indicator> unitIndicators;  ///< 部门整体 indicators, owned by units
    std::vector<DepartmentFigures> figures;
    /// Sections that could not be read at all (missing file or required column): checks that
    /// would only repeat that one problem for every project are skipped.
    std::vector<std::string> unreadSections;

    const Unit* findUnit(const std::string& code) const;
    const Project* findProject(const std::string& code) const;
    /// A unit (project) code equal to `code` but for leading zeros ("0101" for "101"), or
    /// empty: Excel drops the zeros of a code stored as a number, so the tables disagree.
    std::string unitCodeLike(const std::string& code) const;
    std::string projectCodeLike(const std::string& code) const;
    /// The hint for such a code found in `table` (单位表, 项目表).
    static std::string leadingZeroHint(const std::string& table, const std::string& like);
    /// The department a unit belongs to (itself when it is one); nullptr if unresolved.
    const Unit* departmentOf(const std::string& unitCode) const;
};

}  // namespace jixiao::model
