#include "layout/document.h"
#include "render/font_face.h"
#include "render/pdf_canvas.h"
#include "render/pdf_fonts.h"
#include "render/pdf_writer.h"
#include "render/render_error.h"
#include "render/utf8.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

// poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm) is a test dependency: the checks
// look at the PDF the way a reader does instead of comparing megabytes of binary.

namespace fs = std::filesystem;
using namespace jixiao;
using layout::Cell;
using layout::Document;

namespace {

const std::string kFonts = std::string(JIXIAO_SOURCE_DIR) + "/fonts";

// Set JIXIAO_KEEP_RENDER_OUTPUT=1 to keep the PDFs (and look at them) after the run.
fs::path outputDir() {
    const fs::path dir = fs::temp_directory_path() / ("jixiao-render-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

struct Cleanup {
    ~Cleanup() {
        if (std::getenv("JIXIAO_KEEP_RENDER_OUTPUT") == nullptr) {
            std::error_code ec;
            fs::remove_all(outputDir(), ec);
        }
    }
};

std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    const int status = ::pclose(pipe);
    INFO(command << "\n" << out);
    REQUIRE(status == 0);
    return out;
}

fs::path writeFile(const std::string& name, const std::string& bytes) {
    const fs::path path = outputDir() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

render::PdfOptions options() {
    render::PdfOptions o;
    o.fonts = render::FontSet::bundled(kFonts);
    return o;
}

std::string twoDigits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// The national 项目支出绩效自评表 indicator block: 64 rows under merged 一级/二级 cells, two
// header rows (the second under merged 指标值 / 评分 headings), long text in some cells.
layout::Table indicatorTable() {
    layout::Table t;
    t.columnWidths = {1.5, 1.5, 2.7, 1.4, 1.4, 0.9, 0.9, 2.2};
    t.headerRows = 2;
    auto head = [](const char* text, int colspan, int rowspan) {
        Cell c = Cell::label(text, colspan, rowspan);
        c.align = layout::Align::Center;
        c.bold = true;
        return c;
    };
    t.rows.push_back({{head("一级指标", 1, 2), head("二级指标", 1, 2), head("三级指标", 1, 2),
                       head("指标值", 2, 1), head("评分", 2, 1),
                       head("偏差原因分析及改进措施", 1, 2)}, 0.0});
    t.rows.push_back({{head("年度指标值", 1, 1), head("实际完成值", 1, 1), head("分值", 1, 1),
                       head("得分", 1, 1)}, 0.0});
    struct Group {
        const char* level1;
        int level1Rows;
        std::vector<std::pair<const char*, int>> level2;
    };
    const std::vector<Group> groups = {
        {"产出指标", 40, {{"数量指标", 15}, {"质量指标", 10}, {"时效指标", 7}, {"成本指标", 8}}},
        {"效益指标", 16, {{"社会效益指标", 8}, {"可持续影响指标", 8}}},
        {"满意度指标", 8, {{"服务对象满意度指标", 8}}},
    };
    int n = 0;
    for (const Group& g : groups) {
        bool firstOfLevel1 = true;
        for (const auto& [level2, rows] : g.level2) {
            for (int i = 0; i < rows; ++i) {
                ++n;
                layout::TableRow row;
                if (firstOfLevel1) {
                    Cell c = Cell::label(g.level1, 1, g.level1Rows);
                    c.align = layout::Align::Center;
                    row.cells.push_back(c);
                    firstOfLevel1 = false;
                }
                if (i == 0) {
                    Cell c = Cell::label(level2, 1, rows);
                    c.align = layout::Align::Center;
                    row.cells.push_back(c);
                }
                std::string name = "指标" + twoDigits(n) + "：";
                name += n % 5 == 0 ? "农村公路新建及改建里程（含桥梁、涵洞配套工程）" : "培训人次";
                row.cells.push_back(Cell::label(name));
                row.cells.push_back(Cell::label("≥95%"));
                row.cells.push_back(Cell::label(n % 7 == 0 ? "86.20%" : "96.5%"));
                row.cells.push_back(Cell::figure("1.50", model::Decimal::parse("1.5"), "0.00"));
                row.cells.push_back(Cell::figure(n % 7 == 0 ? "0.90" : "1.50",
                                                 model::Decimal::parse(n % 7 == 0 ? "0.9" : "1.5"),
                                                 "0.00"));
                row.cells.push_back(Cell::label(
                    n % 7 == 0 ? "受汛期影响，部分路段开工推迟约两个月，执行率为86.20%，低于90%；"
                                 "下一步将加强项目前期工作，合理安排施工计划。"
                               : ""));
                t.rows.push_back(std::move(row));
            }
        }
    }
    layout::TableRow total;
    Cell label = Cell::label("总分", 5, 1);
    label.align = layout::Align::Center;
    label.bold = true;
    total.cells.push_back(label);
    total.cells.push_back(Cell::figure("100.00", model::Decimal::parse("100"), "0.00"));
    Cell score = Cell::figure("92.50", model::Decimal::parse("92.5"), "0.00");
    score.formula = "=SUM(G3:G66)";
    total.cells.push_back(score);
    total.cells.push_back(Cell::label("自评等级：优"));
    t.rows.push_back(std::move(total));
    return t;
}

const std::string kOverview =
    "2024年度，县交通运输局农村公路建设项目年初预算数为1,200.00万元，全年预算数为1,350.00万元，"
    "全年执行数为1,163.70万元，执行率为86.20%。项目按照《财政部关于印发〈项目支出绩效评价管理办法〉"
    "的通知》（财预〔2020〕10号）要求开展绩效自评，围绕“产出、效益、满意度”三个维度设置绩效指标，"
    "共计64项三级指标。总体来看，项目完成了年度绩效目标的主要内容……部分指标未达预期——原因见下文。";

Document reportDocument() {
    Document doc;
    doc.meta.title = "项目支出绩效自评表（2024年度）";
    doc.meta.author = "某县财政局";
    doc.meta.subject = "绩效自评";
    doc.meta.keywords = "绩效,自评";
    doc.meta.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::OfTotal;
    doc.headerFooter.headerText = "农村公路建设项目";

    layout::Heading title;
    title.level = 1;
    title.text = "项目支出绩效自评报告";
    title.style = layout::TextStyle{layout::FontRole::Title, 22.0, false};
    title.format.align = layout::Align::Center;
    title.format.spaceAfterPt = 12.0;
    doc.blocks.push_back(title);

    layout::Heading h1;
    h1.level = 1;
    h1.text = "一、基本情况";
    doc.blocks.push_back(h1);

    layout::Heading h11;
    h11.level = 2;
    h11.text = "（一）项目概况";
    h11.style = layout::TextStyle{layout::FontRole::Kai, 16.0, false};
    doc.blocks.push_back(h11);

    layout::ParagraphFormat body;
    body.firstLineIndentChars = 2.0;
    body.spaceAfterPt = 6.0;
    doc.blocks.push_back(layout::Paragraph::plain(kOverview, layout::TextStyle{}, body));

    layout::Paragraph mixed;
    mixed.format = body;
    mixed.runs.push_back(layout::Run{"自评得分", std::nullopt, std::nullopt, false});
    mixed.runs.push_back(layout::Run{"92.50分", layout::FontRole::Heading, 14.0, false});
    mixed.runs.push_back(layout::Run{"，自评等级为", std::nullopt, std::nullopt, false});
    mixed.runs.push_back(layout::Run{"优", std::nullopt, std::nullopt, true});
    mixed.runs.push_back(layout::Run{"。", std::nullopt, std::nullopt, false});
    doc.blocks.push_back(mixed);

    layout::Heading h2;
    h2.level = 1;
    h2.text = "二、绩效指标完成情况";
    doc.blocks.push_back(h2);
    doc.blocks.push_back(indicatorTable());

    layout::Heading h3;
    h3.level = 1;
    h3.text = "三、自评结论";
    doc.blocks.push_back(h3);
    doc.blocks.push_back(layout::Paragraph::plain("经综合评价，该项目自评等级为“优”。", {}, body));

    layout::Signature sig;
    sig.lines = {"某县交通运输局", "2025年3月5日"};
    doc.blocks.push_back(sig);
    return doc;
}

std::vector<std::string> splitPages(const std::string& text) {
    std::vector<std::string> pages;
    std::string::size_type start = 0;
    for (;;) {
        const auto ff = text.find('\f', start);
        if (ff == std::string::npos) break;
        pages.push_back(text.substr(start, ff - start));
        start = ff + 1;
    }
    return pages;
}

size_t count(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
    return n;
}

std::string withoutSpaces(const std::string& s) {
    std::string out;
    for (char ch : s) {
        if (ch != ' ' && ch != '\n' && ch != '\f') out.push_back(ch);
    }
    return out;
}

// A binary PGM (P5) as written by pdftoppm -gray.
struct Pgm {
    int width = 0;
    int height = 0;
    std::string pixels;
    unsigned char at(int x, int y) const {
        return static_cast<unsigned char>(pixels[static_cast<size_t>(y) * static_cast<size_t>(width) +
                                                 static_cast<size_t>(x)]);
    }
};

Pgm readPgm(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string magic;
    int maxval = 0;
    Pgm pgm;
    in >> magic >> pgm.width >> pgm.height >> maxval;
    in.get();
    REQUIRE(magic == "P5");
    REQUIRE(maxval == 255);
    pgm.pixels.resize(static_cast<size_t>(pgm.width) * static_cast<size_t>(pgm.height));
    in.read(pgm.pixels.data(), static_cast<std::streamsize>(pgm.pixels.size()));
    REQUIRE(in.good());
    return pgm;
}

} // namespace

TEST_CASE("a report with a long merged table renders to readable, reproducible PDF", "[render]") {
    Cleanup cleanup;
    const Document doc = reportDocument();
    render::PdfStats stats;
    const std::string bytes = render::renderPdf(doc, options(), &stats);
    const fs::path pdf = writeFile("report.pdf", bytes);

    SECTION("same Document, same bytes") {
        CHECK(render::renderPdf(doc, options()) == bytes);
    }

    SECTION("properties and page count") {
        const std::string info = run("pdfinfo -isodates " + quoted(pdf));
        CHECK_THAT(info, Catch::Contains("项目支出绩效自评表（2024年度）"));
        CHECK_THAT(info, Catch::Contains("某县财政局"));
        CHECK_THAT(info, Catch::Contains("Subject:         绩效自评"));
        CHECK_THAT(info, Catch::Contains("Creator:         jixiao"));
        CHECK_THAT(info, Catch::Contains("CreationDate:    2025-03-05T09:30:00+08"));
        CHECK_THAT(info, Catch::Contains("Page size:       595.276 x 841.89 pts (A4)"));
        std::smatch m;
        REQUIRE(std::regex_search(info, m, std::regex("Pages: +([0-9]+)")));
        CHECK(std::stoi(m[1]) == stats.pages);
        CHECK(stats.pages == 6);
    }

    SECTION("fonts are embedded, only the faces used") {
        const std::string fonts = run("pdffonts " + quoted(pdf));
        std::istringstream lines(fonts);
        std::string line;
        int rows = 0;
        while (std::getline(lines, line)) {
            if (line.find("CID TrueType") == std::string::npos) continue;
            ++rows;
            CHECK(std::regex_search(line, std::regex("Identity-H +yes yes yes")));
        }
        CHECK(rows == stats.embeddedFaces);
        CHECK(rows == 3);  // UMing (body), WenKai (kai heading), WenKai Bold (title, headings)
    }

    SECTION("text is extractable and in reading order") {
        // No warnings either: libharu's own ToUnicode CMap is replaced (see pdf_canvas.cpp).
        const std::string text = run("pdftotext -layout " + quoted(pdf) + " -");
        const std::string flat = withoutSpaces(text);
        CHECK(flat.find("Syntax") == std::string::npos);
        CHECK_THAT(flat, Catch::Contains(withoutSpaces(kOverview)));
        CHECK_THAT(flat, Catch::Contains("自评得分92.50分，自评等级为优。"));

        const std::vector<std::string> inOrder = {
            "项目支出绩效自评报告", "一、基本情况", "（一）项目概况", "2024年度，县交通运输局",
            "二、绩效指标完成情况", "一级指标", "指标01：培训人次", "指标40", "指标41", "指标64", "总分", "三、自评结论", "某县交通运输局",
            "2025年3月5日"};
        size_t pos = 0;
        for (const std::string& s : inOrder) {
            INFO(s);
            const size_t found = flat.find(s, pos);
            REQUIRE(found != std::string::npos);
            pos = found + s.size();
        }
        // Every row once, in order.
        pos = 0;
        for (int n = 1; n <= 64; ++n) {
            const std::string key = "指标" + twoDigits(n) + "：";
            INFO(key);
            CHECK(count(flat, key) == 1);
            const size_t found = flat.find(key, pos);
            REQUIRE(found != std::string::npos);
            pos = found;
        }

        const std::vector<std::string> pages = splitPages(text);
        REQUIRE(static_cast<int>(pages.size()) == stats.pages);
        int tablePages = 0;
        for (size_t p = 0; p < pages.size(); ++p) {
            INFO("page " << p + 1);
            const std::string page = withoutSpaces(pages[p]);
            CHECK_THAT(page, Catch::Contains("第" + std::to_string(p + 1) + "页共" +
                                             std::to_string(pages.size()) + "页"));
            CHECK_THAT(page, Catch::Contains("农村公路建设项目"));
            if (page.find("指标") != std::string::npos && page.find("：培训人次") != std::string::npos) {
                ++tablePages;
                // Header rows repeated on every page the table reaches.
                CHECK_THAT(page, Catch::Contains("一级指标"));
                CHECK_THAT(page, Catch::Contains("三级指标"));
            }
        }
        CHECK(tablePages >= 3);
        // The 40-row 产出指标 cell is cut by page breaks: its label is repeated on each page.
        int producePages = 0;
        for (const std::string& page : pages) producePages += page.find("产出指标") != std::string::npos;
        CHECK(producePages >= 2);
    }

    SECTION("bookmarks") {
        // The outline titles are UTF-16BE strings: FEFF, then 一、基本情况.
        CHECK(bytes.find("/Title <FEFF4E00300157FA672C60C551B5>") != std::string::npos);
        CHECK(bytes.find("/PageMode /UseOutlines") != std::string::npos);
    }
}

TEST_CASE("right alignment and justification use the widths the viewer uses", "[render]") {
    Cleanup cleanup;
    Document doc;
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::None;
    layout::ParagraphFormat right;
    right.align = layout::Align::Right;
    doc.blocks.push_back(layout::Paragraph::plain("合计1,234.50万元 Abc", {}, right));
    layout::ParagraphFormat justify;
    doc.blocks.push_back(layout::Paragraph::plain(kOverview, {}, justify));
    const fs::path pdf = writeFile("align.pdf", render::renderPdf(doc, options()));
    // pdftotext computes word boxes from the PDF's /W widths; our layout used the font's
    // hmtx. Both must agree for right edges to line up.
    const std::string boxes = run("pdftotext -bbox " + quoted(pdf) + " -");
    const double rightEdge = layout::mmToPt(210.0 - 25.0);
    std::regex word("xMax=\"([0-9.]+)\"[^>]*>([^<]*)</word>");
    std::vector<std::pair<double, std::string>> words;
    for (std::sregex_iterator it(boxes.begin(), boxes.end(), word), end; it != end; ++it) {
        words.emplace_back(std::stod((*it)[1]), (*it)[2]);
    }
    REQUIRE(words.size() >= 3);
    CHECK(words[1].second == "Abc");
    CHECK(words[1].first == Approx(rightEdge).margin(0.05));
    // The first full line of the justified paragraph ends on the right margin too.
    CHECK(words[2].first == Approx(rightEdge).margin(0.6));
}

TEST_CASE("characters missing from a face fall back to another bundled face", "[render]") {
    Cleanup cleanup;
    const render::FontSet fonts = render::FontSet::bundled(kFonts);
    const render::FontFace& ming = fonts.face(fonts.chain(layout::FontRole::Body).front());
    const render::FontFace& kai = fonts.face(fonts.chain(layout::FontRole::Kai).front());
    // An ideograph the 宋体 face lacks but 文楷 has (UMing CN has no 通用规范汉字表 additions).
    char32_t onlyKai = 0;
    for (char32_t cp : kai.coveredIn(0x4E00, 0x9FFF)) {
        if (!ming.covers(cp)) {
            onlyKai = cp;
            break;
        }
    }
    REQUIRE(onlyKai != 0);
    CHECK(fonts.faceFor(layout::FontRole::Body, U'中') == fonts.chain(layout::FontRole::Body).front());
    CHECK(fonts.faceFor(layout::FontRole::Body, onlyKai) == fonts.chain(layout::FontRole::Kai).front());
    CHECK(fonts.faceFor(layout::FontRole::Body, 0x20000) == -1);  // beyond the BMP

    Document doc;
    const std::string rare = render::encodeUtf8(std::u32string(1, onlyKai));
    doc.blocks.push_back(layout::Paragraph::plain("甲" + rare + "乙𠀀丙"));
    render::PdfStats stats;
    const fs::path pdf = writeFile("fallback.pdf", render::renderPdf(doc, options(), &stats));
    CHECK(stats.embeddedFaces == 2);
    const std::string text = run("pdftotext " + quoted(pdf) + " -");
    // The rare character is kept; the one no face has becomes a visible □, never a blank.
    CHECK_THAT(text, Catch::Contains("甲" + rare + "乙□丙"));
}

TEST_CASE("GB/T 9704 letter page numbers: none on page 1, dashes, outside edges", "[render]") {
    Cleanup cleanup;
    Document doc;
    doc.page.marginsMm = layout::Margins{37.0, 35.0, 28.0, 26.0};
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::Dashed;
    doc.headerFooter.position = layout::PageNumberPosition::Outside;
    doc.headerFooter.skipFirstPage = true;
    doc.headerFooter.style = layout::TextStyle{layout::FontRole::Body, 14.0, false};
    doc.blocks.push_back(layout::Paragraph::plain("第一页"));
    doc.blocks.push_back(layout::PageBreak{});
    doc.blocks.push_back(layout::PageBreak{});  // a second break on an empty page is ignored
    doc.blocks.push_back(layout::Paragraph::plain("第二页"));
    doc.blocks.push_back(layout::PageBreak{});
    doc.blocks.push_back(layout::Paragraph::plain("第三页"));
    render::PdfStats stats;
    const fs::path pdf = writeFile("letter.pdf", render::renderPdf(doc, options(), &stats));
    CHECK(stats.pages == 3);
    const std::vector<std::string> pages = splitPages(run("pdftotext " + quoted(pdf) + " -"));
    REQUIRE(pages.size() == 3);
    CHECK(pages[0].find("—") == std::string::npos);
    CHECK_THAT(pages[1], Catch::Contains("— 2 —"));
    CHECK_THAT(pages[2], Catch::Contains("— 3 —"));
}

TEST_CASE("malformed tables and missing fonts are reported", "[render]") {
    layout::Table t;
    t.columnWidths = {1, 1};
    t.rows.push_back({{Cell::label("a"), Cell::label("b"), Cell::label("c")}, 0.0});
    CHECK_THROWS_WITH(layout::placeCells(t), "table row 1 has more cells than its 2 columns can hold");
    t.rows[0].cells = {Cell::label("a", 3)};
    CHECK_THROWS_WITH(layout::placeCells(t), "table row 1, column 1: colspan 3 runs past the last column");
    t.rows[0].cells = {Cell::label("a", 1, 2), Cell::label("b")};
    CHECK_THROWS_WITH(layout::placeCells(t), "table row 1, column 1: rowspan 2 runs past the last row");
    t.rows[0].cells = {Cell::label("a")};
    CHECK_THROWS_WITH(layout::placeCells(t), "table row 1, column 2: no cell covers this position");
    t.rows = {{{Cell::label("a", 1, 2), Cell::label("b")}, 0.0}, {{Cell::label("c")}, 0.0}};
    t.headerRows = 1;
    CHECK_THROWS_WITH(layout::placeCells(t),
                      "table row 1, column 1: a header cell cannot span into the body rows");
    t.headerRows = 0;
    const auto placed = layout::placeCells(t);
    REQUIRE(placed.size() == 3);
    CHECK(placed[2].row == 1);
    CHECK(placed[2].column == 1);

    CHECK_THROWS_WITH(render::FontSet::bundled("/nonexistent"),
                      "cannot read font /nonexistent/uming.ttc (file not found or not readable)");
    CHECK_THROWS_WITH(render::FontFace::load(kFonts + "/uming.ttc", 9),
                      "cannot read font " + kFonts + "/uming.ttc (face index 9 but the collection has 4)");
}

TEST_CASE("a row taller than a page is cut and continued", "[render]") {
    Cleanup cleanup;
    Document doc;
    layout::Table t;
    t.columnWidths = {1, 4};
    t.headerRows = 1;
    t.rows.push_back({{Cell::label("序号"), Cell::label("说明")}, 0.0});
    std::string longText;
    for (int i = 1; i <= 120; ++i) longText += "第" + std::to_string(i) + "句说明文字较长需要换行显示。";
    t.rows.push_back({{Cell::label("1"), Cell::label(longText)}, 0.0});
    doc.blocks.push_back(t);
    render::PdfStats stats;
    const fs::path pdf = writeFile("tallrow.pdf", render::renderPdf(doc, options(), &stats));
    CHECK(stats.pages >= 2);
    const std::string flat = withoutSpaces(run("pdftotext " + quoted(pdf) + " -"));
    for (int i = 1; i <= 120; ++i) {
        INFO(i);
        CHECK(count(flat, "第" + std::to_string(i) + "句说明") == 1);
    }
}

TEST_CASE("every CJK ideograph of every bundled face renders visibly", "[render]") {
    // libharu 2.3.0's TrueType subsetter loses glyphs of some fonts without any error, so
    // each bundled face is checked by rasterising every ideograph it maps in U+4E00..U+9FFF.
    Cleanup cleanup;
    const render::FontSet fonts = render::FontSet::bundled(kFonts);
    constexpr double kCell = 18.0;
    constexpr double kSize = 14.0;
    constexpr double kMargin = 36.0;
    const double pageW = layout::mmToPt(210.0);
    const double pageH = layout::mmToPt(297.0);
    const int cols = static_cast<int>((pageW - 2 * kMargin) / kCell);
    const int rows = static_cast<int>((pageH - 2 * kMargin) / kCell);
    const int perPage = cols * rows;

    for (int face = 0; face < fonts.faceCount(); ++face) {
        const std::string name = fonts.spec(face).name;
        INFO(name);
        const std::vector<char32_t> chars = fonts.face(face).coveredIn(0x4E00, 0x9FFF);
        CHECK(chars.size() > 6000);  // at least GB 2312's 6763 ideographs
        render::PdfCanvas canvas(fonts, true);
        for (size_t i = 0; i < chars.size(); ++i) {
            const int slot = static_cast<int>(i % static_cast<size_t>(perPage));
            if (slot == 0) canvas.addPage(pageW, pageH);
            const double x = kMargin + (slot % cols) * kCell;
            const double top = pageH - kMargin - (slot / cols) * kCell;
            canvas.drawText(canvas.pageCount() - 1, face, kSize, x + 2.0, top - 2.0 - 0.88 * kSize,
                            std::u32string(1, chars[i]), 0.0, false);
        }
        const std::string file = "glyphs-" + std::to_string(face);
        const fs::path pdf = writeFile(file + ".pdf", canvas.save());
        run("pdftoppm -r 50 -gray " + quoted(pdf) + " " + quoted(outputDir() / file));

        const double scale = 50.0 / 72.0;
        auto darkestIn = [&](const Pgm& pgm, int slot) {
            const double x = kMargin + (slot % cols) * kCell;
            const double y = kMargin + (slot / cols) * kCell;  // from the top
            int darkest = 255;
            for (int py = static_cast<int>(y * scale) + 1; py < static_cast<int>((y + kCell) * scale); ++py) {
                for (int px = static_cast<int>(x * scale) + 1; px < static_cast<int>((x + kCell) * scale); ++px) {
                    darkest = std::min<int>(darkest, pgm.at(px, py));
                }
            }
            return darkest;
        };
        std::vector<std::string> blank;
        const int pages = static_cast<int>((chars.size() + static_cast<size_t>(perPage) - 1) /
                                           static_cast<size_t>(perPage));
        for (int p = 0; p < pages; ++p) {
            // pdftoppm pads page numbers to the width of the page count.
            std::string digits = std::to_string(p + 1);
            digits.insert(0, std::to_string(pages).size() - digits.size(), '0');
            const Pgm pgm = readPgm(outputDir() / (file + "-" + digits + ".pgm"));
            for (int slot = 0; slot < perPage; ++slot) {
                const size_t i = static_cast<size_t>(p) * static_cast<size_t>(perPage) +
                                 static_cast<size_t>(slot);
                const int darkest = darkestIn(pgm, slot);
                if (i >= chars.size()) {
                    // The probe itself: an unused cell reads as blank.
                    CHECK(darkest > 230);
                    break;
                }
                // A blank cell is pure white; the thin horizontal of 宋体 一 still reaches ~175.
                if (darkest > 230) blank.push_back(render::encodeUtf8(std::u32string(1, chars[i])));
            }
        }
        std::string list;
        for (const std::string& ch : blank) list += ch + " ";
        INFO("blank: " << blank.size() << " of " << chars.size() << ": " << list);
        CHECK(blank.empty());
    }
}

TEST_CASE("rendering cost", "[.][bench]") {
    const render::PdfOptions o = options();
    Document doc;
    doc.meta.title = "测试";
    doc.blocks.push_back(layout::Paragraph::plain(kOverview));
    const auto t0 = std::chrono::steady_clock::now();
    std::string bytes;
    const int n = 10;
    for (int i = 0; i < n; ++i) bytes = render::renderPdf(doc, o);
    const auto t1 = std::chrono::steady_clock::now();
    const Document report = reportDocument();
    render::PdfStats stats;
    const std::string big = render::renderPdf(report, o, &stats);
    const auto t2 = std::chrono::steady_clock::now();
    using Ms = std::chrono::duration<double, std::milli>;
    const double small = Ms(t1 - t0).count() / n;
    const double large = Ms(t2 - t1).count();
    WARN("1-page body-only PDF: " << small << " ms, " << bytes.size() << " bytes; report ("
         << stats.pages << " pages, " << stats.embeddedFaces << " faces): " << large << " ms, "
         << big.size() << " bytes");
}
