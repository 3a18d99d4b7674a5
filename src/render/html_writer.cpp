#include "render/html_writer.h"

#include "model/text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <set>

namespace jixiao::render {

using model::appendUtf8;
using model::decodeUtf8;
using model::encodeUtf8;

using layout::Align;

namespace {

// One style sheet for every page, inline so that a page copied alone to a web server still
// looks right and loads nothing. Tables sit in a wrapper that scrolls sideways on a phone
// instead of squeezing eight columns into 390 px.
constexpr const char* kStyle =
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;background:#fff;color:#1b1b1b;font-size:16px;line-height:1.6;"
    "font-family:\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"WenQuanYi Micro Hei\",sans-serif}"
    "nav,main,footer{max-width:64rem;margin:0 auto;padding:0 1rem}"
    "nav{padding-top:.75rem;font-size:.9rem}"
    "nav a{margin-right:1rem}"
    "main{padding-bottom:1rem}"
    "h1{font-size:1.45rem;line-height:1.35;margin:1rem 0 .5rem}"
    "h2{font-size:1.2rem;line-height:1.4;margin:1.25rem 0 .5rem}"
    "h3,h4,h5,h6{font-size:1.05rem;margin:1rem 0 .5rem}"
    "p{margin:.5rem 0}"
    "a{color:#0b4f9c}"
    ".c{text-align:center}.r{text-align:right}.l{text-align:left}.j{text-align:justify}"
    ".b{font-weight:bold}"
    ".downloads{margin:.5rem 0 1rem}"
    ".downloads a{display:inline-block;margin:0 .5rem .25rem 0;padding:.2rem .7rem;border:1px solid #0b4f9c;"
    "border-radius:.25rem;text-decoration:none}"
    ".tw{overflow-x:auto;margin:.75rem 0}"
    "table{border-collapse:collapse;width:100%;font-size:.875rem;line-height:1.45}"
    "th,td{border:1px solid #8a8f98;padding:.3rem .45rem;vertical-align:middle}"
    "thead th{background:#eef1f5}"
    ".num{white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".sig{text-align:right;margin-top:1.5rem}"
    ".meta{color:#333;font-size:.9rem}"
    ".filter{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.75rem 0}"
    ".filter input,.filter select{font-size:1rem;padding:.25rem .4rem;max-width:100%}"
    "[hidden]{display:none!important}"
    "footer{color:#555;font-size:.85rem;border-top:1px solid #ccc;margin-top:1.5rem;padding-top:.5rem;"
    "padding-bottom:1.5rem}"
    "@media print{nav,.downloads{display:none}.tw{overflow:visible}.pb{break-after:page}}"
    // A phone reads a table as a list of its rows, each value after its column's label.
    "@media screen and (max-width:40em){"
    ".tw table.st{min-width:0!important}"
    ".st colgroup,.st .cl,.st td:empty{display:none}"
    ".st,.st thead,.st tbody,.st tr,.st th,.st td{display:block;width:auto}"
    ".st{border-top:1px solid #8a8f98}"
    ".st tr{border:1px solid #8a8f98;border-top:0;padding:.2rem 0}"
    ".st th,.st td{border:0;padding:.15rem .5rem;text-align:left;white-space:normal}"
    ".st td[rowspan]{background:#eef1f5;font-weight:bold}"
    ".st [data-label]::before{content:attr(data-label) \"：\";font-weight:bold;color:#333}}";

/// A non-negative length in CSS without locale or float formatting surprises: two decimals
/// at most, trailing zeros dropped (12.5, 40, 33.33).
std::string cssNumber(double value) {
    auto hundredths = static_cast<std::int64_t>(std::llround(std::max(0.0, value) * 100.0));
    std::string out = std::to_string(hundredths / 100);
    int frac = static_cast<int>(hundredths % 100);
    if (frac != 0) {
        out += '.';
        out += char('0' + frac / 10);
        if (frac % 10 != 0) out += char('0' + frac % 10);
    }
    return out;
}

/// Escaped text with "\n" as <br>.
std::string textWithBreaks(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        std::size_t nl = text.find('\n', start);
        out += escapeHtml(std::string_view(text).substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        out += "<br>";
        start = nl + 1;
    }
    return out;
}

const char* alignClass(Align a) {
    switch (a) {
    case Align::Left: return "l";
    case Align::Center: return "c";
    case Align::Right: return "r";
    case Align::Justify: return "j";
    case Align::Auto: break;
    }
    return "";
}

std::string classAttr(const std::vector<std::string>& classes) {
    std::string joined;
    for (const auto& c : classes)
        if (!c.empty()) joined += (joined.empty() ? "" : " ") + c;
    return joined.empty() ? std::string() : " class=\"" + joined + "\"";
}

std::string paragraphAttrs(const layout::ParagraphFormat& format, Align fallback) {
    // Justified body text reads badly in a narrow column of CJK and Latin; left is the
    // screen's equivalent of the paper's justify.
    Align a = format.align == Align::Auto || format.align == Align::Justify ? fallback : format.align;
    std::string out = classAttr({alignClass(a)});
    if (format.firstLineIndentChars > 0) out += " style=\"text-indent:" + cssNumber(format.firstLineIndentChars) + "em\"";
    return out;
}

void heading(std::string& out, const layout::Heading& h, int shift) {
    int level = std::clamp(h.level + shift, 1, 6);
    std::string tag = "h" + std::to_string(level);
    out += "<" + tag + paragraphAttrs(h.format, Align::Left) + ">" + textWithBreaks(h.text) + "</" + tag + ">\n";
}

void paragraph(std::string& out, const layout::Paragraph& p) {
    out += "<p" + paragraphAttrs(p.format, Align::Left) + ">";
    bool allBold = p.style.bold;
    if (allBold) out += "<strong>";
    for (const auto& run : p.runs) {
        bool bold = run.bold && !allBold;
        if (bold) out += "<strong>";
        out += textWithBreaks(run.text);
        if (bold) out += "</strong>";
    }
    if (allBold) out += "</strong>";
    out += "</p>\n";
}

void attachmentNote(std::string& out, const layout::AttachmentNote& n) {
    out += "<p class=\"att\">" + escapeHtml(n.label);
    bool first = true;
    for (const auto& [number, name] : n.items()) {
        if (!first) out += "<br>";
        out += escapeHtml(number + name);
        first = false;
    }
    out += "</p>\n";
}

/// `text` with its line breaks dropped (a label broken to fit a narrow column).
std::string oneLine(std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
    return text;
}

/// How a cell reads on a phone, where a table is a list of its rows (kStyle, max-width 40em):
/// a value cell names the column label it sits under (`data-label`), and a label cell that
/// names a column (`columnLabel`) is left out there.
struct PhoneLabels {
    std::map<const layout::Cell*, std::string> label;
    std::set<const layout::Cell*> columnLabel;
};

/// A label is a header cell or a bold one (项目名称, 年初预算数). A value cell's label is the
/// first label above it that starts in its column, looking past the other values of the
/// column; none when a label of another column, or no label, comes first.
PhoneLabels phoneLabels(const layout::Table& t, const std::vector<layout::PlacedCell>& placed) {
    const int rows = int(t.rows.size()), columns = int(t.columnWidths.size());
    std::vector<std::vector<const layout::PlacedCell*>> owner(rows, std::vector<const layout::PlacedCell*>(columns, nullptr));
    for (const auto& pc : placed)
        for (int r = pc.row; r < std::min(rows, pc.row + pc.cell->rowspan); ++r)
            for (int c = pc.column; c < std::min(columns, pc.column + pc.cell->colspan); ++c) owner[r][c] = &pc;
    auto isLabel = [&](const layout::PlacedCell& pc) { return pc.row < t.headerRows || pc.cell->bold; };
    PhoneLabels out;
    for (const auto& pc : placed) {
        if (isLabel(pc) || pc.cell->text.empty()) continue;
        for (int r = pc.row - 1; r >= 0; --r) {
            const layout::PlacedCell* above = owner[r][pc.column];
            if (!above || above == &pc || !isLabel(*above)) continue;
            if (above->column == pc.column && above->row + above->cell->rowspan <= pc.row && !above->cell->text.empty()) {
                out.label[pc.cell] = above->cell->text;
                out.columnLabel.insert(above->cell);
            }
            break;
        }
    }
    return out;
}

void cell(std::string& out, const layout::Cell& c, bool header, const PhoneLabels& phone) {
    const char* tag = header ? "th" : "td";
    Align a = c.align == Align::Auto ? (c.number ? Align::Right : (header ? Align::Center : Align::Left)) : c.align;
    std::vector<std::string> classes{alignClass(a)};
    if (c.number) classes.emplace_back("num");
    if (c.bold && !header) classes.emplace_back("b");
    if (phone.columnLabel.count(&c)) classes.emplace_back("cl");
    out += std::string("<") + tag;
    if (header) out += c.colspan > 1 ? " scope=\"colgroup\"" : " scope=\"col\"";
    if (c.colspan > 1) out += " colspan=\"" + std::to_string(c.colspan) + "\"";
    if (c.rowspan > 1) out += " rowspan=\"" + std::to_string(c.rowspan) + "\"";
    if (const auto label = phone.label.find(&c); label != phone.label.end())
        out += " data-label=\"" + escapeHtml(oneLine(label->second)) + "\"";
    out += classAttr(classes) + ">" + textWithBreaks(c.text) + "</" + tag + ">";
}

void table(std::string& out, const layout::Table& t) {
    // placeCells rejects overlapping or ragged tables before anything is written.
    const PhoneLabels phone = phoneLabels(t, layout::placeCells(t));
    const std::size_t columns = t.columnWidths.size();
    // The paper's narrow label columns (项目名称, 年度资金总额) break after every second glyph
    // on a small screen; about six characters per column keep words whole, and the wrapper
    // scrolls sideways instead. On a phone the table is a list of its rows (kStyle).
    out += "<div class=\"tw\"><table class=\"st\" style=\"min-width:" + cssNumber(6.0 * double(columns)) + "em\">\n";
    double total = std::accumulate(t.columnWidths.begin(), t.columnWidths.end(), 0.0);
    if (total > 0) {
        out += "<colgroup>";
        for (double w : t.columnWidths) out += "<col style=\"width:" + cssNumber(w / total * 100.0) + "%\">";
        out += "</colgroup>\n";
    }
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        bool header = int(r) < t.headerRows;
        if (r == 0 && header) out += "<thead>\n";
        if (int(r) == t.headerRows) out += "<tbody>\n";
        out += "<tr>";
        for (const auto& c : t.rows[r].cells) cell(out, c, header, phone);
        out += "</tr>\n";
        if (header && int(r) + 1 == t.headerRows) out += "</thead>\n";
    }
    if (int(t.rows.size()) > t.headerRows) out += "</tbody>\n";
    out += "</table></div>\n";
}

void signature(std::string& out, const layout::Signature& s) {
    out += "<p class=\"sig\">";
    for (std::size_t i = 0; i < s.lines.size(); ++i) out += (i ? "<br>" : "") + textWithBreaks(s.lines[i]);
    out += "</p>\n";
}

void links(std::string& out, const std::vector<HtmlLink>& list) {
    for (std::size_t i = 0; i < list.size(); ++i)
        out += std::string(i ? " " : "") + "<a href=\"" + escapeHtml(list[i].href) + "\">" + escapeHtml(list[i].text) + "</a>";
}

}  // namespace

std::string escapeHtml(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : decodeUtf8(text)) {
        switch (cp) {
        case U'&': out += "&amp;"; break;
        case U'<': out += "&lt;"; break;
        case U'>': out += "&gt;"; break;
        case U'"': out += "&quot;"; break;
        case U'\'': out += "&#39;"; break;
        default:
            // C0/C1 controls and noncharacters are not allowed in HTML text; a stray one from
            // a spreadsheet cell is dropped rather than breaking the page.
            if (cp == U'\r' || !model::xmlAllows(cp) || (cp >= 0x7F && cp < 0xA0)) break;
            appendUtf8(out, cp);
        }
    }
    return out;
}

std::string renderHtmlArticle(const layout::Document& doc, int headingShift) {
    std::string out = "<article>\n";
    for (const auto& block : doc.blocks) {
        if (const auto* h = std::get_if<layout::Heading>(&block)) heading(out, *h, headingShift);
        else if (const auto* p = std::get_if<layout::Paragraph>(&block)) paragraph(out, *p);
        else if (const auto* t = std::get_if<layout::Table>(&block)) table(out, *t);
        else if (const auto* s = std::get_if<layout::Signature>(&block)) signature(out, *s);
        else if (const auto* n = std::get_if<layout::AttachmentNote>(&block)) attachmentNote(out, *n);
        else if (std::holds_alternative<layout::PageBreak>(block)) out += "<div class=\"pb\"></div>\n";
        // A Spacer is paper white space; the screen's margins already separate blocks.
    }
    out += "</article>\n";
    return out;
}

std::string renderHtmlPage(const HtmlPage& page) {
    std::string out =
        "<!DOCTYPE html>\n"
        "<html lang=\"zh-CN\">\n"
        "<head>\n"
        "<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Enforces the promise of the page: nothing is loaded and nothing runs. The empty
        // icon stops browsers from asking the server for /favicon.ico.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:" +
        std::string(page.scripts.empty() ? "" : "; script-src 'self'") +
        "\">\n"
        "<link rel=\"icon\" href=\"data:,\">\n";
    for (const auto& src : page.scripts) out += "<script src=\"" + escapeHtml(src) + "\" defer></script>\n";
    out += "<title>" + escapeHtml(page.title) + "</title>\n";
    auto meta = [&](const char* name, const std::string& value) {
        if (!value.empty()) out += std::string("<meta name=\"") + name + "\" content=\"" + escapeHtml(value) + "\">\n";
    };
    meta("author", page.author);
    meta("description", page.description);
    meta("keywords", page.keywords);
    meta("date", page.date);
    out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
    if (!page.nav.empty()) {
        out += "<nav>";
        links(out, page.nav);
        out += "</nav>\n";
    }
    out += "<main>\n" + page.bodyHtml + "</main>\n";
    if (!page.footer.empty()) out += "<footer>" + textWithBreaks(page.footer) + "</footer>\n";
    out += "</body>\n</html>\n";
    return out;
}

std::string renderHtml(const layout::Document& doc, const HtmlOptions& options) {
    HtmlPage page;
    page.title = doc.meta.title;
    page.author = doc.meta.author;
    page.description = doc.meta.subject;
    page.keywords = doc.meta.keywords;
    page.date = doc.meta.created.date().iso();
    page.nav = options.nav;
    page.footer = options.footer;
    if (!options.downloads.empty()) {
        page.bodyHtml += "<p class=\"downloads\">下载：";
        links(page.bodyHtml, options.downloads);
        page.bodyHtml += "</p>\n";
    }
    if (!options.lead.empty()) page.bodyHtml += "<p class=\"meta\">" + textWithBreaks(options.lead) + "</p>\n";
    page.bodyHtml += renderHtmlArticle(doc);
    return renderHtmlPage(page);
}

}  // namespace jixiao::render
