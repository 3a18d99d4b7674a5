// The OFD package as a reader opens it: the zip's parts, each a well-formed XML document in
// the OFD namespace, the references between them, the positions in millimetres and the
// embedded subset font. The rendering by an independent reader is tests/ofd/ofd_js_check.sh.

#include "layout/document.h"
#include "layout/form.h"
#include "ofd/canvas.h"
#include "pdf/font_face.h"
#include "pdf/fonts.h"
#include "pdf/pdf_error.h"
#include "render/ofd_writer.h"

#include <catch2/catch.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace jixiao;

namespace {

const std::string kNs = "http://www.ofdspec.org/2016";

const pdf::FontSet& fonts() {
    static const pdf::FontSet set = pdf::FontSet::bundled(std::string(JIXIAO_SOURCE_DIR) + "/fonts");
    return set;
}

// The file entries of a zip held in memory, ordered by name.
std::vector<std::pair<std::string, std::string>> unzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    std::vector<std::pair<std::string, std::string>> parts;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        if (it->second.isDirectory()) continue;
        std::istringstream again(bytes);
        Poco::Zip::ZipInputStream zin(again, it->second, true);
        std::string content;
        Poco::StreamCopier::copyToString(zin, content);
        parts.emplace_back(it->first, content);
    }
    return parts;
}

Poco::AutoPtr<Poco::XML::Document> parse(const std::string& xml) {
    Poco::XML::DOMParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    return parser.parseString(xml);
}

// The text of the first element `name` (OFD namespace) under `root`, "" when there is none.
std::string textOf(Poco::XML::Document& doc, const std::string& name) {
    Poco::AutoPtr<Poco::XML::NodeList> list = doc.getElementsByTagNameNS(kNs, name);
    return list->length() == 0 ? std::string("(none)") : list->item(0)->innerText();
}

std::vector<Poco::XML::Element*> elements(Poco::XML::Document& doc, const std::string& name) {
    Poco::AutoPtr<Poco::XML::NodeList> list = doc.getElementsByTagNameNS(kNs, name);
    std::vector<Poco::XML::Element*> out;
    for (unsigned long i = 0; i < list->length(); ++i) out.push_back(static_cast<Poco::XML::Element*>(list->item(i)));
    return out;
}

std::string draw() {
    ofd::OfdCanvas canvas(fonts());
    layout::Metadata meta;
    meta.title = "测试 <表> & “引号”";
    meta.author = "某县财政局";
    meta.keywords = "绩效自评, XM001";
    meta.created = layout::fixedDate("2025-03-05");
    canvas.setMetadata(meta);
    const int face = fonts().faceFor(layout::FontRole::Body, U'绩');
    REQUIRE(face >= 0);
    const int page = canvas.addPage(595.276, 841.89);
    canvas.addBookmark(1, "一、概况", page, 800);
    canvas.drawText(page, face, 12, 72, 720, U" 绩效自评表 2025 ", 1.5, false);
    canvas.strokeRect(page, 72, 600, 144, 72, 0.5);
    canvas.fillRect(page, 72, 500, 144, 2.268, {1, 0, 0});
    canvas.beginColor(page, {1, 0, 0}, {0.5, 0.8660254, -0.8660254, 0.5, 300, 400});
    canvas.drawText(page, face, 72, 0, 0, U"草稿", 0, true);
    canvas.endColor(page);
    canvas.addPage(841.89, 595.276);
    canvas.addBookmark(2, "（一）明细", 1, 500);
    return canvas.save();
}

}  // namespace

TEST_CASE("an OFD package has the parts of GB/T 33190 and they refer to each other", "[ofd]") {
    const std::string bytes = draw();
    CHECK(bytes == draw());  // same calls, same bytes
    const auto parts = unzip(bytes);
    std::map<std::string, std::string> byName(parts.begin(), parts.end());
    std::vector<std::string> names;
    for (const auto& [name, content] : parts) names.push_back(name);
    CHECK(names == std::vector<std::string>{"Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml", "Doc_0/Pages/Page_1/Content.xml",
                                            "Doc_0/PublicRes.xml", "Doc_0/Res/font_3.ttf", "OFD.xml"});  // by name

    auto ofd = parse(byName.at("OFD.xml"));
    CHECK(ofd->documentElement()->localName() == "OFD");
    CHECK(ofd->documentElement()->getAttribute("Version") == "1.0");
    CHECK(ofd->documentElement()->getAttribute("DocType") == "OFD");
    CHECK(textOf(*ofd, "Title") == "测试 <表> & “引号”");
    CHECK(textOf(*ofd, "Author") == "某县财政局");
    CHECK(textOf(*ofd, "CreationDate") == "2025-03-05");
    CHECK(textOf(*ofd, "ModDate") == "2025-03-05");
    CHECK(textOf(*ofd, "Creator") == "jixiao");
    CHECK(textOf(*ofd, "DocID").size() == 32);
    std::vector<std::string> keywords;
    for (auto* k : elements(*ofd, "Keyword")) keywords.push_back(k->innerText());
    CHECK(keywords == std::vector<std::string>{"绩效自评", "XM001"});
    CHECK(textOf(*ofd, "DocRoot") == "Doc_0/Document.xml");

    auto doc = parse(byName.at("Doc_0/Document.xml"));
    CHECK(textOf(*doc, "PhysicalBox") == "0 0 210 297");
    CHECK(textOf(*doc, "PublicRes") == "PublicRes.xml");
    std::vector<std::string> pages;
    for (auto* p : elements(*doc, "Page")) pages.push_back(p->getAttribute("ID") + " " + p->getAttribute("BaseLoc"));
    CHECK(pages == std::vector<std::string>{"1 Pages/Page_0/Content.xml", "8 Pages/Page_1/Content.xml"});
    CHECK(textOf(*doc, "MaxUnitID") == "9");
    auto outline = elements(*doc, "OutlineElem");
    REQUIRE(outline.size() == 2);
    CHECK(outline[0]->getAttribute("Title") == "一、概况");
    CHECK(outline[1]->parentNode() == outline[0]);  // level 2 under level 1
    auto dests = elements(*doc, "Dest");
    REQUIRE(dests.size() == 2);
    CHECK(dests[1]->getAttribute("PageID") == "8");
    CHECK(dests[0]->getAttribute("Top") == "14.778");  // (841.89 - 800) pt in mm

    auto res = parse(byName.at("Doc_0/PublicRes.xml"));
    auto fontsXml = elements(*res, "Font");
    REQUIRE(fontsXml.size() == 1);
    CHECK(fontsXml[0]->getAttribute("ID") == "3");
    CHECK(fontsXml[0]->getAttribute("FamilyName") == fonts().spec(fonts().faceFor(layout::FontRole::Body, U'绩')).name);
    CHECK(res->documentElement()->getAttribute("BaseLoc") == "Res");
    CHECK(textOf(*res, "FontFile") == "font_3.ttf");

    // The subset draws every character of the text and nothing else.
    Poco::TemporaryFile ttf;
    std::ofstream(ttf.path(), std::ios::binary) << byName.at("Doc_0/Res/font_3.ttf");
    const pdf::FontFace subset(ttf.path(), 0);
    for (char32_t c : std::u32string(U"绩效自评表2025草稿")) CHECK(subset.covers(c));
    CHECK(subset.glyphCount() == 12);  // .notdef and 11 distinct characters (one a space)

    auto page = parse(byName.at("Doc_0/Pages/Page_0/Content.xml"));
    CHECK(elements(*page, "Area").empty());  // the document's page size
    auto texts = elements(*page, "TextObject");
    REQUIRE(texts.size() == 2);
    // Spaces at the ends are left out, the text starts one space further right.
    const double space = subset.advance(U' ') * 12 / 1000.0 + 1.5;
    auto code = elements(*page, "TextCode");
    REQUIRE(code.size() == 2);
    CHECK(code[0]->innerText() == "绩效自评表 2025");
    CHECK(texts[0]->getAttribute("Font") == "3");
    CHECK(texts[0]->getAttribute("Size") == "4.233");
    const std::string x = texts[0]->getAttribute("Boundary").substr(0, texts[0]->getAttribute("Boundary").find(' '));
    CHECK(std::stod(x) == Approx((72 + space) * 25.4 / 72).margin(0.001));
    // Five CJK characters of 12 pt plus 1.5 pt spacing (4.7625 mm, a hair under in binary),
    // then the space and three figures of half an em plus the spacing.
    CHECK(code[0]->getAttribute("DeltaX") == "g 5 4.762 g 4 2.646");
    CHECK(code[0]->getAttribute("X") == "0");
    // The watermark: red, bold, rotated by the CTM from the page's top left.
    CHECK(texts[1]->getAttribute("CTM") == "0.5 -0.866 0.866 0.5 105.833 155.889");
    CHECK(texts[1]->getAttribute("Boundary") == "0 0 210 297");
    CHECK(texts[1]->getAttribute("Weight") == "700");
    CHECK(texts[0]->getAttribute("Weight") == "");
    auto fills = elements(*page, "FillColor");
    REQUIRE(fills.size() == 2);
    CHECK(fills[0]->getAttribute("Value") == "255 0 0");
    auto paths = elements(*page, "PathObject");
    REQUIRE(paths.size() == 2);
    CHECK(paths[0]->getAttribute("Boundary") == "25.312 59.845 50.976 25.576");
    CHECK(paths[0]->getAttribute("LineWidth") == "0.176");
    CHECK(textOf(*page, "AbbreviatedData") == "M 0.088 0.088 L 50.888 0.088 L 50.888 25.488 L 0.088 25.488 C");
    CHECK(paths[1]->getAttribute("Fill") == "true");
    CHECK(paths[1]->getAttribute("Stroke") == "false");

    auto landscape = parse(byName.at("Doc_0/Pages/Page_1/Content.xml"));
    CHECK(textOf(*landscape, "PhysicalBox") == "0 0 297 210");
}

TEST_CASE("an OFD package needs a page", "[ofd]") {
    ofd::OfdCanvas canvas(fonts());
    CHECK_THROWS_WITH(canvas.save(), "内部错误：OFD 文档没有页面");
    CHECK_THROWS_WITH(canvas.strokeRect(0, 0, 0, 1, 1, 1), "内部错误：OFD 没有编号为 0 的页面");
}

// Issue 11 item 7: a character XML 1.0 forbids (a control character pasted into dataset.json's
// 发文机关, U+FFFF) in the metadata, an outline title or the text made an OFD part malformed.
TEST_CASE("characters XML forbids never reach an OFD part", "[ofd]") {
    layout::Document doc;
    doc.meta.title = "绩效\x02自评\uFFFF报告";
    doc.meta.author = "某县\x02财政局\x1B";
    doc.meta.subject = "自评\x0B";
    doc.meta.keywords =
        "XM\x01"
        "001, 绩效";
    doc.meta.created = layout::fixedDate("2025-03-05");
    layout::Heading heading;
    heading.text = "一、\x02基本情况\uFFFE";
    doc.blocks.emplace_back(heading);
    doc.blocks.emplace_back(layout::Paragraph::plain("某县\x02财政局\x1B：正文。"));
    render::PdfOptions options;
    options.fonts = fonts();
    int xmlParts = 0;
    for (const auto& [name, bytes] : unzip(render::renderOfd(doc, options))) {
        if (name.size() < 4 || name.compare(name.size() - 4, 4, ".xml") != 0) continue;
        ++xmlParts;
        INFO(name);
        CHECK_NOTHROW(parse(bytes));
        if (name == "OFD.xml") {
            auto ofd = parse(bytes);
            CHECK(textOf(*ofd, "Title") == "绩效自评报告");
            CHECK(textOf(*ofd, "Author") == "某县财政局");
            CHECK(textOf(*ofd, "Subject") == "自评");
            CHECK(textOf(*ofd, "Keyword") == "XM001");
        }
        if (name == "Doc_0/Document.xml") CHECK(elements(*parse(bytes), "OutlineElem").front()->getAttribute("Title") == "一、基本情况");
    }
    CHECK(xmlParts == 4);  // OFD.xml, Document.xml, PublicRes.xml, one page
}
