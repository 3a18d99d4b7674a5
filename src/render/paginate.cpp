#include "render/paged.h"

#include "render/line_break.h"
#include "render/shape.h"
#include "render/table_geometry.h"
#include "render/render_error.h"
#include "model/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace jixiao::render {

using model::appendUtf8;
using model::decodeUtf8;
using model::encodeUtf8;

namespace {

using layout::Align;
using layout::FontRole;
using layout::TextStyle;

constexpr double kBorderWidth = 0.5;
constexpr double kEps = 1e-6;

/// A heading's text for its outline entry: without the U+200B marks where a balanced title
/// may break (they are never drawn, and readers would show them in the outline).
std::string withoutBreakMarks(std::string text) {
    static const std::string kMark = "\u200B";
    for (size_t at = text.find(kMark); at != std::string::npos; at = text.find(kMark, at)) text.erase(at, kMark.size());
    return text;
}

double lineHeightFor(const layout::LineSpacing& spacing, double size) {
    return spacing.mode == layout::LineSpacing::Mode::Exact ? spacing.value : spacing.value * size;
}

// ---------------------------------------------------------------------------------------
// Tables

// A table's cells keep their text and lines in the Flow's cellText_ and cellLines_.
struct CellBox {
    const layout::Cell* cell = nullptr;
    int r0 = 0, r1 = 0;  // first and last row
    double x = 0.0, width = 0.0;
    size_t textBegin = 0, textEnd = 0;  // the cell's characters in cellText_
    size_t firstLine = 0;               // its lines: cellLines_[firstLine, firstLine + lineCount)
    size_t lineCount = 0;
    double lineHeight = 0.0;
    double size = 0.0;
    Align align = Align::Left;
    double padding = 0.0;
    size_t consumed = 0;  // lines already shown by earlier fragments (flowed text)
    bool label = false;   // a merged cell whose whole text is repeated on every page it spans

    double neededHeight(size_t count) const { return static_cast<double>(count) * lineHeight + 2.0 * padding; }
};

// One row, or part of a row, on a page.
struct Slice {
    int row = 0;
    double height = 0.0;
    bool completesRow = true;
};

class Flow {
public:
    Flow(const layout::Document& doc, const pdf::FontSet& fonts) : doc_(doc), shaper_(fonts) {
        const bool landscape = doc.page.orientation == layout::Orientation::Landscape;
        const double a4w = layout::mmToPt(210.0);
        const double a4h = layout::mmToPt(297.0);
        pageW_ = landscape ? a4h : a4w;
        pageH_ = landscape ? a4w : a4h;
        const layout::Margins& m = doc.page.marginsMm;
        left_ = layout::mmToPt(m.left);
        right_ = pageW_ - layout::mmToPt(m.right);
        top_ = pageH_ - layout::mmToPt(m.top);
        bottom_ = layout::mmToPt(m.bottom);
        if (right_ - left_ < 20.0 || top_ - bottom_ < 20.0) {
            throw layout::LayoutError("页边距过大，页面上没有留下排版的地方");
        }
    }

    PagedDocument run() {
        out_.meta = doc_.meta;
        newPage();
        if (doc_.letterhead) letterhead(*doc_.letterhead);
        for (size_t i = 0; i < doc_.blocks.size(); ++i) {
            const layout::Block& block = doc_.blocks[i];
            if (auto* h = std::get_if<layout::Heading>(&block)) heading(*h, leadHeight(i + 1));
            else if (auto* p = std::get_if<layout::Paragraph>(&block)) paragraph(*p, reserveFor(i + 1));
            else if (auto* t = std::get_if<layout::Table>(&block)) table(*t, i);
            else if (auto* s = std::get_if<layout::Signature>(&block)) signature(*s);
            else if (auto* sp = std::get_if<layout::Spacer>(&block)) spacer(*sp);
            else if (auto* n = std::get_if<layout::AttachmentNote>(&block)) attachmentNote(*n);
            else if (std::holds_alternative<layout::PageBreak>(block) && !fresh_) newPage();
        }
        if (doc_.colophon) colophon(*doc_.colophon);
        decoratePages();
        return std::move(out_);
    }

private:
    double width() const { return right_ - left_; }
    double room() const { return y_ - bottom_; }
    PagedPage& page() { return out_.pages.back(); }
    void drawLine(const Shaped& shaped, const LineSpan& span, double x, double baseline, double spacing) {
        placeText(page(), shaped, span, x, baseline, spacing, page().items);
    }

    void newPage() {
        if (out_.pages.size() >= kMaxPages)
            throw RenderError("文档“" + doc_.meta.title + "”超过 " + std::to_string(kMaxPages) +
                              " 页，已停止生成。多半是模板中的循环重复了内容，请检查模板");
        PagedPage page;
        page.widthPt = pageW_;
        page.heightPt = pageH_;
        out_.pages.push_back(std::move(page));
        y_ = top_;
        fresh_ = true;
        if (!doc_.watermark.empty()) watermark();
    }

    // Large light letters on the diagonal through the page's centre, drawn first so that
    // the content is printed over them.
    void watermark() {
        constexpr double kSize = 120.0;
        constexpr double kGrey = 0.85;
        Shaped s;
        shaper_.append(s, doc_.watermark, FontRole::Heading, kSize, false);
        double w = 0.0;
        for (double a : s.advance) w += a;
        const double angle = std::atan2(pageH_, pageW_);
        const double c = std::cos(angle), sn = std::sin(angle);
        page().items.push_back(PagedColor{layout::Color{kGrey, kGrey, kGrey}, {c, sn, -sn, c, pageW_ / 2.0, pageH_ / 2.0}});
        drawLine(s, LineSpan{0, s.text.size(), w, true}, -w / 2.0, -(kEmBoxTop - 0.5) * kSize, 0.0);
        page().items.push_back(PagedColorEnd{});
    }

    // ---- GB/T 9704 letter: 版头, 附件说明, 版记 ----

    void letterhead(const layout::Letterhead& lh) {
        using layout::mmToPt;
        const double len = mmToPt(lh.ruleLengthMm);
        const double x = left_ + (width() - len) / 2.0;  // centred on the type area
        const double thick = mmToPt(lh.thickRuleMm), thin = mmToPt(lh.thinRuleMm), gap = mmToPt(lh.ruleSpacingMm);
        const double markTop = pageH_ - mmToPt(lh.markTopMm);
        const double markSize = lh.markStyle.sizePt;
        const double ruleTop = markTop - markSize - mmToPt(lh.ruleGapMm);
        const double ruleBottom = ruleTop - thick - gap - thin;
        if (lh.printed) {
            if (!lh.mark.empty()) {
                Shaped s;
                shaper_.append(s, lh.mark, lh.markStyle.role, markSize, lh.markStyle.bold);
                double w = 0.0;
                for (double a : s.advance) w += a;
                if (w > width()) {
                    // A long name is set smaller, on the same baseline, to stay within the type
                    // area (dataset.json refuses names over 40 characters).
                    s = Shaped{};
                    shaper_.append(s, lh.mark, lh.markStyle.role, markSize * width() / w, lh.markStyle.bold);
                    w = 0.0;
                    for (double a : s.advance) w += a;
                }
                page().items.push_back(PagedColor{lh.color});
                drawLine(s, LineSpan{0, s.text.size(), w, true}, left_ + (width() - w) / 2.0, markTop - kEmBoxTop * markSize, 0.0);
                page().items.push_back(PagedColorEnd{});
            }
            // First rule thick over thin, the second (at the foot) thin over thick.
            page().items.push_back(PagedFill{x, ruleTop - thick, len, thick, lh.color});
            page().items.push_back(PagedFill{x, ruleBottom, len, thin, lh.color});
            const double foot = mmToPt(lh.bottomRuleMm);
            page().items.push_back(PagedFill{x, foot, len, thick, lh.color});
            page().items.push_back(PagedFill{x, foot + thick + gap, len, thin, lh.color});
        }
        // 发文字号: flush right with the type area, its top 7/8 of a 3号 character (16 pt)
        // below the first rule.
        const double size = lh.numberStyle.sizePt;
        const double numberTop = ruleBottom - 7.0 / 8.0 * 16.0;
        if (!lh.number.empty()) {
            Shaped s;
            shaper_.append(s, lh.number, lh.numberStyle.role, size, lh.numberStyle.bold);
            double w = 0.0;
            for (double a : s.advance) w += a;
            drawLine(s, LineSpan{0, s.text.size(), w, true}, right_ - w, numberTop - kEmBoxTop * size, 0.0);
        }
        y_ = std::min(y_, numberTop - size);
        fresh_ = false;
    }

    void attachmentNote(const layout::AttachmentNote& n) {
        skip(n.format.spaceBeforePt);
        const double size = n.style.sizePt;
        const double delta = gridDelta(n.format, size);
        const double indent = std::max(0.0, n.format.firstLineIndentChars * (size + delta));
        const double lh = lineHeightFor(n.format.lineSpacing, size);
        auto shaped = [&](const std::string& text) {
            Shaped s;
            shaper_.append(s, text, n.style.role, size, n.style.bold);
            double w = 0.0;
            for (double& a : s.advance) w += (a += delta);
            return std::make_pair(s, w);
        };
        const double labelWidth = shaped(n.label).second;
        bool first = true;
        for (const auto& [number, name] : n.items()) {
            const auto [line, width] = shaped((first ? n.label : std::string()) + number + name);
            (void)width;
            const double start = left_ + indent + (first ? 0.0 : labelWidth);
            const double hang = left_ + indent + labelWidth + shaped(number).second;
            const std::vector<LineSpan> spans = breakLines(line.text, line.advance, right_ - hang, right_ - start);
            for (size_t k = 0; k < spans.size(); ++k) {
                if (lh > room() + kEps && !fresh_) newPage();
                drawLine(line, spans[k], k == 0 ? start : hang, y_ - (lh - size) / 2.0 - kEmBoxTop * size, delta);
                y_ -= lh;
                fresh_ = false;
            }
            first = false;
        }
        skip(n.format.spaceAfterPt);
    }

    // 版记 at the foot of the last page's type area, its lines between separator rules: the
    // first rule (thick) on top of the first line, a thin one between two lines, the last
    // (thick) ending at the type area's bottom edge. 信函格式 (GB/T 9704 10.1): no rules.
    void colophon(const layout::Colophon& c) {
        const double size = c.style.sizePt;
        const double lh = c.lineHeightPt;
        const double thick = c.rules ? layout::mmToPt(c.thickRuleMm) : 0.0, thin = layout::mmToPt(c.thinRuleMm);
        const double height = lh * static_cast<double>(c.lines.size());
        if (!fresh_ && height + thick > room() + kEps) newPage();
        out_.colophonPage = fresh_;
        if (c.rules) {
            const layout::Color black{0.0, 0.0, 0.0};
            page().items.push_back(PagedFill{left_, bottom_ + height, width(), thick, black});
            for (std::size_t k = 1; k < c.lines.size(); ++k)
                page().items.push_back(PagedFill{left_, bottom_ + lh * static_cast<double>(k) - thin / 2.0, width(), thin, black});
            page().items.push_back(PagedFill{left_, bottom_, width(), thick, black});
        }
        double top = bottom_ + height;
        for (const layout::ColophonLine& line : c.lines) {
            const double baseline = top - (lh - size) / 2.0 - kEmBoxTop * size;
            for (int side = 0; side < 2; ++side) {
                const std::string& text = side == 0 ? line.left : line.right;
                if (text.empty()) continue;
                Shaped s;
                shaper_.append(s, text, c.style.role, size, c.style.bold);
                double w = 0.0;
                for (double a : s.advance) w += a;
                const double x = side == 0 ? left_ + size : right_ - size - w;
                drawLine(s, LineSpan{0, s.text.size(), w, true}, x, baseline, 0.0);
            }
            top -= lh;
        }
        y_ = bottom_;
        fresh_ = false;
    }

    // Extra advance per character that makes `gridChars` full-width characters fill a line.
    double gridDelta(const layout::ParagraphFormat& format, double size) const {
        return format.gridChars > 0 ? width() / format.gridChars - size : 0.0;
    }

    void skip(double h) {
        if (fresh_) return;  // vertical space is dropped at the top of a page
        if (h >= room()) {
            newPage();
        } else {
            y_ -= h;
        }
    }

    // ---- paragraphs and headings ----

    struct TextBlock {
        Shaped shaped;
        std::vector<LineSpan> lines;
        std::vector<double> heights;
        double indent = 0.0;
        double spacing = 0.0;  // character grid: extra space after every character
    };

    TextBlock prepare(const std::vector<layout::Run>& runs, const TextStyle& style, const layout::ParagraphFormat& format) const {
        TextBlock b;
        for (const layout::Run& run : runs) {
            shaper_.append(b.shaped, run.text, run.role.value_or(style.role), run.sizePt.value_or(style.sizePt), run.bold || style.bold);
        }
        b.spacing = gridDelta(format, style.sizePt);
        if (b.spacing != 0.0) {
            for (size_t i = 0; i < b.shaped.text.size(); ++i) {
                if (b.shaped.text[i] != U'\n') b.shaped.advance[i] += b.spacing;
            }
        }
        b.indent = std::max(0.0, format.firstLineIndentChars * (style.sizePt + b.spacing));
        b.lines = breakLines(b.shaped.text, b.shaped.advance, width(), width() - b.indent);
        for (const LineSpan& span : b.lines) {
            const double size = b.shaped.maxSize(span.begin, span.end, style.sizePt);
            b.heights.push_back(lineHeightFor(format.lineSpacing, size));
        }
        return b;
    }

    // A title in balanced lines, broken at the U+200B marks of its text where they allow.
    TextBlock prepareBalanced(const layout::Heading& h) const {
        static const std::string kMark = "\u200B";
        TextBlock b;
        std::vector<size_t> marks;
        size_t from = 0;
        for (;;) {
            const size_t at = h.text.find(kMark, from);
            shaper_.append(b.shaped, std::string_view(h.text).substr(from, at == std::string::npos ? std::string::npos : at - from),
                           h.style.role, h.style.sizePt, h.style.bold);
            if (at == std::string::npos) break;
            marks.push_back(b.shaped.text.size());
            from = at + kMark.size();
        }
        b.lines = balanceLines(b.shaped.text, b.shaped.advance, marks, width());
        for (const LineSpan& span : b.lines) {
            b.heights.push_back(lineHeightFor(h.format.lineSpacing, b.shaped.maxSize(span.begin, span.end, h.style.sizePt)));
        }
        return b;
    }

    // GB/T 9704-2012 7.3.5: a signature page must carry body text, so the paragraph before
    // a signature keeps its last lines on the signature's page. Returns the height the
    // signature block needs (without its space above), 0 when the next block is none.
    double reserveFor(size_t next) const {
        if (next >= doc_.blocks.size()) return 0.0;
        const auto* s = std::get_if<layout::Signature>(&doc_.blocks[next]);
        if (s == nullptr) return 0.0;
        return lineHeightFor(s->lineSpacing, s->style.sizePt) * static_cast<double>(s->lines.size());
    }

    void drawTextBlock(const TextBlock& b, const TextStyle& style, const layout::ParagraphFormat& format, double reserveAfter = 0.0) {
        const Align align = format.align == Align::Auto ? Align::Justify : format.align;
        constexpr size_t kKeptLines = 2;
        const size_t keepFrom = b.lines.size() > kKeptLines ? b.lines.size() - kKeptLines : 0;
        for (size_t k = 0; k < b.lines.size(); ++k) {
            const double h = b.heights[k];
            double need = h;
            if (reserveAfter > 0.0 && k == keepFrom) {
                for (size_t j = k + 1; j < b.lines.size(); ++j) need += b.heights[j];
                need += reserveAfter;
            }
            if (need > room() + kEps && !fresh_) newPage();
            const LineSpan& span = b.lines[k];
            const double size = b.shaped.maxSize(span.begin, span.end, style.sizePt);
            const double indent = k == 0 ? b.indent : 0.0;
            const LinePlacement at = placeLine(span, align, left_ + indent, width() - indent, size);
            const double baseline = y_ - (h - size) / 2.0 - kEmBoxTop * size;
            drawLine(b.shaped, span, at.x, baseline, at.spacing + b.spacing);
            y_ -= h;
            fresh_ = false;
        }
    }

    void paragraph(const layout::Paragraph& p, double reserveAfter) {
        skip(p.format.spaceBeforePt);
        const TextBlock b = prepare(p.runs, p.style, p.format);
        drawTextBlock(b, p.style, p.format, reserveAfter);
        skip(p.format.spaceAfterPt);
    }

    // Height of the start of block `i` that must share a page with a heading before it:
    // a paragraph's first two lines (all of it, plus a following signature, if it is that
    // short), a table's header and first row (estimated at one line each).
    double leadHeight(size_t i) const {
        if (i >= doc_.blocks.size()) return 0.0;
        const layout::Block& block = doc_.blocks[i];
        if (const auto* p = std::get_if<layout::Paragraph>(&block)) {
            const TextBlock b = prepare(p->runs, p->style, p->format);
            double h = p->format.spaceBeforePt;
            for (size_t k = 0; k < b.heights.size() && k < 2; ++k) h += b.heights[k];
            if (b.lines.size() <= 2) h += reserveFor(i + 1);
            return h;
        }
        if (const auto* t = std::get_if<layout::Table>(&block)) {
            const double row = t->lineSpacing * t->style.sizePt + 2.0 * layout::mmToPt(t->cellPaddingMm);
            return t->spaceBeforePt + row * static_cast<double>(t->headerRows + 1);
        }
        if (const auto* h = std::get_if<layout::Heading>(&block)) {
            return h->format.spaceBeforePt + lineHeightFor(h->format.lineSpacing, h->style.sizePt) + leadHeight(i + 1);
        }
        return 0.0;
    }

    void heading(const layout::Heading& h, double lead) {
        skip(h.format.spaceBeforePt);
        const TextBlock b =
            h.balanced ? prepareBalanced(h) : prepare({layout::Run{h.text, std::nullopt, std::nullopt, false}}, h.style, h.format);
        double total = 0.0;
        for (double lh : b.heights) total += lh;
        // Keep a heading with what follows: never the last thing on a page.
        if (!fresh_ && total + h.format.spaceAfterPt + lead > room() + kEps) newPage();
        if (h.bookmark) page().items.push_back(PagedBookmark{std::max(1, h.level), withoutBreakMarks(h.text), y_});
        drawTextBlock(b, h.style, h.format);
        skip(h.format.spaceAfterPt);
    }

    void signature(const layout::Signature& s) {
        const double size = s.style.sizePt;
        const double lh = lineHeightFor(s.lineSpacing, size);
        std::vector<Shaped> lines(s.lines.size());
        for (size_t i = 0; i < s.lines.size(); ++i) {
            shaper_.append(lines[i], s.lines[i], s.style.role, size, s.style.bold);
        }
        const double blockHeight = lh * static_cast<double>(lines.size());
        // The space above shrinks before the block moves to a new page (GB/T 9704 allows
        // adjusting spacing so that the signature stays with the text).
        if (!fresh_) {
            if (blockHeight > room() + kEps) {
                newPage();
            } else {
                y_ -= std::min(s.spaceBeforeLines * lh, room() - blockHeight);
            }
        }
        if (lines.empty()) return;
        auto widthOf = [](const Shaped& sh) {
            double w = 0.0;
            for (double a : sh.advance) w += a;
            return w;
        };
        // GB/T 9704-2012 7.3.5.1: the date is flush right with rightIndentChars characters of
        // space; the issuer's name is centred over the date.
        const double lastWidth = widthOf(lines.back());
        const double lastRight = right_ - s.rightIndentChars * size;
        const double axis = lastRight - lastWidth / 2.0;
        for (const Shaped& line : lines) {
            const double w = widthOf(line);
            double x = std::min(axis - w / 2.0, right_ - w);
            x = std::max(x, left_);
            const LineSpan span{0, line.text.size(), w, true};
            drawLine(line, span, x, y_ - (lh - size) / 2.0 - kEmBoxTop * size, 0.0);
            y_ -= lh;
            fresh_ = false;
        }
    }

    void spacer(const layout::Spacer& s) { skip(layout::mmToPt(s.heightMm)); }

    // ---- tables ----

    void table(const layout::Table& t, size_t blockIndex) {
        const std::vector<layout::PlacedCell> placed = layout::placeCells(t);
        const std::vector<double> xs = tableColumnEdges(t, width(), layout::mmToPt(1.0));
        const double tableWidth = xs.back();
        const double x0 = left_ + (width() - tableWidth) / 2.0;
        const double padding = layout::mmToPt(t.cellPaddingMm);

        std::vector<CellBox> cells;
        cells.reserve(placed.size());
        cellText_.clear();
        cellLines_.clear();
        for (const layout::PlacedCell& pc : placed) {
            const layout::Cell& c = *pc.cell;
            CellBox box;
            box.cell = &c;
            box.r0 = pc.row;
            box.r1 = pc.row + c.rowspan - 1;
            box.x = x0 + xs[static_cast<size_t>(pc.column)];
            box.width = xs[static_cast<size_t>(pc.column + c.colspan)] - xs[static_cast<size_t>(pc.column)];
            box.size = c.sizePt.value_or(t.style.sizePt);
            box.lineHeight = t.lineSpacing * box.size;
            box.padding = padding;
            box.align = c.align == Align::Auto ? (c.number ? Align::Right : Align::Left) : c.align;
            box.textBegin = cellText_.text.size();
            shaper_.append(cellText_, c.text, c.role.value_or(t.style.role), box.size, c.bold || t.style.bold);
            box.textEnd = cellText_.text.size();
            const double inner = std::max(1.0, box.width - 2.0 * padding);
            shrinkFigure(box, cellText_, inner);
            box.firstLine = cellLines_.size();
            appendLines(cellText_.text, cellText_.advance.data(), box.textBegin, box.textEnd, inner, inner, cellLines_);
            box.lineCount = cellLines_.size() - box.firstLine;
            cells.push_back(std::move(box));
        }

        // Row heights: at least one line, or the row's own minimum, then what the cells'
        // text needs (table_geometry.h: merged cells spread over their rows as in the XLSX).
        const int rowCount = static_cast<int>(t.rows.size());
        const double minRow = t.lineSpacing * t.style.sizePt + 2.0 * padding;
        std::vector<double> rowH(static_cast<size_t>(rowCount), minRow);
        for (int r = 0; r < rowCount; ++r) {
            rowH[static_cast<size_t>(r)] = std::max(minRow, layout::mmToPt(t.rows[static_cast<size_t>(r)].minHeightMm));
        }
        std::vector<RowsNeed> needs;
        needs.reserve(cells.size());
        for (const CellBox& b : cells) needs.push_back(RowsNeed{b.r0, b.r1, b.neededHeight(b.lineCount)});
        fitRowHeights(rowH, needs);

        double headerH = 0.0;
        for (int r = 0; r < t.headerRows; ++r) headerH += rowH[static_cast<size_t>(r)];
        // A merged label (一级指标 over several rows) is never cut in two: wherever its rows
        // are divided by a page break, each part shows the whole label. Longer merged text
        // (more than a quarter of the type area) flows on from page to page instead.
        for (CellBox& b : cells) {
            b.label = b.r1 > b.r0 && b.r0 >= t.headerRows && b.neededHeight(b.lineCount) <= (top_ - bottom_) / 4;
        }
        // A row may only be cut where every cell can show at least one line on each side.
        double oneLine = minRow;
        for (const CellBox& b : cells) oneLine = std::max(oneLine, b.neededHeight(1));

        skip(t.spaceBeforePt);
        std::vector<double> remaining = rowH;  // of rows cut by a page break
        int r = t.headerRows;
        bool drewHeader = false;
        for (;;) {
            double avail = room() - headerH;
            std::vector<Slice> slices;
            while (r < rowCount && remaining[static_cast<size_t>(r)] <= avail + kEps) {
                slices.push_back(Slice{r, remaining[static_cast<size_t>(r)], true});
                avail -= remaining[static_cast<size_t>(r)];
                ++r;
            }
            // A row that does not fit breaks across the page, as Word's tables do, when it is
            // tall (moving it whole would leave a gap of up to its height) and every cell can
            // show two lines here; a short row moves to the next page whole.
            if (r < rowCount && remaining[static_cast<size_t>(r)] > (top_ - bottom_) / 4 && avail >= 2 * oneLine) {
                slices.push_back(Slice{r, avail, false});
            }
            if (r == rowCount - 1 && slices.size() >= 2 && slices.back().completesRow) {
                // Never a page with only the header and the last row (总分): the row before
                // goes along with it.
                r = slices.back().row;
                slices.pop_back();
            }
            r = keepLabelsWhole(cells, slices, r, room() - headerH);
            const bool headerOnly = r >= rowCount && slices.empty();
            if ((slices.empty() && r < rowCount) || (headerOnly && headerH > room() + kEps)) {
                if (!fresh_) {
                    newPage();
                    continue;
                }
                if (r < rowCount) {
                    // Even a fresh page cannot hold the row: cut it if each cell can show a
                    // line here, else let it overflow (progress is guaranteed either way).
                    if (avail >= oneLine) {
                        slices.push_back(Slice{r, avail, false});
                    } else {
                        slices.push_back(Slice{r, remaining[static_cast<size_t>(r)], true});
                        ++r;
                    }
                }
            }
            if (!slices.empty() || !drewHeader) {
                drawHeader(t, cells, rowH, headerH, blockIndex);
                drewHeader = true;
                drawSlices(cells, slices, blockIndex);
                fresh_ = false;
            }
            if (!slices.empty() && !slices.back().completesRow) {
                remaining[static_cast<size_t>(r)] = remainderOf(cells, r, minRow);
            }
            if (r >= rowCount) break;
            newPage();
        }
        skip(t.spaceAfterPt);
    }

    // Makes every merged label on this page's slices whole: a label that starts below the
    // first row and would be cut moves to the next page with its rows; one that starts at
    // the top (or continues from the page before) gets rows tall enough for all its text,
    // pushing rows that then no longer fit to the next page. Returns the next row to place.
    static int keepLabelsWhole(const std::vector<CellBox>& cells, std::vector<Slice>& slices, int next, double avail) {
        for (size_t guard = 0; guard < 4 * cells.size() + 4 && !slices.empty(); ++guard) {
            const int first = slices.front().row;
            const int last = slices.back().row;
            bool changed = false;
            for (const CellBox& b : cells) {
                if (!b.label || b.r1 < first || b.r0 > last) continue;
                const int to = std::min(b.r1, last);
                if (b.r0 >= first && b.r1 <= last && slices[static_cast<size_t>(b.r1 - first)].completesRow) continue;
                double h = 0.0;
                for (int r = std::max(b.r0, first); r <= to; ++r) h += slices[static_cast<size_t>(r - first)].height;
                const double need = b.neededHeight(b.lineCount);
                if (h + kEps >= need) continue;
                if (b.r0 > first) {
                    while (!slices.empty() && slices.back().row >= b.r0) {
                        next = slices.back().row;
                        slices.pop_back();
                    }
                } else {
                    slices[static_cast<size_t>(to - first)].height += need - h;
                    double total = 0.0;
                    for (const Slice& sl : slices) total += sl.height;
                    while (slices.size() > 1 && total > avail + kEps) {
                        total -= slices.back().height;
                        next = slices.back().row;
                        slices.pop_back();
                    }
                }
                changed = true;
                break;
            }
            if (!changed) break;
        }
        return next;
    }

    // A figure broken over two lines is easily misread ("1.5" / "0"), so a one-line number
    // cell that is too wide is set smaller instead, down to kMinFigureScale of its size;
    // beyond that it wraps like text.
    static void shrinkFigure(CellBox& box, Shaped& shaped, double inner) {
        constexpr double kMinFigureScale = 0.6;
        if (!box.cell->number) return;
        const std::u32string_view text = std::u32string_view(shaped.text).substr(box.textBegin, box.textEnd - box.textBegin);
        if (text.find(U'\n') != std::u32string_view::npos) return;
        double w = 0.0;
        for (size_t i = box.textBegin; i < box.textEnd; ++i) w += shaped.advance[i];
        if (w <= inner) return;
        const double scale = std::max(kMinFigureScale, inner / w);
        for (size_t i = box.textBegin; i < box.textEnd; ++i) {
            shaped.advance[i] *= scale;
            shaped.size[i] *= scale;
        }
        box.size *= scale;
    }

    // Height still needed by a row that a page break cut.
    static double remainderOf(const std::vector<CellBox>& cells, int r, double minRow) {
        double need = minRow;
        for (const CellBox& b : cells) {
            if (b.r1 == r && b.r0 <= r) {
                need = std::max(need, b.neededHeight(b.lineCount - b.consumed));
            }
        }
        return need;
    }

    void drawHeader(const layout::Table& t, std::vector<CellBox>& cells, const std::vector<double>& rowH, double headerH,
                    size_t blockIndex) {
        if (t.headerRows == 0) return;
        std::vector<double> tops;
        double y = y_;
        for (int r = 0; r < t.headerRows; ++r) {
            tops.push_back(y);
            y -= rowH[static_cast<size_t>(r)];
        }
        for (CellBox& b : cells) {
            if (b.r0 >= t.headerRows) break;
            double h = 0.0;
            for (int r = b.r0; r <= b.r1; ++r) h += rowH[static_cast<size_t>(r)];
            drawFragment(b, tops[static_cast<size_t>(b.r0)], h, true, false, blockIndex);
        }
        y_ -= headerH;
    }

    void drawSlices(std::vector<CellBox>& cells, const std::vector<Slice>& slices, size_t blockIndex) {
        if (slices.empty()) return;
        const int first = slices.front().row;
        const int last = slices.back().row;
        std::vector<double> tops;
        double y = y_;
        for (const Slice& s : slices) {
            tops.push_back(y);
            y -= s.height;
        }
        for (CellBox& b : cells) {
            if (b.r1 < first || b.r0 > last) continue;
            const int from = std::max(b.r0, first);
            const int to = std::min(b.r1, last);
            double h = 0.0;
            for (int r = from; r <= to; ++r) h += slices[static_cast<size_t>(r - first)].height;
            const bool lastFragment = b.r1 <= last && slices[static_cast<size_t>(b.r1 - first)].completesRow;
            drawFragment(b, tops[static_cast<size_t>(from - first)], h, lastFragment, true, blockIndex);
        }
        y_ = y;
    }

    // Draws the part of a cell that falls on this page: border, then text. Short text that
    // fits in the fragment is repeated on every page (a merged 一级指标 label stays readable
    // after a page break); text too long for the fragment flows on from where it stopped.
    void drawFragment(CellBox& b, double top, double height, bool lastFragment, bool track, size_t blockIndex) {
        page().items.push_back(PagedRect{b.x, top - height, b.width, height, kBorderWidth});
        const size_t total = b.lineCount;
        const double usable = height - 2.0 * b.padding;
        const auto fit = static_cast<size_t>(std::max(0.0, std::floor(usable / b.lineHeight + kEps)));
        size_t from = 0;
        size_t count = total;
        bool centre = true;
        if (!b.label && !(b.consumed == 0 && total <= fit)) {
            // Flowing text starts at the top; the last fragment takes all that is left even
            // if rounding made it a line short (overflow beats losing text).
            from = b.consumed;
            count = lastFragment ? total - from : std::min(fit, total - from);
            centre = false;
            if (track) b.consumed += count;
        }
        const double block = static_cast<double>(count) * b.lineHeight;
        double lineTop = centre ? top - (height - block) / 2.0 : top - b.padding;
        const double innerLeft = b.x + b.padding;
        const double innerWidth = b.width - 2.0 * b.padding;
        for (size_t k = from; k < from + count; ++k) {
            const LineSpan& span = cellLines_[b.firstLine + k];
            const double size = cellText_.maxSize(span.begin, span.end, b.size);
            const Align align = b.align == Align::Justify ? Align::Justify : b.align;
            const LinePlacement at = placeLine(span, align, innerLeft, innerWidth, size);
            const double baseline = lineTop - (b.lineHeight - size) / 2.0 - kEmBoxTop * size;
            drawLine(cellText_, span, at.x, baseline, at.spacing);
            lineTop -= b.lineHeight;
        }
        page().cells.push_back(PagedCell{blockIndex, b.r0, b.r1, !track, from == 0 && count == total});
    }

    // ---- running header and page numbers ----

    void decoratePages() {
        const layout::HeaderFooter& hf = doc_.headerFooter;
        const int pages = static_cast<int>(out_.pages.size());
        const double size = hf.style.sizePt;
        for (int p = 0; p < pages; ++p) {
            if (!hf.headerText.empty()) {
                Shaped s;
                shaper_.append(s, hf.headerText, hf.style.role, size, hf.style.bold);
                drawCentred(s, p, top_ + layout::mmToPt(5.0) + (1.0 - kEmBoxTop) * size);
            }
            if (hf.pageNumbers == layout::PageNumberStyle::None) continue;
            if (hf.skipFirstPage && p == 0) continue;
            std::string text;
            if (hf.pageNumbers == layout::PageNumberStyle::OfTotal) {
                text = "第 " + std::to_string(p + 1) + " 页 共 " + std::to_string(pages) + " 页";
            } else {
                text = "\u2014 " + std::to_string(p + 1) + " \u2014";
            }
            Shaped s;
            shaper_.append(s, text, hf.style.role, size, hf.style.bold);
            // GB/T 9704 7.5: the number line's top is `distanceMm` below the type area.
            const double baseline = bottom_ - layout::mmToPt(hf.distanceMm) - kEmBoxTop * size;
            if (hf.position == layout::PageNumberPosition::Outside) {
                double w = 0.0;
                for (double a : s.advance) w += a;
                // Odd pages flush right, even pages flush left, one character in.
                const bool odd = (p + 1) % 2 == 1;
                const double x = odd ? right_ - size - w : left_ + size;
                PagedPage& on = out_.pages[static_cast<size_t>(p)];
                placeText(on, s, LineSpan{0, s.text.size(), w, true}, x, baseline, 0.0, on.furniture);
            } else {
                drawCentred(s, p, baseline);
            }
        }
    }

    void drawCentred(const Shaped& s, int page, double baseline) {
        double w = 0.0;
        for (double a : s.advance) w += a;
        PagedPage& on = out_.pages[static_cast<size_t>(page)];
        placeText(on, s, LineSpan{0, s.text.size(), w, true}, left_ + (width() - w) / 2.0, baseline, 0.0, on.furniture);
    }

    const layout::Document& doc_;
    Shaper shaper_;
    Shaped cellText_;                  // the text of the table being laid out, cell after cell (CellBox)
    std::vector<LineSpan> cellLines_;  // its cells' lines, cell after cell
    PagedDocument out_;
    double pageW_ = 0.0, pageH_ = 0.0;
    double left_ = 0.0, right_ = 0.0, top_ = 0.0, bottom_ = 0.0;
    double y_ = 0.0;
    bool fresh_ = true;
};

// `doc` tightened by `t` (0 = as written, 1 = as tight as fitting a page may make it): gaps
// lose up to three quarters, table cell padding up to 60 %, line spacing comes down towards
// 1.05 and type sizes above kMinFitSizePt shrink by up to 20 % (never below it).
layout::Document tightened(const layout::Document& doc, double t) {
    layout::Document d = doc;
    auto gap = [t](double& pt) { pt *= 1.0 - 0.75 * t; };
    auto size = [t](double& pt) {
        if (pt > layout::kMinFitSizePt) pt = std::max(layout::kMinFitSizePt, pt * (1.0 - 0.2 * t));
    };
    auto spacing = [t](double& factor) {
        if (factor > 1.05) factor -= (factor - 1.05) * t;
    };
    auto format = [&](layout::ParagraphFormat& f) {
        gap(f.spaceBeforePt);
        gap(f.spaceAfterPt);
        if (f.lineSpacing.mode == layout::LineSpacing::Mode::Multiple) spacing(f.lineSpacing.value);
    };
    for (layout::Block& block : d.blocks) {
        if (auto* h = std::get_if<layout::Heading>(&block)) {
            size(h->style.sizePt);
            format(h->format);
        } else if (auto* p = std::get_if<layout::Paragraph>(&block)) {
            size(p->style.sizePt);
            for (layout::Run& run : p->runs) {
                if (run.sizePt) size(*run.sizePt);
            }
            format(p->format);
        } else if (auto* tb = std::get_if<layout::Table>(&block)) {
            size(tb->style.sizePt);
            for (layout::TableRow& row : tb->rows) {
                for (layout::Cell& cell : row.cells) {
                    if (cell.sizePt) size(*cell.sizePt);
                }
            }
            spacing(tb->lineSpacing);
            tb->cellPaddingMm *= 1.0 - 0.6 * t;
            gap(tb->spaceBeforePt);
            gap(tb->spaceAfterPt);
        } else if (auto* sp = std::get_if<layout::Spacer>(&block)) {
            sp->heightMm *= 1.0 - 0.75 * t;
        }
    }
    return d;
}

}  // namespace

PagedDocument paginate(const layout::Document& doc, const pdf::FontSet& fonts) {
    PagedDocument paged = Flow(doc, fonts).run();
    if (!doc.page.fitOnePage || paged.pages.size() <= 1) return paged;
    // The tightest setting first: when even it leaves a second page, the document keeps its
    // own sizes and spacing. Otherwise the loosest setting that fits.
    PagedDocument tightest = Flow(tightened(doc, 1.0), fonts).run();
    if (tightest.pages.size() > 1) return paged;
    for (double t : {1.0 / 3.0, 2.0 / 3.0}) {
        PagedDocument fitted = Flow(tightened(doc, t), fonts).run();
        if (fitted.pages.size() == 1) return fitted;
    }
    return tightest;
}

}  // namespace jixiao::render
