#include "render/docx_writer.h"

#include "model/text.h"
#include "render/html_writer.h"
#include "render/line_break.h"
#include "render/paged.h"
#include "render/table_geometry.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace jixiao::render {

namespace {

using layout::Align;
using layout::FontRole;
using layout::TextStyle;

// ---- units and text ----

long twips(double pt) { return std::lround(pt * 20.0); }
/// A line pitch in twips, rounded down: 22 lines of 28.99 pt must fit the 225 mm type area
/// (12,756 twips) as in the PDF, which 22 × 580 does not.
long pitchTwips(double pt) { return long(std::floor(pt * 20.0 + 1e-6)); }
long twipsMm(double mm) { return twips(layout::mmToPt(mm)); }
long halfPoints(double pt) { return std::lround(pt * 2.0); }

/// Text for an XML element or attribute: escaped, and without the control characters XML 1.0
/// cannot carry (a cell from a spreadsheet may hold one).
std::string xml(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') clean += c;
    return escapeHtml(clean);
}

const char* jc(Align a, Align fallback = Align::Justify) {
    switch (a == Align::Auto ? fallback : a) {
    case Align::Left: return "left";
    case Align::Center: return "center";
    case Align::Right: return "right";
    case Align::Justify:
    case Align::Auto: break;
    }
    return "both";
}

/// Run properties: the role's office font for every script, size, weight, colour.
std::string rPr(FontRole role, double sizePt, bool bold, const std::string& color = {}, long spacingTw = 0) {
    const std::string font = xml(layout::officeFontName(role));
    std::string out =
        "<w:rPr><w:rFonts w:ascii=\"" + font + "\" w:hAnsi=\"" + font + "\" w:eastAsia=\"" + font + "\" w:cs=\"" + font + "\"/>";
    if (bold) out += "<w:b/><w:bCs/>";
    if (!color.empty()) out += "<w:color w:val=\"" + color + "\"/>";
    if (spacingTw != 0) out += "<w:spacing w:val=\"" + std::to_string(spacingTw) + "\"/>";
    out += "<w:sz w:val=\"" + std::to_string(halfPoints(sizePt)) + "\"/><w:szCs w:val=\"" + std::to_string(halfPoints(sizePt)) +
           "\"/></w:rPr>";
    return out;
}

/// Runs of `text` in one style; "\n" becomes a line break.
std::string runs(const std::string& text, const std::string& props) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = text.find('\n', start);
        const std::string part = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!part.empty()) out += "<w:r>" + props + "<w:t xml:space=\"preserve\">" + xml(part) + "</w:t></w:r>";
        if (nl == std::string::npos) break;
        out += "<w:r>" + props + "<w:br/></w:r>";
        start = nl + 1;
    }
    return out;
}

std::string colorHex(const layout::Color& c) {
    char buf[8];
    auto byte = [](double v) { return int(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); };
    std::snprintf(buf, sizeof buf, "%02X%02X%02X", byte(c.r), byte(c.g), byte(c.b));
    return buf;
}

/// The width a title line takes, in ems: full-width characters one, others half.
std::vector<double> emAdvances(const std::u32string& text) {
    std::vector<double> out;
    out.reserve(text.size());
    for (char32_t c : text) out.push_back(double(model::displayWidth(model::encodeUtf8(std::u32string(1, c)))) / 2.0);
    return out;
}

// ---- the document body ----

class BodyWriter {
public:
    /// `pageRows`: per table (index into doc.blocks), the body rows that start a page in the
    /// PDF; the table is cut there (tableBreaks). `colophonPage`: the PDF's 版记 starts a page.
    BodyWriter(const layout::Document& doc, std::map<std::size_t, std::vector<int>> pageRows, bool colophonPage)
        : doc_(doc), pageRows_(std::move(pageRows)), colophonPage_(colophonPage) {
        const auto& m = doc.page.marginsMm;
        const bool landscape = doc.page.orientation == layout::Orientation::Landscape;
        widthPt_ = layout::mmToPt((landscape ? 297.0 : 210.0) - m.left - m.right);
    }

    std::string write() {
        if (doc_.letterhead && !doc_.letterhead->number.empty()) letterNumber(*doc_.letterhead);
        for (std::size_t i = 0; i < doc_.blocks.size(); ++i) {
            const layout::Block& block = doc_.blocks[i];
            if (auto* h = std::get_if<layout::Heading>(&block)) heading(*h);
            else if (auto* p = std::get_if<layout::Paragraph>(&block)) paragraph(*p);
            else if (auto* t = std::get_if<layout::Table>(&block)) table(*t, pageRows_[i]);
            else if (auto* s = std::get_if<layout::Signature>(&block)) signature(*s);
            else if (auto* sp = std::get_if<layout::Spacer>(&block)) spacer(*sp);
            else if (auto* n = std::get_if<layout::AttachmentNote>(&block)) attachmentNote(*n);
            else if (std::holds_alternative<layout::PageBreak>(block)) breakPending_ = !out_.empty();
        }
        if (doc_.colophon) colophon(*doc_.colophon);
        return out_;
    }

    /// The character grid of the gridded paragraphs (GB/T 9704: 28 per line), if any.
    struct Grid {
        int chars = 0;
        double sizePt = 0.0;
        double pitchPt = 0.0;
    };
    Grid grid() const {
        for (const auto& block : doc_.blocks)
            if (auto* p = std::get_if<layout::Paragraph>(&block); p && p->format.gridChars > 0)
                return {p->format.gridChars, p->style.sizePt, lineHeight(p->format.lineSpacing, p->style.sizePt)};
        return {};
    }
    double widthPt() const { return widthPt_; }

private:
    static double lineHeight(const layout::LineSpacing& s, double size) {
        return s.mode == layout::LineSpacing::Mode::Exact ? s.value : s.value * size;
    }

    /// Paragraph properties; a pending page break is taken by this paragraph.
    std::string pPr(const layout::ParagraphFormat& f, double size, Align fallback = Align::Justify, const std::string& extra = {},
                    double leftTw = 0, double hangingTw = 0, double rightTw = 0) {
        // The schema's order: keepNext, pageBreakBefore, widowControl, tabs, autoSpace…,
        // snapToGrid, spacing, ind, jc.
        static const std::string kKeepNext = "<w:keepNext/>";
        std::string rest = extra;
        std::string out = "<w:pPr>";
        if (rest.compare(0, kKeepNext.size(), kKeepNext) == 0) {
            out += kKeepNext;
            rest.erase(0, kKeepNext.size());
        }
        if (breakPending_) out += "<w:pageBreakBefore/>";
        breakPending_ = false;
        if (rest.compare(0, 11, "<w:framePr ") == 0) {
            const std::size_t end = rest.find("/>") + 2;
            out += rest.substr(0, end);
            rest.erase(0, end);
        }
        // No automatic space between Chinese and Latin text or figures: the PDF has none.
        out += "<w:widowControl w:val=\"0\"/>" + rest + "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>";
        if (f.gridChars == 0) out += "<w:snapToGrid w:val=\"0\"/>";
        out += "<w:spacing w:before=\"" + std::to_string(twips(f.spaceBeforePt)) + "\" w:after=\"" + std::to_string(twips(f.spaceAfterPt)) +
               "\" w:line=\"" + std::to_string(pitchTwips(lineHeight(f.lineSpacing, size))) + "\" w:lineRule=\"exact\"/>";
        const double charPt = size + double(gridSpacing(f, size)) / 20.0;
        const long first = twips(f.firstLineIndentChars * charPt);
        out += "<w:ind w:left=\"" + std::to_string(long(leftTw)) + "\" w:right=\"" + std::to_string(long(rightTw)) + "\"";
        if (hangingTw > 0) out += " w:hanging=\"" + std::to_string(long(hangingTw)) + "\"";
        else if (first > 0) out += " w:firstLine=\"" + std::to_string(first) + "\"";
        out += "/><w:jc w:val=\"" + std::string(jc(f.align, fallback)) + "\"/></w:pPr>";
        return out;
    }

    void letterNumber(const layout::Letterhead& lh) {
        layout::ParagraphFormat f;
        f.align = Align::Right;
        f.lineSpacing = {layout::LineSpacing::Mode::Exact, lh.numberStyle.sizePt * 1.25};
        out_ += "<w:p>" + pPr(f, lh.numberStyle.sizePt) +
                runs(lh.number, rPr(lh.numberStyle.role, lh.numberStyle.sizePt, lh.numberStyle.bold)) + "</w:p>";
    }

    void heading(const layout::Heading& h) {
        // U+200B marks where a balanced title may break; Word gets the lines already broken.
        std::u32string text;
        std::vector<std::size_t> marks;
        for (char32_t c : model::decodeUtf8(h.text)) {
            if (c == 0x200B) marks.push_back(text.size());
            else text += c;
        }
        std::string content = model::encodeUtf8(text);
        if (h.balanced) {
            const double maxEm = widthPt_ / h.style.sizePt;
            content.clear();
            for (const LineSpan& span : balanceLines(text, emAdvances(text), marks, maxEm)) {
                if (!content.empty()) content += '\n';
                content += model::encodeUtf8(text.substr(span.begin, span.end - span.begin));
            }
        }
        const std::string outline = "<w:keepNext/>";
        std::string p = pPr(h.format, h.style.sizePt, Align::Left, outline);
        // The outline level goes last among the paragraph properties it is allowed after.
        p.insert(p.size() - std::string("</w:pPr>").size(),
                 "<w:outlineLvl w:val=\"" + std::to_string(std::clamp(h.level - 1, 0, 8)) + "\"/>");
        out_ += "<w:p>" + p + runs(content, rPr(h.style.role, h.style.sizePt, h.style.bold)) + "</w:p>";
    }

    void paragraph(const layout::Paragraph& para) {
        out_ += "<w:p>" + pPr(para.format, para.style.sizePt);
        const long spacing = gridSpacing(para.format, para.style.sizePt);
        for (const auto& r : para.runs)
            out_ += runs(r.text, rPr(r.role.value_or(para.style.role), r.sizePt.value_or(para.style.sizePt), para.style.bold || r.bold, {},
                                     spacing));
        out_ += "</w:p>";
    }

    /// Character spacing (twentieths of a point) that makes `gridChars` full-width characters
    /// fill a line, rounded down so that the last one never wraps: the size stays as set.
    long gridSpacing(const layout::ParagraphFormat& f, double size) const {
        if (f.gridChars <= 0) return 0;
        return long(std::floor((widthPt_ / f.gridChars - size) * 20.0));
    }

    void spacer(const layout::Spacer& s) {
        layout::ParagraphFormat f;
        f.lineSpacing = {layout::LineSpacing::Mode::Exact, std::max(1.0, layout::mmToPt(s.heightMm))};
        out_ += "<w:p>" + pPr(f, 1.0) + "<w:r>" + rPr(FontRole::Body, 1.0, false) + "</w:r></w:p>";
    }

    void signature(const layout::Signature& s) {
        const double size = s.style.sizePt;
        const double lh = lineHeight(s.lineSpacing, size);
        if (s.lines.empty()) return;
        // GB/T 9704 7.3.5.1: the date flush right with rightIndentChars of space, the lines
        // above centred over it.
        auto width = [&](const std::string& line) { return double(model::displayWidth(line)) / 2.0 * size; };
        const double lastRight = s.rightIndentChars * size;
        const double axis = lastRight + width(s.lines.back()) / 2.0;  // from the right edge
        for (std::size_t i = 0; i < s.lines.size(); ++i) {
            layout::ParagraphFormat f;
            f.align = Align::Right;
            f.lineSpacing = {layout::LineSpacing::Mode::Exact, lh};
            f.spaceBeforePt = i == 0 ? s.spaceBeforeLines * lh : 0.0;
            const double right = std::max(0.0, axis - width(s.lines[i]) / 2.0);
            out_ += "<w:p>" + pPr(f, size, Align::Right, i + 1 < s.lines.size() ? "<w:keepNext/>" : "", 0, 0, twips(right)) +
                    runs(s.lines[i], rPr(s.style.role, size, s.style.bold)) + "</w:p>";
        }
    }

    void attachmentNote(const layout::AttachmentNote& n) {
        const double size = n.style.sizePt;
        const double charPt = size + double(gridSpacing(n.format, size)) / 20.0;
        auto em = [&](const std::string& t) { return double(model::displayWidth(t)) / 2.0 * charPt; };
        const double indent = n.format.firstLineIndentChars * charPt;
        const double label = em(n.label);
        bool first = true;
        layout::ParagraphFormat f = n.format;
        f.firstLineIndentChars = 0;
        const auto items = n.items();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& [number, name] = items[i];
            // Wrapped lines align with the name's first character, each number under the first.
            const double hang = indent + label + em(number);
            f.spaceBeforePt = first ? n.format.spaceBeforePt : 0.0;
            f.spaceAfterPt = i + 1 == items.size() ? n.format.spaceAfterPt : 0.0;
            out_ += "<w:p>" + pPr(f, size, Align::Left, "", twips(hang), twips(hang - indent - (first ? 0.0 : label))) +
                    runs((first ? n.label : std::string()) + number + name,
                         rPr(n.style.role, size, n.style.bold, {}, gridSpacing(n.format, size))) +
                    "</w:p>";
            first = false;
        }
    }

    /// 版记: one frame as wide as the type area, pinned to its bottom edge (as in the PDF), the
    /// lines between separator rules (GB/T 9704 7.4.1): thick above the first line and below
    /// the last, thin between them. A rule is a paragraph of its own, as high as the rule and
    /// shaded black: LibreOffice drops the frame of paragraphs that have borders, and Word and
    /// WPS draw the shading alike. The rules fall where the PDF draws them: the last one inside
    /// the last line's height, ending on the type area's bottom edge, a thin one centred on
    /// each boundary between two lines, the first one on top of the first line.
    void colophon(const layout::Colophon& c) {
        const double size = c.style.sizePt;
        const long rightTab = twips(widthPt_ - size);
        const long line = twips(c.lineHeightPt);
        const long thick = twips(layout::mmToPt(c.thickRuleMm)), thin = twips(layout::mmToPt(c.thinRuleMm));
        const std::string frame =
            "<w:framePr w:w=\"" + std::to_string(twips(widthPt_)) +
            "\" w:wrap=\"around\" w:vAnchor=\"margin\" w:hAnchor=\"margin\" w:xAlign=\"center\" w:yAlign=\"bottom\"/>";
        auto exact = [](long tw) {
            layout::ParagraphFormat f;
            f.align = Align::Left;
            f.lineSpacing = {layout::LineSpacing::Mode::Exact, double(tw) / 20.0};
            return f;
        };
        auto rule = [&](long tw, bool keep) {
            std::string p = pPr(exact(tw), 1.0, Align::Left,
                                (keep ? "<w:keepNext/>" : "") + frame + "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"000000\"/>");
            // The paragraph mark as small as Word allows, so that it never makes the line taller.
            p.insert(p.size() - std::string("</w:pPr>").size(), "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>");
            out_ += "<w:p>" + p + "</w:p>";
        };
        // Where the PDF starts a page for the 版记, a paragraph of its own takes the break: the
        // frame then falls on that page in Word (after it in the flow) and in LibreOffice
        // (anchored to the paragraph after the frame).
        if (colophonPage_ && !out_.empty()) breakPending_ = true;
        if (breakPending_) out_ += "<w:p>" + pPr(exact(20), 1.0) + "</w:p>";
        if (c.rules) rule(thick, true);
        for (std::size_t i = 0; i < c.lines.size(); ++i) {
            const auto& text = c.lines[i];
            const bool first = i == 0, last = i + 1 == c.lines.size();
            const long height = c.rules ? line - (first ? 0 : thin - thin / 2) - (last ? thick : thin / 2) : line;
            const std::string tabs =
                text.right.empty() ? std::string() : "<w:tabs><w:tab w:val=\"right\" w:pos=\"" + std::to_string(rightTab) + "\"/></w:tabs>";
            const std::string props = rPr(c.style.role, size, c.style.bold);
            out_ += "<w:p>" + pPr(exact(height), size, Align::Left, (last && !c.rules ? "" : "<w:keepNext/>") + frame + tabs, twips(size)) +
                    runs(text.left, props);
            if (!text.right.empty()) out_ += "<w:r>" + props + "<w:tab/></w:r>" + runs(text.right, props);
            out_ += "</w:p>";
            if (c.rules) rule(last ? thick : thin, !last);
        }
        // The frame's anchor: a document cannot end in a framed paragraph.
        out_ += "<w:p>" + pPr(exact(20), 1.0) + "</w:p>";
    }

    /// A table; cut before each of `pageRows` into tables of their own, the second and later
    /// starting a page with the header rows repeated and a merged cell cut there shown whole
    /// on both sides, as the PDF shows them.
    void table(const layout::Table& t, const std::vector<int>& pageRows) {
        if (breakPending_) {
            // A table cannot start a page by itself: a one-point paragraph carries the break.
            layout::ParagraphFormat f;
            f.lineSpacing = {layout::LineSpacing::Mode::Exact, 1.0};
            out_ += "<w:p>" + pPr(f, 1.0) + "</w:p>";
        }
        const std::vector<layout::PlacedCell> placed = layout::placeCells(t);
        const int columns = int(t.columnWidths.size());
        // The columns' edges of the PDF and the XLSX (render/table_geometry), each rounded to a
        // twip, so that the rounding never adds up over the columns.
        const std::vector<double> edges = tableColumnEdges(t, widthPt_, layout::mmToPt(1.0));
        std::vector<long> widths;
        for (std::size_t c = 0; c + 1 < edges.size(); ++c) widths.push_back(twips(edges[c + 1]) - twips(edges[c]));
        long tableWidth = 0;
        for (long w : widths) tableWidth += w;
        const long pad = twipsMm(t.cellPaddingMm);
        const std::string border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"";
        // Space before: an empty exact-height paragraph (Word has no spacing on tables).
        if (t.spaceBeforePt > 0.5) spacerPt(t.spaceBeforePt);
        const std::string tableStart = "<w:tbl><w:tblPr><w:tblW w:w=\"" + std::to_string(tableWidth) +
                                       "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
                                       "<w:tblBorders><w:top " +
                                       border + "/><w:left " + border + "/><w:bottom " + border + "/><w:right " + border + "/><w:insideH " +
                                       border + "/><w:insideV " + border +
                                       "/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
                                       "<w:tblCellMar><w:top w:w=\"" +
                                       std::to_string(pad / 2) + "\" w:type=\"dxa\"/><w:left w:w=\"" + std::to_string(pad) +
                                       "\" w:type=\"dxa\"/><w:bottom w:w=\"" + std::to_string(pad / 2) +
                                       "\" w:type=\"dxa\"/><w:right w:w=\"" + std::to_string(pad) +
                                       "\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>" +
                                       [&] {
                                           std::string grid;
                                           for (long w : widths) grid += "<w:gridCol w:w=\"" + std::to_string(w) + "\"/>";
                                           return grid;
                                       }() +
                                       "</w:tblGrid>";
        // Every grid position: the cell starting there, or the one spanning over it from above.
        const int rows = int(t.rows.size());
        std::vector<std::vector<const layout::PlacedCell*>> start(rows, std::vector<const layout::PlacedCell*>(columns, nullptr));
        std::vector<std::vector<const layout::PlacedCell*>> covered(rows, std::vector<const layout::PlacedCell*>(columns, nullptr));
        for (const auto& pc : placed) {
            start[pc.row][pc.column] = &pc;
            for (int r = pc.row + 1; r < pc.row + pc.cell->rowspan && r < rows; ++r) covered[r][pc.column] = &pc;
        }
        // The parts: [from, to) body rows each, header rows before each.
        std::vector<int> cuts{t.headerRows};
        for (int r : pageRows)
            if (r > cuts.back() && r < rows) cuts.push_back(r);
        cuts.push_back(rows);
        auto writeRow = [&](int r, int from, int to) {
            const auto& row = t.rows[r];
            out_ += "<w:tr><w:trPr><w:cantSplit/>";
            if (row.minHeightMm > 0) out_ += "<w:trHeight w:val=\"" + std::to_string(twipsMm(row.minHeightMm)) + "\" w:hRule=\"atLeast\"/>";
            if (r < t.headerRows) out_ += "<w:tblHeader/>";
            out_ += "</w:trPr>";
            for (int c = 0; c < columns;) {
                const layout::PlacedCell* pc = start[r][c];
                const layout::PlacedCell* owner = pc ? pc : covered[r][c];
                if (!owner) {  // placeCells leaves no holes; a defensive empty cell
                    out_ += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(widths[c]) + "\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>";
                    ++c;
                    continue;
                }
                // A merged cell begins at its row or at the part's first row, and spans the
                // rows of it inside the part.
                const bool first = pc || r == from;
                const int spanned =
                    r < t.headerRows ? owner->cell->rowspan : std::min(owner->row + owner->cell->rowspan, to) - std::max(owner->row, from);
                const int span = std::min(owner->cell->colspan, columns - c);
                long w = 0;
                for (int k = c; k < c + span; ++k) w += widths[k];
                out_ += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(w) + "\" w:type=\"dxa\"/>";
                if (span > 1) out_ += "<w:gridSpan w:val=\"" + std::to_string(span) + "\"/>";
                if (spanned > 1) out_ += first ? "<w:vMerge w:val=\"restart\"/>" : "<w:vMerge/>";
                out_ += "<w:vAlign w:val=\"center\"/></w:tcPr>";
                if (first) cellContent(t, *owner->cell, r < t.headerRows);
                else out_ += "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/></w:pPr></w:p>";
                out_ += "</w:tc>";
                c += span;
            }
            out_ += "</w:tr>";
        };
        for (std::size_t part = 0; part + 1 < cuts.size(); ++part) {
            if (part > 0) {
                breakPending_ = true;  // a one-point paragraph carries the break (tables cannot)
                spacerPt(1.0);
            }
            out_ += tableStart;
            for (int r = 0; r < t.headerRows; ++r) writeRow(r, 0, t.headerRows);
            for (int r = cuts[part]; r < cuts[part + 1]; ++r) writeRow(r, cuts[part], cuts[part + 1]);
            out_ += "</w:tbl>";
        }
        if (t.spaceAfterPt > 0.5) spacerPt(t.spaceAfterPt);
    }

    void cellContent(const layout::Table& t, const layout::Cell& cell, bool header) {
        const double size = cell.sizePt.value_or(t.style.sizePt);
        layout::ParagraphFormat f;
        f.align = cell.align == Align::Auto ? (cell.number ? Align::Right : (header ? Align::Center : Align::Left)) : cell.align;
        f.lineSpacing = {layout::LineSpacing::Mode::Exact, t.lineSpacing * size};
        const bool pending = breakPending_;
        breakPending_ = false;
        out_ += "<w:p>" + pPr(f, size, Align::Left) +
                runs(cell.text, rPr(cell.role.value_or(t.style.role), size, t.style.bold || cell.bold)) + "</w:p>";
        breakPending_ = pending;
    }

    void spacerPt(double pt) {
        layout::ParagraphFormat f;
        f.lineSpacing = {layout::LineSpacing::Mode::Exact, pt};
        out_ += "<w:p>" + pPr(f, 1.0) + "</w:p>";
    }

    const layout::Document& doc_;
    std::map<std::size_t, std::vector<int>> pageRows_;
    bool colophonPage_ = false;
    double widthPt_ = 0.0;
    bool breakPending_ = false;
    std::string out_;
};

// ---- headers, footers and the watermark ----

const char* const kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"";

const char* const kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A diagonal light-grey text shape behind the page (Word's own watermark form).
std::string watermarkShape(const std::string& text, int index) {
    return "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/></w:pPr><w:r><w:pict>"
           "<v:shapetype id=\"_x0000_t136\" coordsize=\"21600,21600\" o:spt=\"136\" adj=\"10800\" path=\"m@7,l@8,m@5,21600l@6,21600e\">"
           "<v:path textpathok=\"t\" o:connecttype=\"custom\"/><v:textpath on=\"t\" fitshape=\"t\"/></v:shapetype>"
           "<v:shape id=\"jixiaoWatermark" +
           std::to_string(index) + "\" o:spid=\"_x0000_s" + std::to_string(1025 + index) +
           "\" type=\"#_x0000_t136\" style=\"position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;"
           "rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
           "mso-position-vertical:center;mso-position-vertical-relative:margin\" o:allowincell=\"f\" fillcolor=\"#D9D9D9\" stroked=\"f\">"
           "<v:fill opacity=\"1\"/><v:textpath style=\"font-family:&quot;" +
           xml(layout::officeFontName(FontRole::Heading)) + "&quot;;font-size:1pt\" string=\"" + xml(text) +
           "\"/></v:shape></w:pict></w:r></w:p>";
}

struct Part {
    std::string name;
    std::string contentType;
    std::string xml;
};

/// A page-number paragraph: "— PAGE —" (or 第 PAGE 页 共 NUMPAGES 页), aligned as asked.
std::string pageNumberParagraph(const layout::HeaderFooter& hf, Align align, double indentPt) {
    const std::string props = rPr(hf.style.role, hf.style.sizePt, hf.style.bold);
    auto field = [&](const char* name) {
        return "<w:fldSimple w:instr=\" " + std::string(name) + " \"><w:r>" + props + "<w:t>1</w:t></w:r></w:fldSimple>";
    };
    std::string body;
    if (hf.pageNumbers == layout::PageNumberStyle::Dashed) body = runs("— ", props) + field("PAGE") + runs(" —", props);
    else body = runs("第 ", props) + field("PAGE") + runs(" 页 共 ", props) + field("NUMPAGES") + runs(" 页", props);
    const std::string side = align == Align::Right ? "w:right" : "w:left";
    return "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\"/><w:ind " + side + "=\"" +
           std::to_string(twips(indentPt)) + "\"/><w:jc w:val=\"" + jc(align) + "\"/></w:pPr>" + body + "</w:p>";
}

std::string ruleParagraph(const layout::Letterhead& lh, double widthPt, bool top) {
    // A double rule as a paragraph border, as long as the letterhead's rule (centred; wider
    // than the type area by negative indents).
    const long out = twips((layout::mmToPt(lh.ruleLengthMm) - widthPt) / 2.0);
    const std::string kind = top ? "thinThickSmallGap" : "thickThinSmallGap";
    const long eighths = std::lround(layout::mmToPt(lh.thickRuleMm + lh.thinRuleMm + lh.ruleSpacingMm) * 8.0 / 2.0);
    return std::string("<w:pBdr><w:") + (top ? "top" : "bottom") + " w:val=\"" + kind + "\" w:sz=\"" + std::to_string(eighths) +
           "\" w:space=\"" + std::to_string(long(std::lround(layout::mmToPt(top ? 0.0 : lh.ruleGapMm)))) + "\" w:color=\"" +
           colorHex(lh.color) + "\"/></w:pBdr><w:snapToGrid w:val=\"0\"/>" + "<w:ind w:left=\"" + std::to_string(-out) + "\" w:right=\"" +
           std::to_string(-out) + "\"/>";
}

/// The first page's header: the 发文机关标志 over the red double rule, or (preprinted
/// paper) the same height left blank.
std::string letterheadHeader(const layout::Letterhead& lh, double widthPt) {
    const double size = lh.markStyle.sizePt;
    if (!lh.printed) {
        const double height = size + layout::mmToPt(lh.ruleGapMm + lh.thickRuleMm + lh.thinRuleMm + lh.ruleSpacingMm);
        return "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" + std::to_string(twips(height)) +
               "\" w:lineRule=\"exact\"/></w:pPr></w:p>";
    }
    // Word's order inside pPr: pBdr before snapToGrid, spacing, ind, jc.
    std::string rule = ruleParagraph(lh, widthPt, false);
    const std::size_t ind = rule.find("<w:ind");
    return "<w:p><w:pPr>" + rule.substr(0, ind) + "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"" + std::to_string(twips(size)) +
           "\" w:lineRule=\"exact\"/>" + rule.substr(ind) + "<w:jc w:val=\"center\"/></w:pPr>" +
           runs(lh.mark, rPr(lh.markStyle.role, size, lh.markStyle.bold, colorHex(lh.color))) + "</w:p>";
}

std::string bottomRuleFooter(const layout::Letterhead& lh, double widthPt) {
    std::string rule = ruleParagraph(lh, widthPt, true);
    const std::size_t ind = rule.find("<w:ind");
    return "<w:p><w:pPr>" + rule.substr(0, ind) + "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>" +
           rule.substr(ind) + "</w:pPr></w:p>";
}

std::string headerPart(const std::string& content) { return std::string(kXmlDecl) + "<w:hdr " + kWordNs + ">" + content + "</w:hdr>"; }
std::string footerPart(const std::string& content) { return std::string(kXmlDecl) + "<w:ftr " + kWordNs + ">" + content + "</w:ftr>"; }

/// W3CDTF in UTC for the core properties.
std::string w3cdtf(const layout::FixedDate& d) {
    const long long minutes = (long long)d.hour * 60 + d.minute - d.utcOffsetMinutes;
    long long dayShift = minutes < 0 ? -1 : (minutes >= 1440 ? 1 : 0);
    const long long m = minutes - dayShift * 1440;
    const model::Date day = d.date().plusDays(dayShift).value_or(d.date());
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02dZ", day.iso().c_str(), m / 60, m % 60, d.second);
    return buf;
}

std::string zip(std::vector<Part> parts, const layout::FixedDate& date) {
    std::sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.name < b.name; });
    std::ostringstream out;
    Poco::Zip::Compress compress(out, true);
    // DOS timestamps have two-second resolution and start in 1980.
    const Poco::DateTime stamp(std::max(1980, date.year), date.month, date.day, date.hour, date.minute, date.second / 2 * 2);
    for (const Part& p : parts) {
        std::istringstream in(p.xml);
        compress.addFile(in, stamp, Poco::Path(p.name, Poco::Path::PATH_UNIX), Poco::Zip::ZipCommon::CM_DEFLATE,
                         Poco::Zip::ZipCommon::CL_NORMAL);
    }
    compress.close();
    return out.str();
}

}  // namespace

std::string renderDocx(const layout::Document& doc, const PagedDocument& paged) {
    // The body rows each page of the PDF starts a table with: a row is on the page where its
    // own first cell is first drawn.
    std::map<std::size_t, std::map<int, std::size_t>> rowPage;
    for (std::size_t p = 0; p < paged.pages.size(); ++p)
        for (const PagedCell& c : paged.pages[p].cells)
            if (!c.header) rowPage[c.block].emplace(c.firstRow, p);  // keeps the first page
    std::map<std::size_t, std::vector<int>> pageRows;
    for (const auto& [block, pages] : rowPage) {
        std::size_t last = pages.begin()->second;
        for (const auto& [row, page] : pages) {
            if (page > last) pageRows[block].push_back(row);
            last = std::max(last, page);
        }
    }
    BodyWriter body(doc, std::move(pageRows), paged.colophonPage);
    const std::string flow = body.write();
    const double widthPt = body.widthPt();
    const BodyWriter::Grid grid = body.grid();
    const auto& hf = doc.headerFooter;
    const auto& m = doc.page.marginsMm;
    const bool outside = hf.position == layout::PageNumberPosition::Outside;
    const bool numbers = hf.pageNumbers != layout::PageNumberStyle::None;
    const bool titlePage = doc.letterhead.has_value() || (numbers && hf.skipFirstPage);

    std::vector<Part> parts;
    std::string rels;
    int nextRel = 3;
    std::string references;
    auto addPart = [&](const std::string& kind, const std::string& type, const std::string& file, const std::string& content) {
        const std::string id = "rId" + std::to_string(nextRel++);
        const bool header = kind == "header";
        parts.push_back({"word/" + file, std::string("application/vnd.openxmlformats-officedocument.wordprocessingml.") + kind + "+xml",
                         header ? headerPart(content) : footerPart(content)});
        rels += "<Relationship Id=\"" + id + "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" + kind +
                "\" Target=\"" + file + "\"/>";
        references += "<w:" + kind + "Reference w:type=\"" + type + "\" r:id=\"" + id + "\"/>";
    };
    int shapes = 0;
    auto mark = [&] { return doc.watermark.empty() ? std::string() : watermarkShape(doc.watermark, shapes++); };
    const std::string headerText = hf.headerText.empty()
                                       ? std::string()
                                       : "<w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:jc w:val=\"center\"/></w:pPr>" +
                                             runs(hf.headerText, rPr(hf.style.role, hf.style.sizePt, hf.style.bold)) + "</w:p>";
    auto orEmpty = [](const std::string& content) { return content.empty() ? std::string("<w:p/>") : content; };
    // Headers first, then footers (the schema's order of the references).
    addPart("header", "default", "header1.xml", orEmpty(mark() + headerText));
    if (outside) addPart("header", "even", "header2.xml", orEmpty(mark() + headerText));
    if (titlePage)
        addPart("header", "first", "header3.xml",
                mark() + (doc.letterhead ? letterheadHeader(*doc.letterhead, widthPt) : orEmpty(headerText)));
    const double indent = outside ? hf.style.sizePt : 0.0;
    const std::string odd = numbers ? pageNumberParagraph(hf, outside ? Align::Right : Align::Center, indent) : std::string();
    addPart("footer", "default", "footer1.xml", orEmpty(odd));
    if (outside) addPart("footer", "even", "footer2.xml", orEmpty(numbers ? pageNumberParagraph(hf, Align::Left, indent) : ""));
    if (titlePage) {
        std::string first = numbers && !hf.skipFirstPage ? odd : std::string();
        if (doc.letterhead && doc.letterhead->printed) first += bottomRuleFooter(*doc.letterhead, widthPt);
        addPart("footer", "first", "footer3.xml", orEmpty(first));
    }

    const bool landscape = doc.page.orientation == layout::Orientation::Landscape;
    const double headerMm = doc.letterhead ? doc.letterhead->markTopMm : std::max(5.0, m.top - 10.0);
    const double footerMm = std::max(5.0, m.bottom - hf.distanceMm - hf.style.sizePt * 25.4 / 72.0);
    std::string sect = "<w:sectPr>" + references + "<w:pgSz w:w=\"" + std::to_string(landscape ? 16838 : 11906) + "\" w:h=\"" +
                       std::to_string(landscape ? 11906 : 16838) + "\"" + (landscape ? " w:orient=\"landscape\"" : "") +
                       "/><w:pgMar w:top=\"" + std::to_string(twipsMm(m.top)) + "\" w:right=\"" + std::to_string(twipsMm(m.right)) +
                       "\" w:bottom=\"" + std::to_string(twipsMm(m.bottom)) + "\" w:left=\"" + std::to_string(twipsMm(m.left)) +
                       "\" w:header=\"" + std::to_string(twipsMm(headerMm)) + "\" w:footer=\"" + std::to_string(twipsMm(footerMm)) +
                       "\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>" + (titlePage ? "<w:titlePg/>" : "");
    if (grid.chars > 0) {
        // The line grid (22 lines of the letter's pitch). The 28 characters per line come from
        // the runs' character spacing: a character grid (linesAndChars) lets LibreOffice put a
        // 16 pt character in two 15.8 pt cells.
        sect += "<w:docGrid w:type=\"lines\" w:linePitch=\"" + std::to_string(pitchTwips(grid.pitchPt)) + "\"/>";
    } else {
        sect += "<w:docGrid w:linePitch=\"312\"/>";
    }
    sect += "</w:sectPr>";
    parts.push_back({"word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                     std::string(kXmlDecl) + "<w:document " + kWordNs + "><w:body>" + flow + sect + "</w:body></w:document>"});

    const double defaultSize = grid.chars > 0 ? grid.sizePt : 10.5;
    parts.push_back({"word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
                     std::string(kXmlDecl) + "<w:styles " + kWordNs + "><w:docDefaults><w:rPrDefault>" +
                         rPr(grid.chars > 0 ? FontRole::FangSong : FontRole::Body, defaultSize, false) +
                         "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:pPrDefault>"
                         "</w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
                         "<w:qFormat/></w:style></w:styles>"});
    parts.push_back({"word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
                     std::string(kXmlDecl) + "<w:settings " + kWordNs + "><w:defaultTabStop w:val=\"420\"/>" +
                         (outside ? "<w:evenAndOddHeaders/>" : "") +
                         "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" "
                         "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"});
    parts.push_back({"word/_rels/document.xml.rels", "",
                     std::string(kXmlDecl) +
                         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
                         "Target=\"styles.xml\"/>"
                         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" "
                         "Target=\"settings.xml\"/>" +
                         rels + "</Relationships>"});
    const std::string when = w3cdtf(doc.meta.created);
    parts.push_back(
        {"docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
         std::string(kXmlDecl) +
             "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
             "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
             "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
             xml(doc.meta.title) + "</dc:title><dc:subject>" + xml(doc.meta.subject) + "</dc:subject><dc:creator>" + xml(doc.meta.author) +
             "</dc:creator><cp:keywords>" + xml(doc.meta.keywords) + "</cp:keywords><dcterms:created xsi:type=\"dcterms:W3CDTF\">" + when +
             "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + when + "</dcterms:modified></cp:coreProperties>"});
    parts.push_back({"docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                     std::string(kXmlDecl) +
                         "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
                         "<Application>jixiao</Application></Properties>"});
    parts.push_back(
        {"_rels/.rels", "",
         std::string(kXmlDecl) +
             "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
             "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
             "Target=\"word/document.xml\"/>"
             "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
             "Target=\"docProps/core.xml\"/>"
             "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" "
             "Target=\"docProps/app.xml\"/>"
             "</Relationships>"});
    std::string types = std::string(kXmlDecl) +
                        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
    std::vector<Part> sorted = parts;
    std::sort(sorted.begin(), sorted.end(), [](const Part& a, const Part& b) { return a.name < b.name; });
    for (const Part& p : sorted)
        if (!p.contentType.empty()) types += "<Override PartName=\"/" + p.name + "\" ContentType=\"" + p.contentType + "\"/>";
    types += "</Types>";
    parts.push_back({"[Content_Types].xml", "", types});
    return zip(std::move(parts), doc.meta.created);
}

}  // namespace jixiao::render
