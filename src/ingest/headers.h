#pragma once

#include "ingest/table.h"
#include "model/diagnostic.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::ingest {

/// The five sections of a dataset (input.md).
enum class Section { Units, Projects, Execution, Indicators, Figures };

/// The five sections in the order they are read.
const std::vector<Section>& allSections();

/// A string as a JSON literal with ASCII quotes ("\"预算数(元)\""), so that every hint pastes
/// into dataset.json as it is printed.
std::string jsonLiteral(const std::string& s);

/// Chinese name of the section, also its default file stem: 单位, 项目, 预算执行, 绩效指标, 部门整体.
const char* sectionName(Section section);

/// A field of a section: its canonical header and the aliases budget systems use.
struct FieldSpec {
    std::string header;
    std::vector<std::string> aliases;
    bool required = false;
};

/// The fields of a section, in the order of input.md.
const std::vector<FieldSpec>& fieldsOf(Section section);

/// Where each canonical field sits in a table.
struct HeaderMap {
    int headerIndex = -1;                ///< index into Table::rows of the (first) header row
    int headerRows = 1;                  ///< 2 when a merged group row stands over the header
    std::map<std::string, int> columns;  ///< canonical header → column index
    std::vector<std::string> found;      ///< header text per column, as found
    std::map<int, std::string> units;    ///< column → money unit its header names ("元", "万元")
    std::string titleUnit;               ///< money unit a title row names ("单位：元"), or empty
    std::string titleUnitText;           ///< that title cell as found, for messages
    /// Index into Table::rows of the first data row.
    int firstDataIndex() const { return headerIndex + headerRows; }
    /// Column of a field, if the table has it.
    std::optional<int> column(const std::string& canonical) const;
    /// The header text as found in the file for a column (for messages).
    std::string headerAt(int column) const;
};

/// The money unit a header names in brackets at its end: "预算数(元)" → "元",
/// "支出数（万元）" → "万元"; empty for anything else ("在职人数（人）").
std::string headerUnit(const std::string& text);

/// The money unit a title or note cell declares ("单位：元", "金额单位:万元"), or empty.
std::string declaredUnit(const std::string& text);

/// Header text reduced for matching: width folded, spaces removed, a trailing unit in
/// brackets dropped ("全年预算数（万元）" → "全年预算数").
std::string headerKey(const std::string& text);

/// The canonical field a header names in a section (directly or through an alias), if any.
std::optional<std::string> canonicalField(const std::string& header, Section section);

/// A section where `from` already names a field other than `to` (under its own name or an
/// alias), with that field: a global mapping `from → to` would hide it there.
std::optional<std::pair<Section, std::string>> hiddenField(const std::string& from, const std::string& to);

/// Recognises the header row without reporting anything (see mapHeaders); for choosing
/// among candidate tables.
HeaderMap matchHeaders(const Table& table, Section section, const std::map<std::string, std::string>& mapping);

/// True when every required field of the section is mapped.
bool hasRequired(const HeaderMap& map, Section section);

/// The candidate a header most likely means, for "是否指……？": a close spelling of its key,
/// else one equal once units and the common prefixes 全年/实际/预算/指标/年度 are stripped from
/// both (“实际值” → “实际完成值” is an alias; “全年执行数” → “执行数” is found here). Never the
/// header itself.
std::optional<std::string> suggestField(const std::string& header, const std::vector<std::string>& candidates);

/// Finds the header row (the first of the first ten rows naming at least two known fields,
/// so a title row above the header is tolerated; a merged group row such as “预算数（元）” over
/// 年初/全年/执行 is read with the row below it) and maps columns to fields. `mapping` is
/// dataset.json's `columns` (found header → canonical header). Reports missing required
/// fields as errors and unknown headers as notes, both with "是否指……？" suggestions.
/// Returns a map with headerIndex −1 when no header row is recognisable (error reported).
HeaderMap mapHeaders(const Table& table, Section section, const std::map<std::string, std::string>& mapping, model::Diagnostics& diags);

}  // namespace jixiao::ingest
