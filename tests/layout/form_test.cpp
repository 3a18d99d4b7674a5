#include "layout/form.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <vector>

using namespace jixiao::layout;
using jixiao::model::Decimal;

namespace {

/// A templates folder with one form written in the test.
struct Templates {
    Poco::TemporaryFile dir;
    Templates(const std::string& name, const std::string& json) {
        Poco::File(dir.path() + "/" + name).createDirectories();
        std::ofstream(dir.path() + "/" + name + "/layout.json") << json;
    }
    void add(const std::string& rel, const std::string& text) const { std::ofstream(dir.path() + "/" + rel) << text; }
};

Value data() {
    Value root = Value::map();
    root.set("authority", "测试县财政局");
    Value& p = root.set("project", Value::map());
    p.set("name", "示例项目");
    p.set("rate", *Decimal::parse("0.862"));
    p.set("none", Value());
    Value& list = p.set("indicators", Value::list());
    const char* rows[][3] = {
        {"产出指标", "数量指标", "a"}, {"产出指标", "数量指标", "b"}, {"产出指标", "质量指标", "c"}, {"效益指标", "社会效益指标", "d"}};
    for (auto& r : rows) {
        Value& i = list.push(Value::map());
        i.set("level1", r[0]);
        i.set("level2", r[1]);
        i.set("level3", r[2]);
        i.set("score", Decimal::fromInt(5));
    }
    return root;
}

std::string loadError(const std::string& json) {
    Templates t("f", json);
    try {
        FormTemplate::load(t.dir.path(), "f");
    } catch (const TemplateError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a layout builds a document with merged loop rows and number cells", "[layout]") {
    Templates t("f", R"J({
  "title": "{{project.name}}自评表",
  "blocks": [
    { "heading": "标题", "level": 1 },
    { "table": { "columns": [1, 1, 1, 1], "header_rows": 1, "rows": [
      [ "一级", "二级", "三级", "得分" ],
      { "each": "project.indicators", "merge": [0, 1], "rows": [
        [ "{{level1}}", "{{level2}}", "{{level3}}", { "value": "score", "format": "fixed:2", "id": "s{{@index}}" } ] ] },
      [ { "text": "执行率", "colspan": 2 }, { "value": "project.rate", "format": "percent:2", "formula": "=SUM({s*})" },
        { "value": "project.none", "format": "money" } ]
    ] } }
  ]
})J");
    auto form = FormTemplate::load(t.dir.path(), "f");
    Document doc = form.build(data(), fixedDate("2025-03-05"));
    CHECK(doc.meta.title == "示例项目自评表");
    CHECK(doc.meta.author == "测试县财政局");
    CHECK(doc.meta.created.month == 3);
    REQUIRE(doc.blocks.size() == 2);
    const auto& table = std::get<Table>(doc.blocks[1]);
    REQUIRE(table.rows.size() == 6);
    // 产出指标 spans three rows, 数量指标 two; 效益指标 and 社会效益指标 one each.
    CHECK(table.rows[1].cells[0].rowspan == 3);
    CHECK(table.rows[1].cells[1].rowspan == 2);
    CHECK(table.rows[2].cells.size() == 2);
    CHECK(table.rows[3].cells.size() == 3);
    CHECK(table.rows[3].cells[0].text == "质量指标");
    CHECK(table.rows[4].cells.size() == 4);
    CHECK(table.rows[1].cells[3].text == "5.00");
    CHECK(table.rows[1].cells[3].numberFormat == "0.00");
    CHECK(table.rows[1].cells[3].id == "s1");
    const auto& rate = table.rows[5].cells[1];
    CHECK(rate.text == "86.20%");
    CHECK(rate.value->toString() == "0.862");
    CHECK(rate.numberFormat == "0.00%");
    CHECK(rate.formula == "=SUM({s*})");
    CHECK(table.rows[5].cells[2].text == "—");
    CHECK_FALSE(table.rows[5].cells[2].value);
    CHECK_NOTHROW(placeCells(table));
}

TEST_CASE("text files become headings and paragraphs", "[layout]") {
    Templates t("f", R"({ "blocks": [ { "text_file": "f/body.txt", "size": 14 } ] })");
    t.add("f/body.txt", "# 一、基本情况\n\n{{project.name}}的执行率为\n{{project.rate|percent}}。\n\n## （一）概况\n\n第二段。\n");
    Document doc = FormTemplate::load(t.dir.path(), "f").build(data(), fixedDate("2025-03-05"));
    REQUIRE(doc.blocks.size() == 4);
    CHECK(std::get<Heading>(doc.blocks[0]).text == "一、基本情况");
    CHECK(std::get<Heading>(doc.blocks[0]).level == 1);
    CHECK(std::get<Paragraph>(doc.blocks[1]).text() == "示例项目的执行率为86.20%。");
    CHECK(std::get<Heading>(doc.blocks[2]).level == 2);
}

TEST_CASE("a layout's fixed text is its running text in every branch, in the faces it is drawn in", "[layout]") {
    Templates t("f", R"({ "blocks": [
        { "heading": "标题{{project.name}}", "level": 1 },
        { "paragraph": "执行率{{#if project.rate}}为{{project.rate|percent}}{{#else}}无法计算{{/if}}。", "role": "kai", "size": 12 },
        { "if": "project.none", "blocks": [ { "paragraph": "少见的说明" } ] },
        { "text_file": "f/body.txt", "size": 14 },
        { "table": { "columns": [20], "rows": [ [ "表格文字" ] ] } } ] })");
    t.add("f/body.txt", "# 一、概况\n\n{{#if project.none}}有{{#else}}没有{{/if}}说明。\n");
    const FormTemplate form = FormTemplate::load(t.dir.path(), "f");
    const std::vector<Block> fixed = form.fixedText();
    REQUIRE(fixed.size() == 3);
    CHECK(std::get<Paragraph>(fixed[0]).text() == "执行率为无法计算。");
    CHECK(std::get<Paragraph>(fixed[0]).style.role == FontRole::Kai);
    CHECK(std::get<Heading>(fixed[1]).text == "一、概况");
    CHECK(std::get<Heading>(fixed[1]).style.role == FontRole::Heading);
    CHECK(std::get<Paragraph>(fixed[2]).text() == "有没有说明。");
    CHECK(std::get<Paragraph>(fixed[2]).style.sizePt == 14.0);
}

TEST_CASE("layout mistakes name the file, the line and a suggestion", "[layout]") {
    CHECK(loadError("{ \"blocks\": [\n  { \"paragraf\": \"x\" } ] }") ==
          "templates/f/layout.json:2: 未知的设置“paragraf”。是否指“paragraph”？");
    CHECK(loadError("{ \"blocks\": [ { \"table\": {\n \"rows\": [] } } ] }") ==
          "templates/f/layout.json:1: table 需要 columns（各列宽度）。");
    CHECK(loadError("{ \"blocks\": [\n\n { \"paragraph\": \"{{#if x}}\" } ] }") ==
          "templates/f/layout.json:3: {{#if}} 没有对应的 {{/if}}。");
    CHECK(loadError("{ \"blocks\": [ ") == "templates/f/layout.json:1:15: 不是有效的 JSON：JSON内容不完整。");
    CHECK(loadError("{ \"blocks\": [\n  { \"paragraph\": \"x\" },\n] }") ==
          "templates/f/layout.json:3:1: 不是有效的 JSON：数组的最后一项后面不能有逗号。");
    CHECK(loadError("[]") == "templates/f/layout.json:1: 最外层应为 { … } 对象。");
    // The line is where the value is, not where the key's text first appears in the file.
    CHECK(loadError("{ \"title\": \"paragraf\",\n  \"blocks\": [\n\n    { \"paragraf\": \"x\" } ] }") ==
          "templates/f/layout.json:4: 未知的设置“paragraf”。是否指“paragraph”？");
    CHECK(loadError("{ \"blocks\": [\n  { \"table\": { \"columns\": [10,\n  0] } } ] }") ==
          "templates/f/layout.json:3: columns 的每一项应为正数（列宽）。");
    CHECK(loadError("{ \"blocks\": [ { \"spacer\": \"5\" } ] }") == "templates/f/layout.json:1: “spacer”应为数字。");
    CHECK(loadError("{ \"blocks\": [ { \"text_file\": \"../etc/passwd\" } ] }") ==
          "templates/f/layout.json:1: text_file 应为 templates 文件夹内的相对路径，实际为“../etc/passwd”。");
    CHECK(loadError("{ \"blocks\": [ { \"include\": \"f\" } ] }") == "templates/f/layout.json:1: include “f”形成了循环引用。");
    // "formats" and "file" live in form.json only: an error naming where each goes, with the line to paste.
    CHECK(loadError("{ \"blocks\": [ { \"paragraph\": \"x\" } ],\n  \"formats\": [\"pdf\", \"ofd\"] }") ==
          "templates/f/layout.json:2:14: “formats”（输出格式）已改在 form.json 中设置，layout.json 中的不再生效：请删去这一项，"
          "在 templates/f/form.json 中写 \"formats\": [\"pdf\", \"ofd\"]（form.json 已有“formats”时改那一行）。");
    CHECK(loadError("{\n  \"file\": \"{{project.code}}_\\\"表\\\"\", \"blocks\": [ { \"paragraph\": \"x\" } ] }") ==
          "templates/f/layout.json:2:11: “file”（输出文件名）已改在 form.json 中设置，layout.json 中的不再生效：请删去这一项，"
          "在 templates/f/form.json 中写 \"file\": \"{{project.code}}_\\\"表\\\"\"（form.json 已有“file”时改那一行）。");
}

TEST_CASE("an unknown field is reported when the document is built", "[layout]") {
    Templates t("f", "{ \"blocks\": [\n { \"paragraph\": \"{{project.nam}}\" } ] }");
    auto form = FormTemplate::load(t.dir.path(), "f");
    try {
        form.build(data(), fixedDate("2025-03-05"));
        FAIL("no error");
    } catch (const TemplateError& e) {
        CHECK(std::string(e.what()) == "templates/f/layout.json:2: 未知字段“project.nam”。是否指“project.name”？");
    }
}

TEST_CASE("a sheets template builds a workbook with one sheet per item", "[layout]") {
    Templates t("f", R"({ "title": "汇总", "sheets": [
      { "name": "全部", "autofilter": true, "blocks": [ { "paragraph": "x" } ],
        "charts": [ { "type": "pie", "title": "分布", "categories": "{c*}", "series": [ { "name": "n", "values": "{v*}" } ] } ] },
      { "name": "{{level3}}", "each": "project.indicators", "blocks": [ { "paragraph": "{{level1}}" } ] } ] })");
    auto form = FormTemplate::load(t.dir.path(), "f");
    CHECK(form.isWorkbook());
    Workbook book = form.buildWorkbook(data(), fixedDate("2025-03-05"));
    REQUIRE(book.sheets.size() == 5);
    CHECK(book.meta.title == "汇总");
    CHECK(book.sheets[0].autofilter);
    CHECK(book.sheets[0].charts[0].type == ChartType::Pie);
    CHECK(book.sheets[4].name == "d");
    CHECK_THROWS_AS(form.build(data(), fixedDate("2025-03-05")), TemplateError);

    // A sink is handed the properties, then each sheet as it is built, in tab order.
    struct Log : WorkbookSink {
        std::vector<std::string> events;
        void properties(const Metadata& meta) override { events.push_back("properties " + meta.title); }
        void sheet(Sheet&& sheet) override { events.push_back(sheet.name); }
    } log;
    form.buildWorkbook(data(), fixedDate("2025-03-05"), log);
    std::vector<std::string> expected{"properties 汇总"};
    for (const auto& sheet : book.sheets) expected.push_back(sheet.name);
    CHECK(log.events == expected);
}

TEST_CASE("a sheet whose table grows with a list comes to the sink in parts", "[layout]") {
    Templates t("f", R"({ "title": "汇总", "sheets": [
      { "name": "全部", "blocks": [ { "heading": "全部项目" },
        { "table": { "columns": [1, 2], "header_rows": 1, "rows": [ [ "编码", "名称" ],
          { "each": "items", "rows": [ [ "{{code}}", "{{name}}" ] ] } ] } },
        { "paragraph": "注" } ] },
      { "name": "公式", "blocks": [ { "table": { "columns": [1], "rows": [ [ { "value": "n", "formula": "={a}" } ] ] } } ] } ] })");
    Value root = Value::map();
    root.set("n", Decimal::fromInt(1));
    Value& items = root.set("items", Value::list());
    for (int i = 1; i <= 600; ++i) {
        Value& item = items.push(Value::map());
        item.set("code", "P" + std::to_string(i));
        item.set("name", "项目" + std::to_string(i));
    }
    auto form = FormTemplate::load(t.dir.path(), "f");

    // What a sink sees: runs of 256 rows after the table's first, never the whole list; a sheet
    // with a formula (it may name a cell further down) comes whole.
    struct Log : WorkbookSink {
        std::vector<std::string> events;
        void properties(const Metadata&) override {}
        void sheet(Sheet&& sheet) override { events.push_back("sheet " + sheet.name); }
        void beginSheet(Sheet&& head, std::vector<Table> tables) override {
            events.push_back("begin " + head.name + " tables " + std::to_string(tables.size()) + " columns " +
                             std::to_string(tables.at(0).columnWidths.size()));
        }
        void blocks(std::vector<Block>&& blocks) override {
            for (const Block& b : blocks)
                events.push_back(std::holds_alternative<Table>(b) ? "table " + std::to_string(std::get<Table>(b).rows.size()) : "block");
        }
        void tableRows(std::vector<TableRow>&& rows) override {
            events.push_back("rows " + std::to_string(rows.size()) + " from " + rows.front().cells.front().text);
        }
        void endSheet() override { events.push_back("end"); }
    } log;
    form.buildWorkbook(root, fixedDate("2025-03-05"), log);
    CHECK(log.events == std::vector<std::string>{"begin 全部 tables 1 columns 2", "block", "table 256", "rows 256 from P256",
                                                 "rows 89 from P512", "block", "end", "sheet 公式"});

    // By default the parts are put together: the workbook as built whole.
    const Workbook book = form.buildWorkbook(root, fixedDate("2025-03-05"));
    REQUIRE(book.sheets.size() == 2);
    const auto& blocks = book.sheets[0].flow.blocks;
    REQUIRE(blocks.size() == 3);
    const Table& table = std::get<Table>(blocks[1]);
    CHECK(table.headerRows == 1);
    REQUIRE(table.rows.size() == 601);
    CHECK(table.rows[600].cells[1].text == "项目600");
    CHECK(std::get<Paragraph>(blocks[2]).text() == "注");

    // A table that does not fit its columns is reported at its layout.json line in parts too.
    Templates bad("f", R"({ "title": "汇总", "sheets": [ { "name": "全部", "blocks": [
        { "table": { "columns": [1, 2], "header_rows": 1, "rows": [ [ "编码", "名称" ],
          { "each": "items", "rows": [ [ "{{code}}", "{{name}}" ] ] },
          [ { "text": "合计", "rowspan": 2 }, "" ] ] } } ] } ] })");
    try {
        FormTemplate::load(bad.dir.path(), "f").buildWorkbook(root, fixedDate("2025-03-05"), log);
        FAIL("no error");
    } catch (const TemplateError& e) {
        CHECK(std::string(e.what()) ==
              "templates/f/layout.json:4:13: rowspan 为 2，超出了表格的最后一行（从这一行起只有 1 行）。请把 rowspan 改为 1 或更小。");
    }
}

// The layout.json fuzz target's seeds and the inputs it once failed on (scripts/fuzz --long
// layout_json): each loads and builds, or is refused with a TemplateError or LayoutError.
TEST_CASE("layout.json fuzz seeds and regressions: only a template error or success", "[layout]") {
    const std::string root = std::string(JIXIAO_SOURCE_DIR) + "/tests/fuzz";
    int replayed = 0;
    for (const char* kind : {"regressions", "corpus"}) {
        std::vector<std::string> names;
        Poco::File(root + "/" + kind + "/layout_json").list(names);
        for (const auto& name : names) {
            if (name == ".gitkeep") continue;
            INFO(name);
            Poco::TemporaryFile dir;
            Poco::File(dir.path() + "/fuzz").createDirectories();
            std::ifstream in(root + "/" + kind + "/layout_json/" + name, std::ios::binary);
            std::ofstream(dir.path() + "/fuzz/layout.json", std::ios::binary) << in.rdbuf();
            try {
                const FormTemplate form = FormTemplate::load(dir.path(), "fuzz");
                if (form.isWorkbook()) form.buildWorkbook(Value::map(), fixedDate("2025-03-05"));
                else form.build(Value::map(), fixedDate("2025-03-05"));
            } catch (const TemplateError&) {
            } catch (const LayoutError&) {
            }
            ++replayed;
        }
    }
    CHECK(replayed >= 1);  // the committed seed at least
}
