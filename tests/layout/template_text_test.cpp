#include "layout/template_text.h"

#include <catch2/catch.hpp>

using jixiao::layout::TemplateError;
using jixiao::layout::TextTemplate;
using jixiao::layout::Value;
using jixiao::model::Decimal;

namespace {

Decimal d(const char* t) { return *Decimal::parse(t); }

Value sample() {
    Value root = Value::map();
    Value& project = root.set("project", Value::map());
    project.set("name", "农村饮水安全/巩固提升");
    project.set("grade", "良");
    Value& budget = project.set("budget", Value::map());
    budget.set("rate", d("0.862037"));
    budget.set("adjusted", d("1234.5"));
    budget.set("reason", "");
    budget.set("none", Value());
    Value& list = project.set("findings", Value::list());
    for (const char* m : {"执行率偏低", "指标未完成"}) {
        Value& f = list.push(Value::map());
        f.set("message", m);
    }
    root.set("date", "2025-03-05");
    return root;
}

std::string render(const std::string& text) { return TextTemplate::parse(text, "t.txt").render(sample()); }

std::string errorOf(const std::string& text) {
    try {
        render(text);
    } catch (const TemplateError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("placeholders and filters", "[layout]") {
    struct Case {
        const char* tmpl;
        const char* out;
    };
    const Case cases[] = {
        {"{{project.name}}", "农村饮水安全/巩固提升"},
        {"执行率为{{ project.budget.rate | percent }}", "执行率为86.20%"},
        {"{{project.budget.rate|percent:1}}", "86.2%"},
        {"{{project.budget.adjusted|money}}万元", "1,234.50万元"},
        {"{{project.budget.adjusted|fixed:1}}", "1234.5"},
        {"{{project.budget.adjusted|int}}", "1235"},
        {"{{project.budget.none|percent|default:\"—\"}}", "—"},
        {"{{project.budget.reason|default:\"未说明\"}}", "未说明"},
        {"{{date|cn_date}}", "2025年3月5日"},
        {"{{! a comment }}x", "x"},
    };
    for (const auto& c : cases) {
        INFO(c.tmpl);
        CHECK(render(c.tmpl) == c.out);
    }
}

TEST_CASE("conditions choose a branch", "[layout]") {
    const char* t =
        "{{#if project.budget.rate < 0.9 and not project.budget.reason}}低于90%，未说明原因"
        "{{#elif project.budget.rate < 0.9}}低于90%{{#else}}正常{{/if}}";
    CHECK(render(t) == "低于90%，未说明原因");
    CHECK(render("{{#if project.grade == \"优\" or project.grade == “良”}}好{{/if}}") == "好");
    CHECK(render("{{#if project.budget.none}}有{{#else}}无{{/if}}") == "无");
    CHECK(render("{{#if project.budget.none != 1}}空{{/if}}") == "空");
}

TEST_CASE("loops number their items", "[layout]") {
    CHECK(render("{{#each project.findings}}{{@index|cn_num}}、{{message}}{{#if not @last}}；{{/if}}{{/each}}") ==
          "一、执行率偏低；二、指标未完成");
}

TEST_CASE("a generated list makes each item as the template walks it", "[layout]") {
    int made = 0;
    Value root = Value::map();
    root.set("names", Value::generated(3, [&made](std::size_t i) {
                 ++made;
                 Value item = Value::map();
                 item.set("n", std::string(1, char('a' + i)));
                 return item;
             }));
    root.set("none", Value::generated(0, [](std::size_t) { return Value(); }));
    const auto t = TextTemplate::parse("{{#each names}}{{@index}}{{n}}{{#if @last}}.{{/if}}{{/each}}", "t.txt");
    CHECK(root.get("names")->kind() == Value::Kind::List);
    CHECK(root.get("names")->size() == 3);
    CHECK(root.get("names")->truthy());
    CHECK_FALSE(root.get("none")->truthy());
    CHECK(made == 0);
    CHECK(t.render(root) == "1a2b3c.");
    CHECK(made == 3);
    CHECK(t.render(root) == "1a2b3c.");
    CHECK(made == 6);  // made again on every walk, never kept

    // items() makes them once and keeps them; resolved() is a plain copy.
    CHECK(root.get("names")->items().size() == 3);
    CHECK(root.get("names")->items().size() == 3);
    CHECK(made == 9);
    const Value copy = root.resolved();
    CHECK(made == 12);
    CHECK(copy.get("names")->items()[2].get("n")->asText() == "c");
    CHECK(t.render(copy) == "1a2b3c.");
    CHECK(made == 12);
}

TEST_CASE("template mistakes name file, line and a suggestion", "[layout]") {
    CHECK(errorOf("第一行\n{{project.nmae}}") == "t.txt:2: 未知字段“project.nmae”。是否指“project.name”？");
    CHECK(errorOf("{{projet.name}}") == "t.txt:1: 未知字段“projet.name”。是否指“project.name”？");
    CHECK(errorOf("{{project.name|percnt}}") ==
          "t.txt:1: 未知的格式“percnt”。可用：percent、fixed、money、int、default、cn_date、cn_num、abs。");
    CHECK(errorOf("{{#if project.grade}}x") == "t.txt:1: {{#if}} 没有对应的 {{/if}}。");
    CHECK(errorOf("x\n\n{{/each}}") == "t.txt:3: 多余的 {{/each}}，前面没有对应的开始标记。");
    CHECK(errorOf("{{project.name") == "t.txt:1: “{{”没有对应的“}}”。");
    CHECK(errorOf("{{project.name|percent}}") == "t.txt:1: 格式“percent”只能用于数字，实际值为“农村饮水安全/巩固提升”。");
    CHECK(errorOf("{{#each project.name}}{{/each}}") == "t.txt:1: “project.name”不是列表，不能用于 {{#each}}。");
}

TEST_CASE("a template's fixed text holds every branch and each body once, no field", "[layout]") {
    const TextTemplate t = TextTemplate::parse(
        "项目{{project.name}}：{{#if project.grade}}等级{{project.grade}}，{{#elif project.budget}}无等级，"
        "{{#else}}未评分。{{/if}}{{#each project.findings}}问题{{@index}}{{message}}；{{/each}}完。",
        "t.txt");
    CHECK(t.fixedText() == "项目：等级，无等级，未评分。问题；完。");
    CHECK(TextTemplate::parse("{{project.name}}", "t.txt").fixedText().empty());
    CHECK(TextTemplate{}.fixedText().empty());
}

TEST_CASE("loops set their variables for every item", "[layout]") {
    CHECK(render("{{#each project.findings}}{{@index}}{{#if @first}}首{{/if}}{{#if @last}}末{{/if}}{{message}}{{/each}}") ==
          "1首执行率偏低2末指标未完成");
    CHECK(render("{{#each project.findings}}{{#each project.findings}}{{@index}}{{/each}}{{@index}}|{{/each}}") == "121|122|");
}

TEST_CASE("a field taken out of a map leaves the rest", "[layout]") {
    Value v = sample();
    Value project = v.take("project");
    CHECK(project.get("name")->asText() == "农村饮水安全/巩固提升");
    CHECK(v.get("date")->asText() == "2025-03-05");
    CHECK(v.take("missing").isNull());
    CHECK(Value("text").take("project").isNull());
}
