#pragma once

#include "layout/grid.h"

#include <stdexcept>
#include <string>

namespace jixiao::layout {

/// A template workbook that cannot be read. `what()` is a complete Chinese sentence naming the
/// file (e.g. `表样.xlsx：压缩比异常（…），疑似压缩炸弹，已拒绝读取。`).
class GridReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads the first sheet of a workbook held in memory into a Grid: cells (shared and inline
/// strings, numbers, booleans, formulas with shared formulas expanded), cell styles (fonts,
/// solid fills, borders, alignment, wrap, indent, number formats), merges, column widths, row
/// heights and print setup (paper, orientation, scale or fit to pages, margins, centring,
/// print titles). The workbook is treated as hostile: it goes through ingest's XLSX package
/// reader (zip bomb limits, CRC, no DTD, so no entity expansion), and a sheet larger than a
/// form (5000 rows, 200 columns) is refused. Throws GridReadError.
Grid readGrid(const std::string& bytes, const std::string& displayName);

}  // namespace jixiao::layout
