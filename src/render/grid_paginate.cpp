#include "render/paged.h"

#include "model/text.h"
#include "render/line_break.h"
#include "render/shape.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace jixiao::render {

namespace {

using layout::Grid;
using layout::GridCell;
using layout::GridEdge;
using layout::GridMerge;
using layout::GridStyle;

constexpr double kPadX = 2.0;        ///< space between a cell's edge and its text, left and right
constexpr double kPadY = 1.0;        ///< above and below
constexpr double kLineFactor = 1.3;  ///< baseline distance of wrapped lines, × type size

layout::Color rgb(layout::Rgb c) { return {double((c >> 16) & 0xFF) / 255.0, double((c >> 8) & 0xFF) / 255.0, double(c & 0xFF) / 255.0}; }

/// What a cell shows: numbers through their format.
std::string shownText(const GridCell& cell, const GridStyle& style) {
    switch (cell.kind) {
    case GridCell::Kind::Number: return layout::formatGridNumber(cell.number, style.numberFormat);
    case GridCell::Kind::Text:
    case GridCell::Kind::Boolean: return cell.text;
    case GridCell::Kind::Empty: break;
    }
    return {};
}

bool wraps(const GridStyle& s) { return s.wrap || s.halign == layout::HAlign::Justify || s.halign == layout::HAlign::Distributed; }

/// A cell's text shaped and broken into the lines it shows at `width` points.
struct CellText {
    Shaped shaped;
    std::vector<LineSpan> lines;
    double size = 11.0;
    double lineHeight = 0.0;

    double height() const { return double(lines.size()) * lineHeight + 2.0 * kPadY; }
};

CellText shapeCell(const Shaper& shaper, const GridCell& cell, const GridStyle& style, double width) {
    CellText t;
    t.size = style.font.sizePt;
    t.lineHeight = t.size * kLineFactor;
    std::string text = shownText(cell, style);
    if (!wraps(style)) std::replace(text.begin(), text.end(), '\n', ' ');
    shaper.append(t.shaped, text, layout::fontRoleFor(style.font.name), t.size, style.font.bold);
    if (t.shaped.text.empty()) return t;
    const double indent = style.indent * t.size;
    const double avail = wraps(style) ? std::max(t.size, width - 2.0 * kPadX - indent) : std::numeric_limits<double>::max();
    t.lines = breakLines(t.shaped.text, t.shaped.advance, avail, avail);
    return t;
}

double edgeWidth(layout::BorderStyle s) {
    switch (s) {
    case layout::BorderStyle::None: return 0.0;
    case layout::BorderStyle::Hair: return 0.25;
    case layout::BorderStyle::Thin:
    case layout::BorderStyle::Dotted:
    case layout::BorderStyle::Dashed: return 0.5;
    case layout::BorderStyle::Medium: return 1.0;
    case layout::BorderStyle::Double: return 1.5;
    case layout::BorderStyle::Thick: return 1.5;
    }
    return 0.0;
}

class GridPager {
public:
    GridPager(const Grid& grid, const pdf::FontSet& fonts) : grid_(grid), shaper_(fonts) {
        const layout::GridPrint& p = grid.print;
        pageW_ = p.paperWidthPt();
        pageH_ = p.paperHeightPt();
        left_ = p.left * 72.0;
        top_ = p.top * 72.0;
        availW_ = std::max(72.0, pageW_ - left_ - p.right * 72.0);
        availH_ = std::max(72.0, pageH_ - top_ - p.bottom * 72.0);
        x_.push_back(0.0);
        for (int c = 0; c < grid.columns; ++c) x_.push_back(x_.back() + grid.columnWidthPt(c));
        double totalH = 0.0;
        for (double h : grid.rowHeights) totalH += h;
        scale_ = double(p.scale) / 100.0;
        if (p.fitToPage) {
            scale_ = 1.0;
            if (p.fitWidth > 0 && x_.back() > 0.0) scale_ = std::min(scale_, availW_ * p.fitWidth / x_.back());
            if (p.fitHeight > 0 && totalH > 0.0) scale_ = std::min(scale_, availH_ * p.fitHeight / totalH);
        }
        if (p.centerHorizontally) left_ += std::max(0.0, (availW_ - x_.back() * scale_) / 2.0);
    }

    PagedDocument run(const layout::Metadata& meta) {
        PagedDocument out;
        out.meta = meta;
        for (const std::vector<int>& rows : pageRows()) drawPage(out.pages.emplace_back(), rows);
        return out;
    }

private:
    std::vector<std::vector<int>> pageRows() const {
        const layout::GridPrint& p = grid_.print;
        const double avail = availH_ / scale_;
        std::vector<std::vector<int>> pages;
        int i = 0;
        const int n = grid_.rowCount();
        while (i < n || pages.empty()) {
            std::vector<int>& rows = pages.emplace_back();
            double used = 0.0;
            if (pages.size() > 1 && p.titleRow0 >= 0 && i > p.titleRow1)
                for (int t = p.titleRow0; t <= p.titleRow1 && t < n; ++t) {
                    rows.push_back(t);
                    used += grid_.rowHeights[std::size_t(t)];
                }
            const std::size_t titles = rows.size();
            while (i < n && (used + grid_.rowHeights[std::size_t(i)] <= avail + 1e-6 || rows.size() == titles)) {
                used += grid_.rowHeights[std::size_t(i)];
                rows.push_back(i++);
            }
            if (n == 0) break;
        }
        return pages;
    }

    /// Page coordinates of a grid x (points from the sheet's left edge) and y (from the top of
    /// the page's rows).
    double px(double x) const { return left_ + x * scale_; }
    double py(double y) const { return pageH_ - top_ - y * scale_; }

    void drawPage(PagedPage& page, const std::vector<int>& rows) {
        page.widthPt = pageW_;
        page.heightPt = pageH_;
        std::vector<double> top(rows.size() + 1, 0.0);
        for (std::size_t k = 0; k < rows.size(); ++k) top[k + 1] = top[k] + grid_.rowHeights[std::size_t(rows[k])];
        auto slot = [&](int row) -> int {
            for (std::size_t k = 0; k < rows.size(); ++k)
                if (rows[k] == row) return int(k);
            return -1;
        };

        std::vector<PagedItem> fills, texts, borders;
        for (std::size_t k = 0; k < rows.size(); ++k) {
            const int r = rows[k];
            for (int c = 0; c < grid_.columns; ++c) {
                const GridCell& cell = grid_.rows[std::size_t(r)][std::size_t(c)];
                const GridStyle& style = grid_.styles[std::size_t(cell.style)];
                const GridMerge* m = grid_.mergeAt(r, c);
                edges(borders, style, r, c, m, x_[std::size_t(c)], x_[std::size_t(c) + 1], top[k], top[k + 1]);
                // The box a cell's text and fill take: a merge is drawn from its first row on
                // the page and its first column.
                int lastSlot = int(k);
                int c1 = c;
                if (m) {
                    if (c != m->col0) continue;
                    if (r != m->row0 && slot(r - 1) >= 0 && r - 1 >= m->row0) continue;
                    while (lastSlot + 1 < int(rows.size()) && rows[std::size_t(lastSlot) + 1] == rows[std::size_t(lastSlot)] + 1 &&
                           rows[std::size_t(lastSlot) + 1] <= m->row1)
                        ++lastSlot;
                    c1 = m->col1;
                }
                const GridCell& anchor = m ? grid_.rows[std::size_t(m->row0)][std::size_t(m->col0)] : cell;
                const GridStyle& look = grid_.styles[std::size_t(anchor.style)];
                const double x0 = x_[std::size_t(c)], x1 = x_[std::size_t(c1) + 1];
                const double y0 = top[k], y1 = top[std::size_t(lastSlot) + 1];
                if (look.fill && *look.fill != 0xFFFFFF)
                    fills.push_back(PagedFill{px(x0), py(y1), (x1 - x0) * scale_, (y1 - y0) * scale_, rgb(*look.fill)});
                if (m && m->row0 != r) continue;  // the text stays on the merge's first page
                text(page, texts, anchor, look, x0, x1, y0, y1);
            }
        }
        for (auto* list : {&fills, &texts, &borders}) page.items.insert(page.items.end(), list->begin(), list->end());
    }

    void edges(std::vector<PagedItem>& out, const GridStyle& s, int r, int c, const GridMerge* m, double x0, double x1, double y0,
               double y1) const {
        auto line = [&](const GridEdge& e, bool horizontal, double at, double from, double to) {
            const double w = edgeWidth(e.style);
            if (w <= 0.0) return;
            if (horizontal) out.push_back(PagedFill{px(from) - w / 2.0, py(at) - w / 2.0, (to - from) * scale_ + w, w, rgb(e.color)});
            else out.push_back(PagedFill{px(at) - w / 2.0, py(to) - w / 2.0, w, (to - from) * scale_ + w, rgb(e.color)});
        };
        if (!m || r == m->row0) line(s.top, true, y0, x0, x1);
        if (!m || r == m->row1) line(s.bottom, true, y1, x0, x1);
        if (!m || c == m->col0) line(s.left, false, x0, y0, y1);
        if (!m || c == m->col1) line(s.right, false, x1, y0, y1);
    }

    void text(PagedPage& page, std::vector<PagedItem>& out, const GridCell& cell, const GridStyle& style, double x0, double x1, double y0,
              double y1) {
        CellText t = shapeCell(shaper_, cell, style, x1 - x0);
        if (t.lines.empty()) return;
        layout::Align align = layout::Align::Left;
        switch (style.halign) {
        case layout::HAlign::General:
            align = cell.kind == GridCell::Kind::Number    ? layout::Align::Right
                    : cell.kind == GridCell::Kind::Boolean ? layout::Align::Center
                                                           : layout::Align::Left;
            break;
        case layout::HAlign::Left: break;
        case layout::HAlign::Center: align = layout::Align::Center; break;
        case layout::HAlign::Right: align = layout::Align::Right; break;
        case layout::HAlign::Justify:
        case layout::HAlign::Distributed: align = layout::Align::Justify; break;
        }
        const double block = double(t.lines.size()) * t.lineHeight;
        double y = y0 + kPadY;
        if (style.valign == layout::VAlign::Center) y = y0 + (y1 - y0 - block) / 2.0;
        else if (style.valign == layout::VAlign::Bottom) y = y1 - kPadY - block;
        const double indent = style.indent * t.size;
        const double left = x0 + kPadX + (align == layout::Align::Left ? indent : 0.0);
        const double width = x1 - x0 - 2.0 * kPadX - (align == layout::Align::Left ? indent : 0.0);
        const bool colored = style.font.color != 0;
        if (colored) out.push_back(PagedColor{rgb(style.font.color), {1, 0, 0, 1, 0, 0}});
        // Positions are computed in sheet points, then scaled onto the page.
        Shaped scaled = t.shaped;
        for (double& a : scaled.advance) a *= scale_;
        for (double& s : scaled.size) s *= scale_;
        for (const LineSpan& line : t.lines) {
            const LinePlacement at = placeLine(line, align, left, width, t.size);
            const double baseline = y + (t.lineHeight - t.size) / 2.0 + kEmBoxTop * t.size;
            placeText(page, scaled, line, px(at.x), py(baseline), at.spacing * scale_, out);
            y += t.lineHeight;
        }
        if (colored) out.push_back(PagedColorEnd{});
    }

    const Grid& grid_;
    Shaper shaper_;
    double pageW_ = 0, pageH_ = 0, left_ = 0, top_ = 0, availW_ = 0, availH_ = 0, scale_ = 1.0;
    std::vector<double> x_;
};

}  // namespace

void fitGridRows(Grid& grid, const pdf::FontSet& fonts) {
    const Shaper shaper(fonts);
    std::vector<double> x(1, 0.0);
    for (int c = 0; c < grid.columns; ++c) x.push_back(x.back() + grid.columnWidthPt(c));
    for (int r = 0; r < grid.rowCount(); ++r)
        for (int c = 0; c < grid.columns; ++c) {
            const GridCell& cell = grid.rows[std::size_t(r)][std::size_t(c)];
            const GridStyle& style = grid.styles[std::size_t(cell.style)];
            if (cell.empty() || !wraps(style)) continue;
            const GridMerge* m = grid.mergeAt(r, c);
            if (m && (m->row0 != r || m->col0 != c)) continue;
            const int r1 = m ? m->row1 : r;
            const int c1 = m ? m->col1 : c;
            const CellText t = shapeCell(shaper, cell, style, x[std::size_t(c1) + 1] - x[std::size_t(c)]);
            double have = 0.0;
            for (int k = r; k <= r1; ++k) have += grid.rowHeights[std::size_t(k)];
            if (t.height() > have + 0.01) grid.rowHeights[std::size_t(r1)] += std::ceil((t.height() - have) * 4.0) / 4.0;
        }
}

PagedDocument paginateGrid(const Grid& grid, const layout::Metadata& meta, const pdf::FontSet& fonts) {
    return GridPager(grid, fonts).run(meta);
}

}  // namespace jixiao::render
