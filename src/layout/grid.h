#pragma once

#include "layout/document.h"
#include "model/decimal.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// A spreadsheet grid as an Excel form (表样.xlsx) draws it: cells with values and formulas,
/// styles (font, fill, borders, alignment, wrap, number format), merges, column widths, row
/// heights and print setup. The template is read into a Grid (grid_reader), filled into
/// another Grid (excel_form), and both the XLSX and the PDF are drawn from the filled one, so
/// the two look alike. Rows and columns are 0-based here; messages name them as Excel does.
namespace jixiao::layout {

/// An RGB colour as Excel writes it (0xRRGGBB).
using Rgb = std::uint32_t;

/// A font as a cell style names it.
struct GridFont {
    std::string name = "宋体";  ///< family, e.g. "宋体", "黑体", "仿宋_GB2312", "Arial"
    double sizePt = 11.0;
    bool bold = false;
    bool italic = false;
    bool underline = false;
    Rgb color = 0x000000;
};

/// Line styles of a cell edge (the ones Excel's border dialog offers, merged by weight).
enum class BorderStyle { None, Hair, Thin, Dotted, Dashed, Medium, Double, Thick };

/// One edge of a cell.
struct GridEdge {
    BorderStyle style = BorderStyle::None;
    Rgb color = 0x000000;
};

/// Horizontal alignment (General: numbers right, text left).
enum class HAlign { General, Left, Center, Right, Justify, Distributed };
/// Vertical alignment.
enum class VAlign { Top, Center, Bottom };

/// Everything a cell's format says.
struct GridStyle {
    GridFont font;
    std::optional<Rgb> fill;  ///< solid background; none = white paper
    GridEdge left, right, top, bottom;
    HAlign halign = HAlign::General;
    VAlign valign = VAlign::Bottom;
    bool wrap = false;
    int indent = 0;  ///< levels of indentation (3 characters' width each in Excel; we use one em)
    std::string numberFormat = "General";
};

/// One cell. Text cells hold `text`; number cells `number`; a formula cell holds the formula
/// (without "=") and its cached value in `number` (or `text` when the value is text).
struct GridCell {
    enum class Kind { Empty, Text, Number, Boolean };
    Kind kind = Kind::Empty;
    std::string text;
    model::Decimal number;
    std::string formula;
    int style = 0;  ///< index into Grid::styles

    bool empty() const { return kind == Kind::Empty && formula.empty(); }
};

/// A merged range, inclusive.
struct GridMerge {
    int row0 = 0, col0 = 0, row1 = 0, col1 = 0;
    bool contains(int r, int c) const { return r >= row0 && r <= row1 && c >= col0 && c <= col1; }
};

/// Page setup as the workbook holds it (margins in inches, as Excel stores them).
struct GridPrint {
    int paper = 9;  ///< Excel paper code: 9 A4, 8 A3, 11 A5, 1 Letter
    bool landscape = false;
    double left = 0.7, right = 0.7, top = 0.75, bottom = 0.75, header = 0.3, footer = 0.3;
    bool centerHorizontally = false;
    int titleRow0 = -1, titleRow1 = -1;  ///< rows repeated at the top of every page; -1 = none
    bool fitToPage = false;              ///< scale to fitWidth × fitHeight pages (0 = as many as needed)
    int fitWidth = 1, fitHeight = 1;
    int scale = 100;  ///< percent, when not fitting to pages

    /// Paper width and height in points, orientation applied.
    double paperWidthPt() const;
    double paperHeightPt() const;
};

/// One sheet as a grid.
struct Grid {
    std::string sheetName = "Sheet1";
    std::vector<std::vector<GridCell>> rows;  ///< rows × columns, every row as wide as `columns`
    int columns = 0;
    std::vector<double> columnWidths;  ///< Excel character units as stored (per column)
    std::vector<double> rowHeights;    ///< points per row
    std::vector<GridStyle> styles;     ///< style 0 is the default
    std::vector<GridMerge> merges;
    GridPrint print;

    int rowCount() const { return int(rows.size()); }
    /// Adds a style (or finds an equal one) and returns its index.
    int addStyle(const GridStyle& style);
    /// The merge a cell lies in, or nullptr.
    const GridMerge* mergeAt(int row, int column) const;
    /// Column width in points (Excel: width × 7 px of the default font's digit, 0.75 pt a pixel).
    double columnWidthPt(int column) const;
};

bool operator==(const GridFont& a, const GridFont& b);
bool operator==(const GridEdge& a, const GridEdge& b);
bool operator==(const GridStyle& a, const GridStyle& b);

/// "C5" for row 4, column 2 (0-based).
std::string cellName(int row, int column);
/// "C" for column 2.
std::string columnLetters(int column);

/// A number as an Excel number format shows it: General, 0, 0.00, #,##0.00, 0%, 0.00%,
/// literal text in quotes or after a backslash, a negative section after ";". Formats this
/// does not know (dates) show the number as General does.
std::string formatGridNumber(const model::Decimal& value, const std::string& numberFormat);

/// The font role that draws an Excel font family in the PDF: 黑体 → Heading, 楷体 → Kai,
/// 仿宋 → FangSong, 小标宋/标宋 → Title, anything else → Body.
FontRole fontRoleFor(const std::string& family);

}  // namespace jixiao::layout
