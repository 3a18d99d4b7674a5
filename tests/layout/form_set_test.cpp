#include "layout/field_names.h"
#include "layout/form_set.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

using namespace jixiao::layout;
using jixiao::testing::slurp;

namespace {

const std::string kBundled = std::string(JIXIAO_SOURCE_DIR) + "/templates";

/// A user's templates folder, written in the test.
struct UserTemplates {
    Poco::TemporaryFile dir;
    UserTemplates() { Poco::File(dir.path()).createDirectories(); }
    void write(const std::string& rel, const std::string& text) const { jixiao::testing::write(dir.path() + "/" + rel, text); }
    /// A bundled form folder copied under another name, as templates/README.md says.
    void copyBundled(const std::string& from, const std::string& to) const {
        Poco::File(kBundled + "/" + from).copyTo(dir.path() + "/" + to);
    }
    TemplateFolders folders() const { return {dir.path(), kBundled}; }
    std::vector<std::string> check() const { return checkForms(folders()); }
};

std::string texts(const Document& doc) {
    std::string all;
    for (const auto& b : doc.blocks) {
        if (const auto* t = std::get_if<Table>(&b))
            for (const auto& r : t->rows)
                for (const auto& c : r.cells) all += c.text + "|";
        if (const auto* p = std::get_if<Paragraph>(&b)) all += p->text() + "|";
        if (const auto* h = std::get_if<Heading>(&b)) all += h->text + "|";
    }
    return all;
}

const char* kTable = R"J({
  "blocks": [
    { "table": { "columns": [20, 30, 30],
      "rows": [
        [ "项目", { "text": "{{项目名称}}", "colspan": 2 } ],
        { "each": "指标", "rows": [ [ "{{序号}}", "{{三级指标}}", { "value": "分值", "format": "fixed:1" } ] ] },
        [ "总分", { "text": "{{总分|fixed:2}}（{{等级}}）", "colspan": 2 } ]
      ] } }
  ]
})J";

/// What `check --templates` says about a user's form "x" made of `formJson` and `layout`: its
/// one problem, or how many there were.
std::string problemOf(const std::string& formJson, const std::string& layout = kTable) {
    UserTemplates user;
    user.write("x/form.json", formJson);
    user.write("x/layout.json", layout);
    auto all = user.check();
    return all.size() == 1 ? all[0] : std::to_string(all.size()) + " problems";
}

}  // namespace

TEST_CASE("the bundled forms are ordinary folders with a form.json", "[layout]") {
    const FormSet set = FormSet::load({kBundled, kBundled});
    std::vector<std::string> names;
    for (const auto& f : set.forms()) names.push_back(f.name);
    CHECK(names ==
          std::vector<std::string>{"department-table", "feedback-letter", "problems", "project-report", "project-table", "summary"});
    const Form* table = set.find("table");
    REQUIRE(table);
    CHECK(table->name == "project-table");
    CHECK(table->per == FormPer::Project);
    CHECK(table->formats == std::vector<FormFormat>{FormFormat::Pdf, FormFormat::Xlsx});
    CHECK(table->title == "项目支出绩效自评表");
    CHECK(set.find("summary")->per == FormPer::Run);
    CHECK(set.find("letter")->per == FormPer::Unit);
    REQUIRE(set.letter());
    CHECK(set.letter()->name == "feedback-letter");
    CHECK(set.publicForm(FormPer::Department)->name == "department-table");
    CHECK(set.ignored().empty());
    CHECK(checkForms({kBundled, kBundled}).empty());
}

TEST_CASE("a copied templates/my-table folder loads and renders with Chinese field names", "[layout]") {
    UserTemplates user;
    user.write("my-table/form.json",
               R"({"title": "我的表", "per": "project", "formats": ["pdf"], "file": "{{项目编码}}_{{项目名称}}_我的表"})");
    user.write("my-table/layout.json", kTable);
    const FormSet set = FormSet::load(user.folders());
    const Form* mine = set.find("my-table");
    REQUIRE(mine);
    CHECK(set.forms().size() == 7);  // the six bundled ones too
    CHECK(user.check().empty());
    const Value sample = fieldSample(FormPer::Project);
    CHECK(mine->fileStem(sample) == "P_项目_我的表");
    const Document doc = mine->layout->build(sample, FixedDate{});
    CHECK(texts(doc) == "项目|项目|1|指标|0.0|总分|80.00（良）|");
}

TEST_CASE("a user's folder replaces a bundled form of the same name and keeps its form.json", "[layout]") {
    UserTemplates user;
    user.copyBundled("project-table", "project-table");
    Poco::File(user.dir.path() + "/project-table/form.json").remove();
    user.write("project-table/layout.json", kTable);
    const FormSet set = FormSet::load(user.folders());
    const Form* table = set.find("project-table");
    REQUIRE(table);
    CHECK(table->title == "项目支出绩效自评表");  // the bundled form.json
    CHECK(texts(table->layout->build(fieldSample(FormPer::Project), FixedDate{})).rfind("项目|项目|1|", 0) == 0);
}

TEST_CASE("Chinese field names resolve by the list they are used in", "[layout]") {
    CHECK(resolveFieldName("项目名称", "") == "project.name");
    CHECK(resolveFieldName("全年预算数", "") == "project.budget.adjusted");
    CHECK(resolveFieldName("全年预算数", "project.budget.funds") == "adjusted");
    CHECK(resolveFieldName("分值", "project.indicators") == "weight");
    CHECK(resolveFieldName("计量单位", "project.indicators") == "unit");
    CHECK(resolveFieldName("project.name", "") == "project.name");
    CHECK(resolveListName("指标") == "project.indicators");
    // In templates: the item's field inside an each, the record's outside it.
    const Value sample = fieldSample(FormPer::Project);
    auto render = [&](const std::string& text) { return TextTemplate::parse(text, "t", 1).render(sample); };
    CHECK(render("{{#each 资金}}{{资金项目}}={{全年预算数}};{{/each}}|{{全年预算数}}") ==
          "年度资金总额=0;其中：当年财政拨款=0;上年结转资金=0;其他资金=0;|0");
    CHECK(render("{{#each 指标}}{{序号}}.{{三级指标}}{{计量单位}}{{/each}}") == "1.指标");
    try {
        render("{{项目名}}");
        FAIL("no error");
    } catch (const TemplateError& e) {
        CHECK(std::string(e.what()) == "t:1: 未知字段“项目名”。是否指“项目名称”？");
    }
}

TEST_CASE("every Chinese field name is documented in templates/README.md", "[layout]") {
    const std::string readme = slurp(kBundled + "/README.md");
    for (const auto& f : fieldNames()) {
        INFO(f.name);
        CHECK(readme.find(std::string("`{{") + f.name + "}}`") != std::string::npos);
    }
}

TEST_CASE("form.json mistakes are reported with line and column", "[layout]") {
    CHECK(problemOf("{\n  \"per\": \"project\",\n  \"fromats\": [\"pdf\"]\n}") ==
          "templates/x/form.json:3:14: 未知的设置“fromats”。是否指“formats”？");
    CHECK(problemOf("{\"per\": \"projects\", \"formats\": [\"pdf\"]}") ==
          "templates/x/form.json:1:9: “per”应为 "
          "project（每个项目）、department（每个部门）、unit（每个收到反馈函的单位）、run（每次运行一份）或 "
          "check（问题清单），实际为“projects”。");
    CHECK(problemOf("{\"per\": \"project\", \"formats\": [\"pdf\", \"doc\"]}") ==
          "templates/x/form.json:1:39: 格式“doc”无法识别。可用：pdf、xlsx、docx、ofd。");
    CHECK(problemOf("{\"per\": \"project\", \"formats\": [\"pdf\"], \"file\": \"../{{项目名称}}\"}") ==
          "templates/x/form.json:1:48: “file”是输出文件名，不能含有斜杠（/ 或 "
          "\\），文件都写在输出文件夹（按部门分的子文件夹）中。实际为“../{{项目名称}}”。");
    CHECK(problemOf("{\"per\": \"project\", \"formats\": [\"pdf\"], \"file\": \"a\\tb\"}") ==
          "templates/x/form.json:1:48: "
          "“file”是输出文件名，不能含有控制字符（如换行、制表符），文件都写在输出文件夹（按部门分的子文件夹）中。实际为“a\tb”。");
    CHECK(problemOf("{\"formats\": [\"pdf\"]}") ==
          "templates/x/form.json:1:1: 缺少“per”：每个项目一份写 \"per\": \"project\"，每个部门一份写 \"department\"。");
    CHECK(problemOf("{\"per\": \"project\", \"formats\": [\"pdf\"], \"file\": \"{{项目名}}\"}") ==
          "templates/x/form.json:1: 未知字段“项目名”。是否指“项目名称”？");
}

TEST_CASE("check --templates finds unknown fields, unbalanced each and table shape mistakes", "[layout]") {
    auto problem = [](const std::string& layout) { return problemOf(R"({"per": "project", "formats": ["pdf"]})", layout); };
    // A field in a branch the data never takes is still checked.
    CHECK(problem("{ \"blocks\": [\n  { \"paragraph\": \"{{#if 总分}}{{项目名称}}{{#else}}{{project.nmae}}{{/if}}\" } ] }") ==
          "templates/x/layout.json:2: 未知字段“project.nmae”。是否指“project.name”？");
    CHECK(problem("{ \"blocks\": [\n  { \"paragraph\": \"{{#each 指标}}{{三级指标}}\" } ] }") ==
          "templates/x/layout.json:2: {{#each 指标}} 没有对应的 {{/each}}。");
    CHECK(problem("{ \"blocks\": [\n  { \"paragraph\": \"{{三级指标}}{{/each}}\" } ] }") ==
          "templates/x/layout.json:2: 多余的 {{/each}}，前面没有对应的开始标记。");
    CHECK(problem("{ \"blocks\": [ { \"table\": { \"columns\": [20, 30],\n  \"rows\": [\n    [ \"a\", { \"text\": \"b\", \"colspan\": 3 } "
                  "] ] } } ] }") ==
          "templates/x/layout.json:3:12: colspan 为 3，从第 2 列起超出了表格的最后一列：表格共 2 列（columns 中有 2 个列宽）。请把 colspan "
          "改为 1 或更小。");
    CHECK(problem("{ \"blocks\": [ { \"table\": { \"columns\": [20, 30],\n  \"rows\": [\n    [ \"a\", \"b\", \"c\" ] ] } } ] }") ==
          "templates/x/layout.json:3:17: 这一行的单元格超出了表格的列数：表格共 2 列（columns 中有 2 个列宽），排到这个单元格时已没有空列。"
          "请删去多余的单元格或减小 colspan，或在 columns 中增加列宽。");
    CHECK(problem("{ \"blocks\": [ { \"table\": { \"columns\": [20, 30],\n  \"rows\": [\n    [ \"a\" ] ] } } ] }") ==
          "templates/x/layout.json:3:5: 这一行没有占满表格的列：第 2 列没有单元格（表格共 2 列（columns 中有 2 "
          "个列宽））。请补一个单元格（空白可写 \"\"）或加大 colspan。");
    CHECK(problem("{ \"blocks\": [ { \"table\": { \"columns\": [20, 30],\n  \"rows\": [\n    [ { \"text\": \"a\", \"rowspan\": 3 }, \"b\" "
                  "],\n    [ \"c\" ] ] } } ] }") ==
          "templates/x/layout.json:3:7: rowspan 为 3，超出了表格的最后一行（从这一行起只有 2 行）。请把 rowspan 改为 2 或更小。");
}

TEST_CASE("a folder with a layout.json but no form.json is reported, not silently ignored", "[layout]") {
    UserTemplates user;
    user.write("my-table/layout.json", kTable);
    const FormSet set = FormSet::load(user.folders());
    CHECK(set.find("my-table") == nullptr);
    const std::vector<std::string> expected{
        "文件夹 templates/my-table 有 layout.json 但没有 form.json，不会生成。请从相近的表复制一个 form.json 放进去，例如 "
        "templates/project-table/form.json。"};
    CHECK(set.ignored() == expected);
    CHECK(user.check() == expected);
}

TEST_CASE("the feedback letter is the form whose form.json says role letter — a user's copy replaces the bundled one", "[layout]") {
    // A bureau's own letter, copied under its own folder name with its form.json as it was.
    UserTemplates user;
    user.copyBundled("feedback-letter", "my-letter");
    const FormSet set = FormSet::load(user.folders());
    REQUIRE(set.letter());
    CHECK(set.letter()->name == "my-letter");
    CHECK(set.find("feedback-letter") == nullptr);  // replaced, not made beside it
    CHECK(set.find("letter") == set.letter());      // its short name is no longer claimed twice
    CHECK(set.ignored().empty());
    CHECK(user.check().empty());

    // Without a user folder of its own (the copy beside the bundled one) there would be two.
    const std::string twoLetters =
        "templates/feedback-letter 和 templates/my-letter 的 form.json 都写了 \"role\": \"letter\"，"
        "而反馈函只能有一张（jixiao letters issue 发文的就是它）：请删去不用的那个文件夹，或删去它 form.json 中的“role”。";
    user.copyBundled("feedback-letter", "feedback-letter");
    CHECK_THROWS_WITH(FormSet::load(user.folders()), twoLetters);
    CHECK(user.check() == std::vector<std::string>{twoLetters});

    CHECK(problemOf("{\"per\": \"unit\", \"formats\": [\"pdf\"], \"role\": \"letters\"}") ==
          "templates/x/form.json:1:45: “role”只能写 \"letter\"（绩效评价结果反馈函：jixiao letters issue "
          "发文、登记文号的表），实际为“letters”。"
          "不是反馈函的表不写 role。");
    CHECK(problemOf("{\"per\": \"project\", \"formats\": [\"pdf\"], \"role\": \"letter\"}") ==
          "templates/x/form.json:1:48: 写了 \"role\": \"letter\" 的反馈函是每个收到反馈函的单位一份：请把“per”改为 \"unit\"。");
}

TEST_CASE("two forms writing files of the same name are found, Chinese and English field names alike", "[layout]") {
    UserTemplates user;
    // A copy of the bundled table whose "file" was left as it was.
    user.copyBundled("project-table", "my-table");
    user.write("my-table/form.json",
               R"({"per": "project", "formats": ["pdf"], "file": "{{project.code}}_{{ 项目名称 }}_项目支出绩效自评表"})");
    const std::vector<std::string> expected{
        "templates/my-table 和 templates/project-table 的输出文件名（form.json 的 file）分别是“{{project.code}}_{{ 项目名称 "
        "}}_项目支出绩效自评表”"
        "和“{{project.code}}_{{project.name}}_项目支出绩效自评表”，得出的文件名相同，都生成 "
        ".pdf：同一次运行中两张表的文件会同名，后写的无法写出。"
        "请改其中一张表 form.json 的“file”（如把表名写进去），或用 --documents 只选其中一张。"};
    CHECK(user.check() == expected);

    const FormSet set = FormSet::load(user.folders());
    const Form& mine = *set.find("my-table");
    const Form& bundled = *set.find("project-table");
    CHECK(fileNameClashes({{&mine, {FormFormat::Pdf}}, {&bundled, {FormFormat::Pdf, FormFormat::Xlsx}}}) == expected);
    // No format in common, or a different name: no clash.
    CHECK(fileNameClashes({{&mine, {FormFormat::Pdf}}, {&bundled, {FormFormat::Xlsx}}}).empty());
    user.write("my-table/form.json", R"({"per": "project", "formats": ["pdf"], "file": "{{项目编码}}_{{项目名称}}_我的表"})");
    CHECK(user.check().empty());
}
