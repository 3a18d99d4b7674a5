#include "layout/excel_form.h"
#include "layout/excel_test_book.h"
#include "layout/grid_reader.h"
#include "model/text.h"
#include "pdf/fonts.h"
#include "render/paged.h"
#include "render/pdf_writer.h"
#include "render/xlsx_writer.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace jixiao;
using layout::Grid;
using layout::GridCell;
using layout::Value;
using testing::TestBook;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

model::Decimal dec(const char* s) { return *model::Decimal::parse(s); }

Value projectData(int indicators) {
    Value root = Value::map();
    Value& p = root.set("project", Value::map());
    p.set("name", "乡村道路养护（2024年度第二批）");
    p.set("total", Value(dec("86.5")));
    p.set("rate", Value(dec("0.9325")));
    Value& list = p.set("indicators", Value::list());
    for (int i = 0; i < indicators; ++i) {
        Value& x = list.push(Value::map());
        x.set("level1", i < indicators / 2 ? "产出指标" : "效益指标");
        x.set("level3", "指标" + std::to_string(i + 1) + (i % 3 == 0 ? "：农村公路日常养护里程及优良路率（含桥梁、涵洞）" : ""));
        x.set("unit", i % 2 ? "公里" : "%");
        x.set("weight", Value(dec("10")));
        x.set("analysis", i % 4 == 1 ? "受汛期影响，部分路段养护推迟，已于四季度补足；下一步将加强雨季施工组织和调度。" : "");
    }
    return root;
}

/// A template with the looks a user gives a form: title font, header fill, borders, wrap,
/// number formats, merges, a repeated block and a formula.
std::string templateBook(bool withUnitColumn, const char* headerFont, double nameWidth) {
    TestBook book;
    lxw_format* title = book.format();
    format_set_font_name(title, "黑体");
    format_set_font_size(title, 16);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format* head = book.format();
    format_set_font_name(head, headerFont);
    format_set_font_size(head, 10.5);
    format_set_bold(head);
    format_set_border(head, LXW_BORDER_THIN);
    format_set_pattern(head, LXW_PATTERN_SOLID);
    format_set_bg_color(head, 0xD9D9D9);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(head);
    lxw_format* text = book.format();
    format_set_font_name(text, "宋体");
    format_set_font_size(text, 10.5);
    format_set_border(text, LXW_BORDER_THIN);
    format_set_align(text, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(text);
    lxw_format* score = book.format();
    format_set_font_name(score, "宋体");
    format_set_font_size(score, 10.5);
    format_set_border(score, LXW_BORDER_THIN);
    format_set_num_format(score, "0.00");
    format_set_align(score, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format* percent = book.format();
    format_set_font_name(percent, "宋体");
    format_set_font_size(percent, 10.5);
    format_set_border(percent, LXW_BORDER_THIN);
    format_set_num_format(percent, "0.00%");
    format_set_align(percent, LXW_ALIGN_VERTICAL_CENTER);

    const int last = withUnitColumn ? 4 : 3;
    worksheet_merge_range(book.sheet, 0, 0, 0, lxw_col_t(last), "{{project.name}}绩效自评表", title);
    worksheet_set_row(book.sheet, 0, 36, nullptr);
    worksheet_write_string(book.sheet, 1, 0, "执行率", head);
    worksheet_write_string(book.sheet, 1, 1, "{{project.rate}}", percent);
    worksheet_merge_range(book.sheet, 1, 2, 1, lxw_col_t(last), "", text);
    std::vector<std::string> heads = {"一级指标", "三级指标", "分值", "偏差原因分析"};
    if (withUnitColumn) heads.insert(heads.begin() + 2, "计量单位");
    for (std::size_t c = 0; c < heads.size(); ++c) worksheet_write_string(book.sheet, 2, lxw_col_t(c), heads[c].c_str(), head);
    int c = 0;
    worksheet_write_string(book.sheet, 3, lxw_col_t(c++), "{{#each project.indicators}}{{level1|merge}}", text);
    worksheet_write_string(book.sheet, 3, lxw_col_t(c++), "{{level3}}", text);
    if (withUnitColumn) worksheet_write_string(book.sheet, 3, lxw_col_t(c++), "{{unit}}", text);
    worksheet_write_string(book.sheet, 3, lxw_col_t(c++), "{{weight}}", score);
    worksheet_write_string(book.sheet, 3, lxw_col_t(c++), "{{analysis}}{{/each}}", text);
    const int weightCol = withUnitColumn ? 3 : 2;
    const std::string col(1, char('A' + weightCol));
    worksheet_merge_range(book.sheet, 4, 0, 4, lxw_col_t(weightCol - 1), "合计", head);
    worksheet_write_formula_num(book.sheet, 4, lxw_col_t(weightCol), ("=SUM(" + col + "4:" + col + "4)").c_str(), score, 0);
    worksheet_write_blank(book.sheet, 4, lxw_col_t(weightCol + 1), text);
    worksheet_set_column(book.sheet, 0, 0, 10, nullptr);
    worksheet_set_column(book.sheet, 1, 1, nameWidth, nullptr);
    worksheet_set_column(book.sheet, 2, lxw_col_t(last - 1), 9, nullptr);
    worksheet_set_column(book.sheet, lxw_col_t(last), lxw_col_t(last), 30, nullptr);
    worksheet_set_row(book.sheet, 3, 20, nullptr);
    worksheet_set_paper(book.sheet, 9);
    worksheet_set_margins(book.sheet, 0.6, 0.6, 0.75, 0.75);
    worksheet_repeat_rows(book.sheet, 2, 2);
    return book.bytes();
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spit(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

/// A grey page image (pdftoppm -gray writes binary PGM).
struct Gray {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;
};

Gray readPgm(const std::string& path) {
    const std::string b = slurp(path);
    std::istringstream in(b);
    std::string magic;
    int maxValue = 0;
    Gray g;
    in >> magic >> g.width >> g.height >> maxValue;
    in.get();
    g.pixels.resize(std::size_t(g.width) * std::size_t(g.height));
    in.read(reinterpret_cast<char*>(g.pixels.data()), std::streamsize(g.pixels.size()));
    REQUIRE(magic == "P5");
    return g;
}

/// Mean darkness per block of `cell` pixels: what the page shows at a glance (where the
/// lines, fills and text sit), insensitive to the exact glyph shapes of the two renderers'
/// fonts.
std::vector<double> blocks(const Gray& g, int cell, int& columns) {
    columns = g.width / cell;
    const int rows = g.height / cell;
    std::vector<double> out;
    for (int by = 0; by < rows; ++by)
        for (int bx = 0; bx < columns; ++bx) {
            double sum = 0.0;
            for (int y = by * cell; y < (by + 1) * cell; ++y)
                for (int x = bx * cell; x < (bx + 1) * cell; ++x) sum += 255 - g.pixels[std::size_t(y * g.width + x)];
            out.push_back(sum / (cell * cell));
        }
    return out;
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

/// Fills `templateBytes`, writes our PDF and XLSX into `dir`, prints the XLSX with LibreOffice
/// and returns the first page of both as grey images at 50 dpi.
std::pair<Gray, Gray> renderBoth(const std::string& templateBytes, const std::string& dir, Grid& filled) {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kSource + "/fonts");
    filled = layout::ExcelForm::parse(templateBytes, "表样.xlsx").fill(projectData(6));
    render::fitGridRows(filled, fonts);
    layout::Metadata meta;
    meta.title = "自评表";
    render::PdfOptions options;
    options.fonts = fonts;
    spit(dir + "/ours.pdf", render::renderPdf(filled, meta, options));
    spit(dir + "/form.xlsx", render::renderXlsx(filled, meta));
    REQUIRE(run("cd " + dir + " && soffice -env:UserInstallation=file://" + dir + "/lo --headless --convert-to pdf --outdir " + dir +
                "/lo-out form.xlsx") == 0);
    REQUIRE(std::filesystem::exists(dir + "/lo-out/form.pdf"));
    REQUIRE(run("pdftoppm -gray -r 50 -f 1 -l 1 " + dir + "/ours.pdf " + dir + "/ours") == 0);
    REQUIRE(run("pdftoppm -gray -r 50 -f 1 -l 1 " + dir + "/lo-out/form.pdf " + dir + "/lo") == 0);
    auto first = [&](const std::string& stem) {
        for (const char* suffix : {"-1.pgm", "-01.pgm"})
            if (std::filesystem::exists(dir + "/" + stem + suffix)) return readPgm(dir + "/" + stem + suffix);
        FAIL("pdftoppm wrote no page for " << stem);
        return Gray{};
    };
    return {first("ours"), first("lo")};
}

std::string tempDir(const char* name) {
    const std::string dir = std::filesystem::temp_directory_path().string() + "/jixiao-" + name + "-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

}  // namespace

TEST_CASE("a filled Excel form's XLSX keeps the template's looks", "[render][excel]") {
    const Grid filled = layout::ExcelForm::parse(templateBook(true, "黑体", 24), "表样.xlsx").fill(projectData(4));
    layout::Metadata meta;
    meta.title = "自评表";
    const std::string xlsx = render::renderXlsx(filled, meta);
    CHECK(render::renderXlsx(filled, meta) == xlsx);
    // Read back as a template would be: the same styles, sizes, merges, values and print setup.
    const Grid back = layout::readGrid(xlsx, "out.xlsx");
    REQUIRE(back.rowCount() == filled.rowCount());
    REQUIRE(back.columns == filled.columns);
    for (int c = 0; c < filled.columns; ++c)
        CHECK(back.columnWidths[std::size_t(c)] == Approx(filled.columnWidths[std::size_t(c)]).margin(0.01));
    for (int r = 0; r < filled.rowCount(); ++r) CHECK(back.rowHeights[std::size_t(r)] == filled.rowHeights[std::size_t(r)]);
    for (int r = 0; r < filled.rowCount(); ++r)
        for (int c = 0; c < filled.columns; ++c) {
            const GridCell& a = filled.rows[std::size_t(r)][std::size_t(c)];
            const GridCell& b = back.rows[std::size_t(r)][std::size_t(c)];
            INFO("cell " << layout::cellName(r, c));
            CHECK(int(a.kind) == int(b.kind));
            CHECK(a.text == b.text);
            CHECK(a.number == b.number);
            CHECK(a.formula == b.formula);
            CHECK(filled.styles[std::size_t(a.style)] == back.styles[std::size_t(b.style)]);
        }
    CHECK(back.merges.size() == filled.merges.size());
    CHECK(back.print.titleRow0 == 2);
    CHECK(back.print.paper == 9);
    CHECK(back.print.left == 0.6);
}

TEST_CASE("a filled Excel form's PDF draws every cell of the grid", "[render][excel]") {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kSource + "/fonts");
    Grid filled = layout::ExcelForm::parse(templateBook(false, "黑体", 24), "表样.xlsx").fill(projectData(40));
    render::fitGridRows(filled, fonts);
    const render::PagedDocument paged = render::paginateGrid(filled, {}, fonts);
    REQUIRE(paged.pages.size() >= 2);
    std::u32string all;
    for (const auto& page : paged.pages) all += page.text;
    const std::string text = model::encodeUtf8(all);
    CHECK(text.find("乡村道路养护") != std::string::npos);
    CHECK(text.find("93.25%") != std::string::npos);
    CHECK(text.find("400.00") != std::string::npos);  // the widened SUM over 40 rows
    // The header row is repeated on the second page.
    CHECK(model::encodeUtf8(paged.pages[1].text).rfind("一级指标", 0) == 0);
    // Long text wrapped: the row grew beyond the template's 20 pt.
    CHECK(filled.rowHeights[3] > 20.0);
}

// LibreOffice prints our XLSX; both first pages are compared at 50 dpi in blocks of 10 × 10
// pixels (mean darkness, 0–255). THRESHOLD: the mean difference over all blocks stays below 6
// and at most 3 % of the blocks differ by more than 48 — same lines, fills and text positions;
// glyph shapes (LibreOffice substitutes its own faces for 宋体/黑体) are below that resolution.
TEST_CASE("the PDF looks like the XLSX as LibreOffice prints it", "[render][excel][lookalike]") {
    const std::string dir = tempDir("lookalike");
    Grid filled;
    const auto [ours, lo] = renderBoth(templateBook(false, "黑体", 24), dir, filled);
    REQUIRE(ours.width == lo.width);
    REQUIRE(ours.height == lo.height);
    int columns = 0;
    const std::vector<double> a = blocks(ours, 10, columns);
    const std::vector<double> b = blocks(lo, 10, columns);
    double sum = 0.0;
    int far = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sum += std::fabs(a[i] - b[i]);
        if (std::fabs(a[i] - b[i]) > 48.0) ++far;
    }
    const double mean = sum / double(a.size());
    const double farShare = double(far) / double(a.size());
    INFO("mean block difference " << mean << ", blocks far apart " << farShare * 100 << " %");
    CHECK(mean < 6.0);
    CHECK(farShare < 0.03);
    std::filesystem::remove_all(dir);
}

// What a user does in WPS with a copied 表样.xlsx: a 计量单位 column after 三级指标, another font
// for the header row and a wider name column. The edit is made on the workbook itself (read,
// changed, saved again as a workbook); the filled XLSX and PDF both follow.
TEST_CASE("an edited template workbook: both outputs follow", "[render][excel]") {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kSource + "/fonts");
    Grid t = layout::readGrid(templateBook(false, "黑体", 24), "表样.xlsx");
    testing::insertColumn(t, 2, 12);
    t.rows[2][2].text = "计量单位";
    t.rows[3][2].text = "{{unit}}";
    layout::GridStyle header = t.styles[std::size_t(t.rows[2][0].style)];
    header.font.name = "楷体_GB2312";
    header.font.sizePt = 12;
    const int headerStyle = t.addStyle(header);
    for (auto& cell : t.rows[2]) cell.style = headerStyle;
    t.columnWidths[1] = 40;
    const std::string edited = render::renderXlsx(t, {});

    Grid filled = layout::ExcelForm::parse(edited, "表样.xlsx").fill(projectData(4));
    render::fitGridRows(filled, fonts);
    const Grid xlsx = layout::readGrid(render::renderXlsx(filled, {}), "out.xlsx");
    REQUIRE(xlsx.columns == 5);
    CHECK(xlsx.rows[2][2].text == "计量单位");
    CHECK(xlsx.rows[3][2].text == "%");
    CHECK(xlsx.rows[4][2].text == "公里");
    CHECK(xlsx.styles[std::size_t(xlsx.rows[2][0].style)].font.name == "楷体_GB2312");
    CHECK(xlsx.styles[std::size_t(xlsx.rows[2][0].style)].font.sizePt == 12);
    CHECK(xlsx.columnWidths[1] == Approx(40).margin(0.2));

    const render::PagedDocument paged = render::paginateGrid(filled, {}, fonts);
    const std::string text = model::encodeUtf8(paged.pages[0].text);
    CHECK(text.find("计量单位") != std::string::npos);
    CHECK(text.find("公里") != std::string::npos);
    // The header is drawn in the 楷体 role's face at 12 pt, the name column 40 characters wide.
    bool kaiHeader = false;
    for (const auto& item : paged.pages[0].items)
        if (const auto* run = std::get_if<render::PagedText>(&item))
            if (run->face == fonts.chain(layout::FontRole::Kai).front() && std::fabs(run->sizePt - 12.0) < 0.01) kaiHeader = true;
    CHECK(kaiHeader);
    CHECK(filled.columnWidthPt(1) == Approx(std::floor(40 * 7 + 0.5) * 0.75).margin(1.0));
}
