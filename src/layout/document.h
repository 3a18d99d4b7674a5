#pragma once

#include "model/date.h"
#include "model/decimal.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

/// The format-neutral document that layout builds and every renderer (PDF, XLSX, HTML)
/// translates. Lengths on paper are in millimetres, type sizes in points; a renderer never
/// has to compute a number, only place what it is given.
namespace jixiao::layout {

/// A malformed Document (a template or layout bug, not bad input data).
class LayoutError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A table whose cells do not tile its grid (placeCells): which cell and why, so that a caller
/// knowing where the cell came from (a layout.json line and column) can say so.
class TableShapeError : public LayoutError {
public:
    enum class Problem {
        TooManyCells,    ///< the row's cells run past the last column
        BadSpan,         ///< colspan or rowspan below 1
        ColspanPastEnd,  ///< the cell's colspan runs past the last column
        RowspanPastEnd,  ///< the cell's rowspan runs past the last row
        HeaderSpan,      ///< a header cell spans into the body rows
        Overlap,         ///< the cell overlaps one spanning down from a row above
        Hole,            ///< no cell covers `column` of `row`
    };
    TableShapeError(Problem what, int atRow, int atCell, int atColumn, const std::string& message)
        : LayoutError(message), problem(what), row(atRow), cell(atCell), column(atColumn) {}
    Problem problem;
    int row;     ///< 0-based row of the table
    int cell;    ///< index of the cell in its row's cells; -1 for a hole
    int column;  ///< 0-based grid column where the cell starts (or the hole is)
};

/// A fixed timestamp for document properties. Layout copies it from the run's pinned
/// "today"; nothing below app reads the clock, so output bytes are reproducible.
struct FixedDate {
    int year = 2000;             ///< four digits
    int month = 1;               ///< 1..12
    int day = 1;                 ///< 1..31
    int hour = 0;                ///< 0..23
    int minute = 0;              ///< 0..59
    int second = 0;              ///< 0..59
    int utcOffsetMinutes = 480;  ///< offset from UTC; China Standard Time by default

    /// The calendar day. Throws LayoutError when year, month and day are not a valid date.
    model::Date date() const;
};

/// Document properties (PDF info dictionary, XLSX core properties, HTML <meta>).
struct Metadata {
    std::string title;     ///< 标题, e.g. "项目支出绩效自评表（2024年度）"
    std::string author;    ///< 作者 = the issuing unit (发文机关), never a person
    std::string subject;   ///< 主题, may be empty
    std::string keywords;  ///< 关键词, comma separated, may be empty
    FixedDate created;     ///< creation and modification date
};

/// Sheet orientation; the paper is always A4 (GB/T 148, 210 × 297 mm).
enum class Orientation { Portrait, Landscape };

/// Page margins in millimetres, measured from the paper edge to the type area.
struct Margins {
    double top = 25.0;     ///< GB/T 9704 letters: 37
    double bottom = 25.0;  ///< GB/T 9704 letters: 35
    double left = 25.0;    ///< binding side; GB/T 9704 letters: 28
    double right = 25.0;   ///< GB/T 9704 letters: 26
};

/// Paper and type area.
struct PageSetup {
    Orientation orientation = Orientation::Portrait;  ///< A4 portrait or landscape
    Margins marginsMm;                                ///< margins in mm
    /// Keep the document on one page when it can be: spacing, cell padding and line spacing
    /// tighten and text larger than kMinFitSizePt shrinks towards it (never below) until it fits;
    /// a document that does not fit even then is laid out as written, over several pages.
    bool fitOnePage = false;
};

/// The smallest type size fitting a document on one page may shrink text to (小五 is 9 pt).
constexpr double kMinFitSizePt = 9.0;

/// How pages are numbered in the footer.
enum class PageNumberStyle {
    None,     ///< no page numbers
    OfTotal,  ///< "第 N 页 共 M 页"
    Dashed,   ///< "— N —" (GB/T 9704 公文 style)
};

/// Where the page number sits on its line.
enum class PageNumberPosition {
    Center,   ///< centred under the type area
    Outside,  ///< GB/T 9704: odd pages flush right, even pages flush left, one character in
};

/// Named type faces (font roles); fonts/fonts.json maps each to the bureau's licensed font
/// when it is installed, else to a bundled free face (see fonts/README.md).
enum class FontRole {
    Title,     ///< "xiaobiaosong": 小标宋 display face for titles and the 发文机关标志
    Heading,   ///< "hei": 黑体 for 一级标题 and table header emphasis
    Body,      ///< "song": 宋体 running text and tables of forms and reports
    Kai,       ///< "kai": 楷体 for 二级标题, quotations, notes
    FangSong,  ///< "fangsong": 仿宋 body text of official documents (GB/T 9704 正文)
};

/// Number of FontRole values.
constexpr int kFontRoleCount = 5;

/// The font family an office document (XLSX, DOCX) names for `role`: the names of the faces
/// Chinese Windows installations and bureaus have (宋体, 仿宋_GB2312, 方正小标宋简体, 黑体,
/// 楷体_GB2312); WPS and LibreOffice substitute a face they lack by its glyphs.
const char* officeFontName(FontRole role);

/// Horizontal alignment. In table cells `Auto` means right for number cells, left otherwise.
enum class Align { Auto, Left, Center, Right, Justify };

/// Type face, size and weight of a piece of text.
struct TextStyle {
    FontRole role = FontRole::Body;  ///< which face
    double sizePt = 12.0;            ///< type size in points (3号 = 16, 4号 = 14, 小4 = 12, 5号 = 10.5)
    bool bold = false;               ///< emphasise; a face without a bold cut is emboldened
};

/// How far apart the baselines of a paragraph's lines are.
struct LineSpacing {
    /// Multiple: `value` × the line's largest type size. Exact: `value` points, whatever the
    /// size (GB/T 9704 letters: 22 lines in 225 mm ≈ 28.95 pt).
    enum class Mode { Multiple, Exact };
    Mode mode = Mode::Multiple;  ///< how `value` is read
    double value = 1.5;          ///< factor or points
};

/// Paragraph-level formatting shared by headings and paragraphs.
struct ParagraphFormat {
    Align align = Align::Justify;       ///< Auto is treated as Justify
    double firstLineIndentChars = 0.0;  ///< first-line indent in characters of the style's size (2 in body text)
    LineSpacing lineSpacing;            ///< baseline distance
    double spaceBeforePt = 0.0;         ///< extra space above, dropped at the top of a page
    double spaceAfterPt = 0.0;          ///< extra space below
    /// Character grid: when > 0, every character's advance is widened or narrowed by the same
    /// amount so that this many full-width characters of the style's size fill a line exactly
    /// (GB/T 9704: 28 per line of 3号 in the 156 mm type area); the size stays as set.
    int gridChars = 0;
};

/// A stretch of text in one style; unset fields inherit the paragraph's style.
struct Run {
    std::string text;              ///< UTF-8; "\n" forces a line break
    std::optional<FontRole> role;  ///< face override
    std::optional<double> sizePt;  ///< size override
    bool bold = false;             ///< bold on top of the paragraph's style
};

/// A section heading (一、 （一） 1. （1）); bookmarked headings form the PDF outline.
struct Heading {
    int level = 1;  ///< 1 = top level; the outline nests by level
    /// UTF-8, numbering included ("一、基本情况"). U+200B marks where a balanced heading may
    /// break (between words); it is never drawn.
    std::string text;
    /// GB/T 9704 title: broken only at the U+200B marks (or, without marks, where Chinese line
    /// breaking allows) into lines of nearly equal width, as few lines as fit.
    bool balanced = false;
    bool bookmark = true;                                    ///< add to the PDF outline / HTML table of contents
    TextStyle style{FontRole::Heading, 16.0, false};         ///< face and size
    ParagraphFormat format{Align::Left, 0.0, {}, 6.0, 6.0};  ///< alignment and spacing
};

/// A paragraph of running text made of runs.
struct Paragraph {
    std::vector<Run> runs;   ///< concatenated in order
    TextStyle style;         ///< default style of the runs
    ParagraphFormat format;  ///< alignment, indent, spacing

    /// A one-run paragraph.
    static Paragraph plain(std::string text, TextStyle style = {}, ParagraphFormat format = {});
    /// The runs' texts concatenated.
    std::string text() const;
};

/// One table cell. A row lists only the cells that start in it, left to right; positions
/// covered by a span from the left or from above are skipped (as in HTML).
struct Cell {
    std::string text;                     ///< what PDF and HTML print; UTF-8, "\n" breaks lines
    int colspan = 1;                      ///< columns covered, >= 1
    int rowspan = 1;                      ///< rows covered, >= 1; may cross a page break
    Align align = Align::Auto;            ///< Auto: right when `number`, else left
    std::optional<FontRole> role;         ///< face override; else the table's style
    std::optional<double> sizePt;         ///< size override; else the table's style
    bool bold = false;                    ///< emphasise (headers, totals)
    bool number = false;                  ///< a figure: right-aligned, set smaller rather than wrapped (PDF), a number cell (XLSX)
    std::optional<model::Decimal> value;  ///< the exact number behind `text`, for XLSX
    std::string numberFormat;             ///< XLSX number format, e.g. "#,##0.00", "0.00%"
    /// XLSX formula with `value` as its cached result. Other cells of the same sheet are named
    /// by id, never by position: `{budget}` is one cell, `{score.*}` every cell whose id starts
    /// with "score." in sheet order, e.g. "=MIN({exec}/{budget},1)*{weight}", "=SUM({score.*})".
    std::string formula;
    std::string id;  ///< names the cell for formulas and charts; unique per sheet

    /// A text cell.
    static Cell label(std::string text, int colspan = 1, int rowspan = 1);
    /// A number cell: `text` as printed, `value` for XLSX.
    static Cell figure(std::string text, std::optional<model::Decimal> value = {}, std::string numberFormat = {});
};

/// One table row.
struct TableRow {
    std::vector<Cell> cells;   ///< cells starting in this row, left to right
    double minHeightMm = 0.0;  ///< rows grow to fit their text, never below this
};

/// How Table::columnWidths is read.
enum class WidthUnit {
    Relative,  ///< proportions of the type area's width
    Mm,        ///< millimetres (scaled down if they exceed the type area)
};

/// A grid with merged cells and header rows repeated on every page.
struct Table {
    std::vector<double> columnWidths;              ///< one entry per column
    WidthUnit widthUnit = WidthUnit::Relative;     ///< how the widths are read
    int headerRows = 0;                            ///< leading rows repeated at the top of each page
    std::vector<TableRow> rows;                    ///< header rows first
    TextStyle style{FontRole::Body, 10.5, false};  ///< default cell style
    double lineSpacing = 1.25;                     ///< baseline distance in cells, × type size
    double cellPaddingMm = 1.5;                    ///< inner margin of every cell
    double spaceBeforePt = 6.0;                    ///< gap above the table
    double spaceAfterPt = 6.0;                     ///< gap below the table
};

/// A cell's resolved place in the grid.
struct PlacedCell {
    int row = 0;                 ///< first row (0-based)
    int column = 0;              ///< first column (0-based)
    const Cell* cell = nullptr;  ///< the cell in Table::rows[row].cells
};

/// Places every cell in the grid, row by row; the result is ordered by (row, column).
/// Throws LayoutError when cells overlap, leave a hole, overflow the columns or the rows, or
/// a header cell spans into the body.
std::vector<PlacedCell> placeCells(const Table& table);

/// The signature block of a letter (GB/T 9704 7.3.5): the last line (成文日期) is flush right
/// with `rightIndentChars` characters of space, the lines above (署名) are centred on it.
struct Signature {
    std::vector<std::string> lines;  ///< e.g. {"某县财政局", "2025年3月5日"}
    TextStyle style;                 ///< face and size
    double rightIndentChars = 4.0;   ///< space after the last line, in characters
    double spaceBeforeLines = 2.0;   ///< blank lines above the block
    LineSpacing lineSpacing;         ///< baseline distance
};

/// 附件说明 (GB/T 9704-2012 7.3.6): "附件：" then the attachments' names, one per line,
/// numbered "1." "2." when there are several, no punctuation after a name; a long name wraps
/// aligned with its first character, each number under the first.
struct AttachmentNote {
    std::string label = "附件：";                      ///< the lead word and its full-width colon
    std::vector<std::string> names;                    ///< attachment names in order
    TextStyle style{FontRole::FangSong, 16.0, false};  ///< face and size
    ParagraphFormat format;                            ///< first-line indent (2 characters), spacing, grid

    /// Per attachment, its line's number and name: {"1.", "名称"}; the number is empty when
    /// there is only one attachment. The first line is preceded by `label`.
    std::vector<std::pair<std::string, std::string>> items() const;
};

/// Vertical white space; dropped at the top of a page.
struct Spacer {
    double heightMm = 5.0;  ///< height
};

/// Starts a new page.
struct PageBreak {};

/// One block of the document's flow.
using Block = std::variant<Heading, Paragraph, Table, Signature, Spacer, PageBreak, AttachmentNote>;

/// An RGB colour, components 0..1.
struct Color {
    double r = 0.0;  ///< red
    double g = 0.0;  ///< green
    double b = 0.0;  ///< blue
};

/// The 版头 of a GB/T 9704-2012 信函格式 letter (10.1), on the first page only: the
/// 发文机关标志 centred with its top edge `markTopMm` below the paper's top, a red double
/// rule (thick over thin) `ruleGapMm` below it and a second one (thin over thick) with its
/// bottom `bottomRuleMm` above the paper's bottom, both `ruleLengthMm` long and centred; the
/// 发文字号 flush right under the first rule, 7/8 of a 3号 character's height below it. The
/// flow starts below the 发文字号. With `printed` false (paper with a preprinted letterhead)
/// nothing of the 版头 is drawn but the 发文字号, and the space is kept.
struct Letterhead {
    std::string mark;                                        ///< 发文机关标志, e.g. "某某县财政局"
    bool printed = true;                                     ///< false: preprinted paper, space kept
    TextStyle markStyle{FontRole::Title, 36.0, false};       ///< face and size of the mark
    Color color{1.0, 0.0, 0.0};                              ///< mark and rules (red)
    double markTopMm = 30.0;                                 ///< mark's top edge from the paper's top edge
    double ruleGapMm = 4.0;                                  ///< mark's bottom edge to the first rule
    double ruleLengthMm = 170.0;                             ///< length of both rules
    double bottomRuleMm = 20.0;                              ///< second rule's bottom edge above the paper's bottom
    double thickRuleMm = 0.8;                                ///< the thick line of a double rule
    double thinRuleMm = 0.3;                                 ///< the thin line
    double ruleSpacingMm = 0.6;                              ///< white space between the two lines
    std::string number;                                      ///< 发文字号, e.g. "某财绩函〔2025〕3号"; may be empty
    TextStyle numberStyle{FontRole::FangSong, 16.0, false};  ///< face and size of the 发文字号
};

/// One line of a 版记 (GB/T 9704-2012 7.4): `left` one character in from the left edge of the
/// type area, `right` (may be empty) one character in from the right edge.
struct ColophonLine {
    std::string left;   ///< e.g. "抄送：县审计局。" or "某某县财政局办公室"
    std::string right;  ///< e.g. "2025年3月5日印发"
};

/// 版记 at the foot of the last page's type area (a new page when the last has no room).
/// GB/T 9704-2012 7.4.1: separator rules as wide as the type area, a thick one above the first
/// line and one whose bottom is the type area's bottom edge, thin ones between the lines;
/// 10.1 (信函格式, `rules` false): the lines alone.
struct Colophon {
    std::vector<ColophonLine> lines;                   ///< top to bottom
    bool rules = true;                                 ///< the separator rules (分隔线)
    TextStyle style{FontRole::FangSong, 14.0, false};  ///< 4号仿宋
    double lineHeightPt = 24.0;                        ///< baseline distance
    double thickRuleMm = 0.35;                         ///< the first and the last rule
    double thinRuleMm = 0.25;                          ///< the rules between lines
};

/// Running header and footer.
struct HeaderFooter {
    std::string headerText;                                    ///< centred above the type area; empty = none
    PageNumberStyle pageNumbers = PageNumberStyle::OfTotal;    ///< footer page number text
    PageNumberPosition position = PageNumberPosition::Center;  ///< where on the line
    bool skipFirstPage = false;                                ///< no number on page 1 (GB/T 9704 letters)
    TextStyle style{FontRole::Body, 10.5, false};              ///< face and size of header and numbers
    double distanceMm = 7.0;                                   ///< gap between type area and the number line (GB/T 9704: 7)
};

/// A whole document: properties, page setup and the flow of blocks.
struct Document {
    Metadata meta;                         ///< properties
    PageSetup page;                        ///< paper and margins
    HeaderFooter headerFooter;             ///< header text and page numbers
    std::vector<Block> blocks;             ///< the flow, top to bottom
    std::optional<Letterhead> letterhead;  ///< 信函格式 版头 on page 1
    std::optional<Colophon> colophon;      ///< 版记 at the foot of the last page
    /// Printed large, light and diagonally under the content of every page (e.g. "草稿");
    /// empty = none.
    std::string watermark;
};

/// Kinds of chart a spreadsheet sheet can carry.
enum class ChartType {
    Column,  ///< vertical bars (e.g. 等级分布)
    Bar,     ///< horizontal bars (e.g. 各部门预算执行率)
    Pie,     ///< shares of a whole; only the first series is drawn
};

/// One data series of a chart.
struct ChartSeries {
    std::string name;    ///< legend text, e.g. "项目数"
    std::string values;  ///< cells of the same sheet: "{id}", "{prefix*}" or an A1 range "C2:C9"
};

/// A chart drawn from cells of its own sheet (XLSX only). Ranges must be contiguous.
struct Chart {
    ChartType type = ChartType::Column;  ///< kind of chart
    std::string title;                   ///< chart title, e.g. "绩效等级分布"
    std::string categories;              ///< category labels, written like ChartSeries::values
    std::vector<ChartSeries> series;     ///< at least one
};

/// One sheet of a workbook: a flow like a Document's, plus spreadsheet-only options.
struct Sheet {
    std::string name;           ///< tab name; forbidden characters and excess length are fixed by the renderer
    Document flow;              ///< page setup, header/footer and blocks (flow.meta is not used)
    bool autofilter = false;    ///< filter buttons on the last header row of the sheet's first table
    int freezeRows = -1;        ///< rows kept in view; -1 = below the header rows when the flow has one table
    std::vector<Chart> charts;  ///< drawn below the flow, one under the other
};

/// A multi-sheet spreadsheet (the 汇总表): properties and sheets in tab order.
struct Workbook {
    Metadata meta;              ///< properties
    std::vector<Sheet> sheets;  ///< at least one
};

/// Receives a workbook as it is built: its properties first, then each sheet in tab order,
/// so that a renderer can write and release a sheet before the next one is built (a
/// province's summary is never held whole).
///
/// A sheet whose size grows with the data (the summary's 全部项目: a row per project) comes in
/// parts instead: beginSheet, then its flow's blocks in order, a long table's rows in runs
/// (tableRows) after the block that starts it, then endSheet. No rowspan crosses from one run
/// into the next. A sink that writes rows as they come overrides the four; by default they
/// put the sheet together and hand it to sheet().
class WorkbookSink {
public:
    virtual ~WorkbookSink() = default;
    virtual void properties(const Metadata& meta) = 0;
    virtual void sheet(Sheet&& sheet) = 0;

    /// A sheet's start: `head` with everything but its flow's blocks; `tables` the tables (no
    /// rows) its flow will hold, in order, whose column widths make the sheet's grid.
    virtual void beginSheet(Sheet&& head, std::vector<Table> tables);
    /// The next blocks of the flow; the last may be a table whose further rows follow.
    virtual void blocks(std::vector<Block>&& blocks);
    /// More rows of the table that ended the last blocks().
    virtual void tableRows(std::vector<TableRow>&& rows);
    /// The sheet is complete.
    virtual void endSheet();

private:
    Sheet pending_;  // the default parts: the sheet put together
};

/// Millimetres to PDF points (1/72 inch).
constexpr double mmToPt(double mm) { return mm * 72.0 / 25.4; }

}  // namespace jixiao::layout
