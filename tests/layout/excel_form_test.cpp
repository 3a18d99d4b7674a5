#include "layout/excel_form.h"
#include "layout/grid.h"
#include "layout/grid_formula.h"
#include "layout/grid_reader.h"
#include "layout/template_text.h"
#include "layout/excel_test_book.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace jixiao::layout;
using jixiao::model::Decimal;
using jixiao::testing::TestBook;

namespace {

Decimal dec(const char* s) { return *Decimal::parse(s); }

/// A project-like context: name, budget and three indicators.
Value sampleData() {
    Value root = Value::map();
    Value& p = root.set("project", Value::map());
    p.set("name", "乡村道路养护");
    p.set("total", Value(dec("86.5")));
    Value& list = p.set("indicators", Value::list());
    const char* level1[] = {"产出指标", "产出指标", "效益指标"};
    const char* names[] = {"养护里程", "优良率", "群众满意度"};
    const char* weights[] = {"20", "30", "40"};
    for (int i = 0; i < 3; ++i) {
        Value& x = list.push(Value::map());
        x.set("level1", level1[i]);
        x.set("level3", names[i]);
        x.set("weight", Value(dec(weights[i])));
    }
    return root;
}

const GridCell& at(const Grid& g, const char* ref) {
    int r = 0, c = 0;
    std::string s = ref;
    std::size_t i = 0;
    while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z') c = c * 26 + (s[i++] - 'A' + 1);
    r = std::stoi(s.substr(i)) - 1;
    return g.rows.at(std::size_t(r)).at(std::size_t(c - 1));
}

bool hasMerge(const Grid& g, int r0, int c0, int r1, int c1) {
    for (const GridMerge& m : g.merges)
        if (m.row0 == r0 && m.col0 == c0 && m.row1 == r1 && m.col1 == c1) return true;
    return false;
}

}  // namespace

TEST_CASE("number formats show numbers as Excel does", "[layout][excel]") {
    CHECK(formatGridNumber(dec("1234.5"), "#,##0.00") == "1,234.50");
    CHECK(formatGridNumber(dec("-1234.5"), "#,##0.00") == "-1,234.50");
    CHECK(formatGridNumber(dec("0.8625"), "0.00%") == "86.25%");
    CHECK(formatGridNumber(dec("0.5"), "0%") == "50%");
    CHECK(formatGridNumber(dec("12.345"), "0.00") == "12.35");
    CHECK(formatGridNumber(dec("12"), "General") == "12");
    CHECK(formatGridNumber(dec("12.5"), "0.0\"万元\"") == "12.5万元");
    CHECK(formatGridNumber(dec("-3"), "0.00;(0.00)") == "(3.00)");
    CHECK(formatGridNumber(dec("7.25"), "0.0#") == "7.25");
    CHECK(formatGridNumber(dec("7.2"), "0.0#") == "7.2");
}

TEST_CASE("paper sizes by Excel's paper code, turned for landscape, A4 for codes not known", "[layout][excel]") {
    auto size = [](int paper, bool landscape) {
        GridPrint p;
        p.paper = paper;
        p.landscape = landscape;
        return std::to_string(std::lround(p.paperWidthPt() / 72.0 * 25.4 * 10)) + "x" +
               std::to_string(std::lround(p.paperHeightPt() / 72.0 * 25.4 * 10));
    };
    CHECK(size(9, false) == "2100x2970");
    CHECK(size(9, true) == "2970x2100");
    CHECK(size(8, false) == "2970x4200");
    CHECK(size(11, false) == "1480x2100");
    CHECK(size(1, false) == "2159x2794");
    CHECK(size(5, true) == "3556x2159");
    CHECK(size(12, false) == "2570x3640");
    CHECK(size(13, false) == "1820x2570");
    CHECK(size(70, false) == "2100x2970");
}

TEST_CASE("formula references move and ranges over a block widen", "[layout][excel]") {
    auto grow = [](int row, RefEnd end) -> std::optional<int> {
        // Row 8 (index 7) is a block repeated 14 times; rows below move down 13.
        if (row < 7) return row;
        if (row == 7) return end == RefEnd::Last ? 20 : 7;
        return row + 13;
    };
    CHECK(rewriteRows("SUM(F8:F8)", grow) == "SUM(F8:F21)");
    CHECK(rewriteRows("F6+SUM($F$8:F8)*2", grow) == "F6+SUM($F$8:F21)*2");
    CHECK(rewriteRows("F9/Sheet1!F9&\"F8\"", grow) == "F22/Sheet1!F9&\"F8\"");
    CHECK(rewriteRows("ROUND(A1,2)", grow) == "ROUND(A1,2)");
    CHECK(rewriteRows("SUM(F8:F8)", [](int, RefEnd) -> std::optional<int> { return std::nullopt; }) == "SUM(0)");
    CHECK(shiftReferences("A1+$B$2+C$3", 2, 1) == "B3+$B$2+D$3");
}

TEST_CASE("formulas are computed for the cache", "[layout][excel]") {
    Grid g;
    g.columns = 3;
    g.rows.assign(4, std::vector<GridCell>(3));
    g.rowHeights.assign(4, 15.0);
    g.styles.emplace_back();
    auto num = [&](int r, int c, const char* v) {
        g.rows[std::size_t(r)][std::size_t(c)].kind = GridCell::Kind::Number;
        g.rows[std::size_t(r)][std::size_t(c)].number = dec(v);
    };
    num(0, 0, "10");
    num(1, 0, "20.5");
    num(2, 0, "3");
    g.rows[0][1].formula = "ROUND(SUM(A1:A3)/3,2)";
    g.rows[1][1].formula = "IF(B1>10,\"达标\",\"未达标\")";
    g.rows[2][1].formula = "A1/0";
    g.rows[3][1].formula = "MAX(A1:A3)-MIN(A1:A3)+B1";
    computeFormulas(g);
    CHECK(g.rows[0][1].kind == GridCell::Kind::Number);
    CHECK(g.rows[0][1].number == dec("11.17"));
    CHECK(g.rows[1][1].text == "达标");
    CHECK(g.rows[2][1].text == "#DIV/0!");
    CHECK(g.rows[3][1].number == dec("28.67"));
    CHECK(g.rows[0][1].formula == "ROUND(SUM(A1:A3)/3,2)");
    CHECK(unknownFunction("XLOOKUP(A1,B1:B3,C1:C3)+SUM(A1)") == "XLOOKUP");
    CHECK(unknownFunction("SUM(A1)") == "");
}

TEST_CASE("a template workbook is read with its styles, merges, sizes and print setup", "[layout][excel]") {
    TestBook book;
    lxw_format* title = book.format();
    format_set_font_name(title, "黑体");
    format_set_font_size(title, 16);
    format_set_bold(title);
    format_set_align(title, LXW_ALIGN_CENTER);
    format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
    lxw_format* money = book.format();
    format_set_num_format(money, "#,##0.00");
    format_set_border(money, LXW_BORDER_THIN);
    format_set_bottom(money, LXW_BORDER_MEDIUM);
    format_set_pattern(money, LXW_PATTERN_SOLID);
    format_set_bg_color(money, 0xD9D9D9);
    format_set_text_wrap(money);
    format_set_font_color(money, 0xFF0000);
    worksheet_merge_range(book.sheet, 0, 0, 0, 3, "项目支出绩效自评表", title);
    worksheet_write_string(book.sheet, 1, 0, "{{project.name}}", nullptr);
    worksheet_write_number(book.sheet, 1, 1, 1234.5, money);
    worksheet_write_formula_num(book.sheet, 1, 2, "=B2*2", nullptr, 2469);
    worksheet_set_column(book.sheet, 0, 0, 20, nullptr);
    worksheet_set_row(book.sheet, 1, 30, nullptr);
    worksheet_set_landscape(book.sheet);
    worksheet_set_paper(book.sheet, 8);
    worksheet_set_margins(book.sheet, 0.5, 0.4, 1.0, 0.9);
    worksheet_fit_to_pages(book.sheet, 1, 0);
    worksheet_repeat_rows(book.sheet, 0, 0);
    worksheet_center_horizontally(book.sheet);

    const Grid g = readGrid(book.bytes(), "表样.xlsx");
    REQUIRE(g.rowCount() == 2);
    REQUIRE(g.columns == 4);
    CHECK(g.sheetName == "Sheet1");
    CHECK(hasMerge(g, 0, 0, 0, 3));
    const GridStyle& t = g.styles[std::size_t(at(g, "A1").style)];
    CHECK(at(g, "A1").text == "项目支出绩效自评表");
    CHECK(t.font.name == "黑体");
    CHECK(t.font.sizePt == 16);
    CHECK(t.font.bold);
    CHECK(t.halign == HAlign::Center);
    CHECK(t.valign == VAlign::Center);
    const GridStyle& m = g.styles[std::size_t(at(g, "B2").style)];
    CHECK(at(g, "B2").kind == GridCell::Kind::Number);
    CHECK(at(g, "B2").number == dec("1234.5"));
    CHECK(m.numberFormat == "#,##0.00");
    CHECK(m.left.style == BorderStyle::Thin);
    CHECK(m.bottom.style == BorderStyle::Medium);
    CHECK(m.fill == std::optional<Rgb>(0xD9D9D9));
    CHECK(m.wrap);
    CHECK(m.font.color == 0xFF0000);
    CHECK(at(g, "C2").formula == "B2*2");
    CHECK(at(g, "A2").text == "{{project.name}}");
    CHECK(g.columnWidthPt(0) == Approx(20.71 * 5.25).margin(0.8));
    CHECK(g.rowHeights[1] == 30);
    CHECK(g.print.landscape);
    CHECK(g.print.paper == 8);
    CHECK(g.print.left == 0.5);
    CHECK(g.print.right == 0.4);
    CHECK(g.print.top == 1.0);
    CHECK(g.print.bottom == 0.9);
    CHECK(g.print.fitToPage);
    CHECK(g.print.fitWidth == 1);
    CHECK(g.print.fitHeight == 0);
    CHECK(g.print.centerHorizontally);
    CHECK(g.print.titleRow0 == 0);
    CHECK(g.print.titleRow1 == 0);
}

TEST_CASE("a workbook that is not one is refused with the file named", "[layout][excel]") {
    CHECK_THROWS_WITH(readGrid("not a zip at all, just text", "表样.xlsx"),
                      "表样.xlsx：不是有效的 XLSX 文件（无法识别 ZIP 结构），请确认它是 Excel 工作簿。");
    CHECK_THROWS_WITH(ExcelForm::parse("", "templates/x/表样.xlsx"), "templates/x/表样.xlsx：文件为空。");
}

TEST_CASE("an Excel form is filled: fields, number cells, repeated rows, merges and formulas", "[layout][excel]") {
    TestBook book;
    lxw_format* score = book.format();
    format_set_num_format(score, "0.00");
    format_set_border(score, LXW_BORDER_THIN);
    lxw_format* boxed = book.format();
    format_set_border(boxed, LXW_BORDER_THIN);
    worksheet_merge_range(book.sheet, 0, 0, 0, 2, "{{project.name}}绩效自评表", boxed);
    worksheet_write_string(book.sheet, 1, 0, "一级指标", boxed);
    worksheet_write_string(book.sheet, 1, 1, "三级指标", boxed);
    worksheet_write_string(book.sheet, 1, 2, "分值", boxed);
    worksheet_write_string(book.sheet, 2, 0, "{{#each project.indicators}}{{level1|merge}}", boxed);
    worksheet_write_string(book.sheet, 2, 1, "{{@index}}. {{level3}}", boxed);
    worksheet_write_string(book.sheet, 2, 2, "{{weight}}{{/each}}", score);
    worksheet_write_string(book.sheet, 3, 0, "合计", boxed);
    worksheet_write_formula_num(book.sheet, 3, 2, "=SUM(C3:C3)", score, 0);
    worksheet_write_string(book.sheet, 4, 0, "总分", boxed);
    worksheet_write_string(book.sheet, 4, 2, "{{project.total}}", score);
    worksheet_merge_range(book.sheet, 5, 0, 5, 1, "备注", boxed);
    worksheet_set_row(book.sheet, 2, 25, nullptr);

    const ExcelForm form = ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx");
    const Grid g = form.fill(sampleData());
    REQUIRE(g.rowCount() == 8);
    CHECK(at(g, "A1").text == "乡村道路养护绩效自评表");
    CHECK(at(g, "A3").text == "产出指标");
    CHECK(at(g, "B3").text == "1. 养护里程");
    CHECK(at(g, "B5").text == "3. 群众满意度");
    // `{{weight}}` alone and numeric: a number cell keeping the template's format.
    CHECK(at(g, "C4").kind == GridCell::Kind::Number);
    CHECK(at(g, "C4").number == dec("30"));
    CHECK(g.styles[std::size_t(at(g, "C4").style)].numberFormat == "0.00");
    // The block's rows keep their height; rows below moved down by two.
    CHECK(g.rowHeights[2] == 25);
    CHECK(g.rowHeights[4] == 25);
    CHECK(at(g, "A6").text == "合计");
    CHECK(at(g, "C6").formula == "SUM(C3:C5)");
    CHECK(at(g, "C6").number == dec("90"));
    CHECK(at(g, "C7").kind == GridCell::Kind::Number);
    CHECK(at(g, "C7").number == dec("86.5"));
    // Merges below move; the equal 一级指标 of the first two items merge.
    CHECK(hasMerge(g, 0, 0, 0, 2));
    CHECK(hasMerge(g, 7, 0, 7, 1));
    CHECK(hasMerge(g, 2, 0, 3, 0));
    CHECK(at(g, "A4").kind == GridCell::Kind::Empty);
    CHECK(at(g, "A5").text == "效益指标");
}

TEST_CASE("a block repeated zero times disappears and its references become 0", "[layout][excel]") {
    TestBook book;
    worksheet_write_string(book.sheet, 0, 0, "{{#each project.indicators}}{{level3}}{{/each}}", nullptr);
    worksheet_write_number(book.sheet, 0, 1, 5, nullptr);
    worksheet_write_formula_num(book.sheet, 1, 1, "=SUM(B1:B1)+1", nullptr, 6);
    Value data = Value::map();
    data.set("project", Value::map()).set("indicators", Value::list());
    const Grid g = ExcelForm::parse(book.bytes(), "表样.xlsx").fill(data);
    REQUIRE(g.rowCount() == 1);
    CHECK(g.rows[0][1].formula == "SUM(0)+1");
    CHECK(g.rows[0][1].number == dec("1"));
}

TEST_CASE("a merge around a block grows with it", "[layout][excel]") {
    TestBook book;
    worksheet_merge_range(book.sheet, 0, 0, 1, 0, "项目资金", nullptr);
    worksheet_write_string(book.sheet, 0, 1, "资金", nullptr);
    worksheet_write_string(book.sheet, 1, 1, "{{#each project.indicators}}{{level3}}{{/each}}", nullptr);
    const Grid g = ExcelForm::parse(book.bytes(), "表样.xlsx").fill(sampleData());
    REQUIRE(g.rowCount() == 4);
    CHECK(hasMerge(g, 0, 0, 3, 0));
    CHECK(g.rows[3][1].text == "群众满意度");
}

TEST_CASE("mistakes in an Excel form are named by cell, in Chinese", "[layout][excel]") {
    SECTION("a block that is never closed") {
        TestBook book;
        worksheet_write_string(book.sheet, 4, 2, "{{#each 指标}}{{三级指标}}", nullptr);
        worksheet_write_string(book.sheet, 4, 3, "{{分值}}", nullptr);
        CHECK_THROWS_WITH(ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx"),
                          "templates/t/表样.xlsx[Sheet1!C5]：{{#each 指标}} 没有对应的 {{/each}}"
                          "（应写在重复块最后一行最后一个非空单元格的末尾）。");
    }
    SECTION("an end without a beginning") {
        TestBook book;
        worksheet_write_string(book.sheet, 1, 0, "{{三级指标}}", nullptr);
        worksheet_write_string(book.sheet, 1, 3, "{{分值}}{{/each}}", nullptr);
        CHECK_THROWS_WITH(ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx"),
                          "templates/t/表样.xlsx[Sheet1!D2]：{{/each}} 前面没有对应的 {{#each 列表}}"
                          "（应写在重复块第一行第一个非空单元格的开头）。");
    }
    SECTION("a merge crossing the edge of a block") {
        TestBook book;
        worksheet_merge_range(book.sheet, 2, 0, 3, 0, "{{#each 指标}}{{一级指标}}", nullptr);
        worksheet_write_string(book.sheet, 2, 1, "{{三级指标}}{{/each}}", nullptr);
        CHECK_THROWS_WITH(ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx"),
                          "templates/t/表样.xlsx[Sheet1!A3]：合并单元格 A3:A4 跨越了重复块（第 3 行）的边界；"
                          "请让合并区域完全在块内或完全在块外。");
    }
    SECTION("nested blocks") {
        TestBook book;
        worksheet_write_string(book.sheet, 0, 0, "{{#each 指标}}{{一级指标}}", nullptr);
        worksheet_write_string(book.sheet, 1, 0, "{{#each 资金}}{{资金项目}}{{/each}}", nullptr);
        CHECK_THROWS_WITH(ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx"),
                          "templates/t/表样.xlsx[Sheet1!A2]：重复块不能嵌套：[Sheet1!A1] 开始的 {{#each 指标}} "
                          "还没有用 {{/each}} 结束。");
    }
    SECTION("a field the data does not have, and a function the cache cannot compute") {
        TestBook book;
        worksheet_write_string(book.sheet, 0, 0, "{{project.nmae}}", nullptr);
        worksheet_write_formula_num(book.sheet, 1, 0, "=XLOOKUP(1,A1:A1,A1:A1)", nullptr, 0);
        const ExcelForm form = ExcelForm::parse(book.bytes(), "templates/t/表样.xlsx");
        CHECK_THROWS_WITH(form.fill(sampleData()), "templates/t/表样.xlsx[Sheet1!A1]：未知字段“project.nmae”。是否指“project.name”？");
        const auto problems = form.check(sampleData());
        REQUIRE(problems.size() == 1);
        CHECK(problems[0] == "templates/t/表样.xlsx[Sheet1!A1]：未知字段“project.nmae”。是否指“project.name”？");
        TestBook ok;
        worksheet_write_formula_num(ok.sheet, 1, 0, "=XLOOKUP(1,A1:A1,A1:A1)", nullptr, 0);
        const auto more = ExcelForm::parse(ok.bytes(), "templates/t/表样.xlsx").check(sampleData());
        REQUIRE(more.size() == 1);
        CHECK(more[0] ==
              "templates/t/表样.xlsx[Sheet1!A2]：公式中的函数“XLOOKUP”无法计算缓存值（支持 SUM、MIN、MAX、"
              "AVERAGE、COUNT、COUNTA、ROUND、ROUNDUP、ROUNDDOWN、INT、ABS、IF、IFERROR、AND、OR、NOT），"
              "请改用这些函数。");
    }
}
