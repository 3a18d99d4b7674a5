#include <catch2/catch.hpp>

#include "score/rules.h"
#include "score_fixtures.h"

#include <fstream>
#include <sstream>

using namespace jixiao;
using jixiao::testing::dec;

namespace {

const std::string kRulesDir = std::string(JIXIAO_SOURCE_DIR) + "/templates";

std::string nationalText() {
    std::ifstream in(kRulesDir + "/rules/national-2020.json", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The national file with the first `from` replaced by `to`.
std::string mutated(const std::string& from, const std::string& to) {
    std::string text = nationalText();
    auto pos = text.find(from);
    if (pos == std::string::npos) throw std::logic_error("test mutation not found: " + from);
    return text.replace(pos, from.size(), to);
}

std::string errorOf(const std::string& json, const std::string& name = "templates/rules/hubei.json") {
    try {
        score::parseRules(json, name);
    } catch (const score::RuleError& e) {
        return e.what();
    }
    return "(no error)";
}

/// Names of the RuleSet fields that differ between two rule sets.
std::vector<std::string> differences(const score::RuleSet& a, const score::RuleSet& b) {
    std::vector<std::string> out;
    auto cmp = [&](const char* what, bool same) {
        if (!same) out.push_back(what);
    };
    cmp("name", a.name == b.name);
    cmp("title", a.title == b.title);
    cmp("budgetWeight", a.budgetWeight == b.budgetWeight);
    cmp("indicatorTotal", a.indicatorTotal == b.indicatorTotal);
    cmp("rescale", a.rescale == b.rescale);
    cmp("acceptedTotals", a.acceptedTotals == b.acceptedTotals);
    cmp("reverse", a.reverse == b.reverse);
    bool levels = a.levels.size() == b.levels.size();
    for (std::size_t i = 0; levels && i < a.levels.size(); ++i)
        levels = a.levels[i].name == b.levels[i].name && a.levels[i].weight == b.levels[i].weight &&
                 a.levels[i].aliases == b.levels[i].aliases && a.levels[i].level2 == b.levels[i].level2;
    cmp("levels", levels);
    REQUIRE(a.bands.size() == b.bands.size());
    for (std::size_t i = 0; i < a.bands.size(); ++i) {
        const auto& x = a.bands[i];
        const auto& y = b.bands[i];
        std::string p = "bands." + x.name;
        if (x.name != y.name) out.push_back(p + ".name");
        if (x.lower != y.lower) out.push_back(p + ".lower");
        if (x.upper != y.upper) out.push_back(p + ".upper");
        if (x.defaultShare != y.defaultShare) out.push_back(p + ".default");
        if (x.words != y.words) out.push_back(p + ".words");
    }
    cmp("executionThreshold", a.executionThreshold == b.executionThreshold);
    cmp("overAchievement", a.overAchievement == b.overAchievement);
    cmp("selfScoreTolerance", a.selfScoreTolerance == b.selfScoreTolerance);
    cmp("rounding",
        a.rounding.indicator == b.rounding.indicator && a.rounding.total == b.rounding.total && a.rounding.rate == b.rounding.rate);
    bool grades = a.grades.size() == b.grades.size();
    for (std::size_t i = 0; grades && i < a.grades.size(); ++i)
        grades = a.grades[i].name == b.grades[i].name && a.grades[i].lower == b.grades[i].lower;
    cmp("grades", grades);
    cmp("feedback", a.feedbackGrades == b.feedbackGrades && a.feedbackSeverity == b.feedbackSeverity);
    bool findings = a.findings.size() == b.findings.size();
    for (const auto& [code, rule] : a.findings)
        findings = findings && b.findings.count(code) && b.findings.at(code).severity == rule.severity &&
                   b.findings.at(code).messages == rule.messages;
    cmp("findings", findings);
    cmp("departmentIndicatorTotal", a.departmentIndicatorTotal == b.departmentIndicatorTotal);
    cmp("departmentTotalRatios", a.departmentTotalRatios == b.departmentTotalRatios);
    bool ratios = a.ratios.size() == b.ratios.size();
    for (std::size_t i = 0; ratios && i < a.ratios.size(); ++i)
        ratios = a.ratios[i].name == b.ratios[i].name && a.ratios[i].weight == b.ratios[i].weight && a.ratios[i].kind == b.ratios[i].kind &&
                 a.ratios[i].target == b.ratios[i].target && a.ratios[i].deductPerPoint == b.ratios[i].deductPerPoint;
    cmp("ratios", ratios);
    return out;
}

}  // namespace

TEST_CASE("shipped national-2020 rule set", "[score]") {
    const auto& r = jixiao::testing::national();
    CHECK(r.name == "national-2020");
    CHECK(r.budgetWeight.toString() == "10");
    CHECK(r.indicatorTotal.toString() == "90");
    CHECK_FALSE(r.rescale);
    CHECK(r.reverse == score::ReverseVariant::A);
    REQUIRE(r.levels.size() == 4);
    CHECK(r.levels[0].name == "产出指标");
    CHECK(r.levels[0].weight->toString() == "50");
    CHECK(r.levels[1].weight->toString() == "30");
    CHECK(r.levels[2].weight->toString() == "10");
    CHECK(r.levels[3].name == "成本指标");
    CHECK_FALSE(r.levels[3].weight);
    CHECK(r.findLevel("产出") == &r.levels[0]);
    CHECK(r.findLevel("决策指标") == nullptr);
    REQUIRE(r.bands.size() == 3);
    CHECK(r.bands[1].name == "部分达成");
    CHECK(r.bands[1].lower.toString() == "0.6");
    CHECK(r.executionThreshold.toString() == "0.9");
    CHECK(r.overAchievement.toString() == "1.2");
    CHECK(r.selfScoreTolerance.toString() == "0.1");
    CHECK(r.rounding.indicator == 2);
    CHECK(r.rounding.total == 2);
    CHECK(r.rounding.rate == 4);
    REQUIRE(r.grades.size() == 4);
    CHECK(r.grades[0].name == "优");
    CHECK(r.grades[3].lower.isZero());
    CHECK(r.feedbackGrades == std::vector<std::string>{"中", "差"});
    CHECK(r.feedbackSeverity == score::FindingSeverity::Rectify);
    // Without deviation and caps, their two finding codes are not needed.
    CHECK(r.findings.size() == score::findingCodes().size() - 2);
    CHECK_FALSE(r.deviation);
    CHECK(r.executionCaps.empty());
    CHECK(r.application.empty());
    CHECK(r.severityOf("execution_low") == score::FindingSeverity::Explain);
    CHECK(r.ratios.size() == score::ratioNames().size());
    CHECK(r.departmentIndicatorTotal.toString() == "90");
    CHECK(r.departmentTotalRatios == std::vector<std::string>{"预算执行率"});
}

TEST_CASE("switching national-2020 to hubei changes exactly what the files say", "[score]") {
    auto diff = differences(jixiao::testing::national(), jixiao::testing::hubei());
    CHECK(diff == std::vector<std::string>{"name", "title", "budgetWeight", "indicatorTotal", "rescale", "acceptedTotals",
                                           "bands.部分达成.lower", "bands.部分达成.default", "bands.未达成.upper"});
    const auto& h = jixiao::testing::hubei();
    CHECK(h.budgetWeight.toString() == "20");
    CHECK(h.indicatorTotal.toString() == "80");
    CHECK(h.bands[1].lower.toString() == "0.5");
    CHECK(h.bands[2].upper.toString() == "0.5");
}

TEST_CASE("rule file mistakes name the file and the key", "[score]") {
    const std::string f = "templates/rules/hubei.json：";
    struct Case {
        std::string from, to, message;
    };
    const Case cases[] = {
        {"\"优\": 90", "\"优\": \"abc\"", f + "第72行：键“grades.优”应为0到100之间的数字，实际为“abc”。"},
        {"\"良\": 80", "\"良\": 95", f + "第73行：键“grades.良”应小于上一等级“优”的下限90（等级须从高到低排列），实际为95。"},
        {"\"差\": 0", "\"差\": 10", f + "第75行：键“grades.差”应为0（最低等级须包含所有低分），实际为10。"},
        {"\"lower\": 0.6", "\"lower\": 0.65",
         f + "第48行：键“qualitative.部分达成.default”应在本档区间0.65–0.8（不含上限）内，实际为0.6。"},
        {"\"upper\": 0.6", "\"upper\": 0.55",
         f + "第53行：键“qualitative.未达成.upper”应等于上一档“部分达成”的下限0.6（各档须覆盖0–100%且不重叠），实际为0.55。"},
        {"\"default\": 0.6", "\"default\": 0.8",
         f + "第48行：键“qualitative.部分达成.default”应在本档区间0.6–0.8（不含上限）内，实际为0.8。"},
        {"\"lower\": 0.8,\n      \"upper\": 1,", "\"lower\": 0.8,\n      \"upper\": 0.9,",
         f + "第42行：键“qualitative.达成.default”应在本档区间0.8–0.9内，实际为1。"},
        {"[\"部分达成\", \"基本达成\"", "[\"部分达成\", \"完成\"",
         f + "第49行：键“qualitative.部分达成.words[1]”中的“完成”已出现在其他档次中。"},
        {"\"self_score_tolerance\"", "\"self_score_tolerence\"",
         f + "第62行：键“thresholds.self_score_tolerence”未知，此处可用的键：execution_rate、over_achievement、self_score_tolerance。"},
        {"\"execution_rate\": 0.9", "\"execution_rate\": 90",
         f + "第60行：键“thresholds.execution_rate”应为0到1之间的数字（0.9即90%），实际为“90”。"},
        {"\"reverse_variant\": \"A\"", "\"reverse_variant\": \"C\"", f + "第12行：键“indicators.reverse_variant”应为“A”或“B”，实际为“C”。"},
        {"执行率{rate}", "执行率{rat}",
         f + "第86行：键“findings.execution_low.message”中的占位符“{rat}”未知，可用：{rate}、{threshold}、{budget}、{executed}。"},
        {"低于{threshold}，", "低于{threshold，", f + "第86行：键“findings.execution_low.message”中的占位符缺少右花括号“}”。"},
        {"\"severity\": \"需说明\"", "\"severity\": \"重要\"",
         f + "第85行：键“findings.execution_low.severity”应为“提示”“需说明”或“需整改”，实际为“重要”。"},
        {"\"weight\": 10\n  }", "\"weight\": 20\n  }", f + "第10行：键“indicators.total”应等于100减去budget.weight，即80，实际为“90”。"},
        {"\"weight\": 50", "\"weight\": 40",
         f + "第13行：键“indicators.levels”中各一级指标的默认分值合计应等于indicators.total（90），实际为80。"},
        {"\"indicator\": 2", "\"indicator\": 2.5", f + "第66行：键“rounding.indicator”应为0到4之间的整数，实际为“2.5”。"},
        {"[\"中\", \"差\"]", "[\"中\", \"劣\"]", f + "第79行：键“feedback.grades[1]”中的等级“劣”不在grades中（可用：优、良、中、差）。"},
        {"\"aliases\": [\"效益\"]", "\"aliases\": [\"产出\"]",
         f + "第21行：键“indicators.levels.效益指标.aliases[0]”与其他一级指标的名称或别名重复。"},
        {"\"rule\": \"at_least\", \"target\": 1 },\n      \"预算调整率\"",
         "\"rule\": \"at_least\", \"target\": 1 },\n      \"预算调整比率\"",
         f + "第140行：键“department.ratios."
             "预算调整比率”未知，此处可用的键：预算执行率、预算调整率、结转结余变动率、“三公”经费变动率、人均公用经费变动率、政府采购执行率"
             "、在职人员控制率。"},
        {"\"rule\": \"at_least\", \"target\": 1 }", "\"rule\": \"at_least\", \"target\": 0 }",
         f + "第139行：键“department.ratios.预算执行率.target”应为正数（比率，1即100%），实际为“0”。"},
        {"\"total_ratios\": [\"预算执行率\"]", "\"total_ratios\": [\"预算执行率\", \"在职人员控制率\"]",
         f + "第136行：键“department.indicator_total”与total_ratios所列比率的分值合计应为100，实际为indicator_"
             "total（90）、预算执行率（10）、在职人员控制率（5），共105。"},
        {"\"total_ratios\": [\"预算执行率\"]", "\"total_ratios\": [\"预算完成率\"]",
         f + "第137行：键“department.total_ratios[0]”中的“预算完成率”不在department.ratios中（计入总分的比率须给出计分方法）。"},
        {"\"message_rescaled\"", "\"message_scaled\"",
         f + "第114行：键“findings.weights_not_100.message_scaled”未知，此处可用的键：severity、message、message_rescaled、message_"
             "department。"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.from, c.to);
        CHECK(errorOf(mutated(c.from, c.to)) == c.message);
    }
}

TEST_CASE("rule file missing keys and wrong types", "[score]") {
    const std::string f = "templates/rules/hubei.json：";
    // Removing a whole line: the key is reported as missing.
    std::string text = mutated("    \"execution_rate\": 0.9,\n", "");
    CHECK(errorOf(text) == f + "第58行：缺少键“thresholds.execution_rate”。");
    CHECK(errorOf(mutated("\"name\": \"national-2020\",", "")) == f + "第1行：缺少键“name”。");
    CHECK(errorOf(mutated("\"rescale\": false", "\"rescale\": \"no\"")) ==
          f + "第11行：键“indicators.rescale”应为true或false，实际为“no”。");
    CHECK(errorOf(mutated("\"grades\": {", "\"grades\": [], \"x\": {")) ==
          f + "第70行：键“x”未知，此处可用的键：name、title、budget、indicators、qualitative、thresholds、rounding、grades、feedback、devia"
              "tion、execution_caps、result_application、findings、department。");
    CHECK(errorOf("{\"说明\": 1}") == f + "第1行：键“说明”应为文字，实际为“1”。");
    CHECK(errorOf(mutated("[\"部分达成\", \"基本达成\"", "[\"部分达成\", \" 。\"")) ==
          f + "第49行：键“qualitative.部分达成.words[1]”去掉空格和句号后为空。");
}

TEST_CASE("rule file JSON syntax errors give line and column", "[score]") {
    CHECK(errorOf("{\n  \"name\": \"x\",\n}", "bad.json") == "bad.json：第3行第1列：JSON格式错误，对象的最后一项后面不能有逗号。");
    CHECK(errorOf("{ // 注释\n}", "bad.json") == "bad.json：第1行第3列：JSON格式错误，JSON不允许注释，说明文字请写在“说明”字段中。");
    CHECK(errorOf("{\"a\": 1, \"a\": 2}", "bad.json") == "bad.json：第1行第10列：JSON格式错误，键“a”重复。");
    CHECK(errorOf("{\"名称\": 1 \"b\": 2}", "bad.json") == "bad.json：第1行第10列：JSON格式错误，此处应为逗号“,”或右花括号“}”。");
    CHECK(errorOf("{\"a\": [1, 2,]}", "bad.json") == "bad.json：第1行第13列：JSON格式错误，数组的最后一项后面不能有逗号。");
    CHECK(errorOf("{\"a\": \"x", "bad.json") == "bad.json：第1行第9列：JSON格式错误，字符串缺少结尾的双引号。");
    CHECK(errorOf("", "bad.json") == "bad.json：第1行第1列：JSON格式错误，JSON内容不完整。");
    CHECK(errorOf("{} x", "bad.json") == "bad.json：第1行第4列：JSON格式错误，JSON内容结束后还有多余的字符。");
    CHECK(errorOf("[]", "bad.json") == "bad.json：评分规则文件应为一个JSON对象（{…}），实际为“[…]”。");
}

TEST_CASE("rule set names map to files inside the rules folder", "[score]") {
    CHECK(score::ruleSetPath("templates", "national-2020") == "templates/rules/national-2020.json");
    CHECK(score::ruleSetPath("templates/", "hubei") == "templates/rules/hubei.json");
    for (const char* bad : {"../secret", "a/b", "", "..", "a\\b"}) {
        CAPTURE(bad);
        try {
            score::ruleSetPath("templates", bad);
            FAIL("accepted");
        } catch (const score::RuleError& e) {
            CHECK(std::string(e.what()) == "评分规则名称“" + std::string(bad) + "”无效：名称不能为空，也不能包含“/”“\\”或“..”。");
        }
    }
    CHECK(score::availableRuleSets(kRulesDir) == std::vector<std::string>{"hubei", "national-2020", "yitihua-2022"});
    CHECK(score::loadRuleSet(kRulesDir, "hubei").name == "hubei");
    try {
        score::loadRuleSet(kRulesDir, "shanxi");
        FAIL("accepted");
    } catch (const score::RuleError& e) {
        CHECK(std::string(e.what()) ==
              "找不到评分规则“shanxi”（" + kRulesDir + "/rules/shanxi.json）。可用的评分规则：hubei、national-2020、yitihua-2022。");
    }
    try {
        score::loadRules("/nonexistent/x.json");
        FAIL("accepted");
    } catch (const score::RuleError& e) {
        CHECK(std::string(e.what()) == "/nonexistent/x.json：无法读取评分规则文件（文件不存在或没有读取权限）。");
    }
}
