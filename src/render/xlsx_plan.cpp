#include "render/xlsx_plan.h"

#include "model/text.h"
#include "render/render_error.h"
#include "render/table_geometry.h"

#include <optional>
#include <string_view>
#include <variant>

namespace jixiao::render::xlsx {

using model::decodeUtf8;
using model::encodeUtf8;

namespace {

/// True when `text` is well-formed UTF-8 holding nothing cleanText drops or replaces, judged
/// on the bytes: ASCII but the C0 controls other than tab and LF, and two- and three-byte
/// sequences whose lead byte rules out overlong forms, surrogates and U+FFFE/U+FFFF. Anything
/// else (four-byte sequences too) is left to the decoding path.
bool alreadyClean(std::string_view text) {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    auto continuation = [&](std::size_t at) { return at < n && (p[at] & 0xC0) == 0x80; };
    for (std::size_t i = 0; i < n;) {
        const unsigned char b = p[i];
        if ((b >= 0x20 && b < 0x80) || b == '\t' || b == '\n') {
            ++i;
        } else if (b >= 0xC2 && b <= 0xDF && continuation(i + 1)) {
            i += 2;
        } else if (((b >= 0xE1 && b <= 0xEC) || b == 0xEE || (b == 0xEF && !(i + 1 < n && p[i + 1] == 0xBF))) && continuation(i + 1) &&
                   continuation(i + 2)) {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string cleanText(const std::string& text) {
    if (alreadyClean(text)) return text;
    std::u32string cps = decodeUtf8(text);
    std::u32string kept;
    kept.reserve(cps.size());
    for (char32_t cp : cps) {
        if (cp == U'\r' || !model::xmlAllows(cp)) continue;
        kept.push_back(cp);
    }
    return encodeUtf8(kept);
}

namespace {

// ---------------------------------------------------------------------------------------
// Text width estimates.

/// East Asian Wide and Fullwidth characters occupy one em; everything else about half.
bool isWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD) || cp == 0x2014 ||
           cp == 0x2026;  // — and … are set full width in CJK faces
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
    thread_local std::u32string cps;  // reused: a sheet measures every cell's text
    decodeUtf8(text, cps);
    int lines = 0;
    size_t start = 0;
    while (true) {
        const size_t end = cps.find(U'\n', start);
        const std::u32string_view line(cps.data() + start, (end == std::u32string::npos ? cps.size() : end) - start);
        const double usable = std::max((widthPt - 4.0) * 0.98, sizePt);
        lines += wrap ? std::max(1, static_cast<int>(std::ceil(lineEms(line) * sizePt / usable))) : 1;
        if (end == std::u32string::npos) break;
        start = end + 1;
    }
    return lines;
}
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

// Edges closer than this are one grid line (relative widths give the same edges up to
// rounding noise; anything visible stays apart).
constexpr double kEdgeToleranceMm = 0.05;

// A grid narrower than the type area by more than this gets a filler column, so headings
// and signatures still reach the type area's right edge.
constexpr double kFillerMinMm = 2.0;

/// The union of all tables' column edges, plus the type area's right edge when the tables are
/// narrower; with no table, one column over the type area.
std::vector<double> gridEdges(const std::vector<const Table*>& tables, double typeWidthMm) {
    std::vector<double> all{0.0};
    double widest = 0.0;
    for (const Table* table : tables) {
        if (table->columnWidths.empty()) continue;  // placeCells reports it
        std::vector<double> e = tableColumnEdges(*table, typeWidthMm, 1.0);
        widest = std::max(widest, e.back());
        all.insert(all.end(), e.begin() + 1, e.end());
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
    const double asked = spacing.mode == layout::LineSpacing::Mode::Exact ? spacing.value : spacing.value * sizePt;
    return std::max(natural, asked);
}

std::string ideographicSpaces(double chars) {
    std::string s;
    for (int i = 0; i < static_cast<int>(std::lround(chars)); ++i) s += "\u3000";
    return s;
}

/// How many items a block makes, at most.
std::size_t itemCount(const layout::Block& block) {
    if (const auto* t = std::get_if<Table>(&block)) {
        std::size_t n = 0;
        for (const auto& row : t->rows) n += row.cells.size();
        return n;
    }
    if (const auto* s = std::get_if<layout::Signature>(&block)) return s->lines.size();
    if (const auto* a = std::get_if<layout::AttachmentNote>(&block)) return a->items().size();
    return 1;
}

}  // namespace

void PageFill::row(int row, double h, bool manualBreak) {
    for (Run& run : runs_) {
        const double top = run.first >= 0 && row > run.last ? run.titlesPt : 0.0;
        if (manualBreak || (run.used + h > pagePt_ && run.used > top)) run.used = top;
        run.used += h;
    }
}

void PageFill::titlesCandidate(int first, int last, double titlesPt) {
    // Up to its own last row a run with print titles fills pages as the run without them.
    runs_.push_back(Run{first, last, titlesPt, runs_.front().used});
}

const PageFill::Run& PageFill::run(int titlesFirst) const {
    for (const Run& r : runs_) {
        if (r.first == titlesFirst) return r;
    }
    return runs_.front();
}

double PageFill::usedOnLastPage(int titlesFirst) const { return run(titlesFirst).used; }

double PageFill::titlesPt(int titlesFirst) const { return run(titlesFirst).titlesPt; }

double typeAreaHeightPt(const layout::PageSetup& page) {
    const double heightMm = page.orientation == layout::Orientation::Landscape ? kA4ShortMm : kA4LongMm;
    return ptFromMm(std::max(20.0, heightMm - page.marginsMm.top - page.marginsMm.bottom));
}

SheetPlanner::SheetPlanner(const layout::PageSetup& page, const std::vector<const Table*>& tables, std::string sheetName,
                           std::vector<std::pair<int, int>> watched)
    : sheet_(std::move(sheetName)), watched_(std::move(watched)) {
    const PageGeometry geo = geometryOf(page);
    typeWidthMm_ = geo.typeWidthMm;
    edges_ = gridEdges(tables, typeWidthMm_);
    for (size_t i = 1; i < edges_.size(); ++i) plan_.columnMm.push_back(edges_[i] - edges_[i - 1]);
    plan_.fill = PageFill(typeAreaHeightPt(page));
}

void SheetPlanner::add(const layout::Block& block) {
    const bool isTable = std::holds_alternative<Table>(block);
    if (isTable && previousWasTable_) {
        const double gap = std::max(previousSpaceAfterPt_, std::get<Table>(block).spaceBeforePt);
        if (gap > 0.0) plan_.addRow(gap);
    }
    std::visit([this](const auto& b) { addBlock(b); }, block);
    previousWasTable_ = isTable;
    previousSpaceAfterPt_ = isTable ? std::get<Table>(block).spaceAfterPt : 0.0;
}

void SheetPlanner::addAll(const std::vector<layout::Block>& blocks) {
    std::size_t items = plan_.items.size();
    for (const layout::Block& block : blocks) items += itemCount(block);
    plan_.items.reserve(items);
    for (const layout::Block& block : blocks) add(block);
}

void SheetPlanner::addRows(const Table& more) { tableRows(more, true); }

void SheetPlanner::item(Item&& item) {
    const std::pair<int, int> at{item.area.row, item.area.col};
    if ((item.cell != nullptr && !item.cell->id.empty()) || std::find(watched_.begin(), watched_.end(), at) != watched_.end())
        plan_.numberFormats.emplace(at, item.style.numberFormat);
    plan_.items.push_back(std::move(item));
}

/// A row merged across the whole grid.
void SheetPlanner::flowRow(const std::string& text, const layout::TextStyle& style, uint8_t align, const layout::LineSpacing& spacing,
                           double extraPt) {
    Item it;
    it.text = cleanText(text);
    it.style.font = layout::officeFontName(style.role);
    it.style.sizePt = style.sizePt;
    it.style.bold = style.bold;
    it.style.align = align;
    const double width = plan_.widthPt(0, plan_.lastColumn());
    const int lines = wrappedLines(it.text, width, style.sizePt, true);
    const int row = plan_.addRow(lines * lineHeightPt(spacing, style.sizePt) + extraPt);
    it.area = Area{row, 0, row, plan_.lastColumn()};
    item(std::move(it));
}

void SheetPlanner::addBlock(const layout::Heading& h) {
    flowRow(h.text, h.style, lxwAlign(h.format.align, false, true), h.format.lineSpacing, h.format.spaceBeforePt + h.format.spaceAfterPt);
}

void SheetPlanner::addBlock(const layout::Paragraph& p) {
    layout::TextStyle style = p.style;
    // The sheet has one style per cell; a paragraph made only of bold runs is bold.
    bool allBold = !p.runs.empty();
    for (const layout::Run& run : p.runs) allBold = allBold && run.bold;
    style.bold = style.bold || allBold;
    flowRow(ideographicSpaces(p.format.firstLineIndentChars) + p.text(), style, lxwAlign(p.format.align, false, true), p.format.lineSpacing,
            p.format.spaceBeforePt + p.format.spaceAfterPt);
}

void SheetPlanner::addBlock(const layout::Signature& s) {
    const double lineH = lineHeightPt(s.lineSpacing, s.style.sizePt);
    for (int i = 0; i < static_cast<int>(std::lround(s.spaceBeforeLines)); ++i) plan_.addRow(lineH);
    // GB/T 9704 7.3.5: the date ends `rightIndentChars` from the right edge and the lines
    // above are centred on it; right-aligned text padded with ideographic spaces does that.
    const double lastEms = s.lines.empty() ? 0.0 : lineEms(decodeUtf8(s.lines.back()));
    for (size_t i = 0; i < s.lines.size(); ++i) {
        double pad = s.rightIndentChars;
        if (i + 1 < s.lines.size()) pad += (lastEms - lineEms(decodeUtf8(s.lines[i]))) / 2.0;
        flowRow(s.lines[i] + ideographicSpaces(std::max(0.0, pad)), s.style, LXW_ALIGN_RIGHT, s.lineSpacing, 0.0);
    }
}

void SheetPlanner::addBlock(const layout::AttachmentNote& n) {
    const std::string indent = ideographicSpaces(n.format.firstLineIndentChars);
    const std::string under = ideographicSpaces(lineEms(decodeUtf8(n.label)));
    bool first = true;
    for (const auto& [number, name] : n.items()) {
        flowRow(indent + (first ? n.label : under) + number + name, n.style, LXW_ALIGN_LEFT, n.format.lineSpacing,
                first ? n.format.spaceBeforePt : 0.0);
        first = false;
    }
}

void SheetPlanner::addBlock(const layout::Spacer& s) { plan_.addRow(ptFromMm(s.heightMm)); }

void SheetPlanner::addBlock(const layout::PageBreak&) {
    const int next = plan_.rowCount();
    if (next > 0 && (plan_.pageBreaks.empty() || plan_.pageBreaks.back() != next)) plan_.pageBreaks.push_back(next);
}

void SheetPlanner::addBlock(const Table& table) { tableRows(table, false); }

/// The rows of a table, or (`continues`) more rows of the table added last.
void SheetPlanner::tableRows(const Table& table, bool continues) {
    const std::vector<layout::PlacedCell> placed = layout::placeCells(table);
    const std::vector<double> edges = tableColumnEdges(table, typeWidthMm_, 1.0);
    std::vector<int> gridCol;  // table column edge -> grid edge
    for (double e : edges) gridCol.push_back(gridIndex(edges_, e));
    for (size_t c = 0; c + 1 < gridCol.size(); ++c) {
        if (gridCol[c + 1] <= gridCol[c]) {
            throw RenderError("工作表“" + sheet_ + "”：表格第 " + std::to_string(c + 1) + " 列太窄，无法成为电子表格的一列");
        }
    }

    const int firstRow = plan_.rowCount();
    const int rows = static_cast<int>(table.rows.size());
    const double padPt = std::min(ptFromMm(table.cellPaddingMm), 3.0);
    const double lineSpacing = std::max(table.lineSpacing, 1.35);

    std::vector<double> heights(static_cast<size_t>(rows), 0.0);
    for (int r = 0; r < rows; ++r) {
        const double size = table.style.sizePt;
        heights[static_cast<size_t>(r)] = std::max(ptFromMm(table.rows[static_cast<size_t>(r)].minHeightMm), size * 1.35 + 2 * padPt);
    }

    std::vector<RowsNeed> needs;
    needs.reserve(placed.size());
    for (const layout::PlacedCell& pc : placed) {
        const Cell& cell = *pc.cell;
        const bool header = pc.row < table.headerRows;
        Item it;
        it.cell = &cell;
        it.text = cleanText(cell.text);
        it.area = Area{firstRow + pc.row, gridCol[static_cast<size_t>(pc.column)], firstRow + pc.row + cell.rowspan - 1,
                       gridCol[static_cast<size_t>(pc.column + cell.colspan)] - 1};
        Style& st = it.style;
        st.font = layout::officeFontName(cell.role.value_or(table.style.role));
        st.sizePt = cell.sizePt.value_or(table.style.sizePt);
        st.bold = cell.bold || table.style.bold || header;
        st.align = header && cell.align == Align::Auto ? static_cast<uint8_t>(LXW_ALIGN_CENTER) : lxwAlign(cell.align, cell.number, false);
        st.border = true;
        st.fill = header;
        const bool numeric = cell.value.has_value() || !cell.formula.empty();
        st.wrap = !numeric;
        if (numeric) st.numberFormat = cell.numberFormat;

        const double width = plan_.widthPt(it.area.col, it.area.lastCol);
        const int lines = wrappedLines(it.text, width, st.sizePt, st.wrap);
        needs.push_back(RowsNeed{pc.row, pc.row + cell.rowspan - 1, lines * st.sizePt * lineSpacing + 2 * padPt});

        if (!cell.id.empty()) {
            if (!plan_.ids.emplace(cell.id, it.area).second) {
                throw RenderError("工作表“" + sheet_ + "”：单元格 id“" + cell.id + "”重复");
            }
            plan_.idOrder.emplace_back(cell.id, it.area);
        }
        item(std::move(it));
    }
    fitRowHeights(heights, needs);  // as the PDF grows them (table_geometry.h)
    double titlesPt = 0.0;
    for (int r = 0; r < rows; ++r) {
        plan_.addRow(heights[static_cast<size_t>(r)]);
        if (continues || r >= table.headerRows) continue;
        titlesPt += plan_.rowHeight(firstRow + r);
        if (r + 1 == table.headerRows) plan_.fill.titlesCandidate(firstRow, firstRow + r, titlesPt);
    }
    if (continues) {
        plan_.tables.back().rows += rows;
    } else {
        plan_.tables.push_back(TablePlacement{firstRow, table.headerRows, rows, gridCol.front(), gridCol.back() - 1});
    }
}

SheetPlan planSheet(const Document& doc, const std::string& sheetName) {
    std::vector<const Table*> tables;
    for (const layout::Block& block : doc.blocks)
        if (const auto* t = std::get_if<Table>(&block)) tables.push_back(t);
    SheetPlanner planner(doc.page, tables, sheetName);
    planner.addAll(doc.blocks);
    return std::move(planner.plan());
}

}  // namespace jixiao::render::xlsx
