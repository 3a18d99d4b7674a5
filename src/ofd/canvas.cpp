#include "ofd/canvas.h"

#include "model/text.h"
#include "pdf/flate.h"
#include "pdf/pdf_error.h"
#include "pdf/subsetter.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/ZipArchiveInfo.h>
#include <Poco/Zip/ZipFileInfo.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

namespace jixiao::ofd {

namespace {

constexpr const char* kNamespace = "http://www.ofdspec.org/2016";
constexpr double kMmPerPt = 25.4 / 72.0;

/// A length or coordinate in millimetres as OFD writes it: at most three decimals (a
/// micrometre), zeros trimmed, never "-0".
std::string mm(double v) {
    if (!std::isfinite(v)) throw pdf::PdfError("内部错误：OFD 中的坐标不是数字");
    const long long micro = std::llround(v * 1000.0);
    if (micro == 0) return "0";
    char buf[32];
    char* p = buf;
    if (micro < 0) *p++ = '-';
    const unsigned long long a = static_cast<unsigned long long>(micro < 0 ? -micro : micro);
    p = std::to_chars(p, buf + sizeof buf, a / 1000).ptr;
    if (unsigned frac = static_cast<unsigned>(a % 1000); frac != 0) {
        *p++ = '.';
        for (unsigned unit = 100; frac != 0; unit /= 10) {
            *p++ = static_cast<char>('0' + frac / unit);
            frac %= unit;
        }
    }
    return std::string(buf, p);
}

std::string box(double x, double y, double w, double h) { return mm(x) + " " + mm(y) + " " + mm(w) + " " + mm(h); }

std::string colorValue(const layout::Color& c) {
    auto channel = [](double v) { return std::to_string(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); };
    return channel(c.r) + " " + channel(c.g) + " " + channel(c.b);
}

bool isBlack(const layout::Color& c) { return c.r == 0.0 && c.g == 0.0 && c.b == 0.0; }

/// DeltaX (GB/T 33190 11.3): the advances between characters, a run of equal values written
/// once as "g N value".
std::string deltas(const std::vector<std::string>& values) {
    std::string out;
    for (size_t i = 0; i < values.size();) {
        size_t j = i + 1;
        while (j < values.size() && values[j] == values[i]) ++j;
        if (!out.empty()) out += ' ';
        if (j - i >= 2) out += "g " + std::to_string(j - i) + " ";
        out += values[i];
        i = j;
    }
    return out;
}

/// Appends `text` to `out` as XML character data (`attribute`: inside a double-quoted
/// attribute value): the markup characters escaped, tab and line feed in attributes as
/// references (so that parsers keep them), and the characters XML 1.0 cannot carry
/// (model::xmlAllows: control characters pasted into a name, U+FFFE/U+FFFF) and carriage
/// returns left out, since one of them makes the whole part unreadable.
void appendEscaped(std::string& out, std::string_view text, bool attribute) {
    bool suspect = false;  // a control character (tab and line feed too), U+FFFE/U+FFFF or a surrogate
    for (size_t i = 0; i < text.size() && !suspect; ++i) {
        const auto b = static_cast<unsigned char>(text[i]);
        const auto next = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0; };
        suspect = b < 0x20 || (b == 0xEF && next(1) == 0xBF && next(2) >= 0xBE) || (b == 0xED && next(1) >= 0xA0);
    }
    std::string cleaned;
    if (suspect) {
        for (char32_t cp : model::decodeUtf8(text))
            if (cp != U'\r' && model::xmlAllows(cp)) model::appendUtf8(cleaned, cp);
        text = cleaned;
    }
    size_t plain = 0;  // start of the characters not yet appended, none of them special
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const char* ref = c == '&'                 ? "&amp;"
                          : c == '<'               ? "&lt;"
                          : c == '>'               ? "&gt;"
                          : attribute && c == '"'  ? "&quot;"
                          : attribute && c == '\t' ? "&#x9;"
                          : attribute && c == '\n' ? "&#xA;"
                                                   : nullptr;
        if (ref == nullptr) continue;
        out.append(text, plain, i - plain);
        out += ref;
        plain = i + 1;
    }
    out.append(text, plain, std::string_view::npos);
}

/// An XML part written straight into a string: every element in the OFD namespace with the
/// "ofd" prefix (declared on the root), attributes in the order given, text and attribute
/// values through appendEscaped. (Poco's XMLWriter writes character by character through a
/// converting stream, which cost more than all the rest of an OFD.)
class Xml {
public:
    using Attrs = std::vector<std::pair<std::string, std::string>>;

    Xml() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"; }
    void open(const std::string& name, const Attrs& attrs = {}) {
        start(name, attrs);
        out_ += '>';
    }
    void close(const std::string& name) {
        out_ += "</ofd:";
        out_ += name;
        out_ += '>';
    }
    void text(const std::string& text) { appendEscaped(out_, text, false); }
    void leaf(const std::string& name, const Attrs& attrs) {
        start(name, attrs);
        out_ += "/>";
    }
    void data(const std::string& name, const std::string& content, const Attrs& attrs = {}) {
        open(name, attrs);
        text(content);
        close(name);
    }
    /// The part's bytes; the writer is finished afterwards.
    std::string finish() {
        out_ += '\n';
        return std::move(out_);
    }

private:
    void start(const std::string& name, const Attrs& attrs) {
        out_ += "<ofd:";
        out_ += name;
        if (!rooted_) {
            out_ += " xmlns:ofd=\"";
            out_ += kNamespace;
            out_ += '"';
            rooted_ = true;
        }
        for (const auto& [key, value] : attrs) {
            out_ += ' ';
            out_ += key;
            out_ += "=\"";
            appendEscaped(out_, value, true);
            out_ += '"';
        }
    }

    std::string out_;
    bool rooted_ = false;
};

std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001B3ULL;
    }
    return h;
}

/// A file of the package: its bytes and their zlib stream (pdf::flate, or with a glyph
/// prefix's shared outlines pdf::compressSubset).
struct Part {
    std::string name;
    std::string bytes;
    std::string zlib;
    std::uint32_t crc = 0;  // CRC-32 of bytes, as the zip entry records it
};

Part part(std::string name, std::string bytes, std::string zlib) {
    if (zlib.size() < 6) throw pdf::PdfError("内部错误：OFD 部件 " + name + " 不是 zlib 数据");
    const auto crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    return Part{std::move(name), std::move(bytes), std::move(zlib), crc};
}

/// The zip of `parts` in their order, each deflated, dated `modified`, written with Poco::Zip's
/// local header, central directory and end records. The deflate data is each part's zlib
/// stream without its 2-byte header and 4-byte Adler-32 trailer (RFC 1950): the same raw
/// deflate blocks a zip holds (RFC 1951), so the parts are compressed once, with libdeflate
/// and the shared font outlines, instead of again by Poco::Zip::Compress's zlib stream.
std::string zipParts(const std::vector<Part>& parts, const Poco::DateTime& modified) {
    using namespace Poco::Zip;
    std::string out, central;
    for (const Part& p : parts) {
        const std::string_view data = std::string_view(p.zlib).substr(2, p.zlib.size() - 6);
        ZipLocalFileHeader header(Poco::Path(p.name, Poco::Path::PATH_UNIX), modified, ZipCommon::CM_DEFLATE, ZipCommon::CL_NORMAL);
        header.setCRC(p.crc);
        header.setCompressedSize(data.size());
        header.setUncompressedSize(p.bytes.size());
        header.setStartPos(static_cast<std::streamoff>(out.size()));
        ZipFileInfo entry(header);
        entry.setOffset(out.size());
        out += header.createHeader();
        out += data;
        central += entry.createHeader();
    }
    ZipArchiveInfo end;
    end.setNumberOfEntries(static_cast<Poco::UInt16>(parts.size()));
    end.setTotalNumberOfEntries(static_cast<Poco::UInt16>(parts.size()));
    end.setCentralDirectorySize(static_cast<Poco::UInt32>(central.size()));
    end.setCentralDirectoryOffset(static_cast<Poco::UInt32>(out.size()));
    end.setHeaderOffset(static_cast<std::streamoff>(out.size() + central.size()));
    out += central;
    out += end.createHeader();
    return out;
}

}  // namespace

struct OfdCanvas::State {
    struct Segment {
        double x = 0.0, y = 0.0;  // TextCode X, Y within the boundary (mm)
        std::u32string text;
        std::vector<std::string> deltaX;  // formatted advances between characters
    };
    struct Text {
        unsigned id = 0;
        int face = 0;
        double sizeMm = 0.0;
        std::string boundary;
        std::string ctm;  // empty: none
        layout::Color color;
        bool bold = false;  // synthetic bold: Weight 700 on a face without a bold cut
        Segment code;
    };
    struct Path {
        unsigned id = 0;
        std::string boundary;
        std::string data;  // AbbreviatedData
        double lineWidthMm = 0.0;
        bool fill = false;
        layout::Color color;
    };
    struct Page {
        unsigned id = 0;
        unsigned layerId = 0;
        double widthPt = 0.0, heightPt = 0.0;
        std::vector<std::variant<Text, Path>> objects;
    };
    struct Outline {
        int level = 1;
        std::string title;
        int page = 0;
        double top = 0.0;
        std::vector<Outline> children;
    };
    struct FaceUse {
        unsigned id = 0;              // 0: not drawn with
        std::vector<char32_t> chars;  // distinct, in the order first drawn
        std::vector<bool> seen = std::vector<bool>(0x10000, false);
    };

    const pdf::FontSet& fonts;
    std::shared_ptr<const pdf::GlyphPrefix> prefix;   // may be null
    std::shared_ptr<pdf::OutlineCache> outlineCache;  // may be null
    layout::Metadata meta;
    unsigned nextId = 1;
    std::vector<Page> pages;
    std::vector<FaceUse> faces;
    std::vector<int> faceOrder;  // faces in the order first drawn with
    std::vector<Outline> outlines;
    // The colour and matrix of an open beginColor.
    std::optional<std::pair<layout::Color, std::array<double, 6>>> color;

    State(const pdf::FontSet& f, std::shared_ptr<const pdf::GlyphPrefix> p, std::shared_ptr<pdf::OutlineCache> c)
        : fonts(f), prefix(std::move(p)), outlineCache(std::move(c)), faces(static_cast<size_t>(f.faceCount())) {
        if (!prefix) return;
        // The prefix's characters come first in each face's subset, in its order, as in the PDF.
        for (size_t face = 0; face < faces.size(); ++face) add(faces[face], prefix->chars(static_cast<int>(face)));
    }

    template <class Chars>
    static void add(FaceUse& use, const Chars& chars) {
        for (char32_t cp : chars) {
            if (cp < 0x10000 && !use.seen[cp]) {
                use.seen[cp] = true;
                use.chars.push_back(cp);
            }
        }
    }

    Page& page(int index) {
        if (index < 0 || static_cast<size_t>(index) >= pages.size())
            throw pdf::PdfError("内部错误：OFD 没有编号为 " + std::to_string(index) + " 的页面");
        return pages[static_cast<size_t>(index)];
    }

    FaceUse& use(int face) {
        FaceUse& u = faces.at(static_cast<size_t>(face));
        if (u.id == 0) {
            u.id = nextId++;
            faceOrder.push_back(face);
        }
        return u;
    }

    // A rectangle in points (lower left x, y) as an OFD path with the given line width
    // (half of it outside the rectangle, so the boundary holds the whole stroke).
    Path rect(const Page& p, double x, double y, double width, double height, double lineWidthPt) {
        const double left = std::min(x, x + width), bottom = std::min(y, y + height);
        const double w = std::fabs(width) * kMmPerPt, h = std::fabs(height) * kMmPerPt;
        const double half = lineWidthPt * kMmPerPt / 2.0;
        Path path;
        path.id = nextId++;
        path.boundary = box(left * kMmPerPt - half, (p.heightPt - bottom) * kMmPerPt - h - half, w + 2 * half, h + 2 * half);
        const std::string a = mm(half), b = mm(half + w), c = mm(half + h);
        path.data = "M " + a + " " + a + " L " + b + " " + a + " L " + b + " " + c + " L " + a + " " + c + " C";
        return path;
    }

    static void writeOutline(Xml& xml, const Outline& o, const std::vector<Page>& pages) {
        const Page& target = pages[static_cast<size_t>(o.page)];
        xml.open("OutlineElem", {{"Title", o.title}});
        xml.open("Actions");
        xml.open("Action", {{"Event", "CLICK"}});
        xml.open("Goto");
        xml.leaf(
            "Dest",
            {{"Type", "XYZ"}, {"PageID", std::to_string(target.id)}, {"Left", "0"}, {"Top", mm((target.heightPt - o.top) * kMmPerPt)}});
        xml.close("Goto");
        xml.close("Action");
        xml.close("Actions");
        for (const Outline& child : o.children) writeOutline(xml, child, pages);
        xml.close("OutlineElem");
    }

    std::string pageXml(const Page& p) const {
        Xml xml;
        xml.open("Page");
        if (p.widthPt != pages.front().widthPt || p.heightPt != pages.front().heightPt) {
            xml.open("Area");
            xml.data("PhysicalBox", box(0, 0, p.widthPt * kMmPerPt, p.heightPt * kMmPerPt));
            xml.close("Area");
        }
        xml.open("Content");
        xml.open("Layer", {{"ID", std::to_string(p.layerId)}});
        for (const auto& object : p.objects) {
            if (const auto* t = std::get_if<Text>(&object)) {
                const FaceUse& face = faces[static_cast<size_t>(t->face)];
                Xml::Attrs attrs{{"ID", std::to_string(t->id)}, {"Boundary", t->boundary}};
                if (!t->ctm.empty()) attrs.emplace_back("CTM", t->ctm);
                attrs.emplace_back("Font", std::to_string(face.id));
                attrs.emplace_back("Size", mm(t->sizeMm));
                if (t->bold) attrs.emplace_back("Weight", "700");
                xml.open("TextObject", attrs);
                if (!isBlack(t->color)) xml.leaf("FillColor", {{"Value", colorValue(t->color)}});
                Xml::Attrs code{{"X", mm(t->code.x)}, {"Y", mm(t->code.y)}};
                if (!t->code.deltaX.empty()) code.emplace_back("DeltaX", deltas(t->code.deltaX));
                xml.open("TextCode", code);
                xml.text(model::encodeUtf8(t->code.text));
                xml.close("TextCode");
                xml.close("TextObject");
            } else {
                const Path& path = std::get<Path>(object);
                Xml::Attrs attrs{{"ID", std::to_string(path.id)}, {"Boundary", path.boundary}};
                if (path.fill) {
                    attrs.emplace_back("Stroke", "false");
                    attrs.emplace_back("Fill", "true");
                } else {
                    attrs.emplace_back("LineWidth", mm(path.lineWidthMm));
                }
                xml.open("PathObject", attrs);
                if (path.fill) xml.leaf("FillColor", {{"Value", colorValue(path.color)}});
                xml.data("AbbreviatedData", path.data);
                xml.close("PathObject");
            }
        }
        xml.close("Layer");
        xml.close("Content");
        xml.close("Page");
        return xml.finish();
    }

    std::string documentXml() const {
        Xml xml;
        xml.open("Document");
        xml.open("CommonData");
        xml.data("MaxUnitID", std::to_string(nextId - 1));
        xml.open("PageArea");
        const Page& first = pages.front();
        xml.data("PhysicalBox", box(0, 0, first.widthPt * kMmPerPt, first.heightPt * kMmPerPt));
        xml.close("PageArea");
        if (!faceOrder.empty()) xml.data("PublicRes", "PublicRes.xml");
        xml.close("CommonData");
        xml.open("Pages");
        for (size_t i = 0; i < pages.size(); ++i) {
            xml.leaf("Page", {{"ID", std::to_string(pages[i].id)}, {"BaseLoc", "Pages/Page_" + std::to_string(i) + "/Content.xml"}});
        }
        xml.close("Pages");
        if (!outlines.empty()) {
            xml.open("Outlines");
            for (const Outline& o : outlines) writeOutline(xml, o, pages);
            xml.close("Outlines");
        }
        xml.close("Document");
        return xml.finish();
    }

    // PublicRes.xml: every face drawn with, its subset in Res/.
    std::string publicResXml() const {
        Xml xml;
        xml.open("Res", {{"BaseLoc", "Res"}});
        xml.open("Fonts");
        for (int face : faceOrder) {
            const FaceUse& use = faces[static_cast<size_t>(face)];
            const pdf::FontFace& metrics = fonts.face(face);
            const std::string& name = metrics.postScriptName();
            Xml::Attrs attrs{{"ID", std::to_string(use.id)},
                             {"FontName", name.empty() ? fonts.spec(face).name : name},
                             {"FamilyName", fonts.spec(face).name}};
            if (fonts.spec(face).bold) attrs.emplace_back("Bold", "true");
            xml.open("Font", attrs);
            xml.data("FontFile", fontFile(use));
            xml.close("Font");
        }
        xml.close("Fonts");
        xml.close("Res");
        return xml.finish();
    }

    static std::string fontFile(const FaceUse& use) { return "font_" + std::to_string(use.id) + ".ttf"; }

    // OFD.xml with the document's metadata; `docId` identifies this content.
    std::string ofdXml(const std::string& docId) const {
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", meta.created.year, meta.created.month, meta.created.day);
        Xml xml;
        xml.open("OFD", {{"Version", "1.0"}, {"DocType", "OFD"}});
        xml.open("DocBody");
        xml.open("DocInfo");
        xml.data("DocID", docId);
        if (!meta.title.empty()) xml.data("Title", meta.title);
        if (!meta.author.empty()) xml.data("Author", meta.author);
        if (!meta.subject.empty()) xml.data("Subject", meta.subject);
        xml.data("CreationDate", date);
        xml.data("ModDate", date);
        std::vector<std::string> keywords;
        for (size_t start = 0; start <= meta.keywords.size();) {
            size_t comma = meta.keywords.find(',', start);
            if (comma == std::string::npos) comma = meta.keywords.size();
            std::string word = meta.keywords.substr(start, comma - start);
            while (!word.empty() && word.front() == ' ') word.erase(word.begin());
            while (!word.empty() && word.back() == ' ') word.pop_back();
            if (!word.empty()) keywords.push_back(word);
            start = comma + 1;
        }
        if (!keywords.empty()) {
            xml.open("Keywords");
            for (const std::string& word : keywords) xml.data("Keyword", word);
            xml.close("Keywords");
        }
        xml.data("Creator", "jixiao");
        xml.close("DocInfo");
        xml.data("DocRoot", "Doc_0/Document.xml");
        xml.close("DocBody");
        xml.close("OFD");
        return xml.finish();
    }
};

OfdCanvas::OfdCanvas(const pdf::FontSet& fonts, std::shared_ptr<const pdf::GlyphPrefix> prefix,
                     std::shared_ptr<pdf::OutlineCache> outlineCache)
    : s_(std::make_unique<State>(fonts, std::move(prefix), std::move(outlineCache))) {}

OfdCanvas::~OfdCanvas() = default;

void OfdCanvas::setMetadata(const layout::Metadata& meta) { s_->meta = meta; }

int OfdCanvas::addPage(double widthPt, double heightPt) {
    State::Page page;
    page.id = s_->nextId++;
    page.layerId = s_->nextId++;
    page.widthPt = widthPt;
    page.heightPt = heightPt;
    s_->pages.push_back(std::move(page));
    return static_cast<int>(s_->pages.size()) - 1;
}

int OfdCanvas::pageCount() const { return static_cast<int>(s_->pages.size()); }

void OfdCanvas::drawText(int pageIndex, int face, double sizePt, double x, double baseline, std::u32string_view text, double charSpacing,
                         bool emboldenSynthetic) {
    State::Page& page = s_->page(pageIndex);
    const pdf::FontFace& metrics = s_->fonts.face(face);
    auto advance = [&](char32_t cp) { return metrics.advance(cp) * sizePt / 1000.0 + charSpacing; };
    while (!text.empty() && text.front() == U' ') {
        x += advance(text.front());
        text.remove_prefix(1);
    }
    while (!text.empty() && text.back() == U' ') text.remove_suffix(1);
    if (text.empty()) return;

    State::add(s_->use(face), text);
    State::Text t;
    t.id = s_->nextId++;
    t.face = face;
    t.sizeMm = sizePt * kMmPerPt;
    t.bold = emboldenSynthetic;
    t.code.text = std::u32string(text);
    double width = 0.0;
    for (size_t i = 0; i < text.size(); ++i) {
        const double a = advance(text[i]);
        width += a;
        if (i + 1 < text.size()) t.code.deltaX.push_back(mm(a * kMmPerPt));
    }
    if (s_->color) {
        // The PDF draws in a space mapped by M = [a b c d e f] (y up, points). The OFD object
        // space is the same in millimetres with y down, and the boundary is the page, so the
        // CTM is M with the y axis flipped on both sides.
        const auto& m = s_->color->second;
        t.color = s_->color->first;
        t.boundary = box(0, 0, page.widthPt * kMmPerPt, page.heightPt * kMmPerPt);
        if (m != std::array<double, 6>{1, 0, 0, 1, 0, 0}) {
            t.ctm = mm(m[0]) + " " + mm(-m[1]) + " " + mm(-m[2]) + " " + mm(m[3]) + " " + mm(m[4] * kMmPerPt) + " " +
                    mm((page.heightPt - m[5]) * kMmPerPt);
            t.code.x = x * kMmPerPt;
            t.code.y = -baseline * kMmPerPt;
        } else {
            t.code.x = x * kMmPerPt;
            t.code.y = (page.heightPt - baseline) * kMmPerPt;
        }
    } else {
        // The boundary is the line's box: ascender to descender, the advances plus an em for
        // overhanging glyphs; the baseline is the ascender's depth into it.
        const double ascent = metrics.ascender() * sizePt / 1000.0;
        const double depth = (metrics.ascender() - metrics.descender()) * sizePt / 1000.0;
        t.boundary =
            box(x * kMmPerPt, (page.heightPt - baseline - ascent) * kMmPerPt, (std::max(width, 0.0) + sizePt) * kMmPerPt, depth * kMmPerPt);
        t.code.x = 0.0;
        t.code.y = ascent * kMmPerPt;
    }
    page.objects.emplace_back(std::move(t));
}

void OfdCanvas::strokeRect(int pageIndex, double x, double y, double width, double height, double lineWidth) {
    State::Page& page = s_->page(pageIndex);
    if (!(lineWidth >= 0.0)) throw pdf::PdfError("内部错误：线宽 " + std::to_string(lineWidth) + " 无效");
    State::Path path = s_->rect(page, x, y, width, height, lineWidth);
    path.lineWidthMm = lineWidth * kMmPerPt;
    page.objects.emplace_back(std::move(path));
}

void OfdCanvas::fillRect(int pageIndex, double x, double y, double width, double height, const layout::Color& color) {
    State::Page& page = s_->page(pageIndex);
    State::Path path = s_->rect(page, x, y, width, height, 0.0);
    path.fill = true;
    path.color = color;
    page.objects.emplace_back(std::move(path));
}

void OfdCanvas::beginColor(int pageIndex, const layout::Color& color, const std::array<double, 6>& matrix) {
    s_->page(pageIndex);
    s_->color.emplace(color, matrix);
}

void OfdCanvas::endColor(int pageIndex) {
    s_->page(pageIndex);
    s_->color.reset();
}

void OfdCanvas::addBookmark(int level, const std::string& title, int pageIndex, double top) {
    s_->page(pageIndex);
    std::vector<State::Outline>* siblings = &s_->outlines;
    while (!siblings->empty() && siblings->back().level < level) siblings = &siblings->back().children;
    siblings->push_back({level, title, pageIndex, top, {}});
}

int OfdCanvas::embeddedFaces() const { return static_cast<int>(s_->faceOrder.size()); }

std::string OfdCanvas::save() {
    State& s = *s_;
    if (s.pages.empty()) throw pdf::PdfError("内部错误：OFD 文档没有页面");
    std::vector<Part> parts;  // OFD.xml first
    auto addXml = [&parts](std::string name, std::string xml) {
        std::string packed = pdf::flate(xml);
        parts.push_back(part(std::move(name), std::move(xml), std::move(packed)));
    };
    addXml("Doc_0/Document.xml", s.documentXml());
    for (size_t i = 0; i < s.pages.size(); ++i) addXml("Doc_0/Pages/Page_" + std::to_string(i) + "/Content.xml", s.pageXml(s.pages[i]));
    if (!s.faceOrder.empty()) {
        addXml("Doc_0/PublicRes.xml", s.publicResXml());
        for (int face : s.faceOrder) {
            const State::FaceUse& use = s.faces[static_cast<size_t>(face)];
            pdf::FontSubset subset = pdf::subsetFont(s.fonts.face(face), use.chars);
            std::string packed = pdf::compressSubset(subset, face, s.prefix.get(), s.outlineCache.get());
            parts.push_back(part("Doc_0/Res/" + State::fontFile(use), std::move(subset.program), std::move(packed)));
        }
    }
    // DocID: 32 hex digits from the parts (names, sizes, CRCs) and the metadata: the same
    // document gets the same ID.
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const Part& p : parts) h = fnv1a(h, p.name + '\n' + std::to_string(p.bytes.size()) + '\n' + std::to_string(p.crc) + '\n');
    h = fnv1a(h, s.meta.title + '\n' + s.meta.author + '\n' + s.meta.subject + '\n' + s.meta.keywords);
    char id[40];
    std::snprintf(id, sizeof id, "%016llx%016llx", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(fnv1a(h ^ 0x9E3779B97F4A7C15ULL, "OFD")));
    std::string ofd = s.ofdXml(id);
    std::string packed = pdf::flate(ofd);
    parts.insert(parts.begin(), part("OFD.xml", std::move(ofd), std::move(packed)));

    const layout::FixedDate& d = s.meta.created;
    return zipParts(parts, Poco::DateTime(d.year, d.month, d.day, d.hour, d.minute, d.second));
}

}  // namespace jixiao::ofd
