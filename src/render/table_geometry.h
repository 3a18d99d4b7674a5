#pragma once

#include "layout/document.h"

#include <vector>

namespace jixiao::render {

// The geometry of a layout::Table that the PDF (paginate.cpp) and the XLSX sheet plan
// (xlsx_plan.cpp) share, so that both formats put the columns and the merged cells in the
// same places and grow the same rows for a merged cell's text. What each format measures (a
// cell's text height in its own metrics) stays with the format.

/// Column edges of `table` from the left of the type area, in the unit of `typeWidth`
/// (`perMm` of that unit make a millimetre): relative widths fill the type area; widths in
/// millimetres are kept unless wider than it, then scaled down to it. One more edge than
/// columns; the first is 0.
std::vector<double> tableColumnEdges(const layout::Table& table, double typeWidth, double perMm);

/// What the text of a cell needs: rows [firstRow, lastRow] (0-based rows of its table)
/// together at least `height`.
struct RowsNeed {
    int firstRow = 0;
    int lastRow = 0;
    double height = 0.0;
};

/// Grows `rowHeights` (one per table row, each already at its own minimum) to what `needs`
/// (one per placed cell, in placeCells order) ask: every single-row need first, then the
/// merged cells' needs, shortest span first (equal spans in the order given), each spreading
/// what its rows lack evenly over them.
void fitRowHeights(std::vector<double>& rowHeights, const std::vector<RowsNeed>& needs);

}  // namespace jixiao::render
