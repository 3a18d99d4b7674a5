#include <catch2/catch.hpp>

// The optional rule-set parameters of 一体化 systems: the deviation deduction (指标偏离), the
// execution-rate caps and the 结果应用 table, as the bundled yitihua-2022 sets them, each
// parameter checked at its edges and each mistake in a rule file named with key and line.

#include "score/evaluate.h"
#include "score/format.h"
#include "score/rules.h"
#include "score_fixtures.h"
#include "support.h"

using namespace jixiao;
using namespace jixiao::testing;
using model::Operator;

namespace {

const std::string kFile = "templates/rules/yitihua-2022.json";

std::string yitihuaText() { return slurp(std::string(JIXIAO_SOURCE_DIR) + "/" + kFile); }

/// The yitihua-2022 file with the first `from` replaced by `to`.
std::string mutated(const std::string& from, const std::string& to) {
    std::string text = yitihuaText();
    auto pos = text.find(from);
    if (pos == std::string::npos) throw std::logic_error("test mutation not found: " + from);
    return text.replace(pos, from.size(), to);
}

std::string errorOf(const std::string& json) {
    try {
        score::parseRules(json, kFile);
    } catch (const score::RuleError& e) {
        return e.what();
    }
    return "(no error)";
}

score::ProjectResult scored(model::Project p, const score::RuleSet& rules = yitihua()) { return scoreOne(std::move(p), rules); }

/// fullProject with 全年执行数 `executed` of a budget of 100 (so 执行率 = executed %).
model::Project executedProject(const std::string& executed) {
    auto p = fullProject("P001");
    p.funds[0].executed = dec(executed);
    p.funds[0].reason = {};
    return p;
}

}  // namespace

TEST_CASE("yitihua-2022 differs from national-2020 only by its own parameters", "[score]") {
    const auto& y = yitihua();
    const auto& n = national();
    CHECK(y.name == "yitihua-2022");
    CHECK(y.title == "预算管理一体化通行做法（2022）");
    CHECK(y.budgetWeight == n.budgetWeight);
    CHECK(y.indicatorTotal == n.indicatorTotal);
    CHECK(y.bands.size() == n.bands.size());
    CHECK(y.overAchievement == n.overAchievement);
    REQUIRE(y.grades.size() == 5);
    std::vector<std::string> names;
    for (const auto& g : y.grades) names.push_back(g.name + g.lower.toString());
    CHECK(names == std::vector<std::string>{"优90", "良80", "中70", "低60", "差0"});
    CHECK(y.feedbackGrades == std::vector<std::string>{"中", "低", "差"});
    REQUIRE(y.deviation);
    CHECK(y.deviation->threshold.toString() == "0.3");
    CHECK(y.deviation->inclusive);
    CHECK(y.deviation->points.toString() == "2");
    CHECK(y.deviation->operators == std::vector<Operator>{Operator::Ge, Operator::Gt, Operator::Eq});
    REQUIRE(y.executionCaps.size() == 4);
    std::vector<std::string> caps;
    for (const auto& c : y.executionCaps) caps.push_back(c.from.toString() + "-" + c.below.toString() + ":" + c.maxTotal.toString());
    CHECK(caps == std::vector<std::string>{"0.7-0.8:89", "0.6-0.7:79", "0.5-0.6:69", "0-0.5:59"});
    REQUIRE(y.application.size() == 5);
    CHECK(y.application[2].grade == "中");
    CHECK(y.application[2].changeMin.toString() == "-0.1");
    CHECK(y.application[2].changeMax.toString() == "-0.05");
    CHECK(y.application[2].inLetter);
    CHECK_FALSE(y.application[0].inLetter);
    CHECK(y.findings.size() == score::findingCodes().size());
    for (const auto& [code, rule] : n.findings) {
        CAPTURE(code);
        CHECK(y.findings.at(code).messages == rule.messages);
        CHECK(y.findings.at(code).severity == rule.severity);
    }
}

TEST_CASE("deviation parameter mistakes name the key and line", "[score]") {
    const std::string f = kFile + "：";
    struct Case {
        std::string from, to, message;
    };
    const Case cases[] = {
        {"\"threshold\": 0.3", "\"threshold\": 0",
         f + "第85行：键“deviation.threshold”应为正数（完成率超过100%的部分，0.3即完成率130%），实际为“0”。"},
        {"\"threshold\": 0.3", "\"threshold\": \"30%\"",
         f + "第85行：键“deviation.threshold”应为正数（完成率超过100%的部分，0.3即完成率130%），实际为“30%”。"},
        {"\"inclusive\": true", "\"inclusive\": \"含\"", f + "第86行：键“deviation.inclusive”应为true或false，实际为“含”。"},
        {"\"inclusive\": true,\n", "", f + "第83行：缺少键“deviation.inclusive”。"},
        {"\"points\": 2,", "\"points\": 0,", f + "第87行：键“deviation.points”应为0到100之间的正数（扣减的分值），实际为“0”。"},
        {"\"points\": 2,", "\"points\": 101,", f + "第87行：键“deviation.points”应为0到100之间的正数（扣减的分值），实际为“101”。"},
        {"\"operators\": [\"≥\", \">\", \"=\"]", "\"operators\": [\"≥\", \"定性\"]",
         f + "第88行：键“deviation.operators[1]”应为“≥”、“>”、“=”、“≤”、“<”之一（定性指标不适用），实际为“定性”。"},
        {"\"operators\": [\"≥\", \">\", \"=\"]", "\"operators\": [\"≥\", \"≥\"]", f + "第88行：键“deviation.operators[1]”中的“≥”重复。"},
        {"\"operators\": [\"≥\", \">\", \"=\"]", "\"operators\": []", f + "第88行：键“deviation.operators”不能为空数组。"},
        {"\"operators\": [\"≥\", \">\", \"=\"]", "\"operators\": [\"≥\"], \"limit\": 1",
         f + "第88行：键“deviation.limit”未知，此处可用的键：threshold、inclusive、points、operators。"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.from, c.to);
        CHECK(errorOf(mutated(c.from, c.to)) == c.message);
    }
}

TEST_CASE("execution cap mistakes name the key and line", "[score]") {
    const std::string f = kFile + "：";
    struct Case {
        std::string from, to, message;
    };
    const Case cases[] = {
        {"{ \"from\": 0.7, \"below\": 0.8", "{ \"from\": 0.8, \"below\": 0.8",
         f + "第93行：键“execution_caps.bands[0].below”应大于本档的from（0.8），实际为0.8。"},
        {"{ \"from\": 0.7, \"below\": 0.8", "{ \"from\": 0.7, \"below\": 1.2",
         f + "第93行：键“execution_caps.bands[0].below”应为0到1之间的数字（执行率，0.8即80%），实际为“1.2”。"},
        {"{ \"from\": 0.6, \"below\": 0.7", "{ \"from\": 0.6, \"below\": 0.65",
         f + "第94行：键“execution_caps.bands[1].below”应等于上一档的from（0.7）（各档须从高到低相接、不重叠），实际为0.65。"},
        {"\"below\": 0.7, \"max_total\": 79", "\"below\": 0.7, \"max_total\": 89",
         f + "第94行：键“execution_caps.bands[1].max_total”应小于上一档的max_total（89）（执行率越低，封顶分越低），实际为89。"},
        {"\"max_total\": 59", "\"max_total\": -1", f + "第96行：键“execution_caps.bands[3].max_total”应为0到100之间的数字，实际为“-1”。"},
        {"\"max_total\": 59 }", "\"maximum\": 59 }",
         f + "第96行：键“execution_caps.bands[3].maximum”未知，此处可用的键：from、below、max_total。"},
        {"{ \"from\": 0, \"below\": 0.5, \"max_total\": 59 }", "0.5",
         f + "第96行：键“execution_caps.bands[3]”应为对象（{…}），实际为“0.5”。"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.from, c.to);
        CHECK(errorOf(mutated(c.from, c.to)) == c.message);
    }
    const std::string text = yitihuaText();
    const auto from = text.find("\"bands\": [");
    const std::string bands = text.substr(from, text.find("\n    ]", from) + 6 - from);
    CHECK(errorOf(mutated(bands, "\"bands\": []")) == f + "第92行：键“execution_caps.bands”不能为空数组。");
}

TEST_CASE("结果应用 mistakes name the key and line", "[score]") {
    const std::string f = kFile + "：";
    struct Case {
        std::string from, to, message;
    };
    const Case cases[] = {
        {"\"budget_change\": [-0.1, -0.05]", "\"budget_change\": [-0.05, -0.1]",
         f + "第103行：键“result_application.中.budget_change[1]”应不小于下限-0.05，实际为-0.1。"},
        {"\"budget_change\": [-0.1, -0.05]", "\"budget_change\": [-0.1]",
         f + "第103行：键“result_application.中.budget_change”应为两个数字组成的数组（[下限, 上限]，如[-0.1, -0.05]），实际为“[…]”。"},
        {"\"budget_change\": [-1, -0.5]", "\"budget_change\": [-1.5, -0.5]",
         f + "第105行：键“result_application.差.budget_change[0]”应为-1到1之间的数字（预算调整比例，-0.1即压减10%，-1即取消），实际为“-1."
             "5”。"},
        {"\"advice\": \"绩效一般，下年度预算适当压减，并督促整改\"", "\"advice\": \"\"",
         f + "第103行：键“result_application.中.advice”应为非空文字，实际为“”。"},
        {"[-0.1, -0.05], \"letter\": true", "[-0.1, -0.05], \"letter\": 1",
         f + "第103行：键“result_application.中.letter”应为true或false，实际为“1”。"},
        {"    \"低\": { \"advice\"", "    \"较差\": { \"advice\"",
         f + "第104行：键“result_application.较差”未知，此处可用的键：优、良、中、低、差。"},
        {"\"advice\": \"绩效优秀，下年度预算优先保障\", ", "", f + "第101行：缺少键“result_application.优.advice”。"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.from, c.to);
        CHECK(errorOf(mutated(c.from, c.to)) == c.message);
    }
    // Every grade needs its advice.
    CHECK(errorOf(mutated("    \"良\": { \"advice\": \"绩效良好，下年度预算原则上维持\", \"budget_change\": [0, 0], \"letter\": false },\n",
                          "")) == f + "第99行：键“result_application”缺少等级“良”（grades中的每个等级都须给出结果应用意见）。");
}

TEST_CASE("the findings of the parameters are required only with them", "[score]") {
    const std::string f = kFile + "：";
    const std::string deviation = yitihuaText().substr(yitihuaText().find("    \"indicator_deviation\": {"));
    const std::string block = deviation.substr(0, deviation.find("},\n") + 3);
    CHECK(errorOf(mutated(block, "")) == f + "第107行：缺少键“findings.indicator_deviation”。");
    CHECK(errorOf(mutated("扣{points}分，该指标得{score}分", "扣{point}分")) ==
          f + "第160行：键“findings.indicator_deviation.message”中的占位符“{point}”未知，可用：{indicator}、{target}、{actual}、"
              "{completion}、{variance}、{threshold}、{points}、{weight}、{score}。");
    CHECK(errorOf(mutated("总分最高{max_total}分", "总分最高{cap}分")) ==
          f + "第164行：键“findings.execution_cap.message”中的占位符“{cap}”未知，可用：{rate}、{band}、{max_total}、{total}、{points}。");
}

TEST_CASE("deviation: exactly 130% is deducted, just below is not", "[score]") {
    auto project = fullProject("P001");
    project.indicators[2].actual = num("130");  // 带动就业 ≥100人, weight 30
    auto p = scored(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"indicator_deviation"});
    const auto& f = p.findings[0];
    CHECK(f.message ==
          "“带动就业”年度指标值≥100人，实际完成130人，完成率130.00%，达到130%及以上，属指标偏离（年度指标值设定偏低），"
          "扣2.00分，该指标得28.00分");
    CHECK(f.severity == score::FindingSeverity::Rectify);
    CHECK(f.indicator == std::size_t(2));
    CHECK(f.points->toString() == "2");
    CHECK(p.indicators[2].score->toString() == "28");
    CHECK(p.indicators[2].deduction->toString() == "2");
    CHECK(p.total->toFixed(2) == "98.00");
    CHECK(*p.grade == "优");
    CHECK_FALSE(p.uncappedTotal);

    // 129.99%: over the target_too_low threshold (120%), not deviating.
    project.indicators[2].actual = num("129.99");
    p = scored(project);
    CHECK(codes(p.findings) == std::vector<std::string>{"target_too_low"});
    CHECK(p.indicators[2].score->toString() == "30");
    CHECK_FALSE(p.indicators[2].deduction);
    CHECK(p.total->toFixed(2) == "100.00");

    // The same row under national-2020: no deduction at all.
    project.indicators[2].actual = num("130");
    p = scored(project, national());
    CHECK(codes(p.findings) == std::vector<std::string>{"target_too_low"});
    CHECK(p.total->toFixed(2) == "100.00");
}

TEST_CASE("deviation: inclusive false, operators, small weights", "[score]") {
    auto exclusive = score::parseRules(mutated("\"inclusive\": true", "\"inclusive\": false"), kFile);
    auto project = fullProject("P001");
    project.indicators[2].actual = num("130");
    CHECK_FALSE(scored(project, exclusive).indicators[2].deduction);
    project.indicators[2].actual = num("130.01");
    CHECK(scored(project, exclusive).indicators[2].deduction->toString() == "2");

    // 反向 (≤) is not listed in yitihua-2022: 完成率 t / a = 130% costs nothing there …
    project = fullProject("P001");
    project.indicators[2].op = Operator::Le;
    project.indicators[2].target = num("130");
    project.indicators[2].actual = num("100");
    CHECK_FALSE(scored(project).indicators[2].deduction);
    // … and exactly the same 完成率 does when a rule set lists it.
    auto reverse = score::parseRules(mutated("\"operators\": [\"≥\", \">\", \"=\"]", "\"operators\": [\"≤\"]"), kFile);
    auto p = scored(project, reverse);
    CHECK(p.indicators[2].completion->toString() == "1.3");
    CHECK(p.indicators[2].deduction->toString() == "2");
    CHECK(p.indicators[2].score->toString() == "28");

    // A weight below the points loses the whole weight, never more.
    project = fullProject("P001");
    project.indicators[0].weight = dec("1.5");
    project.indicators[1].weight = dec("48.5");
    project.indicators[0].actual = num("1000");
    p = scored(project);
    CHECK(p.indicators[0].deduction->toString() == "1.5");
    CHECK(p.indicators[0].score->toFixed(2) == "0.00");
    CHECK(p.total->toFixed(2) == "98.50");

    // t = 0 has no 完成率, so nothing to deduct.
    project = fullProject("P001");
    project.indicators[2].target = num("0");
    project.indicators[2].actual = num("50");
    CHECK_FALSE(scored(project).indicators[2].deduction);
}

TEST_CASE("execution caps at their edges", "[score]") {
    struct Case {
        const char* executed;
        const char* total;
        const char* uncapped;
        const char* grade;
    };
    const Case cases[] = {
        {"80", "98.00", nullptr, "优"},                                      // exactly 80%: no cap
        {"79.99", "89.00", "98.00", "良"},                                   // 7.999 points for the budget round to 8.00
        {"70", "89.00", "97.00", "良"},                                      // exactly 70%: the 70–80 band
        {"69.996", "89.00", "97.00", "良"},                                  // shown as 70.00%: the band of the rate as shown
        {"69.99", "79.00", "97.00", "中"},  {"60", "79.00", "96.00", "中"},  // exactly 60%
        {"59.99", "69.00", "96.00", "低"},  {"50", "69.00", "95.00", "低"},  // exactly 50%
        {"49.99", "59.00", "95.00", "差"},  {"0", "59.00", "90.00", "差"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.executed);
        auto p = scored(executedProject(c.executed));
        CHECK(p.total->toFixed(2) == c.total);
        CHECK(*p.grade == c.grade);
        if (!c.uncapped) {
            CHECK_FALSE(p.uncappedTotal);
            CHECK(codes(p.findings) == std::vector<std::string>{"execution_low"});
            continue;
        }
        REQUIRE(p.uncappedTotal);
        CHECK(p.uncappedTotal->toFixed(2) == c.uncapped);
        // The cap follows the budget findings, before any indicator's.
        REQUIRE(codes(p.findings) == std::vector<std::string>{"execution_low", "execution_cap"});
        CHECK(p.findings[1].points->toFixed(2) == (*p.uncappedTotal - *p.total).toFixed(2));
    }
    auto p = scored(executedProject("70"));
    CHECK(p.findings[1].message == "预算执行率70.00%，在70%（含）至80%（不含）区间，总分最高89分，复核总分97.00分按封顶分计，扣减8.00分");
    CHECK(p.findings[1].severity == score::FindingSeverity::Rectify);
    CHECK(!p.findings[1].indicator);

    // A total already under the cap stays as it is, without a finding.
    auto low = executedProject("70");
    low.indicators[2].actual = num("10");  // 带动就业 3 of 30 points
    p = scored(low);
    CHECK(p.total->toFixed(2) == "70.00");
    CHECK_FALSE(p.uncappedTotal);
    CHECK(codes(p.findings) == std::vector<std::string>{"execution_low", "unmet_no_reason"});

    // Deduction and cap together: the cap applies to the total after deductions.
    auto both = executedProject("75");
    both.indicators[2].actual = num("200");
    p = scored(both);
    CHECK(codes(p.findings) == std::vector<std::string>{"execution_low", "execution_cap", "indicator_deviation"});
    CHECK(p.uncappedTotal->toFixed(2) == "95.50");
    CHECK(p.total->toFixed(2) == "89.00");
}

TEST_CASE("结果应用 advice by grade", "[score]") {
    model::Diagnostics diags;
    auto d = datasetWith({executedProject("55")});
    auto ev = score::evaluate(d, yitihua(), diags);
    REQUIRE(ev.application.size() == 5);
    CHECK(ev.adjusts);
    const score::ApplicationRule* a = score::applicationOf(ev.projects[0], ev);
    REQUIRE(a);
    CHECK(a->grade == "低");
    CHECK(a->advice == "绩效较低，下年度预算从严安排，整改到位前不新增");
    CHECK(score::budgetChangeText(a->changeMin, a->changeMax) == "压减10%至30%");

    auto national2020 = score::evaluate(d, national(), diags);
    CHECK_FALSE(national2020.adjusts);
    CHECK(national2020.application.empty());
    CHECK(score::applicationOf(national2020.projects[0], national2020) == nullptr);
}

TEST_CASE("budget change ranges in words", "[score]") {
    using score::budgetChangeText;
    CHECK(budgetChangeText(dec("-0.1"), dec("-0.05")) == "压减5%至10%");
    CHECK(budgetChangeText(dec("-1"), dec("-0.5")) == "压减50%以上直至取消");
    CHECK(budgetChangeText(dec("-0.2"), dec("-0.2")) == "压减20%");
    CHECK(budgetChangeText(dec("0"), dec("0")) == "维持现有规模");
    CHECK(budgetChangeText(dec("0"), dec("0.1")) == "维持或增加不超过10%");
    CHECK(budgetChangeText(dec("0.05"), dec("0.1")) == "增加5%至10%");
    CHECK(budgetChangeText(dec("0.1"), dec("0.1")) == "增加10%");
    CHECK(budgetChangeText(dec("-0.05"), dec("0.05")) == "压减不超过5%至增加不超过5%");
    const auto money = [](model::Decimal f) { return score::moneyText((dec("43.2") * f).rounded(2)); };
    CHECK(budgetChangeText(dec("-0.3"), dec("-0.1"), money) == "压减4.32万元至12.96万元");
}

TEST_CASE("the rules option takes a bundled name or a file", "[score]") {
    const std::string dir = std::string(JIXIAO_SOURCE_DIR) + "/templates";
    CHECK(score::loadRulesOption(dir, "yitihua-2022").name == "yitihua-2022");
    CHECK(score::loadRulesOption(dir, dir + "/rules/hubei.json").name == "hubei");
    try {
        score::loadRulesOption(dir, "nosuch.json");
        FAIL("accepted");
    } catch (const score::RuleError& e) {
        CHECK(std::string(e.what()) == "nosuch.json：无法读取评分规则文件（文件不存在或没有读取权限）。");
    }
    try {
        score::loadRulesOption(dir, "yitihua");
        FAIL("accepted");
    } catch (const score::RuleError& e) {
        CHECK(std::string(e.what()) ==
              "找不到评分规则“yitihua”（" + dir + "/rules/yitihua.json）。可用的评分规则：hubei、national-2020、yitihua-2022。");
    }
}
