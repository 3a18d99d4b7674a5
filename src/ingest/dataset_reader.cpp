#include "ingest/dataset_reader.h"

#include "ingest/csv_reader.h"
#include "ingest/headers.h"
#include "ingest/values.h"
#include "ingest/xlsx_reader.h"
#include "model/date.h"

#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace jixiao::ingest {

using model::Decimal;
using model::Diagnostics;
using model::Position;

namespace {

std::string q(const std::string& s) { return "“" + s + "”"; }

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ReadError(Poco::Path(path).getFileName() + "：无法打开文件。");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// A dataset.json file name must name a file inside the dataset folder.
bool safeFileName(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos &&
           name != "." && name != "..";
}

/// Reads dataset.json into the config and the per-section file, sheet and column mappings.
struct Settings {
    model::DatasetConfig config;
    std::map<std::string, std::string> files;    // section → file name
    std::map<std::string, std::string> sheets;   // section → sheet name
    std::map<std::string, std::string> columns;  // found header → canonical header
};

std::string jsonText(const Poco::Dynamic::Var& v) { return v.isString() ? v.extract<std::string>() : v.toString(); }

Settings readSettings(const std::string& folder, Diagnostics& diags) {
    Poco::Path path(folder, "dataset.json");
    if (!Poco::File(path).exists())
        throw NoInputError(folder + "：找不到 dataset.json。每个数据集文件夹都需要一个 dataset.json，至少写明“年度”和“发文机关”。");
    std::string text = readBytes(path.toString());
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    Poco::JSON::Object::Ptr root;
    try {
        Poco::JSON::Parser parser;
        root = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw ConfigError("dataset.json：不是有效的 JSON（" + e.message() + "）。请检查引号、逗号和括号是否成对。");
    } catch (const std::exception&) {
        throw ConfigError("dataset.json：最外层应为 { … } 对象。");
    }
    if (!root) throw ConfigError("dataset.json：最外层应为 { … } 对象。");

    Settings s;
    Position at{"dataset.json", {}, 0, -1, {}};
    auto keyAt = [&](const std::string& key) { return Position{"dataset.json", {}, 0, -1, key}; };
    if (!root->has("年度")) {
        diags.error(at, {}, "缺少必填项“年度”。", "例如 \"年度\": 2024");
    } else {
        auto v = root->get("年度");
        std::string t = jsonText(v);
        auto n = parseNumber(t);
        if (!n || n->percent || n->value.rounded(0) != n->value || n->value < Decimal::fromInt(2000) ||
            n->value > Decimal::fromInt(2100))
            diags.error(keyAt("年度"), t, "“年度”应为四位年份，实际为" + q(t) + "。", "例如 \"年度\": 2024");
        else
            s.config.year = int(n->value.raw() / Decimal::kScale);
    }
    if (!root->has("发文机关") || trimText(jsonText(root->get("发文机关"))).empty())
        diags.error(at, {}, "缺少必填项“发文机关”。", "例如 \"发文机关\": \"某某县财政局\"");
    else
        s.config.authority = trimText(jsonText(root->get("发文机关")));

    auto optText = [&](const char* key) { return root->has(key) ? trimText(jsonText(root->get(key))) : std::string(); };
    s.config.letterPrefix = optText("文号前缀");
    s.config.contactOffice = optText("联系处室");
    s.config.contactPhone = optText("联系电话");
    if (std::string rules = optText("评分规则"); !rules.empty()) s.config.ruleSet = rules;
    if (std::string unit = optText("金额单位"); !unit.empty()) {
        if (unit == "元")
            s.config.moneyInYuan = true;
        else if (unit != "万元")
            diags.error(keyAt("金额单位"), unit, "“金额单位”应为“万元”或“元”，实际为" + q(unit) + "。");
    }
    if (std::string t = optText("偏差阈值"); !t.empty()) {
        auto n = parseNumber(t);
        if (!n || n->fraction() < Decimal() || n->fraction() > Decimal::fromInt(1))
            diags.error(keyAt("偏差阈值"), t, "“偏差阈值”应为0到1之间的小数（如0.10）或百分数（如10%），实际为" + q(t) + "。");
        else
            s.config.varianceThreshold = n->fraction();
    }
    if (std::string days = optText("整改期限"); !days.empty()) {
        auto n = parseNumber(days);
        if (!n || n->percent || n->value.rounded(0) != n->value || n->value < Decimal::fromInt(1) ||
            n->value > Decimal::fromInt(365))
            diags.error(keyAt("整改期限"), days, "“整改期限”应为1到365之间的天数，实际为" + q(days) + "。", "例如 \"整改期限\": 30");
        else
            s.config.rectificationDays = int(n->value.raw() / Decimal::kScale);
    }
    if (std::string date = optText("公开日期"); !date.empty()) {
        if (!model::Date::parse(date))
            diags.error(keyAt("公开日期"), date, "“公开日期”不是有效日期：" + q(date) + "。", "格式应为 YYYY-MM-DD，例如 2025-08-20。");
        else
            s.config.publishDate = date;
    }
    if (s.config.letterPrefix.empty() && !s.config.authority.empty()) {
        // 某某县财政局 → 某财绩: the customary short form is the first character plus 财绩.
        std::string first = s.config.authority.substr(0, s.config.authority.size() >= 3 ? 3 : 1);
        s.config.letterPrefix = first + "财绩";
    }
    auto readMap = [&](const char* key, std::map<std::string, std::string>& out) {
        if (!root->has(key)) return;
        auto obj = root->getObject(key);
        if (!obj) {
            diags.error(keyAt(key), {}, std::string("“") + key + "”应为 { \"名称\": \"值\" } 形式的对象。");
            return;
        }
        for (const auto& [k, v] : *obj) out[k] = trimText(jsonText(v));
    };
    readMap("files", s.files);
    readMap("sheets", s.sheets);
    readMap("columns", s.columns);
    for (const auto& [section, file] : s.files)
        if (!safeFileName(file)) {
            diags.error(keyAt("files"), file, "files 中“" + section + "”的文件名" + q(file) + "不安全：不能包含路径分隔符或“..”。",
                        "只写文件名，文件应放在数据集文件夹内。");
        }
    return s;
}

/// One data row with its table and header map: typed access with diagnostics at the cell.
class RowReader {
public:
    RowReader(const Table& table, const HeaderMap& map, const Row& row, Diagnostics& diags, bool yuan,
              std::shared_ptr<const model::SourceTable> source = {})
        : table_(table), map_(map), row_(row), diags_(diags), yuan_(yuan), source_(std::move(source)) {}

    std::string project;  ///< project the row belongs to, stamped on its diagnostics

    const Cell* cell(const std::string& field) const {
        auto c = map_.column(field);
        if (!c || *c >= int(row_.cells.size())) return nullptr;
        return &row_.cells[*c];
    }
    bool has(const std::string& field) const { return map_.column(field).has_value(); }
    std::string text(const std::string& field) const {
        const Cell* c = cell(field);
        return c ? cellText(*c) : std::string();
    }
    Position at(const std::string& field) const {
        auto c = map_.column(field);
        return {table_.file, table_.sheet, row_.row, c ? *c : -1, c ? map_.headerAt(*c) : field};
    }
    model::SourceRef source() const { return {source_, row_.row}; }

    void error(const std::string& field, const std::string& value, const std::string& message,
               const std::string& hint = {}) {
        model::Diagnostic d{model::Severity::Error, at(field), value, message, hint, project};
        diags_.add(std::move(d));
        ok = false;
    }
    void warning(const std::string& field, const std::string& value, const std::string& message,
                 const std::string& hint = {}) {
        diags_.add({model::Severity::Warning, at(field), value, message, hint, project});
    }

    std::string required(const std::string& field) {
        std::string t = text(field);
        if (t.empty()) error(field, t, "第" + std::to_string(row_.row) + "行" + q(at(field).header) + "不能为空。");
        return t;
    }

    /// A number field; money is converted from 元 when the dataset says so.
    std::optional<Decimal> number(const std::string& field, bool requiredField, bool money, bool allowNegative = false) {
        const Cell* c = cell(field);
        std::string shown = c ? cellText(*c) : std::string();
        if (!c || shown.empty()) {
            if (requiredField) error(field, shown, "第" + std::to_string(row_.row) + "行" + q(at(field).header) + "不能为空。");
            return std::nullopt;
        }
        auto n = parseNumber(*c);
        if (!n) {
            error(field, shown, "第" + std::to_string(row_.row) + "行" + q(at(field).header) + "应为数字，实际为" + q(shown) + "。",
                  "请只填写数字，如 1234.50；可以带千分位逗号或百分号。");
            return std::nullopt;
        }
        if (money && n->percent) {
            error(field, shown, "第" + std::to_string(row_.row) + "行" + q(at(field).header) + "是金额，不应带百分号，实际为" + q(shown) + "。");
            return std::nullopt;
        }
        Decimal v = n->fraction();
        if (v.isNegative() && !allowNegative) {
            error(field, shown, "第" + std::to_string(row_.row) + "行" + q(at(field).header) + "不能为负数，实际为" + q(shown) + "。");
            return std::nullopt;
        }
        if (money && yuan_) v = v / Decimal::fromInt(10000);
        return v;
    }

    int row() const { return row_.row; }
    bool ok = true;

private:
    const Table& table_;
    const HeaderMap& map_;
    const Row& row_;
    Diagnostics& diags_;
    bool yuan_;
    std::shared_ptr<const model::SourceTable> source_;
};

/// "合计"/"总计" in the row's first non-empty cell marks the trailing total row.
bool isTotalRow(const Row& row) {
    for (const auto& cell : row.cells) {
        std::string t = cellText(cell);
        if (t.empty()) continue;
        std::string k = headerKey(t);
        return k == "合计" || k == "总计";
    }
    return false;
}

struct LoadedTable {
    Table table;
    HeaderMap map;
    std::shared_ptr<const model::SourceTable> source;  ///< file, sheet and map.columns, shared by the rows' SourceRefs
    bool present = false;
};

class DatasetReader {
public:
    DatasetReader(std::string folder, Diagnostics& diags, const ReadLimits& limits)
        : folder_(std::move(folder)), diags_(diags), limits_(limits) {}

    model::Dataset read() {
        model::Dataset ds;
        ds.folder = folder_;
        if (!Poco::File(folder_).exists() || !Poco::File(folder_).isDirectory())
            throw NoInputError(folder_ + "：数据集文件夹不存在。");
        settings_ = readSettings(folder_, diags_);
        ds.config = settings_.config;
        readUnits(ds);
        readProjects(ds);
        readExecution(ds);
        readIndicators(ds);
        readFigures(ds);
        return ds;
    }

private:
    /// Reads a section's table; a section that cannot be used at all is remembered as unread.
    LoadedTable load(model::Dataset& ds, Section section, bool required) {
        LoadedTable lt = loadTable(section, required);
        if (!lt.present && required) ds.unreadSections.push_back(sectionName(section));
        return lt;
    }

    LoadedTable loadTable(Section section, bool required) {
        LoadedTable lt;
        std::string name = sectionName(section);
        std::string file;
        if (auto it = settings_.files.find(name); it != settings_.files.end()) {
            if (!safeFileName(it->second)) return lt;  // already reported
            file = it->second;
            if (!Poco::File(Poco::Path(folder_, file)).exists()) {
                diags_.error({"dataset.json", {}, 0, -1, "files"}, file,
                             "files 中“" + name + "”指定的文件" + q(file) + "不存在。");
                return lt;
            }
        } else {
            for (const char* ext : {".xlsx", ".csv"})
                if (Poco::File(Poco::Path(folder_, name + ext)).exists()) {
                    file = name + ext;
                    break;
                }
            if (file.empty()) {
                if (required)
                    diags_.error({folder_, {}, 0, -1, {}}, {}, "找不到“" + name + "”表：应为" + name + ".xlsx 或 " + name + ".csv。",
                                 "如果文件名不同，请在 dataset.json 的 files 中指定，例如 \"files\": {\"" + name + "\": \"文件名.xlsx\"}。");
                return lt;
            }
        }
        std::string sheet;
        if (auto it = settings_.sheets.find(name); it != settings_.sheets.end()) sheet = it->second;
        try {
            lt.table = readTableFile(Poco::Path(folder_, file).toString(), sheet, limits_);
        } catch (const ReadError& e) {
            diags_.error({file, sheet, 0, -1, {}}, {}, e.what());
            return lt;
        }
        lt.map = mapHeaders(lt.table, section, settings_.columns, diags_);
        lt.source = std::make_shared<const model::SourceTable>(model::SourceTable{lt.table.file, lt.table.sheet, lt.map.columns});
        lt.present = lt.map.headerIndex >= 0;
        for (const auto& field : fieldsOf(section))
            if (field.required && !lt.map.column(field.header)) lt.present = false;  // reported by mapHeaders
        return lt;
    }

    /// Calls `fn` for each data row, then releases the row's cells, so that a big table and
    /// the records made from it are not both whole in memory. Total rows are kept for `onTotal`.
    template <class Fn>
    void eachRow(LoadedTable& lt, Fn&& fn, std::optional<std::function<void(const Row&)>> onTotal = {}) {
        for (size_t i = lt.map.headerIndex + 1; i < lt.table.rows.size(); ++i) {
            Row& row = lt.table.rows[i];
            if (isTotalRow(row)) {
                if (onTotal) (*onTotal)(row);
                continue;
            }
            RowReader r(lt.table, lt.map, row, diags_, settings_.config.moneyInYuan, lt.source);
            fn(r);
            std::vector<Cell>().swap(row.cells);
        }
    }

    void readUnits(model::Dataset& ds) {
        auto lt = load(ds, Section::Units, true);
        if (!lt.present) return;
        std::map<std::string, int> seen;
        eachRow(lt, [&](RowReader& r) {
            model::Unit u;
            u.code = r.required("单位编码");
            u.name = r.required("单位名称");
            u.parentCode = r.text("主管部门编码");
            std::string kind = r.text("单位类型");
            if (kind.empty())
                u.kind = u.parentCode.empty() ? model::UnitKind::Department : model::UnitKind::Unit;
            else if (kind == "部门" || kind == "主管部门")
                u.kind = model::UnitKind::Department;
            else if (kind == "单位" || kind == "预算单位" || kind == "二级单位" || kind == "基层单位")
                u.kind = model::UnitKind::Unit;
            else
                r.error("单位类型", kind, "第" + std::to_string(r.row()) + "行“单位类型”应为“部门”或“单位”，实际为" + q(kind) + "。");
            u.contact = r.text("联系人");
            u.phone = r.text("联系电话");
            u.source = r.source();
            if (u.code.empty() || !r.ok) return;
            if (auto it = seen.find(u.code); it != seen.end()) {
                r.error("单位编码", u.code, "单位编码" + q(u.code) + "重复：第" + std::to_string(it->second) + "行已有同一编码。",
                        "单位编码必须唯一。");
                return;
            }
            seen[u.code] = r.row();
            ds.units.push_back(std::move(u));
        });
        std::sort(ds.units.begin(), ds.units.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    }

    void readProjects(model::Dataset& ds) {
        auto lt = load(ds, Section::Projects, true);
        if (!lt.present) return;
        std::map<std::string, int> seen;
        eachRow(lt, [&](RowReader& r) {
            model::Project p;
            p.code = r.required("项目编码");
            r.project = p.code;
            p.name = r.required("项目名称");
            p.unitCode = r.required("单位编码");
            p.category = r.text("项目类别");
            p.functionClass = r.text("功能分类科目");
            p.fundingSource = r.text("资金来源");
            if (std::string c = r.text("是否涉密"); !c.empty()) {
                auto yes = parseYesNo(c);
                if (!yes)
                    r.error("是否涉密", c, "第" + std::to_string(r.row()) + "行“是否涉密”应为“是/否”或“涉密/非密”，实际为" + q(c) + "。",
                            "涉密项目不会出现在公开材料中，请务必填写明确。");
                else
                    p.classified = *yes;
            }
            p.period = r.text("实施期");
            checkPeriod(r, p.period);
            p.goal = r.text("年度总体目标");
            p.achieved = r.text("总体目标完成情况");
            p.owner = r.text("项目负责人");
            p.source = r.source();
            if (p.code.empty()) return;
            if (auto it = seen.find(p.code); it != seen.end()) {
                r.error("项目编码", p.code, "项目编码" + q(p.code) + "重复：第" + std::to_string(it->second) + "行已有同一编码。",
                        "项目编码必须唯一；同一项目的多笔资金请写在预算执行表中。");
                return;
            }
            seen[p.code] = r.row();
            ds.projects.push_back(std::move(p));
        });
        std::sort(ds.projects.begin(), ds.projects.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    }

    void checkPeriod(RowReader& r, const std::string& period) {
        if (period.empty()) return;
        std::string p = normalizeText(period);
        auto isYear = [](const std::string& s) {
            return s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        auto dash = p.find_first_of("-~");
        std::string from = dash == std::string::npos ? p : p.substr(0, dash);
        std::string to = dash == std::string::npos ? p : p.substr(dash + 1);
        for (std::string* s : {&from, &to})
            if (s->size() > 3 && s->compare(s->size() - 3, 3, "年") == 0) s->erase(s->size() - 3);
        if (!isYear(from) || !isYear(to)) {
            r.error("实施期", period, "第" + std::to_string(r.row()) + "行“实施期”应为年份或年份区间，实际为" + q(period) + "。",
                    "例如 2024 或 2023-2025。");
        } else if (to < from) {
            r.error("实施期", period, "第" + std::to_string(r.row()) + "行“实施期”的结束年份早于开始年份：" + q(period) + "。",
                    "例如 2023-2025。");
        }
    }

    model::Project* findProject(model::Dataset& ds, const std::string& code) {
        return const_cast<model::Project*>(ds.findProject(code));
    }

    void readExecution(model::Dataset& ds) {
        auto lt = load(ds, Section::Execution, true);
        if (!lt.present) return;
        Decimal allAdjusted, allExecuted;  // every data row, as a plain SUM over the column gives
        std::vector<const Row*> totalRows;
        std::function<void(const Row&)> onTotal = [&](const Row& row) { totalRows.push_back(&row); };
        eachRow(lt, [&](RowReader& r) {
            std::string code = r.required("项目编码");
            r.project = code;
            model::FundingRow f;
            std::string kind = r.text("资金类别");
            auto parsed = fundKind(kind);
            if (!parsed) {
                r.error("资金类别", kind, "第" + std::to_string(r.row()) + "行“资金类别”无法识别：" + q(kind) + "。",
                        "应为“合计”“财政拨款”“其中：本年财政拨款”“上年结转资金”“其他资金”之一，留空表示合计。");
            } else {
                f.kind = *parsed;
            }
            f.initial = r.number("年初预算数", false, true);
            auto adjusted = r.number("全年预算数", true, true);
            auto executed = r.number("全年执行数", true, true);
            if (adjusted) allAdjusted += *adjusted;
            if (executed) allExecuted += *executed;
            f.reason = r.text("偏差原因");
            f.selfScore = r.number("自评得分", false, false);
            f.source = r.source();
            if (code.empty() || !r.ok || !adjusted || !executed) return;
            f.adjusted = *adjusted;
            f.executed = *executed;
            model::Project* p = findProject(ds, code);
            if (!p) {
                r.error("项目编码", code, "预算执行表第" + std::to_string(r.row()) + "行的项目编码" + q(code) + "在项目表中不存在。",
                        "请检查编码是否写错，或在项目表中补充该项目。");
                return;
            }
            for (const auto& other : p->funds)
                if (other.kind == f.kind) {
                    r.error("资金类别", kind, "项目" + q(code) + "的资金类别" + q(kind.empty() ? "合计" : kind) + "重复：第" +
                                                   std::to_string(other.source.row) + "行已有。",
                            "同一项目每种资金类别只能有一行。");
                    return;
                }
            p->funds.push_back(f);
        }, onTotal);

        Decimal projectAdjusted, projectExecuted;  // each project's 年度资金总额 once
        for (auto& p : ds.projects) {
            std::stable_sort(p.funds.begin(), p.funds.end(), [](const auto& a, const auto& b) { return a.kind < b.kind; });
            bool hasTotal = !p.funds.empty() && p.funds.front().kind == model::FundKind::Total;
            for (const auto& f : p.funds)
                if (hasTotal == (f.kind == model::FundKind::Total)) {
                    projectAdjusted += f.adjusted;
                    projectExecuted += f.executed;
                }
        }
        // The trailing 合计 row is checked, never read as data. Exports differ in whether it adds
        // every row or each project's total once, so either sum is accepted.
        for (const Row* row : totalRows) {
            RowReader r(lt.table, lt.map, *row, diags_, settings_.config.moneyInYuan);
            const std::pair<const char*, std::pair<Decimal, Decimal>> checks[] = {
                {"全年预算数", {allAdjusted, projectAdjusted}}, {"全年执行数", {allExecuted, projectExecuted}}};
            for (const auto& [field, sums] : checks) {
                auto v = r.number(field, false, true);
                if (v && *v != sums.first && *v != sums.second)
                    r.warning(field, r.text(field), "合计行" + q(r.at(field).header) + "为" + v->toString() + "，与各项目合计" +
                                                        sums.second.toString() + "不一致。",
                              "合计行只用于核对，不参与计算；请检查是否漏行或合计公式有误。");
            }
        }
    }

    /// 资金类别 → the line of the 项目资金 block. 财政拨款 means this year's appropriation.
    static std::optional<model::FundKind> fundKind(const std::string& text) {
        std::string k = headerKey(text);
        for (const char* prefix : {"其中:", "其中："})
            if (k.rfind(prefix, 0) == 0) k.erase(0, std::string(prefix).size());
        if (k.empty() || k == "合计" || k == "年度资金总额" || k == "资金总额" || k == "小计") return model::FundKind::Total;
        if (k == "财政拨款" || k == "本年财政拨款" || k == "当年财政拨款" || k == "财政资金") return model::FundKind::CurrentFiscal;
        if (k == "上年结转资金" || k == "上年结转" || k == "结转资金") return model::FundKind::CarryOver;
        if (k == "其他资金" || k == "其他") return model::FundKind::Other;
        return std::nullopt;
    }

    void readIndicators(model::Dataset& ds) {
        auto lt = load(ds, Section::Indicators, true);
        if (!lt.present) return;
        eachRow(lt, [&](RowReader& r) {
            model::Indicator ind;
            ind.projectCode = r.text("项目编码");
            ind.unitCode = r.text("单位编码");
            r.project = ind.projectCode;
            if (ind.projectCode.empty() == ind.unitCode.empty()) {
                r.error(ind.projectCode.empty() ? "项目编码" : "单位编码", ind.projectCode.empty() ? "" : ind.projectCode,
                        "绩效指标表第" + std::to_string(r.row()) + "行应填写“项目编码”或“单位编码”中的一个，" +
                            (ind.projectCode.empty() ? "两者都为空。" : "不能同时填写。"),
                        "项目指标填项目编码；部门整体指标填单位编码。");
            }
            ind.level1 = r.required("一级指标");
            ind.level2 = r.required("二级指标");
            ind.level3 = r.required("三级指标");
            ind.unitOfMeasure = normalizeText(r.text("计量单位"));
            std::string opText = r.text("指标性质");
            std::optional<model::Operator> op;
            if (!opText.empty()) {
                op = parseOperator(opText);
                if (!op)
                    r.error("指标性质", opText, "第" + std::to_string(r.row()) + "行“指标性质”无法识别：" + q(opText) + "。",
                            "应为 ≥、>、=、<、≤ 或“定性”之一。");
            }
            std::string targetText = r.required("年度指标值");
            auto target = splitQuantity(targetText);
            if (target.op) {
                if (op && *op != *target.op && r.ok)
                    r.error("年度指标值", targetText, "第" + std::to_string(r.row()) + "行“年度指标值”中的符号与“指标性质”" + q(opText) + "矛盾。");
                op = target.op;
            }
            ind.target = target.quantity;
            ind.target.text = targetText;
            ind.op = op.value_or(target.quantity.value ? model::Operator::Ge : model::Operator::Qualitative);
            if (ind.op != model::Operator::Qualitative && !ind.target.value && !targetText.empty())
                r.error("年度指标值", targetText, "第" + std::to_string(r.row()) + "行“年度指标值”应为数字，实际为" + q(targetText) + "。",
                        "定量指标的指标值应为数字，如 95%、735；定性指标请在“指标性质”中写“定性”。");
            std::string actualText = r.text("实际完成值");
            ind.actual.text = actualText;
            if (!actualText.empty() && ind.op != model::Operator::Qualitative) {
                auto actual = splitQuantity(actualText);
                // An actual that starts with an operator merely repeats the target ("≥266米"):
                // kept as text so that scoring flags it, never read as a value.
                if (!actual.op) {
                    ind.actual = actual.quantity;
                    ind.actual.text = actualText;
                    if (!ind.actual.value && actualText != targetText)
                        r.error("实际完成值", actualText, "第" + std::to_string(r.row()) + "行“实际完成值”应为数字，实际为" + q(actualText) + "。",
                                "定量指标的实际完成值应为数字；如无法取得请留空并在偏差原因中说明。");
                } else {
                    ind.actual.percentSign = actual.quantity.percentSign;
                }
            }
            ind.weight = r.number("分值", false, false);
            ind.reason = r.text("偏差原因分析");
            ind.measures = r.text("改进措施");
            ind.selfScore = r.number("自评得分", false, false);
            ind.source = r.source();
            if (!r.ok) return;
            if (!ind.projectCode.empty()) {
                model::Project* p = findProject(ds, ind.projectCode);
                if (!p) {
                    r.error("项目编码", ind.projectCode, "绩效指标表第" + std::to_string(r.row()) + "行的项目编码" + q(ind.projectCode) + "在项目表中不存在。",
                            "请检查编码是否写错，或在项目表中补充该项目。");
                    return;
                }
                p->indicators.push_back(std::move(ind));
            } else {
                if (!ds.findUnit(ind.unitCode)) {
                    r.error("单位编码", ind.unitCode, "绩效指标表第" + std::to_string(r.row()) + "行的单位编码" + q(ind.unitCode) + "在单位表中不存在。");
                    return;
                }
                ds.unitIndicators.push_back(std::move(ind));
            }
        });
        std::stable_sort(ds.unitIndicators.begin(), ds.unitIndicators.end(),
                         [](const auto& a, const auto& b) { return a.unitCode < b.unitCode; });
    }

    void readFigures(model::Dataset& ds) {
        auto lt = load(ds, Section::Figures, false);
        if (!lt.present) return;
        eachRow(lt, [&](RowReader& r) {
            model::DepartmentFigures f;
            f.unitCode = r.required("单位编码");
            auto year = r.number("年度", true, false);
            if (year && (year->rounded(0) != *year || *year < Decimal::fromInt(2000) || *year > Decimal::fromInt(2100)))
                r.error("年度", r.text("年度"), "第" + std::to_string(r.row()) + "行“年度”应为四位年份，实际为" + q(r.text("年度")) + "。");
            for (const auto& field : fieldsOf(Section::Figures)) {
                if (field.header == "单位编码" || field.header == "年度") continue;
                bool money = field.header != "在职人数" && field.header != "编制数";
                // 预算调整数 is negative when the budget was cut during the year (调减).
                bool signedFigure = field.header == "预算调整数";
                if (auto v = r.number(field.header, false, money, signedFigure)) f.figures[field.header] = *v;
            }
            f.source = r.source();
            if (!r.ok || !year) return;
            f.year = int(year->raw() / Decimal::kScale);
            if (!ds.findUnit(f.unitCode)) {
                r.error("单位编码", f.unitCode, "部门整体表第" + std::to_string(r.row()) + "行的单位编码" + q(f.unitCode) + "在单位表中不存在。");
                return;
            }
            for (const auto& other : ds.figures)
                if (other.unitCode == f.unitCode && other.year == f.year) {
                    r.error("年度", r.text("年度"), "单位" + q(f.unitCode) + "的" + std::to_string(f.year) + "年度数据重复：第" +
                                                        std::to_string(other.source.row) + "行已有。");
                    return;
                }
            ds.figures.push_back(std::move(f));
        });
        std::sort(ds.figures.begin(), ds.figures.end(),
                  [](const auto& a, const auto& b) { return std::tie(a.unitCode, a.year) < std::tie(b.unitCode, b.year); });
    }

    std::string folder_;
    Diagnostics& diags_;
    const ReadLimits& limits_;
    Settings settings_;
};

} // namespace

Table readTableFile(const std::string& path, const std::string& sheet, const ReadLimits& limits) {
    std::string name = Poco::Path(path).getFileName();
    std::string bytes = readBytes(path);
    if (bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0) return readXlsx(bytes, name, sheet, limits);
    if (bytes.size() >= 8 && bytes.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") == 0)
        throw ReadError(name + "：这是旧版 Excel（.xls）或加密的工作簿，无法读取。请在 Excel 中另存为 .xlsx 或 CSV。");
    return readCsv(std::move(bytes), name, limits);
}

model::Dataset readDataset(const std::string& folder, Diagnostics& diags, const ReadLimits& limits) {
    return DatasetReader(folder, diags, limits).read();
}

} // namespace jixiao::ingest
