#include "layout/document.h"
#include "model/decimal.h"
#include "render/render_error.h"
#include "render/xlsx_writer.h"
#include "render/xlsx_zip.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <string>
#include <unistd.h>
#include <vector>

// The workbook is checked part by part after unzipping it in memory (structure, not bytes);
// one test converts it with LibreOffice (package libreoffice-calc-nogui) to prove it opens.

namespace fs = std::filesystem;
using namespace jixiao;
using layout::Cell;
using layout::Document;
using layout::Table;
using layout::TableRow;
using model::Decimal;

namespace {

Decimal dec(const char* text) { return *Decimal::parse(text); }

Cell money(const char* text, const std::string& id = {}) {
    Cell c = Cell::figure(text, dec(text), "#,##0.00");
    c.id = id;
    return c;
}

Cell score(const char* text, const std::string& id) {
    Cell c = Cell::figure(text, dec(text), "0.00");
    c.id = id;
    return c;
}

Cell formula(std::string text, const char* value, std::string printed, std::string format) {
    Cell c = Cell::figure(std::move(printed), dec(value), std::move(format));
    c.formula = std::move(text);
    return c;
}

Cell dash() { return Cell::figure("—"); }

layout::Metadata metadata() {
    layout::Metadata m;
    m.title = "项目支出绩效自评表（2024年度）";
    m.author = "某县财政局";
    m.subject = "绩效自评";
    m.keywords = "绩效,自评";
    m.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    return m;
}

// The national 项目支出绩效自评表: a title, a funding block whose 执行率 and 得分 are formulas,
// and an indicator table with two header rows and 一级/二级 cells merged over many rows.
// Column widths are chosen so both tables share the indicator table's eight-column grid
// (the funding table's first column covers two of its columns).
Document selfEvaluation() {
    Document doc;
    doc.meta = metadata();
    layout::Heading title;
    title.text = "项目支出绩效自评表";
    title.style = layout::TextStyle{layout::FontRole::Title, 18.0, true};
    title.format.align = layout::Align::Center;
    doc.blocks.push_back(title);
    layout::ParagraphFormat centred;
    centred.align = layout::Align::Center;
    doc.blocks.push_back(layout::Paragraph::plain("（2024年度）", {}, centred));

    Table funding;
    funding.columnWidths = {19, 20, 14, 14, 9, 9, 25};
    funding.headerRows = 1;
    funding.rows.push_back(TableRow{{Cell::label("项目资金（万元）"), Cell::label("年初预算数"), Cell::label("全年预算数"),
                                     Cell::label("全年执行数"), Cell::label("分值"), Cell::label("执行率"), Cell::label("得分")}});
    funding.rows.push_back(TableRow{{Cell::label("年度资金总额"), money("120"), money("100", "budget"), money("86.2", "exec"),
                                     score("10", "weight"), formula("={exec}/{budget}", "0.862", "86.20%", "0.00%"),
                                     formula("=MIN({exec}/{budget},1)*{weight}", "8.62", "8.62", "0.00")}});
    funding.rows.push_back(TableRow{{Cell::label("其中：当年财政拨款"), money("100"), money("80"), money("70"), dash(), dash(), dash()}});
    funding.rows.push_back(TableRow{{Cell::label("上年结转资金"), money("20"), money("20"), money("16.2"), dash(), dash(), dash()}});
    funding.rows.push_back(TableRow{{Cell::label("其他资金"), money("0"), money("0"), money("0"), dash(), dash(), dash()}});
    doc.blocks.push_back(funding);

    Table indicators;
    indicators.columnWidths = {9, 10, 20, 14, 14, 9, 9, 25};
    indicators.headerRows = 2;
    indicators.rows.push_back(TableRow{{Cell::label("一级指标", 1, 2), Cell::label("二级指标", 1, 2), Cell::label("三级指标", 1, 2),
                                        Cell::label("指标值", 2), Cell::label("评分", 2), Cell::label("偏差原因分析及改进措施", 1, 2)}});
    indicators.rows.push_back(TableRow{{Cell::label("年度指标值"), Cell::label("实际完成值"), Cell::label("分值"), Cell::label("得分")}});
    struct Group {
        const char* first;
        std::vector<std::pair<const char*, int>> seconds;
    };
    const std::vector<Group> groups = {
        {"产出指标", {{"数量指标", 4}, {"质量指标", 4}, {"时效指标", 4}}},
        {"效益指标", {{"社会效益指标", 2}, {"可持续影响指标", 2}}},
        {"满意度指标", {{"服务对象满意度指标", 2}}},
    };
    int n = 0;
    for (const Group& g : groups) {
        int rows = 0;
        for (const auto& s : g.seconds) rows += s.second;
        bool firstOfGroup = true;
        for (const auto& [second, count] : g.seconds) {
            for (int i = 0; i < count; ++i) {
                ++n;
                TableRow row;
                if (firstOfGroup) row.cells.push_back(Cell::label(g.first, 1, rows));
                if (i == 0) row.cells.push_back(Cell::label(second, 1, count));
                firstOfGroup = false;
                row.cells.push_back(Cell::label("指标" + std::to_string(n) + "：完成农村公路养护里程"));
                row.cells.push_back(Cell::label("≥120公里"));
                row.cells.push_back(Cell::label("118公里"));
                row.cells.push_back(score("5", "w." + std::to_string(n)));
                row.cells.push_back(score("4.5", "score." + std::to_string(n)));
                row.cells.push_back(Cell::label(n % 5 == 0 ? "受汛期影响，部分路段养护推迟至次年一季度，已督促施工单位"
                                                             "制定赶工计划并加强质量抽检，下一年度将提前安排。"
                                                           : ""));
                indicators.rows.push_back(std::move(row));
            }
        }
    }
    indicators.rows.push_back(TableRow{{Cell::label("总分", 5), formula("=SUM({w.*})", "90", "90.00", "0.00"),
                                        formula("=SUM({score.*})", "81", "81.00", "0.00"), Cell::label("自评等级：良")}});
    doc.blocks.push_back(indicators);
    return doc;
}

std::string part(const std::map<std::string, std::string>& parts, const std::string& name) {
    auto it = parts.find(name);
    INFO("part " << name);
    REQUIRE(it != parts.end());
    return it->second;
}

/// The <c> element of one cell, e.g. cellXml(sheet, "H4").
std::string cellXml(const std::string& sheet, const std::string& ref) {
    std::smatch m;
    const std::regex re("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
    if (!std::regex_search(sheet, m, re)) return {};
    return m.str(0);
}

std::string renderError(const std::function<void()>& f) {
    try {
        f();
    } catch (const render::RenderError& e) {
        return e.what();
    }
    return "(no error)";
}

fs::path scratchDir() {
    const fs::path dir = fs::temp_directory_path() / ("jixiao-xlsx-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}

// Set JIXIAO_KEEP_RENDER_OUTPUT=1 to keep the workbooks (and look at them) after the run.
bool keepOutput() { return std::getenv("JIXIAO_KEEP_RENDER_OUTPUT") != nullptr; }

void keep(const std::string& name, const std::string& bytes) {
    if (keepOutput()) std::ofstream(scratchDir() / name, std::ios::binary) << bytes;
}

std::string run(const std::string& command, int* status) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        *status = -1;
        return out;
    }
    char buf[4096];
    size_t got = 0;
    while ((got = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, got);
    *status = ::pclose(pipe);
    return out;
}

}  // namespace

TEST_CASE("xlsx: the self-evaluation form becomes a sheet with merges, numbers and formulas", "[render]") {
    const std::string bytes = render::renderXlsx(selfEvaluation());
    keep("自评表.xlsx", bytes);
    const auto parts = testing::unzipParts(bytes);
    const std::string sheet = part(parts, "xl/worksheets/sheet1.xml");

    SECTION("title rows are merged across the grid, tables keep their spans") {
        CHECK(sheet.find("<mergeCell ref=\"A1:H1\"/>") != std::string::npos);    // title
        CHECK(sheet.find("<mergeCell ref=\"A2:H2\"/>") != std::string::npos);    // year
        CHECK(sheet.find("<mergeCell ref=\"A4:B4\"/>") != std::string::npos);    // 年度资金总额 over two grid columns
        CHECK(sheet.find("<mergeCell ref=\"A9:A10\"/>") != std::string::npos);   // 一级指标 header
        CHECK(sheet.find("<mergeCell ref=\"D9:E9\"/>") != std::string::npos);    // 指标值
        CHECK(sheet.find("<mergeCell ref=\"A11:A22\"/>") != std::string::npos);  // 产出指标 over 12 rows
        CHECK(sheet.find("<mergeCell ref=\"B11:B14\"/>") != std::string::npos);  // 数量指标
        CHECK(sheet.find("<mergeCell ref=\"A29:E29\"/>") != std::string::npos);  // 总分
        CHECK(sheet.find("<cols>") != std::string::npos);
        CHECK(std::regex_search(sheet, std::regex("<col min=\"8\" max=\"8\"")));
        CHECK_FALSE(std::regex_search(sheet, std::regex("<col min=\"9\"")));
    }
    SECTION("formulas name their cells by A1 reference and cache the exact value") {
        CHECK(cellXml(sheet, "G4").find("<f>E4/D4</f><v>0.862</v>") != std::string::npos);
        // libxlsxwriter 1.1.4 prints doubles with "%.16G", so 8.62 is cached as
        // 8.619999999999999: the same number to Excel's 15 significant digits.
        std::smatch m;
        const std::string h4 = cellXml(sheet, "H4");
        REQUIRE(std::regex_search(h4, m, std::regex("<f>MIN\\(E4/D4,1\\)\\*F4</f><v>([0-9.]+)</v>")));
        CHECK(std::stod(m.str(1)) == Approx(8.62).epsilon(1e-14));
        CHECK(cellXml(sheet, "F29").find("<f>SUM(F11:F28)</f><v>90</v>") != std::string::npos);
        CHECK(cellXml(sheet, "G29").find("<f>SUM(G11:G28)</f><v>81</v>") != std::string::npos);
    }
    SECTION("numbers are number cells, text is shared strings") {
        const std::string d4 = cellXml(sheet, "D4");
        CHECK(d4.find("<v>100</v>") != std::string::npos);
        CHECK(d4.find(" t=") == std::string::npos);
        const std::string e4 = cellXml(sheet, "E4");
        CHECK(e4.find("<v>86.2</v>") != std::string::npos);
        CHECK(e4.find(" t=") == std::string::npos);
        CHECK(cellXml(sheet, "A3").find("t=\"s\"") != std::string::npos);
        CHECK(cellXml(sheet, "F5").find("t=\"s\"") != std::string::npos);  // "—" stays text
    }
    SECTION("styles: number formats, bold grey headers, thin borders, wrapping") {
        const std::string styles = part(parts, "xl/styles.xml");
        CHECK(styles.find("formatCode=\"#,##0.00\"") != std::string::npos);
        CHECK(styles.find("formatCode=\"0.00%\"") != std::string::npos);
        CHECK(styles.find("formatCode=\"0.00\"") != std::string::npos);
        CHECK(styles.find("<fgColor rgb=\"FFD9D9D9\"/>") != std::string::npos);
        CHECK(styles.find("<left style=\"thin\">") != std::string::npos);
        CHECK(styles.find("wrapText=\"1\"") != std::string::npos);
        CHECK(styles.find("shrinkToFit=\"1\"") != std::string::npos);  // numbers
        CHECK(styles.find("<name val=\"宋体\"/>") != std::string::npos);
        CHECK(styles.find("<name val=\"方正小标宋简体\"/>") != std::string::npos);
        // A header cell's format is bold; a body number cell's is not.
        std::smatch m;
        REQUIRE(std::regex_search(sheet, m, std::regex("<c r=\"C3\" s=\"(\\d+)\"")));
        const int headerXf = std::stoi(m.str(1));
        REQUIRE(std::regex_search(styles, m, std::regex("<cellXfs count=\"\\d+\">(.*?)</cellXfs>")));
        std::vector<std::string> xfs;
        const std::string all = m.str(1);
        const std::regex xfRe("<xf [^>]*?(/>|>.*?</xf>)");
        for (std::sregex_iterator it(all.begin(), all.end(), xfRe), end; it != end; ++it) {
            xfs.push_back(it->str(0));
        }
        REQUIRE(headerXf < static_cast<int>(xfs.size()));
        CHECK(xfs[static_cast<size_t>(headerXf)].find("horizontal=\"center\"") != std::string::npos);
        CHECK(xfs[static_cast<size_t>(headerXf)].find("vertical=\"center\"") != std::string::npos);
    }
    SECTION("print setup: A4, one page wide, header rows repeated, page numbers") {
        CHECK(sheet.find("paperSize=\"9\"") != std::string::npos);
        CHECK(sheet.find("orientation=\"portrait\"") != std::string::npos);
        CHECK(sheet.find("<pageSetUpPr fitToPage=\"1\"/>") != std::string::npos);
        CHECK(sheet.find("fitToHeight=\"0\"") != std::string::npos);
        CHECK(sheet.find("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>") != std::string::npos);
        const std::string workbook = part(parts, "xl/workbook.xml");
        CHECK(workbook.find("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">"
                            "'项目支出绩效自评表（2024年度）'!$9:$10</definedName>") != std::string::npos);
        CHECK(workbook.find("<sheet name=\"项目支出绩效自评表（2024年度）\"") != std::string::npos);
        // Two tables: no frozen pane by default.
        CHECK(sheet.find("<pane ") == std::string::npos);
    }
    SECTION("document properties are pinned") {
        const std::string core = part(parts, "docProps/core.xml");
        CHECK(core.find("<dc:title>项目支出绩效自评表（2024年度）</dc:title>") != std::string::npos);
        CHECK(core.find("<dc:creator>某县财政局</dc:creator>") != std::string::npos);
        CHECK(core.find("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-03-05T01:30:00Z</dcterms:created>") != std::string::npos);
        CHECK(core.find("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2025-03-05T01:30:00Z</dcterms:modified>") != std::string::npos);
    }
}

TEST_CASE("xlsx: the same document gives the same bytes", "[render]") {
    const Document doc = selfEvaluation();
    const std::string first = render::renderXlsx(doc);
    ::sleep(1);  // a second later: nothing may depend on the clock
    const std::string second = render::renderXlsx(doc);
    CHECK(first.size() > 5000);
    CHECK(first == second);
}

TEST_CASE("xlsx: a prefix range that is not contiguous becomes a list", "[render]") {
    Document doc;
    Table t;
    t.columnWidths = {1, 1};
    t.rows.push_back(TableRow{{Cell::label("甲"), money("1", "x.1")}});
    t.rows.push_back(TableRow{{Cell::label("乙"), money("2")}});
    t.rows.push_back(TableRow{{Cell::label("丙"), money("3", "x.3")}});
    t.rows.push_back(TableRow{{Cell::label("合计"), formula("=SUM({x.*})+LEN(\"{x.1}\")", "4", "4.00", "0.00")}});
    doc.blocks.push_back(t);
    const std::string sheet = part(testing::unzipParts(render::renderXlsx(doc)), "xl/worksheets/sheet1.xml");
    // Braces inside a string literal are text, not a reference.
    CHECK(cellXml(sheet, "B4").find("<f>SUM(B1,B3)+LEN(\"{x.1}\")</f><v>4</v>") != std::string::npos);
    // One table with no header rows: nothing to freeze, nothing to repeat.
    CHECK(sheet.find("<pane ") == std::string::npos);
}

TEST_CASE("xlsx: reference errors name the formula, the sheet and the id", "[render]") {
    Document doc;
    Table t;
    t.columnWidths = {1, 1};
    t.rows.push_back(TableRow{{money("1", "exec"), formula("=MIN({exec}/{budget},1)", "1", "1", "0.00")}});
    doc.blocks.push_back(t);
    render::XlsxOptions options;
    options.sheetName = "自评表";
    CHECK(renderError([&] { render::renderXlsx(doc, options); }) ==
          "工作表“自评表”中的公式“=MIN({exec}/{budget},1)”引用了不存在的单元格 id“budget”");

    std::get<Table>(doc.blocks[0]).rows[0].cells[1].formula = "=SUM({w.*})";
    CHECK(renderError([&] { render::renderXlsx(doc, options); }) == "工作表“自评表”中的公式“=SUM({w.*})”：没有以“w.”开头的单元格 id");

    std::get<Table>(doc.blocks[0]).rows[0].cells[1].id = "exec";
    CHECK(renderError([&] { render::renderXlsx(doc, options); }) == "工作表“自评表”：单元格 id“exec”重复");
}

TEST_CASE("xlsx: sheet names are fixed, shortened and made unique", "[render]") {
    CHECK(render::sheetNameFor("2024/12 [草稿]: a*b?c\\d") == "2024_12 _草稿__ a_b_c_d");
    CHECK(render::sheetNameFor("'引号'") == "引号");
    CHECK(render::sheetNameFor("") == "Sheet");
    CHECK(render::sheetNameFor("history") == "history_");
    CHECK(render::sheetNameFor("某某县农业农村局某某某某某某某某某某某某某某某某某某某某某某某某某") ==
          "某某县农业农村局某某某某某某某某某某某某某某某某某某某某某某某");

    layout::Workbook book;
    book.meta = metadata();
    for (const char* name : {"部门/汇总", "部门_汇总", "Sheet", "sheet"}) {
        layout::Sheet s;
        s.name = name;
        s.flow.blocks.push_back(layout::Paragraph::plain("内容"));
        book.sheets.push_back(s);
    }
    const std::string workbook = part(testing::unzipParts(render::renderXlsx(book)), "xl/workbook.xml");
    CHECK(workbook.find("<sheet name=\"部门_汇总\" sheetId=\"1\"") != std::string::npos);
    CHECK(workbook.find("<sheet name=\"部门_汇总(2)\" sheetId=\"2\"") != std::string::npos);
    CHECK(workbook.find("<sheet name=\"Sheet\" sheetId=\"3\"") != std::string::npos);
    CHECK(workbook.find("<sheet name=\"sheet(2)\" sheetId=\"4\"") != std::string::npos);
}

namespace {

// The 汇总表: a list sheet with autofilter, frozen header and two charts.
layout::Workbook summary() {
    layout::Workbook book;
    book.meta = metadata();
    book.meta.title = "2024年度预算绩效自评汇总表";
    layout::Sheet all;
    all.name = "所有项目";
    all.autofilter = true;
    all.flow.page.orientation = layout::Orientation::Landscape;
    Table list;
    list.columnWidths = {40, 25, 20, 15, 15, 12};
    list.headerRows = 1;
    list.rows.push_back(TableRow{{Cell::label("项目名称"), Cell::label("主管部门"), Cell::label("全年预算数（万元）"),
                                  Cell::label("执行率"), Cell::label("总分"), Cell::label("等级")}});
    const char* names[] = {"农村公路养护", "义务教育营养改善", "基层医疗设备购置", "高标准农田建设"};
    const char* depts[] = {"交通运输局", "教育局", "卫生健康局", "农业农村局"};
    const char* rates[] = {"0.862", "0.95", "1", "0.71"};
    const char* scores[] = {"81", "93.5", "96", "68"};
    const char* grades[] = {"良", "优", "优", "差"};
    for (int i = 0; i < 4; ++i) {
        Cell name = Cell::label(names[i]);
        name.id = "dept." + std::to_string(i);
        Cell rate = Cell::figure("", dec(rates[i]), "0.00%");
        rate.id = "rate." + std::to_string(i);
        list.rows.push_back(TableRow{
            {name, Cell::label(depts[i]), money("100"), rate, score(scores[i], "s." + std::to_string(i)), Cell::label(grades[i])}});
    }
    all.flow.blocks.push_back(list);
    Table grades2;
    grades2.columnWidths = {40, 25, 20, 15, 15, 12};
    grades2.headerRows = 0;
    const char* gradeNames[] = {"优", "良", "中", "差"};
    const char* counts[] = {"2", "1", "0", "1"};
    for (int i = 0; i < 4; ++i) {
        Cell g = Cell::label(gradeNames[i]);
        g.id = "grade." + std::to_string(i);
        Cell n = Cell::figure(counts[i], dec(counts[i]), "0");
        n.id = "count." + std::to_string(i);
        grades2.rows.push_back(TableRow{{g, n, Cell::label("", 4)}});
    }
    all.flow.blocks.push_back(grades2);
    all.freezeRows = 1;
    all.charts.push_back(
        layout::Chart{layout::ChartType::Column, "绩效等级分布", "{grade.*}", {layout::ChartSeries{"项目数", "{count.*}"}}});
    all.charts.push_back(layout::Chart{layout::ChartType::Bar, "预算执行率", "A2:A5", {layout::ChartSeries{"执行率", "{rate.*}"}}});
    book.sheets.push_back(all);

    layout::Sheet findings;
    findings.name = "问题清单";
    findings.flow.blocks.push_back(layout::Paragraph::plain("无"));
    book.sheets.push_back(findings);
    return book;
}

}  // namespace

TEST_CASE("xlsx: the summary workbook has filters, frozen headers and charts", "[render]") {
    const std::string bytes = render::renderXlsx(summary());
    keep("汇总表.xlsx", bytes);
    const auto parts = testing::unzipParts(bytes);
    const std::string sheet = part(parts, "xl/worksheets/sheet1.xml");
    CHECK(sheet.find("<autoFilter ref=\"A1:F5\"/>") != std::string::npos);
    CHECK(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != std::string::npos);
    CHECK(sheet.find("orientation=\"landscape\"") != std::string::npos);
    CHECK(sheet.find("<drawing r:id=\"rId1\"/>") != std::string::npos);
    const std::string workbook = part(parts, "xl/workbook.xml");
    CHECK(workbook.find("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">"
                        "'所有项目'!$A$1:$F$5</definedName>") != std::string::npos);
    CHECK(workbook.find("<sheet name=\"问题清单\" sheetId=\"2\"") != std::string::npos);

    const std::string column = part(parts, "xl/charts/chart1.xml");
    CHECK(column.find("<c:barDir val=\"col\"/>") != std::string::npos);
    CHECK(column.find("<c:f>'所有项目'!$A$7:$A$10</c:f>") != std::string::npos);
    CHECK(column.find("<c:f>'所有项目'!$B$7:$B$10</c:f>") != std::string::npos);
    CHECK(column.find("绩效等级分布") != std::string::npos);
    const std::string bar = part(parts, "xl/charts/chart2.xml");
    CHECK(bar.find("<c:barDir val=\"bar\"/>") != std::string::npos);
    CHECK(bar.find("<c:f>'所有项目'!$A$2:$A$5</c:f>") != std::string::npos);
    CHECK(bar.find("<c:f>'所有项目'!$D$2:$D$5</c:f>") != std::string::npos);
    // The value axis is labelled like the cells (percentages), the category axis is not.
    CHECK(std::regex_search(bar, std::regex("<c:valAx>.*<c:numFmt formatCode=\"0\\.00%\" sourceLinked=\"0\"/>.*</c:valAx>")));
    CHECK_FALSE(std::regex_search(bar, std::regex("<c:catAx>.*0\\.00%.*</c:catAx>")));

    // The bar chart does not fit under the column chart on the landscape page: it starts a
    // page (the break is above the empty row over it, row 27).
    CHECK(sheet.find("<rowBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"26\" max=\"16383\" man=\"1\"/>") != std::string::npos);
    const std::string drawing = part(parts, "xl/drawings/drawing1.xml");
    CHECK(drawing.find("<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>11</xdr:row>") != std::string::npos);
    CHECK(drawing.find("<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>27</xdr:row>") != std::string::npos);

    // The same workbook twice: the same bytes, charts included.
    CHECK(render::renderXlsx(summary()) == render::renderXlsx(summary()));
}

TEST_CASE("xlsx: a workbook written one sheet at a time gives the same bytes", "[render]") {
    const layout::Workbook book = summary();
    render::XlsxWorkbookWriter writer;
    writer.properties(book.meta);
    for (layout::Sheet sheet : book.sheets) writer.sheet(std::move(sheet));
    CHECK(writer.finish() == render::renderXlsx(book));

    render::XlsxWorkbookWriter empty;
    CHECK(renderError([&] { empty.finish(); }) == "工作簿中至少要有一个工作表");
    empty.properties(book.meta);
    CHECK(renderError([&] { empty.finish(); }) == "工作簿中至少要有一个工作表");
    render::XlsxWorkbookWriter unnamed;
    CHECK(renderError([&] { unnamed.sheet(layout::Sheet{}); }) == "工作簿的属性应在第一个工作表之前给出");
}

namespace {

/// A sheet's rows, cells and merges as text, strings resolved whether shared or inline: what
/// a reader sees, so that a workbook written row by row can be compared with one written whole.
struct SheetContent {
    std::vector<std::string> rows;    // <row> without the optional spans
    std::vector<std::string> cells;   // "A1 s=3 text|number|formula"
    std::vector<std::string> merges;  // sorted
};

SheetContent sheetContent(const std::map<std::string, std::string>& parts, const std::string& sheetPart) {
    std::vector<std::string> shared;
    if (auto it = parts.find("xl/sharedStrings.xml"); it != parts.end()) {
        const std::regex si("<si><t[^>]*>(.*?)</t></si>");
        for (std::sregex_iterator m(it->second.begin(), it->second.end(), si), end; m != end; ++m) shared.push_back(m->str(1));
    }
    const std::string sheet = part(parts, sheetPart);
    SheetContent out;
    const std::regex row("<row [^>]*>");
    for (std::sregex_iterator m(sheet.begin(), sheet.end(), row), end; m != end; ++m)
        out.rows.push_back(std::regex_replace(m->str(0), std::regex(" spans=\"[0-9:]+\""), ""));
    const std::regex cell("<c r=\"([A-Z]+[0-9]+)\"( s=\"[0-9]+\")?( t=\"([a-zA-Z]+)\")?(/>|>(.*?)</c>)");
    for (std::sregex_iterator m(sheet.begin(), sheet.end(), cell), end; m != end; ++m) {
        std::string content = m->str(6);
        std::smatch v;
        if (m->str(4) == "s" && std::regex_search(content, v, std::regex("<v>([0-9]+)</v>"))) {
            content = "text " + shared.at(std::stoul(v.str(1)));
        } else if (m->str(4) == "inlineStr" && std::regex_search(content, v, std::regex("<is><t[^>]*>(.*?)</t></is>"))) {
            content = "text " + v.str(1);
        }
        out.cells.push_back(m->str(1) + m->str(2) + " " + content);
    }
    const std::regex merge("<mergeCell ref=\"[A-Z0-9:]+\"/>");
    for (std::sregex_iterator m(sheet.begin(), sheet.end(), merge), end; m != end; ++m) out.merges.push_back(m->str(0));
    std::sort(out.merges.begin(), out.merges.end());
    return out;
}

void checkSameContent(const std::map<std::string, std::string>& whole, const std::map<std::string, std::string>& rowByRow,
                      const std::string& sheetPart) {
    INFO(sheetPart);
    const SheetContent a = sheetContent(whole, sheetPart);
    const SheetContent b = sheetContent(rowByRow, sheetPart);
    CHECK(b.rows == a.rows);
    CHECK(b.cells == a.cells);
    CHECK(b.merges == a.merges);
    CHECK_FALSE(a.cells.empty());
}

}  // namespace

TEST_CASE("xlsx: a workbook written row by row shows the same cells, merges spanning rows included", "[render]") {
    render::XlsxOptions rowByRow;
    rowByRow.rowByRow = true;

    // The self-evaluation form: header cells merged over two rows beside merges within a row,
    // 一级指标 over twelve rows, 二级指标 over four.
    const auto whole = testing::unzipParts(render::renderXlsx(selfEvaluation()));
    const std::string bytes = render::renderXlsx(selfEvaluation(), rowByRow);
    keep("自评表-逐行.xlsx", bytes);
    const auto streamed = testing::unzipParts(bytes);
    CHECK(streamed.count("xl/sharedStrings.xml") == 0);  // strings are inline
    const std::string sheet = part(streamed, "xl/worksheets/sheet1.xml");
    CHECK(cellXml(sheet, "A11").find("t=\"inlineStr\"><is><t>产出指标</t></is>") != std::string::npos);
    CHECK(sheet.find("<mergeCell ref=\"A11:A22\"/>") != std::string::npos);
    CHECK(sheet.find("<mergeCell ref=\"A9:A10\"/>") != std::string::npos);
    checkSameContent(whole, streamed, "xl/worksheets/sheet1.xml");
    CHECK(part(streamed, "xl/workbook.xml") == part(whole, "xl/workbook.xml"));  // print titles

    // The summary through the writer: the same sheets, filters, charts; the same bytes twice.
    const layout::Workbook book = summary();
    const auto wholeBook = testing::unzipParts(render::renderXlsx(book));
    auto written = [&] {
        render::XlsxWorkbookWriter writer(rowByRow);
        writer.properties(book.meta);
        for (layout::Sheet next : book.sheets) writer.sheet(std::move(next));
        return writer.finish();
    };
    const std::string first = written();
    CHECK(written() == first);
    CHECK(render::renderXlsx(book, rowByRow) == first);
    const auto streamedBook = testing::unzipParts(first);
    for (const char* sheetPart : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"})
        checkSameContent(wholeBook, streamedBook, sheetPart);
    for (const char* same : {"xl/workbook.xml", "xl/drawings/drawing1.xml"}) CHECK(part(streamedBook, same) == part(wholeBook, same));
    // The charts name the same ranges; without the cells in memory libxlsxwriter caches no
    // values in them (Excel and LibreOffice read the ranges).
    auto ranges = [](const std::string& chart) {
        std::vector<std::string> out;
        const std::regex f("<c:f>[^<]*</c:f>");
        for (std::sregex_iterator m(chart.begin(), chart.end(), f), end; m != end; ++m) out.push_back(m->str(0));
        return out;
    };
    for (const char* chart : {"xl/charts/chart1.xml", "xl/charts/chart2.xml"}) {
        CHECK(ranges(part(streamedBook, chart)) == ranges(part(wholeBook, chart)));
        CHECK(ranges(part(streamedBook, chart)).size() == 2);
    }
    CHECK(part(streamedBook, "xl/worksheets/sheet1.xml").find("<autoFilter ref=\"A1:F5\"/>") != std::string::npos);
}

namespace {

/// `book` handed to a writer as layout hands a sheet in parts: the tables' settings first, then
/// block by block, each table's rows after its first run in runs of `run` rows, cut only where
/// no rowspan is open.
std::string writtenInParts(const layout::Workbook& book, const render::XlsxOptions& options, std::size_t run) {
    render::XlsxWorkbookWriter writer(options);
    writer.properties(book.meta);
    for (const layout::Sheet& sheet : book.sheets) {
        layout::Sheet head = sheet;
        head.flow.blocks.clear();
        std::vector<Table> tables;
        for (const layout::Block& b : sheet.flow.blocks) {
            if (const auto* t = std::get_if<Table>(&b)) {
                tables.push_back(*t);
                tables.back().rows.clear();
            }
        }
        writer.beginSheet(std::move(head), tables);
        for (const layout::Block& b : sheet.flow.blocks) {
            const auto* t = std::get_if<Table>(&b);
            if (t == nullptr) {
                writer.blocks({b});
                continue;
            }
            Table part = *t;
            part.rows.clear();
            bool first = true;
            int reach = -1;
            auto handOver = [&] {
                if (first) writer.blocks({part});
                else writer.tableRows(std::move(part.rows));
                first = false;
                part.rows.clear();
                part.headerRows = 0;
                reach = -1;
            };
            for (const TableRow& row : t->rows) {
                part.rows.push_back(row);
                const int at = int(part.rows.size()) - 1;
                for (const Cell& c : row.cells) reach = std::max(reach, at + c.rowspan - 1);
                if (part.rows.size() >= run && reach <= at && at + 1 >= part.headerRows) handOver();
            }
            if (first || !part.rows.empty()) handOver();
        }
        writer.endSheet();
    }
    return writer.finish();
}

/// A sheet with one table of `rows` projects, as the summary's 全部项目.
layout::Sheet projectList(int rows) {
    layout::Sheet sheet;
    sheet.name = "全部项目";
    sheet.flow.page.orientation = layout::Orientation::Landscape;
    sheet.autofilter = true;
    sheet.flow.blocks.push_back(layout::Heading{});
    std::get<layout::Heading>(sheet.flow.blocks.back()).text = "全部项目";
    Table t;
    t.columnWidths = {18, 60, 30, 22, 16};
    t.widthUnit = layout::WidthUnit::Mm;
    t.headerRows = 1;
    t.rows.push_back(TableRow{
        {Cell::label("项目编码"), Cell::label("项目名称"), Cell::label("主管部门"), Cell::label("全年预算数"), Cell::label("执行率")}});
    for (int i = 0; i < rows; ++i) {
        const std::string n = std::to_string(i + 1);
        Cell rate = Cell::figure("", dec(i % 3 == 0 ? "0.862" : "1"), "0.00%");
        rate.id = "rate." + n;
        t.rows.push_back(TableRow{{Cell::label("P" + n),
                                   Cell::label("项目" + n + (i % 7 == 0 ? "：名称很长需要在单元格中换行显示的农村公路养护工程" : "")),
                                   Cell::label(i % 2 == 0 ? "交通运输局" : "教育局"), money(i % 5 == 0 ? "1234.5" : "100"), rate}});
    }
    sheet.flow.blocks.push_back(t);
    sheet.flow.blocks.push_back(layout::Paragraph::plain("注：执行率按全年预算数计算。"));
    sheet.charts.push_back(layout::Chart{layout::ChartType::Bar, "执行率", "A3:A6", {layout::ChartSeries{"执行率", "E3:E6"}}});
    return sheet;
}

}  // namespace

TEST_CASE("xlsx: a sheet written in parts gives the bytes of the sheet written whole", "[render]") {
    layout::Workbook book = summary();
    book.sheets.push_back(projectList(700));
    layout::Sheet form;
    form.name = "自评表";
    form.flow = selfEvaluation();  // merges over twelve rows, formulas naming cells above them
    book.sheets.push_back(form);
    render::XlsxOptions rowByRow;
    rowByRow.rowByRow = true;
    for (const render::XlsxOptions& options : {render::XlsxOptions{}, rowByRow}) {
        INFO("row by row: " << options.rowByRow);
        const std::string whole = render::renderXlsx(book, options);
        for (std::size_t run : {std::size_t(1), std::size_t(5), std::size_t(256)}) {
            INFO("runs of " << run << " rows");
            CHECK(writtenInParts(book, options, run) == whole);
        }
    }
    // The filter spans the whole list, written in runs (constant_memory refuses a filter over
    // rows already written out: it is set once the table is complete, before the next row).
    const auto parts = testing::unzipParts(writtenInParts(book, rowByRow, 256));
    CHECK(part(parts, "xl/worksheets/sheet3.xml").find("<autoFilter ref=\"A2:E702\"/>") != std::string::npos);

    render::XlsxWorkbookWriter writer;
    writer.properties(book.meta);
    CHECK(renderError([&] { writer.blocks({layout::Spacer{}}); }) == "工作表的内容应在工作表开始（beginSheet）之后给出");
    layout::Sheet open;
    open.name = "全部项目";
    writer.beginSheet(std::move(open), {});
    CHECK(renderError([&] { writer.tableRows({TableRow{{Cell::label("x")}}}); }) == "工作表的表格行应紧跟在表格之后");
    CHECK(renderError([&] { writer.finish(); }) == "工作表“全部项目”还没有结束（endSheet）");
}

TEST_CASE("xlsx: a pie chart draws its first series with percentages", "[render]") {
    layout::Workbook book = summary();
    book.sheets[0].charts.resize(1);
    book.sheets[0].charts[0].type = layout::ChartType::Pie;
    book.sheets[0].charts[0].series.push_back(layout::ChartSeries{"忽略", "{s.*}"});
    const std::string pie = part(testing::unzipParts(render::renderXlsx(book)), "xl/charts/chart1.xml");
    CHECK(pie.find("<c:pieChart>") != std::string::npos);
    CHECK(pie.find("<c:showPercent val=\"1\"/>") != std::string::npos);
    CHECK(pie.find("<c:f>'所有项目'!$B$7:$B$10</c:f>") != std::string::npos);
    CHECK(pie.find("$E$2:$E$5") == std::string::npos);  // a pie has one series
}

TEST_CASE("xlsx: chart and workbook errors", "[render]") {
    layout::Workbook book = summary();
    book.sheets[0].charts[0].series[0].values = "{s.*}";
    book.sheets[0].charts[0].categories = "{dept.0}";
    CHECK_NOTHROW(render::renderXlsx(book));

    // dept.0 and the grade labels are not one block.
    book.sheets[0].charts[0].categories = "{d*}";
    book.sheets[0].charts[0].series[0].values = "{count.*}";
    std::get<Table>(book.sheets[0].flow.blocks[1]).rows[0].cells[0].id = "d.grade";
    CHECK(renderError([&] { render::renderXlsx(book); }) ==
          "工作表“所有项目”中的第 1 个图表“绩效等级分布”：{d*} 的单元格不是同一行或同一列中相连的一段");

    book = summary();
    book.sheets[0].charts[1].categories = "甲1";
    CHECK(renderError([&] { render::renderXlsx(book); }) ==
          "工作表“所有项目”中的第 2 个图表“预算执行率”：“甲1”既不是 {单元格 id} 也不是 A1 区域");

    book.sheets.clear();
    CHECK(renderError([&] { render::renderXlsx(book); }) == "工作簿中至少要有一个工作表");

    Document thin;
    Table t;
    t.columnWidths = {1, 0.0001, 1};
    t.rows.push_back(TableRow{{Cell::label("甲"), Cell::label("乙"), Cell::label("丙")}});
    thin.blocks.push_back(t);
    CHECK(renderError([&] { render::renderXlsx(thin); }) == "工作表“Sheet1”：表格第 2 列太窄，无法成为电子表格的一列");

    render::XlsxOptions options;
    options.tempDir = "/nonexistent-jixiao";
    // A workbook written as it is made goes to a scratch file, whose name carries the process
    // id, so that a later run can sweep it.
    render::XlsxWorkbookWriter streamed(options);
    CHECK(renderError([&] { streamed.properties(selfEvaluation().meta); }) ==
          "无法创建临时文件 /nonexistent-jixiao/jixiao-xlsx-" + std::to_string(::getpid()) + "-XXXXXX（文件或文件夹不存在）");
    // One made whole is packed in memory: no file, so the folder is not even looked at.
    const std::uint64_t zipped = render::xlsx::archivesOpened();
    const std::string whole = render::renderXlsx(selfEvaluation(), options);
    CHECK(whole.rfind("PK\x03\x04", 0) == 0);
    CHECK(render::xlsx::archivesOpened() == zipped + 1);
    CHECK(whole == render::renderXlsx(selfEvaluation()));
}

TEST_CASE("xlsx: tables with different grids share the union of their column edges", "[render]") {
    Document doc;
    Table a;
    a.columnWidths = {1, 1};
    a.rows.push_back(TableRow{{Cell::label("左"), Cell::label("右")}});
    Table b;
    b.columnWidths = {1, 2, 1};
    b.rows.push_back(TableRow{{Cell::label("一"), Cell::label("二"), Cell::label("三")}});
    doc.blocks.push_back(a);
    doc.blocks.push_back(layout::PageBreak{});
    doc.blocks.push_back(b);
    const std::string sheet = part(testing::unzipParts(render::renderXlsx(doc)), "xl/worksheets/sheet1.xml");
    // Edges 0, 1/4, 1/2, 3/4, 1 of the type area: four grid columns of equal width.
    CHECK(std::regex_search(sheet, std::regex("<col min=\"4\" max=\"4\"")));
    CHECK_FALSE(std::regex_search(sheet, std::regex("<col min=\"5\"")));
    CHECK(sheet.find("<mergeCell ref=\"A1:B1\"/>") != std::string::npos);
    CHECK(sheet.find("<mergeCell ref=\"C1:D1\"/>") != std::string::npos);
    CHECK(sheet.find("<mergeCell ref=\"B2:C2\"/>") != std::string::npos);
    // The page break is kept, and the sheet is still one page wide.
    CHECK(sheet.find("<rowBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"1\" max=\"16383\" man=\"1\"/></rowBreaks>") !=
          std::string::npos);
    CHECK(sheet.find("<pageSetUpPr fitToPage=\"1\"/>") != std::string::npos);
}

namespace {

// A letter-like flow: paragraphs, a spacer, a table, a page break and a signature.
Document letter() {
    Document doc;
    doc.meta = metadata();
    doc.page.orientation = layout::Orientation::Landscape;
    doc.headerFooter.headerText = "财政 & 绩效";
    doc.headerFooter.pageNumbers = layout::PageNumberStyle::Dashed;
    layout::ParagraphFormat body;
    body.firstLineIndentChars = 2;
    doc.blocks.push_back(layout::Paragraph::plain("根据《项目支出绩效评价管理办法》，现将评价结果反馈如下。", {}, body));
    doc.blocks.push_back(layout::Spacer{10.0});
    Table t;
    t.columnWidths = {60, 40};
    t.widthUnit = layout::WidthUnit::Mm;
    t.headerRows = 1;
    t.rows.push_back(TableRow{{Cell::label("项目"), Cell::label("得分")}});
    t.rows.push_back(TableRow{{Cell::label("农村公路养护"), score("81", "s")}});
    doc.blocks.push_back(t);
    doc.blocks.push_back(layout::PageBreak{});
    layout::Signature sig;
    sig.lines = {"某县财政局", "2025年3月5日"};
    sig.spaceBeforeLines = 1;
    doc.blocks.push_back(sig);
    return doc;
}

}  // namespace

TEST_CASE("xlsx: paragraphs, spacers, signatures and page setup", "[render]") {
    const std::string bytes = render::renderXlsx(letter());
    keep("反馈函.xlsx", bytes);
    const auto parts = testing::unzipParts(bytes);
    const std::string sheet = part(parts, "xl/worksheets/sheet1.xml");
    const std::string strings = part(parts, "xl/sharedStrings.xml");
    // A table of 100 mm in a 247 mm type area: its two columns and a filler column; the
    // paragraph row spans all three.
    CHECK(sheet.find("<mergeCell ref=\"A1:C1\"/>") != std::string::npos);
    CHECK(std::regex_search(sheet, std::regex("<col min=\"3\" max=\"3\"")));
    CHECK_FALSE(std::regex_search(sheet, std::regex("<col min=\"4\"")));
    // First-line indent of two characters, as ideographic spaces.
    CHECK(strings.find("<t>　　根据《项目支出绩效评价管理办法》") != std::string::npos);
    // The spacer is a 10 mm row (heights are kept to 0.01 pt).
    CHECK(sheet.find("<row r=\"2\" ht=\"28.35\" customHeight=\"1\"/>") != std::string::npos);
    // The header row of the only table is frozen and repeated.
    CHECK(sheet.find("<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>") != std::string::npos);
    // Signature: a blank line, then right-aligned lines; the name is centred over the date
    // (4 + (6.3 - 5) / 2 ideographic spaces, rounded: digits are half width) and the date
    // ends 4 characters from the edge.
    CHECK(strings.find("<t>某县财政局　　　　　</t>") != std::string::npos);
    CHECK(strings.find("<t>2025年3月5日　　　　</t>") != std::string::npos);
    CHECK(sheet.find("<rowBreaks count=\"1\" manualBreakCount=\"1\"><brk id=\"4\" max=\"16383\" man=\"1\"/>") != std::string::npos);
    CHECK(sheet.find("orientation=\"landscape\"") != std::string::npos);
    // More document follows the table after a page break: no print titles.
    CHECK(part(parts, "xl/workbook.xml").find("Print_Titles") == std::string::npos);
    CHECK(sheet.find("<oddHeader>&amp;C财政 &amp;&amp; 绩效</oddHeader><oddFooter>&amp;C— &amp;P —</oddFooter>") != std::string::npos);
}

TEST_CASE("xlsx: an empty document is an empty sheet", "[render]") {
    const auto parts = testing::unzipParts(render::renderXlsx(Document{}));
    CHECK(part(parts, "xl/workbook.xml").find("<sheet name=\"Sheet1\"") != std::string::npos);
    CHECK(part(parts, "xl/worksheets/sheet1.xml").find("<sheetData/>") != std::string::npos);
}

TEST_CASE("xlsx: LibreOffice opens the workbook and shows its Chinese text", "[render]") {
    int status = 0;
    run("command -v soffice", &status);
    if (status != 0) {
        WARN("soffice not found (install libreoffice-calc-nogui); skipping the LibreOffice check");
        return;
    }
    const fs::path dir = scratchDir();
    const fs::path xlsx = dir / "自评表.xlsx";
    const std::uint64_t zipped = render::xlsx::archivesOpened();
    std::ofstream(xlsx, std::ios::binary) << render::renderXlsx(selfEvaluation());
    CHECK(render::xlsx::archivesOpened() == zipped + 1);  // packed by render/xlsx_zip, not minizip
    // A private profile: a second soffice would otherwise hand the job to a running one.
    const std::string out =
        run("cd '" + dir.string() + "' && HOME='" + dir.string() + "' timeout 120 soffice --headless -env:UserInstallation=file://" +
                dir.string() + "/profile --convert-to pdf --outdir '" + dir.string() + "' '" + xlsx.string() + "'",
            &status);
    INFO(out);
    REQUIRE(status == 0);
    const fs::path pdf = dir / "自评表.pdf";
    REQUIRE(fs::exists(pdf));
    const std::string text = run("pdftotext -layout '" + pdf.string() + "' -", &status);
    REQUIRE(status == 0);
    CHECK(text.find("项目支出绩效自评表") != std::string::npos);
    CHECK(text.find("年度资金总额") != std::string::npos);
    CHECK(text.find("自评等级：良") != std::string::npos);
    CHECK(text.find("86.20%") != std::string::npos);                    // the cached formula value, formatted
    CHECK(text.find("MIN(") == std::string::npos);                      // formulas show results, not text
    CHECK(std::regex_search(text, std::regex("第 ?1 ?页 共 ?2 ?页")));  // the footer
    if (!keepOutput()) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
}
