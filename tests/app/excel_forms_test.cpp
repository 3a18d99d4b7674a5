// Excel forms (issue 16 part B) through the real binary: the bundled 表样.xlsx forms, a copied
// form edited as a user edits it in WPS, and `check --templates` on a broken one.

#include "support.h"
#include "layout/excel_test_book.h"
#include "layout/grid_reader.h"
#include "render/xlsx_writer.h"

#include <Poco/DirectoryIterator.h>

using namespace jixiao::testing;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

/// The one file with `suffix` in the department folder of the tiny dataset.
std::string outputFile(const std::string& out, const std::string& suffix) {
    for (Poco::DirectoryIterator it(out + "/101_测试局"), end; it != end; ++it)
        if (it.name().size() > suffix.size() && it.name().compare(it.name().size() - suffix.size(), suffix.size(), suffix) == 0)
            return it->path();
    FAIL("no " << suffix << " in " << out);
    return {};
}

jixiao::layout::Grid readBack(const std::string& path) { return jixiao::layout::readGrid(slurp(path), "out.xlsx"); }

const jixiao::layout::GridCell* findText(const jixiao::layout::Grid& g, const std::string& text, int* column = nullptr) {
    for (const auto& row : g.rows)
        for (std::size_t c = 0; c < row.size(); ++c)
            if (row[c].text == text) {
                if (column) *column = int(c);
                return &row[c];
            }
    return nullptr;
}

/// Runs the tiny dataset into `out` with a user's form "my-excel-table": the sample's
/// form.json and `workbook` as its 表样.xlsx. Returns the XLSX made, read back.
jixiao::layout::Grid runMyExcelTable(const std::string& workbook, const std::string& out) {
    Poco::TemporaryFile user;
    const std::string folder = user.path() + "/my-excel-table";
    write(folder + "/form.json", slurp(kSource + "/samples/excel-forms/project-table-excel/form.json"));
    write(folder + "/表样.xlsx", workbook);
    const TinyDataset data;
    auto r =
        runJixiao("run " + data.path() + " -o " + out + " --date 2025-03-05 --templates " + user.path() + " --documents my-excel-table");
    INFO(r.err);
    REQUIRE(r.code == 0);
    return readBack(outputFile(out, ".xlsx"));
}

}  // namespace

TEST_CASE("the bundled Excel forms fill both outputs", "[app][excel]") {
    const TinyDataset data;
    for (const std::string form : {"project-table-excel", "project-table-sichuan"}) {
        Poco::TemporaryFile out;
        auto r = runJixiao("run " + data.path() + " -o " + out.path() + " --date 2025-03-05 --templates " + kSource +
                           "/samples/excel-forms --documents " + form);
        INFO(form << ": " << r.err);
        REQUIRE(r.code == 0);
        const std::string text = capture("pdftotext -layout " + outputFile(out.path(), ".pdf") + " -");
        CHECK(text.find("培训项目") != std::string::npos);
        CHECK(text.find("学员满意度") != std::string::npos);
        CHECK(text.find("86.20%") != std::string::npos);  // 37.24 / 43.2, the 0.00% format of the template
        const auto g = readBack(outputFile(out.path(), ".xlsx"));
        // Three indicators: the total's weight formula covers all three rows (10 + 50 + 30 + 10).
        bool widened = false;
        for (const auto& row : g.rows)
            for (const auto& cell : row)
                if (cell.formula == "F6+SUM(F" + std::to_string(form == "project-table-excel" ? 13 : 15) + ":F" +
                                        std::to_string(form == "project-table-excel" ? 15 : 17) + ")") {
                    widened = true;
                    CHECK(cell.number.toString() == "100");
                }
        CHECK(widened);
        if (form == "project-table-sichuan") {
            CHECK(findText(g, "财政专户管理资金") != nullptr);
            CHECK(findText(g, "单位资金") != nullptr);
        }
    }
}

// The done-when of issue 16: a user copies 表样.xlsx, adds a 计量单位 column, changes the
// header font and a width, runs, and both outputs follow.
TEST_CASE("a copied 表样.xlsx edited like in WPS: both outputs follow", "[app][excel]") {
    using namespace jixiao;
    layout::Grid t = layout::readGrid(slurp(kSource + "/samples/excel-forms/project-table-excel/表样.xlsx"), "表样.xlsx");
    int levelColumn = -1;
    REQUIRE(findText(t, "三级指标", &levelColumn) != nullptr);
    testing::insertColumn(t, levelColumn + 1, 12);
    int headerRow = -1;
    for (int r = 0; r < t.rowCount(); ++r)
        if (t.rows[std::size_t(r)][std::size_t(levelColumn)].text == "三级指标") headerRow = r;
    REQUIRE(headerRow > 0);
    t.rows[std::size_t(headerRow)][std::size_t(levelColumn) + 1].text = "计量单位";
    t.rows[std::size_t(headerRow) + 1][std::size_t(levelColumn) + 1].text = "{{计量单位}}";
    layout::GridStyle header = t.styles[std::size_t(t.rows[std::size_t(headerRow)][0].style)];
    header.font.name = "楷体_GB2312";
    header.font.sizePt = 12;
    const int style = t.addStyle(header);
    for (auto& cell : t.rows[std::size_t(headerRow)]) cell.style = style;
    t.columnWidths[std::size_t(levelColumn)] = 30;

    Poco::TemporaryFile out;
    const auto g = runMyExcelTable(render::renderXlsx(t, {}), out.path());
    int unitColumn = -1;
    const layout::GridCell* unitHead = findText(g, "计量单位", &unitColumn);
    REQUIRE(unitHead != nullptr);
    CHECK(unitColumn == levelColumn + 1);
    CHECK(findText(g, "人次") != nullptr);
    CHECK(g.styles[std::size_t(unitHead->style)].font.name == "楷体_GB2312");
    CHECK(g.styles[std::size_t(unitHead->style)].font.sizePt == 12);
    CHECK(g.columnWidths[std::size_t(levelColumn)] == Approx(30).margin(0.2));
    const std::string text = capture("pdftotext -layout " + outputFile(out.path(), ".pdf") + " -");
    CHECK(text.find("计量单位") != std::string::npos);
    CHECK(text.find("人次") != std::string::npos);
    const std::string fonts = capture("pdffonts " + outputFile(out.path(), ".pdf"));
    INFO(fonts);
    CHECK(fonts.find("Kai") != std::string::npos);
}

TEST_CASE("check --templates names the cell of a broken Excel form", "[app][excel]") {
    Poco::TemporaryFile user;
    jixiao::testing::TestBook book;
    worksheet_write_string(book.sheet, 4, 2, "{{#each 指标}}{{三级指标}}", nullptr);
    write(user.path() + "/broken/form.json", R"({"per": "project", "formats": ["pdf"], "file": "{{项目编码}}_表"})");
    write(user.path() + "/broken/表样.xlsx", book.bytes());
    jixiao::testing::TestBook typo;
    worksheet_write_string(typo.sheet, 0, 0, "{{项目明称}}", nullptr);
    write(user.path() + "/typo/form.json", R"({"per": "project", "formats": ["pdf"], "file": "{{项目编码}}_表2"})");
    write(user.path() + "/typo/表样.xlsx", typo.bytes());
    auto r = runJixiao("check --templates " + user.path());
    CHECK(r.code == 78);
    CHECK(r.out ==
          "模板错误：templates/broken/表样.xlsx[Sheet1!C5]：{{#each 指标}} 没有对应的 {{/each}}"
          "（应写在重复块最后一行最后一个非空单元格的末尾）。\n"
          "模板错误：templates/typo/表样.xlsx[Sheet1!A1]：未知字段“项目明称”。是否指“项目名称”？\n");
    CHECK(r.err == "模板有 2 处问题，请按上面的提示修改后再运行 jixiao check --templates " + user.path() + "。\n");
}

// The same edit made in LibreOffice itself (tests/app/excel_forms/edit_in_libreoffice.bas): the
// workbook as LibreOffice writes it (its own styles, column records and merges) is a form too.
TEST_CASE("a 表样.xlsx edited and saved by LibreOffice: both outputs follow", "[app][excel]") {
    using namespace jixiao;
    Poco::TemporaryFile out;
    const auto g = runMyExcelTable(slurp(kSource + "/tests/app/excel_forms/表样-libreoffice.xlsx"), out.path());
    int column = -1;
    const layout::GridCell* head = findText(g, "计量单位", &column);
    REQUIRE(head != nullptr);
    CHECK(column == 3);  // D: right of 三级指标, the columns after it moved right
    CHECK(findText(g, "三级指标", &column) != nullptr);
    CHECK(column == 2);
    CHECK(findText(g, "偏差原因分析及改进措施", &column) != nullptr);
    CHECK(column == 8);
    CHECK(findText(g, "人次", &column) != nullptr);
    CHECK(column == 3);
    CHECK(g.styles[std::size_t(head->style)].font.name == "楷体_GB2312");
    CHECK(g.styles[std::size_t(head->style)].font.sizePt == 12);
    const layout::GridCell* title = findText(g, "项目支出绩效自评表");
    REQUIRE(title != nullptr);
    CHECK(g.styles[std::size_t(title->style)].font.sizePt == 20);
    CHECK(g.columnWidths[2] == Approx(17.9).margin(0.2));  // 42 mm in LibreOffice
    CHECK(g.columnWidths[3] == Approx(7.67).margin(0.2));  // 18 mm
    const std::string pdf = outputFile(out.path(), ".pdf");
    const std::string text = capture("pdftotext -layout " + pdf + " -");
    CHECK(text.find("计量单") != std::string::npos);  // wrapped in its narrow column, as LibreOffice prints it too
    CHECK(text.find("人次") != std::string::npos);
    CHECK(capture("pdffonts " + pdf).find("Kai") != std::string::npos);
}
