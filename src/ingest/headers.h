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
    int headerIndex = -1;                 ///< index into Table::rows of the header row
    std::map<std::string, int> columns;   ///< canonical header → column index
    std::vector<std::string> found;       ///< header text per column, as found
    /// Column of a field, if the table has it.
    std::optional<int> column(const std::string& canonical) const;
    /// The header text as found in the file for a column (for messages).
    std::string headerAt(int column) const;
};

/// Header text reduced for matching: width folded, spaces removed, a trailing unit in
/// brackets dropped ("全年预算数（万元）" → "全年预算数").
std::string headerKey(const std::string& text);

/// Finds the header row (the first of the first ten rows naming at least two known fields,
/// so a title row above the header is tolerated) and maps columns to fields. `mapping` is
/// dataset.json's `columns` (found header → canonical header). Reports missing required
/// fields as errors and unknown headers as notes, both with "是否指……？" suggestions.
/// Returns a map with headerIndex −1 when no header row is recognisable (error reported).
HeaderMap mapHeaders(const Table& table, Section section,
                     const std::map<std::string, std::string>& mapping, model::Diagnostics& diags);

} // namespace jixiao::ingest
