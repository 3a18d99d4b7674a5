#pragma once

// Internal to render/xlsx_*: the sheet plan — where everything of a flow goes on the grid,
// computed before anything is written so that formulas can name cells placed after them.

#include "layout/document.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace jixiao::render::xlsx {

using layout::Align;
using layout::Cell;
using layout::Chart;
using layout::ChartType;
using layout::Document;
using layout::FontRole;
using layout::Table;

// ---------------------------------------------------------------------------------------
// Units. Excel measures columns in "characters" of the default font (Calibri 11 in
// libxlsxwriter 1.1.4: 7 px per digit plus 5 px of padding, at 96 px per inch) and rows in
// points; both print at their screen size at 100 %.

constexpr double kPxPerMm = 96.0 / 25.4;
constexpr double kMaxRowHeightPt = 409.0;     // Excel's limit
constexpr double kDefaultRowHeightPt = 15.0;  // rows below the flow (libxlsxwriter 1.1.4's default)
constexpr double kDefaultRowHeightPx = 20.0;
constexpr int kMaxPageBreaks = 1023;  // Excel's limit
constexpr double kA4ShortMm = 210.0;
constexpr double kA4LongMm = 297.0;
constexpr lxw_color_t kHeaderFill = 0xD9D9D9;

inline double ptFromMm(double mm) { return layout::mmToPt(mm); }

/// Excel column width (characters) for a width in millimetres.
inline double columnCharsFromMm(double mm) {
    const double px = mm * kPxPerMm;
    // Below 12 px Excel's width is px / 12 characters (no padding).
    return px < 12.0 ? px / 12.0 : (px - 5.0) / 7.0;
}

/// Valid UTF-8 without the characters XML 1.0 forbids (model::xmlAllows) and carriage returns.
std::string cleanText(const std::string& text);

/// The look of a cell; the writer makes one lxw_format per distinct Style.
struct Style {
    std::string font;
    double sizePt = 10.5;
    bool bold = false;
    uint8_t align = LXW_ALIGN_LEFT;
    bool border = false;
    bool fill = false;
    bool wrap = true;
    std::string numberFormat;

    auto key() const { return std::tie(font, sizePt, bold, align, border, fill, wrap, numberFormat); }
    bool operator<(const Style& other) const { return key() < other.key(); }
};

/// A rectangle of the sheet (0-based, inclusive).
struct Area {
    int row = 0;
    int col = 0;
    int lastRow = 0;
    int lastCol = 0;
};

struct Item {
    Area area;
    std::string text;            // cleaned; what string cells show
    const Cell* cell = nullptr;  // table cells only
    Style style;
};

struct TablePlacement {
    int firstRow = 0;
    int headerRows = 0;
    int rows = 0;
    int firstCol = 0;
    int lastCol = 0;
};

struct SheetPlan {
    std::vector<double> columnMm;  // grid
    std::vector<double> rowPt;     // one per sheet row
    std::vector<Item> items;
    std::vector<int> pageBreaks;  // rows that start a new page
    std::vector<TablePlacement> tables;
    std::map<std::string, Area> ids;
    std::vector<std::pair<std::string, Area>> idOrder;  // sheet order

    int addRow(double heightPt) {
        const double clamped = std::min(kMaxRowHeightPt, std::max(heightPt, 1.0));
        rowPt.push_back(std::round(clamped * 100.0) / 100.0);
        return static_cast<int>(rowPt.size()) - 1;
    }
    int lastColumn() const { return static_cast<int>(columnMm.size()) - 1; }
    double widthPt(int firstCol, int lastCol) const {
        double mm = 0.0;
        for (int c = firstCol; c <= lastCol; ++c) mm += columnMm[static_cast<size_t>(c)];
        return ptFromMm(mm);
    }
};

/// Plans the sheet `sheetName` for the flow `doc`: the column grid (the union of its tables'
/// column edges), one row per flow row with its estimated height, every item's area and
/// style, page breaks, tables and cell ids. Throws RenderError for duplicate cell ids and
/// table columns too narrow for a grid column; layout::LayoutError for malformed tables.
SheetPlan planSheet(const Document& doc, const std::string& sheetName);

}  // namespace jixiao::render::xlsx
