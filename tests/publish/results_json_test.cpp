#include <catch2/catch.hpp>

#include "publish/results_json.h"
#include "score/evaluate.h"
#include "score/score_fixtures.h"

#include <Poco/JSON/Array.h>
#include <algorithm>
#include <iterator>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace jixiao;
using namespace jixiao::testing;
using model::Operator;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

/// P001: the scoring.md budget and 培训人次 examples; P002: broken (unknown band word);
/// P003: a full project of another department, with a name that needs escaping.
model::Dataset sampleDataset() {
    auto p1 = fullProject("P001", "101");
    p1.name = "农村义务教育营养改善计划";
    p1.funds = {fundTotal("43.2", "43.2", "37.24")};
    p1.funds[0].selfScore = dec("9");
    p1.indicators[0].actual = num("700");
    p1.indicators[0].reason = narrative("部分学员未能参训");
    p1.indicators[3] =
        indicator("满意度指标", "学生满意度", Operator::Qualitative, textQuantity("满意"), textQuantity("达成"), "10", "", 5);
    auto p2 = fullProject("P002", "10101");
    p2.indicators[3] = indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("满意"), textQuantity("较好"), "10", "", 9);
    auto p3 = fullProject("P003", "102");
    p3.name = "“健康”宣传\n第二期";
    p3.classified = true;
    auto d = datasetWith({p1, p2, p3});
    d.figures = {{"101", 2024, {{"预算数", dec("1000")}, {"执行数", dec("930")}}, {}}};
    return d;
}

Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>();
}

}  // namespace

TEST_CASE("results.json follows results.md", "[publish]") {
    auto d = sampleDataset();
    model::Diagnostics diags;
    auto ev = score::evaluate(d, national(), diags);
    std::string text = publish::toJson(publish::resultsJson(ev, diags));
    auto root = parse(text);

    CHECK(root->getValue<int>("year") == 2024);
    CHECK(root->getValue<std::string>("authority") == "某某县财政局");
    CHECK(root->getValue<std::string>("rule_set") == "national-2020");

    auto projects = root->getArray("projects");
    REQUIRE(projects->size() == 3);
    auto p1 = projects->getObject(0);
    CHECK(p1->getValue<std::string>("code") == "P001");
    CHECK(p1->getValue<std::string>("name") == "农村义务教育营养改善计划");
    CHECK(p1->getValue<std::string>("unit_code") == "101");
    CHECK(p1->getValue<std::string>("department_code") == "101");
    CHECK(p1->getValue<bool>("classified") == false);
    auto budget = p1->getObject("budget");
    CHECK(budget->getValue<double>("initial") == Approx(43.2));
    CHECK(budget->getValue<double>("adjusted") == Approx(43.2));
    CHECK(budget->getValue<double>("executed") == Approx(37.24));
    CHECK(budget->getValue<double>("rate") == Approx(0.862));
    CHECK(budget->getValue<int>("weight") == 10);
    CHECK(budget->getValue<double>("score") == Approx(8.62));
    CHECK(budget->getValue<int>("self_score") == 9);

    auto indicators = p1->getArray("indicators");
    REQUIRE(indicators->size() == 4);
    auto i0 = indicators->getObject(0);
    CHECK(i0->getValue<std::string>("level1") == "产出指标");
    CHECK(i0->getValue<std::string>("level2") == "数量指标");
    CHECK(i0->getValue<std::string>("level3") == "培训人次");
    CHECK(i0->getValue<std::string>("operator") == ">=");
    CHECK(i0->getValue<int>("target") == 735);
    CHECK(i0->getValue<std::string>("unit") == "人次");
    CHECK(i0->getValue<int>("actual") == 700);
    CHECK(i0->getValue<int>("weight") == 25);
    CHECK(i0->getValue<double>("completion") == Approx(0.9524));
    CHECK(i0->getValue<double>("variance") == Approx(-0.0476));
    CHECK(i0->getValue<double>("score") == Approx(23.81));
    CHECK(i0->isNull("self_score"));
    CHECK(i0->isNull("band"));
    auto i3 = indicators->getObject(3);
    CHECK(i3->getValue<std::string>("operator") == "qualitative");
    CHECK(i3->getValue<std::string>("target") == "满意");
    CHECK(i3->getValue<std::string>("actual") == "达成");
    CHECK(i3->getValue<std::string>("band") == "达成");
    CHECK(i3->isNull("completion"));
    CHECK(i3->isNull("variance"));

    CHECK(p1->getValue<double>("total") == Approx(97.43));
    CHECK(p1->getValue<std::string>("grade") == "优");
    auto findings = p1->getArray("findings");
    REQUIRE(findings->size() == 2);
    auto f0 = findings->getObject(0);
    CHECK(f0->getValue<std::string>("code") == "execution_low");
    CHECK(f0->getValue<std::string>("severity") == "需说明");
    CHECK(f0->isNull("indicator"));
    CHECK(f0->getValue<std::string>("message") == "执行率86.20%，低于90%，未说明原因");
    CHECK(findings->getObject(1)->getValue<std::string>("code") == "self_score_mismatch");
    CHECK(p1->getArray("diagnostics")->size() == 0);

    // The broken project: null total and grade, its diagnostics, no findings.
    auto p2 = projects->getObject(1);
    CHECK(p2->getValue<std::string>("code") == "P002");
    CHECK(p2->isNull("total"));
    CHECK(p2->isNull("grade"));
    CHECK(p2->getArray("findings")->size() == 0);
    auto diag = p2->getArray("diagnostics");
    REQUIRE(diag->size() == 1);
    auto e = diag->getObject(0);
    CHECK(e->getValue<std::string>("severity") == "error");
    CHECK(e->getValue<std::string>("file") == "绩效指标.csv");
    CHECK(e->getValue<int>("row") == 9);
    CHECK(e->isNull("column"));
    CHECK(e->getValue<std::string>("header") == "实际完成值");
    CHECK(e->getValue<std::string>("value") == "较好");
    CHECK(e->getValue<std::string>("text").rfind("绩效指标.csv[9] 错误：第9行“实际完成值”应为定性指标的评价用语", 0) == 0);
    CHECK(p2->getArray("indicators")->getObject(3)->isNull("score"));
    CHECK(p2->getArray("indicators")->getObject(3)->getValue<std::string>("status") == "error");

    auto p3 = projects->getObject(2);
    CHECK(p3->getValue<std::string>("name") == "“健康”宣传\n第二期");
    CHECK(p3->getValue<bool>("classified") == true);
    CHECK(p3->getValue<std::string>("department_code") == "102");

    auto departments = root->getArray("departments");
    REQUIRE(departments->size() == 2);
    auto d1 = departments->getObject(0);
    CHECK(d1->getValue<std::string>("code") == "101");
    CHECK(d1->getValue<std::string>("name") == "某某县教育局");
    CHECK(d1->getValue<int>("projects") == 2);
    CHECK(d1->getValue<int>("scored_projects") == 1);
    CHECK(d1->getValue<double>("budget_weighted_total") == Approx(97.43));
    auto grades = d1->getObject("grades");
    CHECK(grades->getValue<int>("优") == 1);
    CHECK(grades->getValue<int>("良") == 0);
    CHECK(grades->getValue<int>("中") == 0);
    CHECK(grades->getValue<int>("差") == 0);
    CHECK(d1->getObject("ratios")->getValue<double>("预算执行率") == Approx(0.93));
    auto detail = d1->getArray("ratio_details")->getObject(0);
    CHECK(detail->getValue<std::string>("formula") == "预算执行率 = 执行数 / 预算数");
    CHECK(detail->getObject("figures")->getValue<int>("预算数") == 1000);
    CHECK(departments->getObject(1)->getValue<std::string>("code") == "102");

    auto summary = root->getObject("diagnostics");
    CHECK(summary->getValue<int>("errors") == 1);
    CHECK(summary->getValue<int>("warnings") == 0);
    CHECK(summary->getArray("other")->size() == 0);
}

TEST_CASE("results.json writes exact decimal text, sorted, byte for byte the same", "[publish]") {
    auto d = sampleDataset();
    std::reverse(d.projects.begin(), d.projects.end());  // evaluate sorts by code
    model::Diagnostics diags;
    auto ev = score::evaluate(d, national(), diags);
    std::string text = publish::toJson(publish::resultsJson(ev, diags));
    // Numbers come from decimal text: no 0.86199999999999999, no 8.6199999999999992.
    CHECK(text.find("\"rate\": 0.862,") != std::string::npos);
    CHECK(text.find("\"score\": 8.62,") != std::string::npos);
    CHECK(text.find("\"completion\": 0.9524,") != std::string::npos);
    CHECK(text.find("\"variance\": -0.0476,") != std::string::npos);
    CHECK(text.find("\"total\": 97.43,") != std::string::npos);
    // Chinese is written as is; control characters and quotes are escaped.
    CHECK(text.find("\"name\": \"“健康”宣传\\n第二期\"") != std::string::npos);
    // Projects in code order, keys in the order of results.md.
    CHECK(text.find("\"code\": \"P001\"") < text.find("\"code\": \"P002\""));
    CHECK(text.find("\"code\": \"P002\"") < text.find("\"code\": \"P003\""));
    const char* keys[] = {"\n  \"year\"",     "\n  \"authority\"",   "\n  \"rule_set\"",
                          "\n  \"projects\"", "\n  \"departments\"", "\n  \"diagnostics\""};
    for (std::size_t i = 1; i < std::size(keys); ++i) CHECK(text.find(keys[i - 1]) < text.find(keys[i]));
    CHECK(text.rfind("{\n  \"year\": 2024,\n  \"authority\": \"某某县财政局\",\n", 0) == 0);
    CHECK(text.back() == '\n');

    model::Diagnostics again;
    const model::Dataset d2 = sampleDataset();
    auto ev2 = score::evaluate(d2, national(), again);
    CHECK(publish::toJson(publish::resultsJson(ev2, again)) == text);
}

TEST_CASE("results.json under hubei and with unassigned diagnostics", "[publish]") {
    auto d = sampleDataset();
    model::Diagnostics diags;
    diags.warning({"单位.csv", "", 4, 2, "主管部门编码"}, "999", "第4行“主管部门编码”为空。");
    auto ev = score::evaluate(d, hubei(), diags);
    auto root = parse(publish::toJson(publish::resultsJson(ev, diags)));
    CHECK(root->getValue<std::string>("rule_set") == "hubei");
    auto p1 = root->getArray("projects")->getObject(0);
    CHECK(p1->getObject("budget")->getValue<int>("weight") == 20);
    CHECK(p1->getObject("budget")->getValue<double>("score") == Approx(17.24));
    CHECK(p1->getArray("indicators")->getObject(0)->getValue<double>("weight") == Approx(22.22));
    CHECK(p1->getArray("indicators")->getObject(0)->getValue<int>("declared_weight") == 25);
    auto other = root->getObject("diagnostics")->getArray("other");
    REQUIRE(other->size() == 1);
    CHECK(other->getObject(0)->getValue<std::string>("column") == "C");
    CHECK(other->getObject(0)->getValue<std::string>("text") == "单位.csv[C4] 警告：第4行“主管部门编码”为空。");
}

TEST_CASE("a generated array is written like the array of its items, in parts or whole", "[publish]") {
    using publish::JsonNode;
    auto item = [](std::size_t i) {
        JsonNode x = JsonNode::object();
        x.set("i", JsonNode::integer(static_cast<long long>(i)));
        return x;
    };
    JsonNode whole = JsonNode::object();
    JsonNode items = JsonNode::array();
    for (std::size_t i = 0; i < 3; ++i) items.push(item(i));
    whole.set("items", std::move(items));
    JsonNode generated = JsonNode::object();
    generated.set("items", JsonNode::generated(3, item));

    const std::string text = publish::toJson(whole);
    CHECK(text ==
          "{\n  \"items\": [\n    {\n      \"i\": 0\n    },\n    {\n      \"i\": 1\n    },\n    {\n      \"i\": 2\n    }\n  ]\n}\n");
    CHECK(publish::toJson(generated) == text);
    std::string parts;
    publish::writeJson(generated, [&parts](std::string_view part) { parts += part; });
    CHECK(parts == text);
    CHECK(publish::toJson(JsonNode::generated(0, item)) == "[]\n");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters and keep the rest as written", "[publish]") {
    using publish::JsonNode;
    CHECK(publish::toJson(JsonNode::string("")) == "\"\"\n");
    CHECK(publish::toJson(JsonNode::string("“健康”")) == "\"“健康”\"\n");
    CHECK(publish::toJson(JsonNode::string("\"a\\b\"")) == "\"\\\"a\\\\b\\\"\"\n");
    CHECK(publish::toJson(JsonNode::string(std::string("x\n\r\t\b\f\x01y\x1f", 10))) == "\"x\\n\\r\\t\\b\\f\\u0001y\\u001f\\u0000\"\n");
    JsonNode key = JsonNode::object();
    key.set("键\"", JsonNode::string("值"));
    CHECK(publish::toJson(key) == "{\n  \"键\\\"\": \"值\"\n}\n");
}
