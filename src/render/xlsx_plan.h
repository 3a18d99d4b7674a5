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

/// Where a table went on the sheet; `rows` grows while the table comes in parts.
struct TablePlacement {
    int firstRow = 0;
    int headerRows = 0;
    int rows = 0;
    int firstCol = 0;
    int lastCol = 0;
};

/// How full the last printed page is, followed row by row as the plan grows, for each way the
/// print titles may end up (none, or the header rows of one of the tables): spreadsheets
/// paginate whole rows, at manual breaks, with the print titles at the top of every page after
/// their own.
class PageFill {
public:
    explicit PageFill(double pagePt) : pagePt_(pagePt) {}
    /// Row `row` (the next one) of height `h`; `manualBreak` when a page break starts it.
    void row(int row, double h, bool manualBreak);
    /// The rows [first, last], just added, may become the print titles.
    void titlesCandidate(int first, int last, double titlesPt);
    /// The height used on the last page with those print titles (none: first = -1).
    double usedOnLastPage(int titlesFirst) const;
    /// The height of the print titles starting at `titlesFirst`.
    double titlesPt(int titlesFirst) const;

private:
    struct Run {
        int first = -1;
        int last = -1;
        double titlesPt = 0.0;
        double used = 0.0;
    };
    double pagePt_;
    std::vector<Run> runs_{Run{}};  // runs_[0]: no print titles
    const Run& run(int titlesFirst) const;
};

struct SheetPlan {
    std::vector<double> columnMm;  // grid
    int firstRow = 0;              // the sheet row of rowPt[0]; the rows above are written and released
    std::vector<double> rowPt;     // one per sheet row from firstRow on
    std::vector<Item> items;       // of those rows
    std::vector<int> pageBreaks;   // rows that start a new page
    std::vector<TablePlacement> tables;
    std::map<std::string, Area> ids;
    std::vector<std::pair<std::string, Area>> idOrder;  // sheet order
    /// The number format of every cell with an id and of every watched cell (plan items are
    /// released as rows are written; the charts' value axes read these).
    std::map<std::pair<int, int>, std::string> numberFormats;
    PageFill fill{0.0};

    int addRow(double heightPt) {
        const double clamped = std::min(kMaxRowHeightPt, std::max(heightPt, 1.0));
        const double h = std::round(clamped * 100.0) / 100.0;
        const int row = rowCount();
        const bool manual = !pageBreaks.empty() && pageBreaks.back() == row;
        rowPt.push_back(h);
        fill.row(row, h, manual);
        return row;
    }
    /// Rows planned so far, released ones included.
    int rowCount() const { return firstRow + static_cast<int>(rowPt.size()); }
    double rowHeight(int row) const { return rowPt[static_cast<size_t>(row - firstRow)]; }
    int lastColumn() const { return static_cast<int>(columnMm.size()) - 1; }
    double widthPt(int firstCol, int lastCol) const {
        double mm = 0.0;
        for (int c = firstCol; c <= lastCol; ++c) mm += columnMm[static_cast<size_t>(c)];
        return ptFromMm(mm);
    }
    /// Forgets the rows and items planned so far (they have been written).
    void release() {
        firstRow = rowCount();
        rowPt.clear();
        items.clear();
    }
};

/// The height of the type area of `page` in points (A4).
double typeAreaHeightPt(const layout::PageSetup& page);

/// Plans a sheet as its flow comes (layout::WorkbookSink's parts): the column grid first, the
/// union of the column edges of every table the flow will hold; then block by block, a long
/// table in runs of rows. Each block's rows and items are added to the plan, which the writer
/// releases once written. Throws RenderError for duplicate cell ids and table columns too
/// narrow for a grid column; layout::LayoutError for malformed tables.
class SheetPlanner {
public:
    /// `tables`: the flow's tables (their rows are not read); `watched`: cells whose number
    /// format is kept in SheetPlan::numberFormats.
    SheetPlanner(const layout::PageSetup& page, const std::vector<const Table*>& tables, std::string sheetName,
                 std::vector<std::pair<int, int>> watched = {});

    /// The next block of the flow.
    void add(const layout::Block& block);
    /// Every block of a whole flow, the items reserved once (a 60,000-row sheet's items are not
    /// copied each time the vector doubles, old and new both held).
    void addAll(const std::vector<layout::Block>& blocks);
    /// More rows of the table added last (`more` has its settings, no header rows).
    void addRows(const Table& more);

    SheetPlan& plan() { return plan_; }

private:
    void flowRow(const std::string& text, const layout::TextStyle& style, uint8_t align, const layout::LineSpacing& spacing,
                 double extraPt);
    void addBlock(const layout::Heading& h);
    void addBlock(const layout::Paragraph& p);
    void addBlock(const layout::Signature& s);
    void addBlock(const layout::AttachmentNote& n);
    void addBlock(const layout::Spacer& s);
    void addBlock(const layout::PageBreak&);
    void addBlock(const Table& table);
    void tableRows(const Table& table, bool continues);
    void item(Item&& item);

    std::string sheet_;
    double typeWidthMm_ = 0.0;
    std::vector<double> edges_;
    std::vector<std::pair<int, int>> watched_;
    bool previousWasTable_ = false;
    double previousSpaceAfterPt_ = 0.0;
    SheetPlan plan_;
};

/// Plans the sheet `sheetName` for the whole flow `doc` (a SheetPlanner given every block).
SheetPlan planSheet(const Document& doc, const std::string& sheetName);

}  // namespace jixiao::render::xlsx
