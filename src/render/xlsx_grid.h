#pragma once

// Internal to render/xlsx_*: writing a filled Excel form's grid as one sheet.

#include "layout/grid.h"

#include <xlsxwriter.h>

#include <deque>
#include <string>

namespace jixiao::render::xlsx {

/// Writes `grid` as the sheet `name` of `book` (see renderXlsx(Grid) in xlsx_writer.h). C
/// strings handed to libxlsxwriter are kept in `keep` until the workbook is closed.
void writeGridSheet(lxw_workbook* book, std::deque<std::string>& keep, const layout::Grid& grid, const std::string& name);

}  // namespace jixiao::render::xlsx
