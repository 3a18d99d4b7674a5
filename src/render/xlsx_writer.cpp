#include "render/xlsx_writer.h"

#include "render/render_error.h"
#include "model/text.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <deque>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <tuple>
#include <unistd.h>
#include <utility>
#include <vector>

namespace jixiao::render {

using model::appendUtf8;
using model::decodeUtf8;
using model::encodeUtf8;

namespace {

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
constexpr double kMaxRowHeightPt = 409.0;   // Excel's limit
constexpr double kDefaultRowHeightPt = 15.0;  // rows below the flow (libxlsxwriter 1.1.4's default)
constexpr double kDefaultRowHeightPx = 20.0;
constexpr int kMaxPageBreaks = 1023;        // Excel's limit
constexpr double kA4ShortMm = 210.0;
constexpr double kA4LongMm = 297.0;
constexpr lxw_color_t kHeaderFill = 0xD9D9D9;

double ptFromMm(double mm) { return layout::mmToPt(mm); }

/// Excel column width (characters) for a width in millimetres.
double columnCharsFromMm(double mm) {
    const double px = mm * kPxPerMm;
    // Below 12 px Excel's width is px / 12 characters (no padding).
    return px < 12.0 ? px / 12.0 : (px - 5.0) / 7.0;
}

// Windows faces every Chinese Office installation has; LibreOffice substitutes by glyph.
const char* fontName(FontRole role) {
    switch (role) {
    case FontRole::Title: return "黑体";
    case FontRole::Heading: return "黑体";
    case FontRole::Kai: return "楷体";
    case FontRole::Body: break;
    }
    return "宋体";
}

// ---------------------------------------------------------------------------------------
// Text: sanitising and width estimates.

/// Valid UTF-8 without the C0 controls XML 1.0 forbids (tab and newline stay).
std::string cleanText(const std::string& text) {
    std::u32string cps = decodeUtf8(text);
    std::u32string kept;
    kept.reserve(cps.size());
    for (char32_t cp : cps) {
        if (cp == U'\r') continue;
        if (cp < 0x20 && cp != U'\n' && cp != U'\t') continue;
        kept.push_back(cp);
    }
    return encodeUtf8(kept);
}

/// East Asian Wide and Fullwidth characters occupy one em; everything else about half.
bool isWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD) ||
           cp == 0x2014 || cp == 0x2026;  // — and … are set full width in CJK faces
}

/// Width of one line of text in ems.
double lineEms(std::u32string_view line) {
    double ems = 0.0;
    for (char32_t cp : line) ems += isWide(cp) ? 1.0 : 0.55;
    return ems;
}

/// Lines the text takes when wrapped in a cell `widthPt` wide at `sizePt` (at least 1).
/// Excel keeps about 2 px of each side of a cell free; CJK wraps anywhere at exactly one em
/// per character, Latin at spaces, which the 0.55 em per narrow character allows for.
int wrappedLines(const std::string& text, double widthPt, double sizePt, bool wrap) {
    const std::u32string cps = decodeUtf8(text);
    int lines = 0;
    size_t start = 0;
    while (true) {
        const size_t end = cps.find(U'\n', start);
        const std::u32string_view line(cps.data() + start,
                                       (end == std::u32string::npos ? cps.size() : end) - start);
        const double usable = std::max((widthPt - 4.0) * 0.98, sizePt);
        lines += wrap ? std::max(1, static_cast<int>(std::ceil(lineEms(line) * sizePt / usable)))
                      : 1;
        if (end == std::u32string::npos) break;
        start = end + 1;
    }
    return lines;
}

/// Number of UTF-16 code units (Excel's unit for the 31-character sheet name limit).
size_t utf16Length(std::u32string_view s) {
    size_t n = 0;
    for (char32_t cp : s) n += cp > 0xFFFF ? 2 : 1;
    return n;
}

std::u32string truncateUtf16(std::u32string s, size_t limit) {
    while (utf16Length(s) > limit) s.pop_back();
    return s;
}

std::string asciiLower(std::string s) {
    for (char& ch : s) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return s;
}

// ---------------------------------------------------------------------------------------
// The libxlsxwriter boundary: every lxw_error becomes a RenderError naming the operation.

void check(lxw_error err, const std::string& what) {
    if (err != LXW_NO_ERROR) {
        throw RenderError("libxlsxwriter error " + std::to_string(static_cast<int>(err)) + " (" +
                          lxw_strerror(err) + ") in " + what);
    }
}

std::string cellName(int row, int col) {
    char buf[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(buf, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col));
    return buf;
}

/// The one file libxlsxwriter writes; removed when the rendering ends, however it ends.
class TempFile {
public:
    explicit TempFile(const std::string& dir) {
        std::string pattern = (dir.empty() ? std::string("/tmp") : dir) + "/jixiao-xlsx-XXXXXX";
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        const int fd = ::mkstemp(buf.data());
        if (fd < 0) {
            throw RenderError("cannot create a temporary file " + pattern + " (" +
                              std::generic_category().message(errno) + ")");
        }
        ::close(fd);
        path_ = buf.data();
    }
    ~TempFile() { std::remove(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }

    std::string read() const {
        std::ifstream in(path_, std::ios::binary);
        if (!in) throw RenderError("cannot read back the temporary file " + path_);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (!in && !in.eof()) throw RenderError("cannot read back the temporary file " + path_);
        return bytes.str();
    }

private:
    std::string path_;
};

/// Frees an unclosed workbook when rendering throws half way (workbook_close frees it itself).
struct WorkbookGuard {
    lxw_workbook* book = nullptr;
    ~WorkbookGuard() {
        if (book != nullptr) lxw_workbook_free(book);
    }
};

// ---------------------------------------------------------------------------------------
// Formats: one lxw_format per distinct look, created in first-use order (deterministic).

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

class FormatCache {
public:
    explicit FormatCache(lxw_workbook* book) : book_(book) {}

    lxw_format* get(const Style& style) {
        auto it = formats_.find(style);
        if (it != formats_.end()) return it->second;
        lxw_format* f = workbook_add_format(book_);
        if (f == nullptr) throw RenderError("libxlsxwriter could not create a cell format (out of memory)");
        format_set_font_name(f, style.font.c_str());
        format_set_font_size(f, style.sizePt);
        if (style.bold) format_set_bold(f);
        format_set_align(f, style.align);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        // Text wraps; a number never does, and shrinks instead of showing "###" when the
        // template's column is a little too narrow for it.
        if (style.wrap) {
            format_set_text_wrap(f);
        } else {
            format_set_shrink(f);
        }
        if (style.border) format_set_border(f, LXW_BORDER_THIN);
        if (style.fill) {
            format_set_pattern(f, LXW_PATTERN_SOLID);
            format_set_bg_color(f, kHeaderFill);
        }
        if (!style.numberFormat.empty()) format_set_num_format(f, style.numberFormat.c_str());
        formats_.emplace(style, f);
        return f;
    }

private:
    lxw_workbook* book_;
    std::map<Style, lxw_format*> formats_;
};

// ---------------------------------------------------------------------------------------
// Sheet plan: where everything goes, computed before anything is written so formulas can
// name cells placed after them.

/// A rectangle of the sheet (0-based, inclusive).
struct Area {
    int row = 0;
    int col = 0;
    int lastRow = 0;
    int lastCol = 0;
};

struct Item {
    Area area;
    std::string text;              // cleaned; what string cells show
    const Cell* cell = nullptr;    // table cells only
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
    std::vector<double> columnMm;          // grid
    std::vector<double> rowPt;             // one per sheet row
    std::vector<Item> items;
    std::vector<int> pageBreaks;           // rows that start a new page
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

struct PageGeometry {
    double widthMm = kA4ShortMm;
    double typeWidthMm = kA4ShortMm - 50.0;
};

PageGeometry geometryOf(const layout::PageSetup& page) {
    PageGeometry g;
    g.widthMm = page.orientation == layout::Orientation::Landscape ? kA4LongMm : kA4ShortMm;
    g.typeWidthMm = std::max(20.0, g.widthMm - page.marginsMm.left - page.marginsMm.right);
    return g;
}

/// Column edges of a table in millimetres from the type area's left edge, as the PDF draws it.
std::vector<double> tableEdgesMm(const Table& table, double typeWidthMm) {
    double total = 0.0;
    for (double w : table.columnWidths) total += w;
    double scale = 1.0;
    if (table.widthUnit == layout::WidthUnit::Relative) {
        scale = total > 0.0 ? typeWidthMm / total : 1.0;
    } else if (total > typeWidthMm) {
        scale = typeWidthMm / total;
    }
    std::vector<double> edges{0.0};
    double x = 0.0;
    for (double w : table.columnWidths) {
        x += w * scale;
        edges.push_back(x);
    }
    return edges;
}

// Edges closer than this are one grid line (relative widths give the same edges up to
// rounding noise; anything visible stays apart).
constexpr double kEdgeToleranceMm = 0.05;

// A grid narrower than the type area by more than this gets a filler column, so headings
// and signatures still reach the type area's right edge.
constexpr double kFillerMinMm = 2.0;

/// The union of all tables' column edges, plus the type area's right edge when the tables are
/// narrower; with no table, one column over the type area.
std::vector<double> gridEdges(const Document& doc, double typeWidthMm) {
    std::vector<double> all{0.0};
    double widest = 0.0;
    for (const layout::Block& block : doc.blocks) {
        if (const auto* table = std::get_if<Table>(&block)) {
            if (table->columnWidths.empty()) continue;  // placeCells reports it
            std::vector<double> e = tableEdgesMm(*table, typeWidthMm);
            widest = std::max(widest, e.back());
            all.insert(all.end(), e.begin() + 1, e.end());
        }
    }
    if (widest < typeWidthMm - kFillerMinMm) all.push_back(typeWidthMm);
    std::sort(all.begin(), all.end());
    std::vector<double> edges;
    for (double e : all) {
        if (edges.empty() || e - edges.back() > kEdgeToleranceMm) edges.push_back(e);
    }
    return edges;
}

int gridIndex(const std::vector<double>& edges, double mm) {
    auto it = std::lower_bound(edges.begin(), edges.end(), mm - kEdgeToleranceMm);
    return static_cast<int>(it - edges.begin());
}

uint8_t lxwAlign(Align align, bool number, bool paragraph) {
    switch (align) {
    case Align::Left: return LXW_ALIGN_LEFT;
    case Align::Center: return LXW_ALIGN_CENTER;
    case Align::Right: return LXW_ALIGN_RIGHT;
    case Align::Justify: return paragraph ? LXW_ALIGN_JUSTIFY : LXW_ALIGN_LEFT;
    case Align::Auto: break;
    }
    if (paragraph) return LXW_ALIGN_JUSTIFY;
    return number ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT;
}

double lineHeightPt(const layout::LineSpacing& spacing, double sizePt) {
    // Excel and LibreOffice set each line at the face's own height (~1.3 em); a larger
    // spacing only adds room, a smaller one must not clip.
    const double natural = sizePt * 1.35;
    const double asked = spacing.mode == layout::LineSpacing::Mode::Exact ? spacing.value
                                                                          : spacing.value * sizePt;
    return std::max(natural, asked);
}

std::string ideographicSpaces(double chars) {
    std::string s;
    for (int i = 0; i < static_cast<int>(std::lround(chars)); ++i) s += "\u3000";
    return s;
}

class Planner {
public:
    Planner(const Document& doc, const std::string& sheetName) : doc_(doc), sheet_(sheetName) {}

    SheetPlan plan() {
        const PageGeometry geo = geometryOf(doc_.page);
        typeWidthMm_ = geo.typeWidthMm;
        edges_ = gridEdges(doc_, typeWidthMm_);
        for (size_t i = 1; i < edges_.size(); ++i) plan_.columnMm.push_back(edges_[i] - edges_[i - 1]);

        bool previousWasTable = false;
        double previousSpaceAfterPt = 0.0;
        for (const layout::Block& block : doc_.blocks) {
            const bool isTable = std::holds_alternative<Table>(block);
            if (isTable && previousWasTable) {
                const double gap = std::max(previousSpaceAfterPt, std::get<Table>(block).spaceBeforePt);
                if (gap > 0.0) plan_.addRow(gap);
            }
            std::visit([this](const auto& b) { add(b); }, block);
            previousWasTable = isTable;
            previousSpaceAfterPt = isTable ? std::get<Table>(block).spaceAfterPt : 0.0;
        }
        return std::move(plan_);
    }

private:
    /// A row merged across the whole grid.
    void addFlowRow(const std::string& text, const layout::TextStyle& style, uint8_t align,
                    const layout::LineSpacing& spacing, double extraPt) {
        Item item;
        item.text = cleanText(text);
        item.style.font = fontName(style.role);
        item.style.sizePt = style.sizePt;
        item.style.bold = style.bold;
        item.style.align = align;
        const double width = plan_.widthPt(0, plan_.lastColumn());
        const int lines = wrappedLines(item.text, width, style.sizePt, true);
        const int row = plan_.addRow(lines * lineHeightPt(spacing, style.sizePt) + extraPt);
        item.area = Area{row, 0, row, plan_.lastColumn()};
        plan_.items.push_back(std::move(item));
    }

    void add(const layout::Heading& h) {
        addFlowRow(h.text, h.style, lxwAlign(h.format.align, false, true), h.format.lineSpacing,
                   h.format.spaceBeforePt + h.format.spaceAfterPt);
    }

    void add(const layout::Paragraph& p) {
        layout::TextStyle style = p.style;
        // The sheet has one style per cell; a paragraph made only of bold runs is bold.
        bool allBold = !p.runs.empty();
        for (const layout::Run& run : p.runs) allBold = allBold && run.bold;
        style.bold = style.bold || allBold;
        addFlowRow(ideographicSpaces(p.format.firstLineIndentChars) + p.text(), style,
                   lxwAlign(p.format.align, false, true), p.format.lineSpacing,
                   p.format.spaceBeforePt + p.format.spaceAfterPt);
    }

    void add(const layout::Signature& s) {
        const double lineH = lineHeightPt(s.lineSpacing, s.style.sizePt);
        for (int i = 0; i < static_cast<int>(std::lround(s.spaceBeforeLines)); ++i) plan_.addRow(lineH);
        // GB/T 9704 7.3.5: the date ends `rightIndentChars` from the right edge and the lines
        // above are centred on it; right-aligned text padded with ideographic spaces does that.
        const double lastEms = s.lines.empty() ? 0.0 : lineEms(decodeUtf8(s.lines.back()));
        for (size_t i = 0; i < s.lines.size(); ++i) {
            double pad = s.rightIndentChars;
            if (i + 1 < s.lines.size()) pad += (lastEms - lineEms(decodeUtf8(s.lines[i]))) / 2.0;
            addFlowRow(s.lines[i] + ideographicSpaces(std::max(0.0, pad)), s.style, LXW_ALIGN_RIGHT,
                       s.lineSpacing, 0.0);
        }
    }

    void add(const layout::Spacer& s) { plan_.addRow(ptFromMm(s.heightMm)); }

    void add(const layout::PageBreak&) {
        const int next = static_cast<int>(plan_.rowPt.size());
        if (next > 0 && (plan_.pageBreaks.empty() || plan_.pageBreaks.back() != next)) {
            plan_.pageBreaks.push_back(next);
        }
    }

    void add(const Table& table) {
        const std::vector<layout::PlacedCell> placed = layout::placeCells(table);
        const std::vector<double> edges = tableEdgesMm(table, typeWidthMm_);
        std::vector<int> gridCol;  // table column edge -> grid edge
        for (double e : edges) gridCol.push_back(gridIndex(edges_, e));
        for (size_t c = 0; c + 1 < gridCol.size(); ++c) {
            if (gridCol[c + 1] <= gridCol[c]) {
                throw RenderError("sheet \"" + sheet_ + "\": table column " + std::to_string(c + 1) +
                                  " is too narrow for a spreadsheet column");
            }
        }

        const int firstRow = static_cast<int>(plan_.rowPt.size());
        const int rows = static_cast<int>(table.rows.size());
        const double padPt = std::min(ptFromMm(table.cellPaddingMm), 3.0);
        const double lineSpacing = std::max(table.lineSpacing, 1.35);

        std::vector<double> heights(static_cast<size_t>(rows), 0.0);
        for (int r = 0; r < rows; ++r) {
            const double size = table.style.sizePt;
            heights[static_cast<size_t>(r)] =
                std::max(ptFromMm(table.rows[static_cast<size_t>(r)].minHeightMm), size * 1.35 + 2 * padPt);
        }

        struct Need {
            int row;
            int rowspan;
            double pt;
        };
        std::vector<Need> spanning;
        for (const layout::PlacedCell& pc : placed) {
            const Cell& cell = *pc.cell;
            const bool header = pc.row < table.headerRows;
            Item item;
            item.cell = &cell;
            item.text = cleanText(cell.text);
            item.area = Area{firstRow + pc.row, gridCol[static_cast<size_t>(pc.column)],
                             firstRow + pc.row + cell.rowspan - 1,
                             gridCol[static_cast<size_t>(pc.column + cell.colspan)] - 1};
            Style& st = item.style;
            st.font = fontName(cell.role.value_or(table.style.role));
            st.sizePt = cell.sizePt.value_or(table.style.sizePt);
            st.bold = cell.bold || table.style.bold || header;
            st.align = header && cell.align == Align::Auto ? static_cast<uint8_t>(LXW_ALIGN_CENTER)
                                                           : lxwAlign(cell.align, cell.number, false);
            st.border = true;
            st.fill = header;
            const bool numeric = cell.value.has_value() || !cell.formula.empty();
            st.wrap = !numeric;
            if (numeric) st.numberFormat = cell.numberFormat;

            const double width = plan_.widthPt(item.area.col, item.area.lastCol);
            const int lines = wrappedLines(item.text, width, st.sizePt, st.wrap);
            const double need = lines * st.sizePt * lineSpacing + 2 * padPt;
            if (cell.rowspan == 1) {
                double& h = heights[static_cast<size_t>(pc.row)];
                h = std::max(h, need);
            } else {
                spanning.push_back(Need{pc.row, cell.rowspan, need});
            }

            if (!cell.id.empty()) {
                if (!plan_.ids.emplace(cell.id, item.area).second) {
                    throw RenderError("sheet \"" + sheet_ + "\": duplicate cell id \"" + cell.id + "\"");
                }
                plan_.idOrder.emplace_back(cell.id, item.area);
            }
            plan_.items.push_back(std::move(item));
        }
        // Merged cells: spread what the spanned rows lack evenly over them.
        for (const Need& n : spanning) {
            double have = 0.0;
            for (int r = n.row; r < n.row + n.rowspan; ++r) have += heights[static_cast<size_t>(r)];
            if (n.pt > have) {
                const double extra = (n.pt - have) / n.rowspan;
                for (int r = n.row; r < n.row + n.rowspan; ++r) heights[static_cast<size_t>(r)] += extra;
            }
        }
        for (double h : heights) plan_.addRow(h);
        plan_.tables.push_back(TablePlacement{firstRow, table.headerRows, rows, gridCol.front(),
                                              gridCol.back() - 1});
    }

    const Document& doc_;
    const std::string& sheet_;
    double typeWidthMm_ = 0.0;
    std::vector<double> edges_;
    SheetPlan plan_;
};

// ---------------------------------------------------------------------------------------
// References: "{id}" and "{prefix*}" in formulas and chart ranges.

bool isIdStart(char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' || u >= 0x80;
}

/// A "{…}" body that names cells (array constants such as {1,2} are left alone).
bool isReference(const std::string& body) {
    if (body.empty() || !isIdStart(body[0])) return false;
    for (char ch : body) {
        if (ch == ',' || ch == ';' || ch == '"' || ch == ' ' || ch == '{') return false;
    }
    return true;
}

class Resolver {
public:
    Resolver(const SheetPlan& plan, const std::string& sheet) : plan_(plan), sheet_(sheet) {}

    /// The cells a reference names, in sheet order; `context` names the formula or chart.
    std::vector<Area> cells(const std::string& body, const std::string& context) const {
        std::vector<Area> found;
        if (!body.empty() && body.back() == '*') {
            const std::string prefix = body.substr(0, body.size() - 1);
            for (const auto& [id, area] : plan_.idOrder) {
                if (id.compare(0, prefix.size(), prefix) == 0) found.push_back(area);
            }
            if (found.empty()) {
                throw RenderError(context + " on sheet \"" + sheet_ + "\": no cell id starts with \"" +
                                  prefix + "\"");
            }
            return found;
        }
        auto it = plan_.ids.find(body);
        if (it == plan_.ids.end()) {
            throw RenderError(context + " on sheet \"" + sheet_ + "\" references unknown cell id \"" +
                              body + "\"");
        }
        found.push_back(it->second);
        return found;
    }

    /// The cells as one rectangle when they tile a single column or row without gaps.
    static std::optional<Area> contiguous(const std::vector<Area>& cells) {
        bool column = true;
        bool row = true;
        for (size_t i = 1; i < cells.size(); ++i) {
            const Area& a = cells[i - 1];
            const Area& b = cells[i];
            column = column && b.col == a.col && b.row == a.lastRow + 1;
            row = row && b.row == a.row && b.col == a.lastCol + 1;
        }
        if (!column && !row) return std::nullopt;
        return Area{cells.front().row, cells.front().col, cells.back().row, cells.back().col};
    }

    std::string formula(const std::string& text) const {
        const std::string context = "formula \"" + text + "\"";
        std::string out;
        bool inString = false;
        for (size_t i = 0; i < text.size(); ++i) {
            const char ch = text[i];
            if (ch == '"') inString = !inString;
            if (ch == '{' && !inString) {
                const size_t close = text.find('}', i + 1);
                if (close != std::string::npos) {
                    const std::string body = text.substr(i + 1, close - i - 1);
                    if (isReference(body)) {
                        out += a1(cells(body, context));
                        i = close;
                        continue;
                    }
                }
            }
            out += ch;
        }
        return out;
    }

    /// A chart range: a reference or an explicit A1 range, always one rectangle.
    Area range(const std::string& spec, const std::string& context) const {
        if (spec.size() > 2 && spec.front() == '{' && spec.back() == '}') {
            const std::vector<Area> found = cells(spec.substr(1, spec.size() - 2), context);
            std::optional<Area> area = contiguous(found);
            if (!area) {
                throw RenderError(context + " on sheet \"" + sheet_ + "\": the cells of " + spec +
                                  " are not one block of a column or row");
            }
            return *area;
        }
        std::optional<Area> area = parseA1Range(spec);
        if (!area) {
            throw RenderError(context + " on sheet \"" + sheet_ + "\": \"" + spec +
                              "\" is neither a {cell id} nor an A1 range");
        }
        return *area;
    }

private:
    static std::string a1(const std::vector<Area>& cells) {
        if (cells.size() == 1) return cellName(cells.front().row, cells.front().col);
        if (std::optional<Area> area = contiguous(cells)) {
            return cellName(area->row, area->col) + ":" + cellName(area->lastRow, area->lastCol);
        }
        std::string list;
        for (const Area& a : cells) {
            if (!list.empty()) list += ',';
            list += cellName(a.row, a.col);
        }
        return list;
    }

    static std::optional<std::pair<int, int>> parseA1(const std::string& s) {
        size_t i = 0;
        if (i < s.size() && s[i] == '$') ++i;
        long col = 0;
        const size_t colStart = i;
        while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z' && col < 100000) col = col * 26 + (s[i++] - 'A' + 1);
        if (i == colStart) return std::nullopt;
        if (i < s.size() && s[i] == '$') ++i;
        long row = 0;
        const size_t rowStart = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9' && row < 10000000) row = row * 10 + (s[i++] - '0');
        if (i == rowStart || i != s.size() || row < 1) return std::nullopt;
        if (row > LXW_ROW_MAX || col > LXW_COL_MAX) return std::nullopt;
        return std::make_pair(static_cast<int>(row - 1), static_cast<int>(col - 1));
    }

    static std::optional<Area> parseA1Range(const std::string& spec) {
        const size_t colon = spec.find(':');
        const auto first = parseA1(spec.substr(0, colon));
        const auto last = colon == std::string::npos ? first : parseA1(spec.substr(colon + 1));
        if (!first || !last) return std::nullopt;
        return Area{std::min(first->first, last->first), std::min(first->second, last->second),
                    std::max(first->first, last->first), std::max(first->second, last->second)};
    }

    const SheetPlan& plan_;
    const std::string& sheet_;
};

// ---------------------------------------------------------------------------------------
// Writing one sheet.

struct SheetInput {
    std::string name;  // final tab name
    const Document* flow = nullptr;
    bool autofilter = false;
    int freezeRows = -1;
    const std::vector<Chart>* charts = nullptr;
};

/// Header/footer text: "&" is Excel's control character and must be doubled.
std::string escapeHeaderText(const std::string& text) {
    std::string out;
    for (char ch : text) {
        out += ch;
        if (ch == '&') out += '&';
    }
    return out;
}

uint8_t chartType(ChartType type) {
    switch (type) {
    case ChartType::Bar: return LXW_CHART_BAR;
    case ChartType::Pie: return LXW_CHART_PIE;
    case ChartType::Column: break;
    }
    return LXW_CHART_COLUMN;
}

/// A range of sheet rows (0-based, inclusive).
struct Rows {
    int first = 0;
    int last = 0;
};

double typeAreaHeightPt(const layout::PageSetup& page) {
    const double heightMm = page.orientation == layout::Orientation::Landscape ? kA4ShortMm : kA4LongMm;
    return ptFromMm(std::max(20.0, heightMm - page.marginsMm.top - page.marginsMm.bottom));
}

double rowsHeightPt(const SheetPlan& plan, int first, int last) {
    double pt = 0.0;
    for (int r = first; r <= last; ++r) pt += plan.rowPt[static_cast<size_t>(r)];
    return pt;
}

/// The height the flow fills on its last printed page, paginated the way spreadsheets do:
/// whole rows, manual breaks, print titles at the top of every page after their own.
double usedOnLastPage(const SheetPlan& plan, double pagePt, const std::optional<Rows>& titles) {
    const double titlesPt = titles ? rowsHeightPt(plan, titles->first, titles->last) : 0.0;
    double used = 0.0;
    size_t nextBreak = 0;
    for (int r = 0; r < static_cast<int>(plan.rowPt.size()); ++r) {
        const double h = plan.rowPt[static_cast<size_t>(r)];
        const double top = titles && r > titles->last ? titlesPt : 0.0;
        const bool manual = nextBreak < plan.pageBreaks.size() && plan.pageBreaks[nextBreak] == r;
        if (manual) ++nextBreak;
        if (manual || (used + h > pagePt && used > top)) used = top;
        used += h;
    }
    return used;
}

class SheetWriter {
public:
    SheetWriter(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep)
        : book_(book), formats_(formats), keep_(keep) {}

    void write(const SheetInput& in) {
        const std::string& name = in.name;
        const Document& doc = *in.flow;
        SheetPlan plan = Planner(doc, name).plan();
        const Resolver resolver(plan, name);
        const std::string where = "sheet \"" + name + "\"";

        lxw_worksheet* ws = workbook_add_worksheet(book_, keep(name));
        if (ws == nullptr) throw RenderError("libxlsxwriter could not add " + where);

        for (size_t c = 0; c < plan.columnMm.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            check(worksheet_set_column(ws, col, col, columnCharsFromMm(plan.columnMm[c]), nullptr),
                  "setting the column widths of " + where);
        }
        for (size_t r = 0; r < plan.rowPt.size(); ++r) {
            check(worksheet_set_row(ws, static_cast<lxw_row_t>(r), plan.rowPt[r], nullptr),
                  "setting the row heights of " + where);
        }
        for (const Item& item : plan.items) writeItem(ws, item, resolver, where);

        const std::optional<Rows> titles = printTitles(plan);
        printSetup(ws, doc, titles, where);
        views(ws, in, plan, where);
        std::vector<int> breaks = plan.pageBreaks;
        if (in.charts != nullptr && !in.charts->empty()) {
            const std::vector<int> more = charts(ws, in, plan, resolver, titles);
            breaks.insert(breaks.end(), more.begin(), more.end());
        }
        pageBreaks(ws, breaks, where);
    }

private:
    const char* keep(std::string s) {
        keep_.push_back(std::move(s));
        return keep_.back().c_str();
    }

    void writeItem(lxw_worksheet* ws, const Item& item, const Resolver& resolver, const std::string& where) {
        lxw_format* f = formats_.get(item.style);
        const Area& a = item.area;
        const auto row = static_cast<lxw_row_t>(a.row);
        const auto col = static_cast<lxw_col_t>(a.col);
        const std::string at = where + " cell " + cellName(a.row, a.col);
        const Cell* cell = item.cell;
        const bool formula = cell != nullptr && !cell->formula.empty();
        const bool number = cell != nullptr && !formula && cell->value.has_value();
        const bool merged = a.lastRow > a.row || a.lastCol > a.col;
        if (merged) {
            // A merge writes its first cell as a string; numbers and formulas overwrite it with
            // the same format, as libxlsxwriter's documentation prescribes.
            check(worksheet_merge_range(ws, row, col, static_cast<lxw_row_t>(a.lastRow),
                                        static_cast<lxw_col_t>(a.lastCol),
                                        formula || number ? "" : item.text.c_str(), f),
                  "merging " + cellName(a.row, a.col) + ":" + cellName(a.lastRow, a.lastCol) + " of " + where);
        }
        if (formula) {
            const std::string resolved = resolver.formula(cell->formula);
            const double cached = cell->value ? cell->value->toDouble() : 0.0;
            check(worksheet_write_formula_num(ws, row, col, resolved.c_str(), f, cached), "writing the formula of " + at);
        } else if (number) {
            check(worksheet_write_number(ws, row, col, cell->value->toDouble(), f), "writing the number of " + at);
        } else if (!merged) {
            check(worksheet_write_string(ws, row, col, item.text.c_str(), f), "writing the text of " + at);
        }
    }

    /// Print titles: the header rows of the longest table, the one that runs over pages. A
    /// sheet has one print-title range and it repeats on every later page, so a table
    /// followed by a page break (more document after it) gets none.
    static std::optional<Rows> printTitles(const SheetPlan& plan) {
        const TablePlacement* longest = nullptr;
        for (const TablePlacement& t : plan.tables) {
            if (t.headerRows > 0 && (longest == nullptr || t.rows > longest->rows)) longest = &t;
        }
        if (longest == nullptr) return std::nullopt;
        if (!plan.pageBreaks.empty() && plan.pageBreaks.back() >= longest->firstRow + longest->rows) {
            return std::nullopt;
        }
        return Rows{longest->firstRow, longest->firstRow + longest->headerRows - 1};
    }

    void printSetup(lxw_worksheet* ws, const Document& doc, const std::optional<Rows>& titles,
                    const std::string& where) {
        worksheet_set_paper(ws, 9);  // A4
        if (doc.page.orientation == layout::Orientation::Landscape) {
            worksheet_set_landscape(ws);
        } else {
            worksheet_set_portrait(ws);
        }
        const layout::Margins& m = doc.page.marginsMm;
        worksheet_set_margins(ws, m.left / 25.4, m.right / 25.4, m.top / 25.4, m.bottom / 25.4);

        // One page wide, height automatic (fitToHeight 0). The grid matches the type area in
        // Excel's metrics already, but LibreOffice measures columns with its own default font
        // (without Carlito, about 1.3 times wider). LibreOffice 7.4 keeps manual row breaks
        // under this setting; a fixed page count in both directions would drop them.
        worksheet_fit_to_pages(ws, 1, 0);
        if (titles) {
            check(worksheet_repeat_rows(ws, static_cast<lxw_row_t>(titles->first),
                                        static_cast<lxw_row_t>(titles->last)),
                  "setting the print titles of " + where);
        }

        const layout::HeaderFooter& hf = doc.headerFooter;
        lxw_header_footer_options header{};
        header.margin = std::max(0.1, (m.top / 2.0) / 25.4);
        if (!hf.headerText.empty()) {
            check(worksheet_set_header_opt(ws, keep("&C" + escapeHeaderText(cleanText(hf.headerText))), &header),
                  "setting the page header of " + where);
        }
        std::string footer;
        switch (hf.pageNumbers) {
        case layout::PageNumberStyle::OfTotal: footer = "&C第 &P 页 共 &N 页"; break;
        case layout::PageNumberStyle::Dashed: footer = "&C— &P —"; break;
        case layout::PageNumberStyle::None: break;
        }
        if (!footer.empty()) {
            lxw_header_footer_options opt{};
            // The number line sits `distanceMm` below the type area, as in the PDF.
            opt.margin = std::max(0.1, (m.bottom - hf.distanceMm - 4.0) / 25.4);
            check(worksheet_set_footer_opt(ws, keep(footer), &opt), "setting the page footer of " + where);
        }
    }

    void pageBreaks(lxw_worksheet* ws, std::vector<int> rows, const std::string& where) {
        if (rows.empty()) return;
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        std::vector<lxw_row_t> breaks;
        for (int r : rows) {
            if (static_cast<int>(breaks.size()) == kMaxPageBreaks) break;
            breaks.push_back(static_cast<lxw_row_t>(r));
        }
        breaks.push_back(0);  // terminator
        check(worksheet_set_h_pagebreaks(ws, breaks.data()), "setting the page breaks of " + where);
    }

    void views(lxw_worksheet* ws, const SheetInput& in, const SheetPlan& plan, const std::string& where) {
        int freeze = in.freezeRows;
        if (freeze < 0) {
            freeze = 0;
            if (plan.tables.size() == 1 && plan.tables.front().headerRows > 0) {
                freeze = plan.tables.front().firstRow + plan.tables.front().headerRows;
            }
        }
        if (freeze > 0) worksheet_freeze_panes(ws, static_cast<lxw_row_t>(freeze), 0);

        if (in.autofilter && !plan.tables.empty()) {
            const TablePlacement& t = plan.tables.front();
            const int headerRow = t.firstRow + std::max(0, t.headerRows - 1);
            check(worksheet_autofilter(ws, static_cast<lxw_row_t>(headerRow), static_cast<lxw_col_t>(t.firstCol),
                                       static_cast<lxw_row_t>(t.firstRow + t.rows - 1),
                                       static_cast<lxw_col_t>(t.lastCol)),
                  "setting the autofilter of " + where);
        }
    }

    /// Inserts the charts below the flow and returns the page breaks that keep each chart on
    /// one printed page (a chart that does not fit the rest of a page starts a new one).
    std::vector<int> charts(lxw_worksheet* ws, const SheetInput& in, const SheetPlan& plan,
                            const Resolver& resolver, const std::optional<Rows>& titles) {
        const double pagePt = typeAreaHeightPt(in.flow->page);
        const double titlesPt = titles ? rowsHeightPt(plan, titles->first, titles->last) : 0.0;
        double used = usedOnLastPage(plan, pagePt, titles);
        std::vector<int> breaks;
        int row = static_cast<int>(plan.rowPt.size());
        double gridMm = 0.0;
        for (double w : plan.columnMm) gridMm += w;
        const double gridPx = gridMm * kPxPerMm;
        int index = 0;
        for (const Chart& spec : *in.charts) {
            ++index;
            const std::string context = "chart " + std::to_string(index) + " \"" + spec.title + "\"";
            if (spec.series.empty()) {
                throw RenderError(context + " on sheet \"" + in.name + "\" has no series");
            }
            lxw_chart* chart = workbook_add_chart(book_, chartType(spec.type));
            if (chart == nullptr) throw RenderError("libxlsxwriter could not create " + context);
            if (!spec.title.empty()) chart_title_set_name(chart, keep(cleanText(spec.title)));

            const Area categories = resolver.range(spec.categories, context);
            const int points = std::max(categories.lastRow - categories.row, categories.lastCol - categories.col) + 1;
            const size_t seriesCount = spec.type == ChartType::Pie ? 1 : spec.series.size();
            for (size_t s = 0; s < seriesCount; ++s) {
                const layout::ChartSeries& cs = spec.series[s];
                const Area values = resolver.range(cs.values, context);
                lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
                if (series == nullptr) throw RenderError("libxlsxwriter could not add a series to " + context);
                chart_series_set_categories(series, keep(in.name), static_cast<lxw_row_t>(categories.row),
                                            static_cast<lxw_col_t>(categories.col),
                                            static_cast<lxw_row_t>(categories.lastRow),
                                            static_cast<lxw_col_t>(categories.lastCol));
                chart_series_set_values(series, keep(in.name), static_cast<lxw_row_t>(values.row),
                                        static_cast<lxw_col_t>(values.col), static_cast<lxw_row_t>(values.lastRow),
                                        static_cast<lxw_col_t>(values.lastCol));
                if (!cs.name.empty()) chart_series_set_name(series, keep(cleanText(cs.name)));
                chart_series_set_labels(series);
                if (spec.type == ChartType::Pie) chart_series_set_labels_percentage(series);
            }
            if (spec.type != ChartType::Pie) {
                if (seriesCount == 1) chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
                // The value axis shows numbers as the cells do (LibreOffice 7.4 ignores the
                // axis' link to the source format and would print 0.862 for 86.20%).
                const std::string format = numberFormatAt(plan, resolver.range(spec.series[0].values, context));
                // libxlsxwriter 1.1.4 swaps the axes of a bar chart: there y_axis is the
                // (vertical) category axis and x_axis the value axis.
                lxw_chart_axis* valueAxis = spec.type == ChartType::Bar ? chart->x_axis : chart->y_axis;
                if (!format.empty()) chart_axis_set_num_format(valueAxis, keep(format));
                if (spec.type == ChartType::Bar) {
                    // Bars read top to bottom in the order of the cells, as in the table; the
                    // value axis stays at the bottom.
                    chart_axis_set_reverse(chart->y_axis);
                    chart_axis_set_crossing_max(chart->y_axis);
                }
            }

            // libxlsxwriter's default chart is 480 × 288 px; as wide as the grid, and a bar chart
            // tall enough for one readable bar per category.
            lxw_chart_options opt{};
            opt.x_scale = std::clamp(gridPx / 480.0, 0.75, 2.5);
            double heightPx = 288.0;
            if (spec.type == ChartType::Bar) heightPx = std::max(heightPx, 80.0 + 24.0 * points * static_cast<double>(seriesCount));
            opt.y_scale = heightPx / 288.0;
            opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;

            // One empty row above each chart; rows below the flow keep the default height.
            row += 1;
            used += kDefaultRowHeightPt;
            const int rows = static_cast<int>(std::ceil(heightPx / kDefaultRowHeightPx));
            const double chartPt = rows * kDefaultRowHeightPt;
            if (used + chartPt > pagePt && used > titlesPt + kDefaultRowHeightPt) {
                // Break above the empty row: a chart anchored on the first row of a page gets
                // its top border drawn at the foot of the previous page by LibreOffice 7.4.
                breaks.push_back(row - 1);
                used = titlesPt + kDefaultRowHeightPt;
            }
            check(worksheet_insert_chart_opt(ws, static_cast<lxw_row_t>(row), 0, chart, &opt),
                  "inserting " + context + " into sheet \"" + in.name + "\"");
            row += rows;
            used += chartPt;
        }
        return breaks;
    }

    static std::string numberFormatAt(const SheetPlan& plan, const Area& area) {
        for (const Item& item : plan.items) {
            if (item.area.row == area.row && item.area.col == area.col) return item.style.numberFormat;
        }
        return {};
    }

    lxw_workbook* book_;
    FormatCache& formats_;
    std::deque<std::string>& keep_;
};

// ---------------------------------------------------------------------------------------
// Dates: FixedDate is local time at utcOffsetMinutes; libxlsxwriter wants a UTC time_t.

time_t utcSeconds(const layout::FixedDate& d) {
    if (d.year < 1970 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31 ||
        d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59 || d.second < 0 || d.second > 60) {
        throw RenderError("document date " + std::to_string(d.year) + "-" + std::to_string(d.month) + "-" +
                          std::to_string(d.day) + " is out of range");
    }
    const int64_t local = d.date().daysSinceEpoch() * 86400 + d.hour * 3600 + d.minute * 60 + d.second;
    const int64_t utc = local - static_cast<int64_t>(d.utcOffsetMinutes) * 60;
    // libxlsxwriter treats 0 as "now"; the epoch itself is never a real creation date.
    return static_cast<time_t>(std::max<int64_t>(utc, 1));
}

std::string render(const layout::Metadata& meta, const std::vector<SheetInput>& sheets, const XlsxOptions& options) {
    if (sheets.empty()) throw RenderError("a workbook needs at least one sheet");

    TempFile file(options.tempDir);
    std::deque<std::string> keep;  // C strings handed to libxlsxwriter live until workbook_close
    keep.push_back(options.tempDir.empty() ? std::string("/tmp") : options.tempDir);

    lxw_workbook_options wbOptions{};
    wbOptions.constant_memory = LXW_FALSE;  // merges need the whole sheet in memory
    wbOptions.tmpdir = keep.back().data();
    WorkbookGuard guard;
    guard.book = workbook_new_opt(file.path().c_str(), &wbOptions);
    if (guard.book == nullptr) throw RenderError("libxlsxwriter could not create a workbook (out of memory)");

    lxw_doc_properties props{};
    keep.push_back(cleanText(meta.title));
    props.title = keep.back().data();
    keep.push_back(cleanText(meta.subject));
    props.subject = keep.back().data();
    keep.push_back(cleanText(meta.author));
    props.author = keep.back().data();
    keep.push_back(cleanText(meta.keywords));
    props.keywords = keep.back().data();
    props.created = utcSeconds(meta.created);
    check(workbook_set_properties(guard.book, &props), "setting the document properties");

    FormatCache formats(guard.book);
    SheetWriter writer(guard.book, formats, keep);
    for (const SheetInput& sheet : sheets) writer.write(sheet);

    lxw_workbook* book = guard.book;
    guard.book = nullptr;  // workbook_close frees it, whatever it returns
    check(workbook_close(book), "writing " + file.path());
    return file.read();
}

/// Final tab names: fixed, then made unique (Excel compares names case-insensitively).
std::vector<std::string> uniqueNames(const std::vector<std::string>& requested) {
    std::vector<std::string> names;
    std::set<std::string> taken;
    for (const std::string& r : requested) {
        const std::string base = sheetNameFor(r);
        std::string name = base;
        for (int n = 2; taken.count(asciiLower(name)) != 0; ++n) {
            const std::u32string suffix = decodeUtf8("(" + std::to_string(n) + ")");
            name = encodeUtf8(truncateUtf16(decodeUtf8(base), 31 - suffix.size()) + suffix);
        }
        taken.insert(asciiLower(name));
        names.push_back(name);
    }
    return names;
}

} // namespace

std::string sheetNameFor(const std::string& requested) {
    std::u32string name;
    for (char32_t cp : decodeUtf8(requested)) {
        const bool forbidden = cp == U'[' || cp == U']' || cp == U':' || cp == U'*' || cp == U'?' ||
                               cp == U'/' || cp == U'\\' || cp < 0x20;
        name.push_back(forbidden ? U'_' : cp);
    }
    while (!name.empty() && name.front() == U'\'') name.erase(name.begin());
    name = truncateUtf16(std::move(name), 31);
    while (!name.empty() && name.back() == U'\'') name.pop_back();
    std::string out = encodeUtf8(name);
    if (out.empty()) return "Sheet";
    if (asciiLower(out) == "history") return out + "_";  // reserved by Excel
    return out;
}

std::string renderXlsx(const layout::Document& doc, const XlsxOptions& options) {
    std::string requested = options.sheetName;
    if (requested.empty()) requested = doc.meta.title.empty() ? std::string("Sheet1") : doc.meta.title;
    std::vector<SheetInput> sheets(1);
    sheets[0].name = uniqueNames({requested}).front();
    sheets[0].flow = &doc;
    return render(doc.meta, sheets, options);
}

std::string renderXlsx(const layout::Workbook& book, const XlsxOptions& options) {
    std::vector<std::string> requested;
    for (const layout::Sheet& s : book.sheets) requested.push_back(s.name);
    const std::vector<std::string> names = uniqueNames(requested);
    std::vector<SheetInput> sheets;
    for (size_t i = 0; i < book.sheets.size(); ++i) {
        const layout::Sheet& s = book.sheets[i];
        sheets.push_back(SheetInput{names[i], &s.flow, s.autofilter, s.freezeRows, &s.charts});
    }
    return render(book.meta, sheets, options);
}

} // namespace jixiao::render
