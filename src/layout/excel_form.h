#pragma once

#include "layout/grid.h"
#include "layout/value.h"

#include <memory>
#include <string>
#include <vector>

namespace jixiao::layout {

/// An Excel form: a template workbook (表样.xlsx) as drawn in Excel or WPS, with placeholders
/// in its cells, filled per record into a Grid that render/ turns into the XLSX and the PDF.
///
/// - `{{字段}}` anywhere in a cell's text, in the text template language (template_text.h):
///   Chinese field names or English paths, filters, `{{#if}}`. A cell holding only one field
///   (`{{全年预算数}}`) whose value is a number becomes a number cell with the template cell's
///   number format.
/// - Repeated rows: a row whose first non-empty cell starts with `{{#each 列表}}` begins a block,
///   the row whose last non-empty cell ends with `{{/each}}` ends it (one row may do both). The
///   markers are removed; the block's rows, merges and styles repeat per item (the item's
///   fields, `@index`, `@first`, `@last` in scope) and the rows below move down. Blocks do not
///   nest, and no merge may cross a block's edge.
/// - `{{一级指标|merge}}`: equal values in adjacent repeated rows become one merged cell (within
///   the groups of the merged columns to its left).
/// - Formulas are kept: references move with their rows, a range that covers a block's rows is
///   widened to all its copies (`SUM(F8:F8)` over 14 items → `SUM(F8:F21)`), references into
///   a block repeated zero times become 0, and the computed value is cached.
class ExcelForm {
public:
    /// Reads `bytes`; `shown` names the workbook in messages ("templates/my-table/表样.xlsx").
    /// Throws TemplateError (Chinese, naming `表样.xlsx[Sheet1!C5]`) for unbalanced or nested
    /// blocks, a merge crossing a block's edge and placeholder syntax errors, GridReadError for
    /// a workbook that cannot be read.
    static ExcelForm parse(const std::string& bytes, const std::string& shown);
    /// Reads the file at `path` (TemplateError when it cannot be opened).
    static ExcelForm load(const std::string& path, const std::string& shown);

    /// Fills the form for one record (a context from layout/context.h). Throws TemplateError
    /// for unknown fields and an `each` over something that is not a list.
    Grid fill(const Value& data) const;

    /// Every problem `data` (a sample context) reveals, each a Chinese sentence naming the
    /// cell: unknown fields, `each` over a non-list, formulas with functions the cache cannot
    /// compute. Empty when the form is sound.
    std::vector<std::string> check(const Value& data) const;

    /// The template as drawn (placeholders and markers as the user wrote them).
    const Grid& templateGrid() const;

    struct Spec;

private:
    std::shared_ptr<const Spec> spec_;
};

/// `check --templates` for one Excel form: reading problems and ExcelForm::check against
/// `sample`, as Chinese sentences; empty when the form is sound.
std::vector<std::string> checkExcelForm(const std::string& xlsxPath, const std::string& shown, const Value& sample);

}  // namespace jixiao::layout
