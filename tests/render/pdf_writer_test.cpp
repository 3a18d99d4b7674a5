#include "layout/document.h"
#include "pdf/font_face.h"
#include "pdf/subsetter.h"
#include "pdf/canvas.h"
#include "pdf/fonts.h"
#include "pdf/glyph_prefix.h"
#include "render/ofd_writer.h"
#include "render/pdf_writer.h"
#include "render/render_error.h"
#include "model/text.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <Poco/TemporaryFile.h>

#include <zlib.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
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
    o.fonts = pdf::FontSet::bundled(kFonts);
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
    t.rows.push_back({{head("一级指标", 1, 2), head("二级指标", 1, 2), head("三级指标", 1, 2), head("指标值", 2, 1), head("评分", 2, 1),
                       head("偏差原因分析及改进措施", 1, 2)},
                      0.0});
    t.rows.push_back({{head("年度指标值", 1, 1), head("实际完成值", 1, 1), head("分值", 1, 1), head("得分", 1, 1)}, 0.0});
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
                row.cells.push_back(Cell::figure(n % 7 == 0 ? "0.90" : "1.50", model::Decimal::parse(n % 7 == 0 ? "0.9" : "1.5"), "0.00"));
                row.cells.push_back(Cell::label(n % 7 == 0 ? "受汛期影响，部分路段开工推迟约两个月，执行率为86.20%，低于90%；"
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
        return static_cast<unsigned char>(pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)]);
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

}  // namespace

/// The face of `fonts` called `name` (fonts/fonts.json), or -1.
int faceNamed(const pdf::FontSet& fonts, const std::string& name) {
    for (int f = 0; f < fonts.faceCount(); ++f) {
        if (fonts.spec(f).name == name) return f;
    }
    return -1;
}

TEST_CASE("a report with a long merged table renders to readable, reproducible PDF", "[render]") {
    Cleanup cleanup;
    const Document doc = reportDocument();
    render::PdfStats stats;
    const std::string bytes = render::renderPdf(doc, options(), &stats);
    const fs::path pdf = writeFile("report.pdf", bytes);

    SECTION("same Document, same bytes") { CHECK(render::renderPdf(doc, options()) == bytes); }

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

    SECTION("fonts are embedded as subsets, only the faces used") {
        const std::string fonts = run("pdffonts " + quoted(pdf));
        std::istringstream lines(fonts);
        std::string line;
        int rows = 0;
        while (std::getline(lines, line)) {
            if (line.find("CID TrueType") == std::string::npos) continue;
            ++rows;
            INFO(line);
            // emb, sub, uni; a subset's name starts with a six-letter tag (ISO 32000-1 9.6.4).
            CHECK(std::regex_search(line, std::regex("^[A-Z]{6}\\+(UMingCN|GBZenKai-Medium|BousungEG-Light-GB|LXGWWenKai-Bold) +"
                                                     "CID TrueType +Identity-H +yes yes yes ")));
        }
        CHECK(rows == stats.embeddedFaces);
        // UMing (song), AR PL KaitiM GB (kai heading), AR PL SungtiL GB (xiaobiaosong title),
        // WenKai Bold (hei headings)
        CHECK(rows == 4);
        // Embedding the three faces whole cost 825 KB; the subsets about 73 KB.
        CHECK(bytes.size() < 100000);
    }

    SECTION("the text reads as it did before subsetting") {
        // The golden file is pdftotext's layout of this report as rendered with the whole
        // fonts embedded by libharu.
        jixiao::testing::checkGolden("pdf_writer_report.txt", run("pdftotext -layout " + quoted(pdf) + " -"));
    }

    SECTION("text is extractable and in reading order") {
        // No warnings either: libharu's own ToUnicode CMap is replaced (see pdf_canvas.cpp).
        const std::string text = run("pdftotext -layout " + quoted(pdf) + " -");
        const std::string flat = withoutSpaces(text);
        CHECK(flat.find("Syntax") == std::string::npos);
        CHECK_THAT(flat, Catch::Contains(withoutSpaces(kOverview)));
        CHECK_THAT(flat, Catch::Contains("自评得分92.50分，自评等级为优。"));

        const std::vector<std::string> inOrder = {"项目支出绩效自评报告",
                                                  "一、基本情况",
                                                  "（一）项目概况",
                                                  "2024年度，县交通运输局",
                                                  "二、绩效指标完成情况",
                                                  "一级指标",
                                                  "指标01：培训人次",
                                                  "指标40",
                                                  "指标41",
                                                  "指标64",
                                                  "总分",
                                                  "三、自评结论",
                                                  "某县交通运输局",
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
            CHECK_THAT(page, Catch::Contains("第" + std::to_string(p + 1) + "页共" + std::to_string(pages.size()) + "页"));
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
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    const pdf::FontFace& ming = fonts.face(fonts.chain(layout::FontRole::Body).front());
    const int wenkai = faceNamed(fonts, "LXGW WenKai");
    const pdf::FontFace& kai = fonts.face(wenkai);
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
    CHECK(fonts.faceFor(layout::FontRole::Body, onlyKai) == wenkai);
    CHECK(fonts.faceFor(layout::FontRole::Body, 0x20000) == -1);  // beyond the BMP

    Document doc;
    const std::string rare = model::encodeUtf8(std::u32string(1, onlyKai));
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
    CHECK_THROWS_WITH(layout::placeCells(t), "表格第 1 行的单元格超出了 2 列");
    t.rows[0].cells = {Cell::label("a", 3)};
    CHECK_THROWS_WITH(layout::placeCells(t), "表格第 1 行第 1 列：合并 3 列（colspan）超出了最后一列");
    t.rows[0].cells = {Cell::label("a", 1, 2), Cell::label("b")};
    CHECK_THROWS_WITH(layout::placeCells(t), "表格第 1 行第 1 列：合并 2 行（rowspan）超出了最后一行");
    t.rows[0].cells = {Cell::label("a")};
    CHECK_THROWS_WITH(layout::placeCells(t), "表格第 1 行第 2 列：没有单元格（缺一格）");
    t.rows = {{{Cell::label("a", 1, 2), Cell::label("b")}, 0.0}, {{Cell::label("c")}, 0.0}};
    t.headerRows = 1;
    CHECK_THROWS_WITH(layout::placeCells(t), "表格第 1 行第 1 列：表头单元格不能向下合并到表体");
    t.headerRows = 0;
    const auto placed = layout::placeCells(t);
    REQUIRE(placed.size() == 3);
    CHECK(placed[2].row == 1);
    CHECK(placed[2].column == 1);

    CHECK_THROWS_WITH(pdf::FontSet::bundled("/nonexistent"),
                      "找不到字体配置文件 /nonexistent/fonts.json（字体文件夹中应有 fonts.json，见随程序附带的 fonts/README.md）");
    CHECK_THROWS_WITH(
        pdf::FontFace::load(kFonts + "/uming.ttc", 9),
        "字体文件 " + kFonts + "/uming.ttc 已损坏或不是 TrueType 字体（这个字体集合（.ttc）只有 4 种字体，index 应为 0 到 3，实际为 9）");
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

TEST_CASE("characters that share a glyph are extracted as drawn", "[render]") {
    // LXGW WenKai draws U+2329 and U+3008 (angle brackets), U+301C and U+FF5E (wave dashes)
    // and U+2012 and U+2013 with one glyph each; every character has its own CID, so the
    // ToUnicode CMap can give each one back.
    Cleanup cleanup;
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    const pdf::FontFace& kai = fonts.face(faceNamed(fonts, "LXGW WenKai"));
    REQUIRE(kai.glyphOf(0x2329) == kai.glyphOf(0x3008));
    REQUIRE(kai.glyphOf(0x301C) == kai.glyphOf(0xFF5E));
    const std::string text = "甲\u2329乙\u3008丙\u301C丁\uFF5E戊\u2012己\u2013庚";
    Document doc;
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::None;
    doc.blocks.push_back(layout::Paragraph::plain(text, layout::TextStyle{layout::FontRole::Kai, 12.0, false}));
    render::PdfStats stats;
    const fs::path pdf = writeFile("shared-glyphs.pdf", render::renderPdf(doc, options(), &stats));
    // The ideographs in AR PL KaitiM GB (the kai role's face), the rest from WenKai.
    CHECK(stats.embeddedFaces == 2);
    CHECK(withoutSpaces(run("pdftotext " + quoted(pdf) + " -")) == text);
}

TEST_CASE("documents rendered with a glyph prefix look and read as without one", "[render]") {
    // The batch prepares a prefix per form from its document for an empty record; a real
    // document then starts its subsets with those characters and reuses their compressed
    // outlines. The prefix here also holds a composite glyph (AR PL UMing builds some CJK
    // compatibility ideographs from components), after which outlines are not shared.
    Cleanup cleanup;
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    const pdf::FontFace& ming = fonts.face(fonts.chain(layout::FontRole::Body).front());
    char32_t composite = 0;
    for (char32_t cp : ming.coveredIn(0xF900, 0xFAFF)) {
        if (pdf::isCompositeGlyph(ming.glyph(ming.glyphOf(cp)))) {
            composite = cp;
            break;
        }
    }
    REQUIRE(composite != 0);
    Document blank;
    blank.headerFooter.pageNumbers = layout::PageNumberStyle::OfTotal;
    blank.blocks.push_back(layout::Paragraph::plain("项目支出绩效自评表 年初预算数 全年执行数 执行率 得分",
                                                    layout::TextStyle{layout::FontRole::Title, 18.0, false}));
    blank.blocks.push_back(
        layout::Paragraph::plain("年度总体目标 实际完成情况 " + model::encodeUtf8(std::u32string{composite}) + " 偏差原因分析"));
    render::PdfOptions prefixed = options();
    prefixed.prefix = render::prepareGlyphPrefix(blank, options());
    REQUIRE(prefixed.prefix->chars(fonts.chain(layout::FontRole::Body).front()).size() > 20);

    Document kaiOnly;  // draws none of the prefix's characters, in a face the prefix has none of
    kaiOnly.headerFooter.pageNumbers = layout::PageNumberStyle::None;
    kaiOnly.blocks.push_back(layout::Paragraph::plain("甲乙丙丁戊己庚辛壬癸", layout::TextStyle{layout::FontRole::Kai, 12.0, false}));

    int n = 0;
    for (const Document& doc : {reportDocument(), blank, kaiOnly}) {
        const std::string name = "prefix-" + std::to_string(n++);
        INFO(name);
        render::PdfStats plainStats, prefixedStats;
        const fs::path plain = writeFile(name + "-plain.pdf", render::renderPdf(doc, options(), &plainStats));
        const std::string bytes = render::renderPdf(doc, prefixed, &prefixedStats);
        CHECK(render::renderPdf(doc, prefixed) == bytes);
        const fs::path pdf = writeFile(name + ".pdf", bytes);
        CHECK(prefixedStats.pages == plainStats.pages);
        CHECK(prefixedStats.embeddedFaces == plainStats.embeddedFaces);
        CHECK(run("pdftotext -layout " + quoted(pdf) + " -") == run("pdftotext -layout " + quoted(plain) + " -"));
        const std::string fontsListed = run("pdffonts " + quoted(pdf));
        CHECK(fontsListed.find(" no ") == std::string::npos);  // every face embedded, as a subset
        // The same pictures, pixel for pixel.
        run("pdftoppm -r 40 -gray " + quoted(pdf) + " " + quoted(outputDir() / (name + "-p")));
        run("pdftoppm -r 40 -gray " + quoted(plain) + " " + quoted(outputDir() / (name + "-q")));
        for (int page = 1; page <= plainStats.pages; ++page) {
            const std::string suffix = "-" + std::to_string(page) + ".pgm";
            const std::string digits = plainStats.pages >= 10 && page < 10 ? "-0" + std::to_string(page) + ".pgm" : suffix;
            CHECK(readPgm(outputDir() / (name + "-p" + digits)).pixels == readPgm(outputDir() / (name + "-q" + digits)).pixels);
        }
    }
}

TEST_CASE("a document's PDF and OFD deflate their glyph outlines once and keep their bytes", "[render][ofd]") {
    // A batch making both formats gives their renderings one OutlineCache per document: the
    // OFD's subsets differ from the PDF's only in the cmap, before the glyf table, so the
    // outlines the PDF deflated end the OFD's font parts too. The bytes are those of the
    // renderings made alone, so a PDF does not depend on whether an OFD is made beside it.
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    Document blank;
    blank.blocks.push_back(layout::Paragraph::plain("项目支出绩效自评表 年初预算数 全年执行数 执行率 得分",
                                                    layout::TextStyle{layout::FontRole::Title, 18.0, false}));
    blank.blocks.push_back(layout::Paragraph::plain("年度总体目标 实际完成情况 偏差原因分析"));
    Document kai;  // a face the prefix has nothing of
    kai.blocks.push_back(
        layout::Paragraph::plain("甲乙丙丁戊己庚辛壬癸 年度总体目标", layout::TextStyle{layout::FontRole::Kai, 12.0, false}));
    for (const bool withPrefix : {true, false}) {
        render::PdfOptions alone = options();
        if (withPrefix) alone.prefix = render::prepareGlyphPrefix(blank, options());
        const Document report = reportDocument();
        for (const Document* each : std::array<const Document*, 2>{&report, &kai}) {
            const Document& doc = *each;
            INFO("prefix " << withPrefix << ", " << doc.blocks.size() << " blocks");
            render::PdfStats stats;
            const std::string pdf = render::renderPdf(doc, alone, &stats);
            const std::string ofd = render::renderOfd(doc, alone);
            REQUIRE(stats.embeddedFaces > 0);
            render::PdfOptions both = alone;
            both.outlineCache = std::make_shared<pdf::OutlineCache>();
            CHECK(render::renderPdf(doc, both) == pdf);
            CHECK(both.outlineCache->hits() == 0);
            CHECK(render::renderOfd(doc, both) == ofd);
            // Every face's outlines deflated once; but a face the PDF draws with the prefix's
            // characters alone (the Kai document's UMing) takes the prefix's compressed
            // program, so only the OFD deflates the little after its prefix outlines.
            const int wholeFromPrefix = withPrefix && &doc == &kai ? 1 : 0;
            CHECK(both.outlineCache->hits() == stats.embeddedFaces - wholeFromPrefix);
            // The PDF's fonts are whole: every page renders and its text reads back.
            const fs::path file =
                writeFile(std::string("outlines-") + (withPrefix ? "p" : "n") + std::to_string(doc.blocks.size()) + ".pdf", pdf);
            CHECK(run("pdffonts " + quoted(file)).find(" no ") == std::string::npos);
            CHECK_FALSE(run("pdftotext " + quoted(file) + " -").empty());
        }
    }
}

TEST_CASE("a face drawn with the prefix's characters alone takes its font program compressed once", "[render]") {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    std::vector<std::vector<char32_t>> chars(static_cast<size_t>(fonts.faceCount()));
    const std::u32string title = model::decodeUtf8("项目支出绩效自评表");
    chars[0].assign(title.begin(), title.end());
    const pdf::GlyphPrefix prefix(fonts, chars);
    const pdf::FontSubset subset = pdf::subsetFont(fonts.face(0), chars[0], pdf::CharMap::Omit);
    const std::string* whole = prefix.compressedProgram(0, subset.program);
    REQUIRE(whole != nullptr);
    CHECK(prefix.compressedProgram(0, subset.program) == whole);  // made once, when the prefix was
    CHECK(pdf::compressSubset(subset, 0, &prefix) == *whole);
    // The stream compressSubset would put together: the tables before glyf, the prefix's
    // outlines, then the rest of glyf.
    const pdf::FlatePrefix* outlines = prefix.outlines(0);
    REQUIRE(outlines != nullptr);
    const std::string_view program = subset.program;
    CHECK(*whole == outlines->compress(program.substr(0, subset.glyfOffset), program.substr(subset.glyfOffset + outlines->bytes().size())));
    std::string inflated(subset.program.size() + 1, '\0');
    uLongf length = inflated.size();
    REQUIRE(uncompress(reinterpret_cast<Bytef*>(inflated.data()), &length, reinterpret_cast<const Bytef*>(whole->data()), whole->size()) ==
            Z_OK);
    inflated.resize(length);
    CHECK(inflated == subset.program);
    // Any other program of the face is compressed as a document's own.
    std::vector<char32_t> more = chars[0];
    more.push_back(U'甲');
    CHECK(prefix.compressedProgram(0, pdf::subsetFont(fonts.face(0), more, pdf::CharMap::Omit).program) == nullptr);
    CHECK(prefix.compressedProgram(0, pdf::subsetFont(fonts.face(0), chars[0], pdf::CharMap::Include).program) == nullptr);
    CHECK(prefix.compressedProgram(1, pdf::subsetFont(fonts.face(1), chars[0], pdf::CharMap::Omit).program) == nullptr);
}

TEST_CASE("a stream deflate would not make smaller is written unfiltered", "[render]") {
    Cleanup cleanup;
    // A short document's CIDSet (PDF/A-1b) is a few 0xFF bytes: deflated, with the zlib wrapper
    // and the /Filter entry, it would take more than it holds. ToUnicode still pays for deflate.
    Document doc;
    doc.blocks.push_back(layout::Paragraph::plain("甲乙丙丁戊己庚辛壬癸", layout::TextStyle{layout::FontRole::Kai, 12.0, false}));
    const std::string pdf = render::renderPdf(doc, options());
    const std::regex reference("/(CIDSet|ToUnicode) (\\d+) 0 R");
    int cidSets = 0, kaiCidSets = 0, cmaps = 0;
    for (auto it = std::sregex_iterator(pdf.begin(), pdf.end(), reference); it != std::sregex_iterator(); ++it) {
        const std::string header = "\n" + (*it)[2].str() + " 0 obj\n<<\n";
        const size_t at = pdf.find(header);
        REQUIRE(at != std::string::npos);
        const size_t body = pdf.find("stream\r\n", at);
        REQUIRE(body != std::string::npos);
        const std::string dict = pdf.substr(at, body - at);
        INFO(dict);
        if ((*it)[1] == "CIDSet") {
            ++cidSets;
            CHECK(dict.find("/Filter") == std::string::npos);
            // The Kai face's 11 CIDs (.notdef and ten characters): 0xFF, then three bits set.
            if (dict.find("/Length 2\n") != std::string::npos && pdf.compare(body + 8, 2, "\xFF\xE0") == 0) ++kaiCidSets;
        } else {
            ++cmaps;
            CHECK(dict.find("/Filter /FlateDecode") != std::string::npos);
        }
    }
    CHECK(cidSets >= 1);
    CHECK(kaiCidSets == 1);
    CHECK(cmaps == cidSets);
    const fs::path file = writeFile("unfiltered-cidset.pdf", pdf);
    CHECK(run("pdffonts " + quoted(file)).find(" no ") == std::string::npos);
    CHECK(run("pdftotext " + quoted(file) + " -").find("甲乙丙丁戊己庚辛壬癸") != std::string::npos);
}

TEST_CASE("PDFs rendered on four threads at once equal a single-threaded rendering", "[render]") {
    // The batch renders on a thread pool: the font cache (FontFace::load) is shared, every
    // subset and libharu document belongs to one rendering.
    Document letter;
    letter.meta.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    letter.blocks.push_back(layout::Paragraph::plain(kOverview, layout::TextStyle{layout::FontRole::Kai, 14.0, false}));
    const std::vector<Document> docs = {reportDocument(), letter};
    // All threads share one glyph prefix, as the batch's workers do.
    render::PdfOptions shared = options();
    shared.prefix = render::prepareGlyphPrefix(letter, options());
    std::vector<std::string> expected;
    for (const Document& doc : docs) expected.push_back(render::renderPdf(doc, shared));

    constexpr int kThreads = 4;
    constexpr int kRounds = 3;
    std::vector<std::vector<std::string>> results(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                const render::PdfOptions o = shared;
                for (int r = 0; r < kRounds; ++r) {
                    // Threads start on different documents so that both are in flight at once.
                    for (size_t k = 0; k < docs.size(); ++k) {
                        results[static_cast<size_t>(t)].push_back(render::renderPdf(docs[(k + static_cast<size_t>(t)) % docs.size()], o));
                    }
                }
            } catch (const std::exception& e) {
                errors[static_cast<size_t>(t)] = e.what();
            }
        });
    }
    for (std::thread& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
        INFO("thread " << t);
        CHECK(errors[static_cast<size_t>(t)].empty());
        REQUIRE(results[static_cast<size_t>(t)].size() == kRounds * docs.size());
        for (size_t i = 0; i < results[static_cast<size_t>(t)].size(); ++i) {
            const size_t k = (i % docs.size() + static_cast<size_t>(t)) % docs.size();
            CHECK(results[static_cast<size_t>(t)][i] == expected[k]);
        }
    }
}

TEST_CASE("every CJK ideograph of every bundled face renders visibly", "[render]") {
    // libharu 2.3.0's TrueType subsetter loses glyphs of some fonts without any error, so
    // each bundled face is checked by rasterising every ideograph it maps in U+4E00..U+9FFF.
    Cleanup cleanup;
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
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
        pdf::PdfCanvas canvas(fonts, true);
        for (size_t i = 0; i < chars.size(); ++i) {
            const int slot = static_cast<int>(i % static_cast<size_t>(perPage));
            if (slot == 0) canvas.addPage(pageW, pageH);
            const double x = kMargin + (slot % cols) * kCell;
            const double top = pageH - kMargin - (slot / cols) * kCell;
            canvas.drawText(canvas.pageCount() - 1, face, kSize, x + 2.0, top - 2.0 - 0.88 * kSize, std::u32string(1, chars[i]), 0.0,
                            false);
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
        const int pages = static_cast<int>((chars.size() + static_cast<size_t>(perPage) - 1) / static_cast<size_t>(perPage));
        for (int p = 0; p < pages; ++p) {
            // pdftoppm pads page numbers to the width of the page count.
            std::string digits = std::to_string(p + 1);
            digits.insert(0, std::to_string(pages).size() - digits.size(), '0');
            const Pgm pgm = readPgm(outputDir() / (file + "-" + digits + ".pgm"));
            for (int slot = 0; slot < perPage; ++slot) {
                const size_t i = static_cast<size_t>(p) * static_cast<size_t>(perPage) + static_cast<size_t>(slot);
                const int darkest = darkestIn(pgm, slot);
                if (i >= chars.size()) {
                    // The probe itself: an unused cell reads as blank.
                    CHECK(darkest > 230);
                    break;
                }
                // A blank cell is pure white; the thin horizontal of 宋体 一 still reaches ~175.
                if (darkest > 230) blank.push_back(model::encodeUtf8(std::u32string(1, chars[i])));
            }
        }
        std::string list;
        for (const std::string& ch : blank) list += ch + " ";
        INFO("blank: " << blank.size() << " of " << chars.size() << ": " << list);
        CHECK(blank.empty());
    }
}

// A 项目支出绩效自评表 as the benchmarks of the issue use it: basic information, about 15
// indicator rows and a narrative of about 1500 characters, all in LXGW WenKai.
Document selfEvaluationTable() {
    const std::vector<std::string> narrative = {
        "一、项目基本情况。本项目为县级农村公路提档升级工程，由县交通运输局组织实施，主要建设内容包括通村公路"
        "路面拓宽、危桥改造、安全防护设施完善以及沿线排水系统修复。项目资金来源为中央车购税补助资金、省级配套"
        "资金和县级财政资金，年初预算一千二百万元，年中追加一百五十万元，全年预算合计一千三百五十万元。",
        "二、绩效目标完成情况。年度计划改造农村公路八十五公里，实际完成八十二点六公里；计划改造危桥六座，全部"
        "完工并通过交工验收；新增波形护栏十四公里，设置警示标志二百三十块。工程质量抽检合格率达到百分之九十八"
        "点五，未发生质量安全责任事故。受汛期持续降雨影响，部分山区路段开工推迟约两个月，里程目标略有差距。",
        "三、预算执行情况。截至十二月三十一日，项目实际支出一千一百六十三万七千元，预算执行率为百分之八十六点"
        "二。结余资金主要是工程结算审计尚未完成，质保金按合同约定暂未支付。资金拨付严格执行国库集中支付制度，"
        "专款专用，无截留、挤占、挪用情形，会计核算规范，原始凭证齐全。",
        "四、效益实现情况。项目实施后，沿线十二个行政村、三万四千余名群众出行条件明显改善，农产品运输成本平均"
        "下降约百分之十五，乡村旅游接待人次同比增长百分之二十一。通过问卷调查和入户走访，受益群众满意度为百分之"
        "九十四点三，对道路平整度、通行安全和施工组织的评价较高，对部分路段养护不及时提出了意见。",
        "五、存在的问题。一是前期勘察设计深度不够，个别路段变更较多，影响了工期；二是县级配套资金到位较晚，"
        "第三季度支付进度偏慢；三是绩效目标设置偏重产出数量，对养护机制、长效管理等可持续影响指标量化不足；"
        "四是部分乡镇对已建成道路的日常管护责任落实不到位，路肩杂草、边沟堵塞等现象仍有发生。",
        "六、改进措施及结果应用。下一步将加强项目储备和前期工作，提前完成勘察设计和招标，合理安排施工计划，"
        "避开汛期集中施工；完善资金拨付机制，按工程进度及时足额拨付；优化绩效指标体系，增设路况优良率、群众"
        "投诉办结率等指标；建立县乡村三级路长制，落实管护经费。评价结果将作为下年度预算安排的重要依据。",
        "七、自评工作开展情况。县交通运输局成立了由分管领导任组长的绩效自评工作小组，抽调财务、工程、审计等"
        "业务骨干，采取资料审核、现场勘查、问卷调查和座谈访谈相结合的方式开展自评。工作小组查阅了立项批复、"
        "招投标文件、施工合同、监理日志、计量支付凭证和交工验收报告等资料，实地抽查了九条线路和四座桥梁。",
        "八、指标偏差分析。农村公路改造里程完成率为百分之九十七点二，较目标值低二点八个百分点，原因是两条线路"
        "跨越林地，用地手续办理时间较长；项目按期完工率为百分之八十三，低于百分之九十的目标，主要是雨季施工"
        "窗口期缩短，个别标段施工单位组织不力、机械设备投入不足，经约谈整改后进度有所加快。",
        "九、其他需要说明的事项。项目实施过程中接受了县审计局的专项审计和市交通运输局的质量督查，审计发现的"
        "工程量计算误差已据实核减，督查指出的排水沟砌筑不规范问题已全部返工整改到位。项目档案资料按照交通建设"
        "项目档案管理规定整理归档，做到了真实、完整、准确，可追溯查询。",
        "十、总体评价。综合考虑项目决策、过程管理、产出和效益等方面情况，自评得分九十二点五分，自评等级为优。"
        "项目立项依据充分，程序规范，资金管理使用总体合规，绩效目标基本实现，社会效益和群众满意度较好，但在"
        "前期谋划、进度控制和长效管护方面仍有提升空间，需要在今后的工作中持续改进，切实提高财政资金使用效益。",
    };
    Document doc;
    doc.meta.title = "项目支出绩效自评表";
    doc.meta.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::OfTotal;
    doc.headerFooter.style = layout::TextStyle{layout::FontRole::Kai, 9.0, false};
    layout::Heading title;
    title.text = "项目支出绩效自评表";
    title.style = layout::TextStyle{layout::FontRole::Title, 20.0, false};
    title.format.align = layout::Align::Center;
    doc.blocks.push_back(title);
    const layout::TextStyle kai{layout::FontRole::Kai, 10.5, false};

    layout::Table info;
    info.style = kai;
    info.columnWidths = {2, 3, 2, 3};
    const std::vector<std::pair<const char*, const char*>> fields = {
        {"项目名称", "农村公路提档升级工程"},   {"主管部门", "县交通运输局"},
        {"实施单位", "县农村公路建设服务中心"}, {"项目类别", "其他运转类"},
        {"年初预算数（万元）", "1,200.00"},     {"全年预算数（万元）", "1,350.00"},
        {"全年执行数（万元）", "1,163.70"},     {"预算执行率", "86.20%"}};
    for (size_t k = 0; k < fields.size(); k += 2) {
        info.rows.push_back({{Cell::label(fields[k].first), Cell::label(fields[k].second), Cell::label(fields[k + 1].first),
                              Cell::label(fields[k + 1].second)},
                             0.0});
    }
    doc.blocks.push_back(info);

    layout::Table indicators;
    indicators.style = kai;
    indicators.headerRows = 1;
    indicators.columnWidths = {1.4, 1.6, 3.2, 1.4, 1.4, 0.8, 0.8, 2.4};
    indicators.rows.push_back({{Cell::label("一级指标"), Cell::label("二级指标"), Cell::label("三级指标"), Cell::label("年度指标值"),
                                Cell::label("实际完成值"), Cell::label("分值"), Cell::label("得分"), Cell::label("偏差原因分析及改进措施")},
                               0.0});
    const std::vector<std::array<const char*, 4>> rows = {{"产出指标", "数量指标", "改造农村公路里程", "≥85公里"},
                                                          {"产出指标", "数量指标", "改造危桥数量", "6座"},
                                                          {"产出指标", "数量指标", "新增波形护栏长度", "≥14公里"},
                                                          {"产出指标", "数量指标", "设置警示标志", "≥200块"},
                                                          {"产出指标", "质量指标", "工程质量抽检合格率", "≥95%"},
                                                          {"产出指标", "质量指标", "交工验收一次通过率", "100%"},
                                                          {"产出指标", "时效指标", "项目按期完工率", "≥90%"},
                                                          {"产出指标", "成本指标", "每公里改造成本", "≤14万元"},
                                                          {"效益指标", "经济效益指标", "农产品运输成本降低", "≥10%"},
                                                          {"效益指标", "社会效益指标", "受益行政村数量", "12个"},
                                                          {"效益指标", "社会效益指标", "受益群众人数", "≥3万人"},
                                                          {"效益指标", "生态效益指标", "施工扬尘投诉次数", "≤3次"},
                                                          {"效益指标", "可持续影响指标", "路况优良率", "≥80%"},
                                                          {"满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"},
                                                          {"满意度指标", "服务对象满意度指标", "乡镇政府满意度", "≥90%"}};
    for (size_t k = 0; k < rows.size(); ++k) {
        const bool shortfall = k == 0 || k == 6;
        indicators.rows.push_back(
            {{Cell::label(rows[k][0]), Cell::label(rows[k][1]), Cell::label(rows[k][2]), Cell::label(rows[k][3]),
              Cell::label(shortfall ? "82.6公里" : "已完成"), Cell::figure("6.00", model::Decimal::parse("6"), "0.00"),
              Cell::figure(shortfall ? "5.10" : "6.00", model::Decimal::parse(shortfall ? "5.1" : "6"), "0.00"),
              Cell::label(shortfall ? "受汛期影响开工推迟，已调整施工组织" : "")},
             0.0});
    }
    doc.blocks.push_back(indicators);
    layout::ParagraphFormat body;
    body.firstLineIndentChars = 2.0;
    for (const std::string& p : narrative) doc.blocks.push_back(layout::Paragraph::plain(p, kai, body));
    return doc;
}

TEST_CASE("rendering cost", "[.][bench]") {
    using Clock = std::chrono::steady_clock;
    using Ms = std::chrono::duration<double, std::milli>;
    const auto t0 = Clock::now();
    const render::PdfOptions o = options();
    WARN("first FontSet::bundled (maps and parses the three faces): " << Ms(Clock::now() - t0).count() << " ms");
    auto measure = [&o](const std::string& what, const std::string& file, const Document& doc, int n) {
        render::PdfStats stats;
        std::string bytes = render::renderPdf(doc, o, &stats);
        if (std::getenv("JIXIAO_KEEP_RENDER_OUTPUT") != nullptr) writeFile(file, bytes);
        // CPU time as well as wall time: on a busy machine the first is the steadier figure.
        const std::clock_t c0 = std::clock();
        const auto w0 = Clock::now();
        for (int i = 0; i < n; ++i) bytes = render::renderPdf(doc, o);
        const double ms = Ms(Clock::now() - w0).count() / n;
        const double cpu = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC / n;
        size_t chars = 0;
        for (const layout::Block& b : doc.blocks) {
            if (const auto* p = std::get_if<layout::Paragraph>(&b)) {
                for (const layout::Run& r : p->runs) chars += model::decodeUtf8(r.text).size();
            }
        }
        WARN(what << ": " << stats.pages << " pages, " << stats.embeddedFaces << " faces, " << chars << " characters of paragraphs: "
                  << bytes.size() << " bytes, " << ms << " ms wall, " << cpu << " ms CPU, " << 1000.0 / cpu << " PDFs/s per core");
    };

    Document small;
    small.meta.title = "测试";
    small.blocks.push_back(layout::Paragraph::plain(kOverview));
    measure("1-page body-only PDF", "bench-small.pdf", small, 50);
    measure("self-evaluation table (WenKai)", "bench-table.pdf", selfEvaluationTable(), 50);
    measure("report with a 64-row table", "bench-report.pdf", reportDocument(), 10);
}

TEST_CASE("a licensed font put in the fonts folder becomes its role's face", "[render]") {
    // A folder like the bundled one whose fonts.json looks for "AR PL KaitiM GB" as the 仿宋:
    // the file in the folder is found by its family name (fontconfig), the bundled faces
    // stay behind it.
    Poco::TemporaryFile folder;
    folder.createDirectories();
    struct Dir {
        fs::path p;
        const fs::path& path() const { return p; }
    } dir{folder.path()};
    for (const char* f : {"uming.ttc", "gbsn00lp.ttf", "LXGWWenKai-Regular.ttf", "LXGWWenKai-Bold.ttf"}) {
        fs::create_symlink(fs::path(kFonts) / f, dir.path() / f);
    }
    fs::copy_file(fs::path(kFonts) / "gkai00mp.ttf", dir.path() / "licensed.ttf");
    std::ifstream in(fs::path(kFonts) / "fonts.json");
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = R"("licensed": ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"])";
    REQUIRE(config.find(from) != std::string::npos);
    config.replace(config.find(from), from.size(), R"("licensed": ["AR PL KaitiM GB"])");
    // The kai role's bundled file is missing from this folder: the role names another face.
    const std::string kai = R"("fallback": ["kaiti", "wenkai", "uming", "wenkai-bold"])";
    REQUIRE(config.find(kai) != std::string::npos);
    config.replace(config.find(kai), kai.size(), R"("fallback": ["wenkai", "uming"])");
    std::ofstream(dir.path() / "fonts.json") << config;

    const pdf::FontSet fonts = pdf::FontSet::bundled(dir.path().string());
    const pdf::FaceSpec& fangsong = fonts.spec(fonts.chain(layout::FontRole::FangSong).front());
    CHECK(fangsong.name == "AR PL KaitiM GB");
    CHECK(fs::path(fangsong.path).filename() == "licensed.ttf");
    CHECK(fonts.chain(layout::FontRole::FangSong).size() == 5);  // + sungti, uming, wenkai, wenkai-bold
    CHECK(fonts.spec(fonts.chain(layout::FontRole::Body).front()).name == "AR PL UMing CN");
    CHECK_FALSE(fonts.emboldens(layout::FontRole::FangSong, fonts.chain(layout::FontRole::FangSong).front()));
    CHECK(fonts.emboldens(layout::FontRole::Title, fonts.chain(layout::FontRole::Title).front()));

    // A role naming a face the folder's fonts.json does not define.
    config.replace(config.find(R"("fallback": ["wenkai", "uming"])"), 31, R"("fallback": ["nosuch", "uming"])");
    std::ofstream(dir.path() / "fonts.json") << config;
    CHECK_THROWS_WITH(pdf::FontSet::bundled(dir.path().string()),
                      "字体配置文件 " + (dir.path() / "fonts.json").string() + " 中角色“kai”的 fallback 列出了“nosuch”，但 faces 中没有它");
}

TEST_CASE("a licensed OpenType/CFF font (.otf) is refused with a message saying what to do", "[render]") {
    // A folder like the bundled one whose 仿宋 is a small CFF font made here with fontTools.
    Poco::TemporaryFile folder;
    folder.createDirectories();
    const fs::path dir = folder.path();
    for (const char* f : {"uming.ttc", "gbsn00lp.ttf", "gkai00mp.ttf", "LXGWWenKai-Regular.ttf", "LXGWWenKai-Bold.ttf"})
        fs::create_symlink(fs::path(kFonts) / f, dir / f);
    const fs::path otf = dir / "cff.otf";
    std::ofstream(dir / "make_cff.py")
        << "from fontTools.fontBuilder import FontBuilder\n"
           "from fontTools.pens.t2CharStringPen import T2CharStringPen\n"
           "pen = T2CharStringPen(500, None)\n"
           "pen.moveTo((0, 0)); pen.lineTo((0, 500)); pen.lineTo((500, 500)); pen.closePath()\n"
           "glyph = pen.getCharString()\n"
           "fb = FontBuilder(1000, isTTF=False)\n"
           "fb.setupGlyphOrder(['.notdef', 'uni4EFF'])\n"
           "fb.setupCharacterMap({0x4EFF: 'uni4EFF'})\n"
           "fb.setupCFF('TestCFFFang', {'FullName': 'TestCFF Fang'}, {'.notdef': glyph, 'uni4EFF': glyph}, {})\n"
           "fb.setupHorizontalMetrics({'.notdef': (500, 0), 'uni4EFF': (500, 0)})\n"
           "fb.setupHorizontalHeader(ascent=800, descent=-200)\n"
           "fb.setupNameTable({'familyName': 'TestCFF Fang', 'styleName': 'Regular'})\n"
           "fb.setupOS2()\n"
           "fb.setupPost()\n"
           "fb.save('" +
               otf.string() + "')\n";
    run("/usr/bin/python3 " + quoted(dir / "make_cff.py"));
    REQUIRE(fs::exists(otf));
    std::ifstream in(fs::path(kFonts) / "fonts.json");
    std::string config((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = R"("licensed": ["仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"])";
    REQUIRE(config.find(from) != std::string::npos);
    config.replace(config.find(from), from.size(), R"("licensed": ["TestCFF Fang"])");
    std::ofstream(dir / "fonts.json") << config;
    CHECK_THROWS_WITH(pdf::FontSet::bundled(dir.string()),
                      "字体“TestCFF Fang”（" + otf.string() +
                          "）是 OpenType/CFF 轮廓字体（.otf），jixiao 只能嵌入 TrueType 轮廓（.ttf、.ttc）。"
                          "提示：请换用该字体的 TrueType 版本，或把它从字体文件夹中移走（" +
                          dir.string() + "/fonts.json 的角色“fangsong”会改用随程序附带的字体）");
}

// Issue 11, defect 14: a PDF font holds at most 65533 characters; more in one face and one
// document is said in Chinese, naming the face (a broad licensed font and garbage data reach it).
TEST_CASE("one PDF drawing more than 65533 distinct characters in one face is refused in Chinese", "[render]") {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    pdf::PdfCanvas canvas(fonts, false);
    const int page = canvas.addPage(595, 842);
    std::u32string text;
    for (char32_t cp = 0x10000; text.size() < 65533; ++cp) text.push_back(cp);
    canvas.drawText(page, 0, 10, 10, 10, text, 0, false);  // up to the limit
    CHECK_THROWS_WITH(canvas.drawText(page, 0, 10, 10, 20, U"\U00020000", 0, false),
                      "一份 PDF 中用字体“" + fonts.spec(0).name +
                          "”显示的不同字符超过了 65533 个（PDF 中一种字体的上限），无法生成。多半是数据中混入了大量乱码，"
                          "请检查这份文档用到的数据中过长的文字");
    canvas.drawText(page, 0, 10, 10, 30, U"\U00010000", 0, false);  // characters already used still draw
}

TEST_CASE("a canvas gives each character of a face one CID, in the order first drawn", "[render]") {
    // Thousands of characters (the CID table grows several times), each drawn again later
    // next to one 256 code points away, which the recent-character cache holds in the same slot.
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    pdf::PdfCanvas canvas(fonts, false);
    const int page = canvas.addPage(595, 842);
    std::vector<char32_t> expected;
    for (char32_t cp = 0x4E00; cp < 0x4E00 + 3000; ++cp) {
        canvas.drawText(page, 0, 10, 10, 10, std::u32string(1, cp), 0, false);
        expected.push_back(cp);
        if (cp >= 0x4E00 + 256) canvas.drawText(page, 0, 10, 10, 10, std::u32string{cp - 256, cp, cp - 256}, 0, false);
    }
    canvas.drawText(page, 0, 10, 10, 10, U"\u4E00\u4E01\u4E00", 0, false);
    CHECK(canvas.charsByFace()[0] == expected);
}

TEST_CASE("canvases open at once on one thread keep their documents apart", "[render]") {
    // libharu's memory comes from a per-thread arena given back when the thread's last open
    // document is freed: documents made and freed while another is open must not reuse its memory.
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    auto draw = [](pdf::PdfCanvas& canvas, char32_t from, int pages) {
        for (int p = 0; p < pages; ++p) {
            const int page = canvas.addPage(595, 842);
            for (int line = 0; line < 40; ++line) {
                std::u32string text;
                for (char32_t k = 0; k < 30; ++k) text.push_back(from + static_cast<char32_t>(p * 1200 + line * 30) + k);
                canvas.drawText(page, 0, 10, 40, 800 - 18 * line, text, 0, false);
                canvas.strokeRect(page, 30, 790 - 18 * line, 500, 18, 0.5);
            }
        }
    };
    pdf::PdfCanvas alone(fonts, true);
    draw(alone, 0x4E00, 2);
    const std::string expected = alone.save();

    pdf::PdfCanvas first(fonts, true);
    draw(first, 0x4E00, 1);
    for (char32_t from : {0x5E00, 0x6E00}) {  // made, saved and freed while `first` is open
        pdf::PdfCanvas other(fonts, true);
        draw(other, from, 3);
        CHECK(other.save().size() > 10000);
    }
    draw(first, 0x4E00 + 1200, 1);  // its second page, as `alone` drew it
    CHECK(first.save() == expected);
}

TEST_CASE("a full GB/T 9704 page holds 22 lines of 28 characters", "[render][letter]") {
    Cleanup cleanup;
    Document doc;
    doc.page.marginsMm = layout::Margins{37.0, 35.0, 28.0, 26.0};
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::None;
    // 30 lines' worth of ideographs (no punctuation, so no line-breaking rule moves one).
    const std::string ideographs = "财政预算绩效管理评价结果反馈整改要求项目资金执行情况指标完成";
    std::string text;
    for (int line = 0; line < 30; ++line)
        for (int k = 0; k < 28; ++k) text += model::encodeUtf8(std::u32string(1, model::decodeUtf8(ideographs)[(line + k) % 30]));
    layout::ParagraphFormat grid{layout::Align::Justify, 0.0, {layout::LineSpacing::Mode::Exact, 28.99}, 0.0, 0.0, 28};
    doc.blocks.push_back(layout::Paragraph::plain(text, layout::TextStyle{layout::FontRole::FangSong, 16.0, false}, grid));
    render::PdfStats stats;
    const fs::path pdf = writeFile("grid.pdf", render::renderPdf(doc, options(), &stats));
    CHECK(stats.pages == 2);
    const std::vector<std::string> pages = splitPages(run("pdftotext " + quoted(pdf) + " -"));
    REQUIRE(pages.size() == 2);
    auto lines = [](const std::string& page) {
        std::vector<std::size_t> out;
        std::istringstream in(page);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) out.push_back(model::decodeUtf8(line).size());
        return out;
    };
    CHECK(lines(pages[0]) == std::vector<std::size_t>(22, 28));
    CHECK(lines(pages[1]) == std::vector<std::size_t>(8, 28));
    // The 22nd line's glyphs end inside the type area (297 − 35 mm), the first start at its top.
    const std::string bbox = run("pdftotext -bbox -f 1 -l 1 " + quoted(pdf) + " -");
    static const std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">)re");
    std::vector<std::array<double, 4>> boxes;
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), stop; it != stop; ++it)
        boxes.push_back({std::stod((*it)[1]) * 25.4 / 72, std::stod((*it)[2]) * 25.4 / 72, std::stod((*it)[3]) * 25.4 / 72,
                         std::stod((*it)[4]) * 25.4 / 72});
    REQUIRE(boxes.size() == 22);
    for (const auto& b : boxes) {
        CHECK(b[0] == Approx(28.0).margin(0.5));
        CHECK(b[2] == Approx(184.0).margin(0.5));
    }
    CHECK(boxes.front()[1] == Approx(37.0 + (28.99 - 16.0) / 2 * 25.4 / 72).margin(0.5));
    CHECK(boxes.back()[1] - boxes.front()[1] == Approx(21 * 225.0 / 22).margin(0.5));
    CHECK(boxes.back()[3] <= 297.0 - 35.0);
}
