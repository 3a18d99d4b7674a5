#include <catch2/catch.hpp>

#include "score/evaluate.h"
#include "score_fixtures.h"
#include "support.h"

#include <functional>
#include <random>

using namespace jixiao;
using namespace jixiao::testing;
using model::Operator;

namespace {

const std::string kBandWords =
    "可用的词：达成档：达成、已达成、达成年度指标、达成预期指标、达成目标、完成、已完成、全部完成、完成年度指标、是、有效、"
    "显著、明显、达标、合格、符合要求、良好、优秀；部分达成档：部分达成、基本达成、部分完成、基本完成、部分达成年度指标、"
    "部分达成年度指标并具有一定效果、部分达成预期指标、基本达标、基本符合要求、一般；未达成档：未达成、未完成、否、"
    "未达成年度指标、未达成年度指标且效果较差、未达成预期指标、未达标、不合格、无效、较差、差。";

score::Evaluation run(const model::Dataset& d, model::Diagnostics& diags, const score::RuleSet& rules = national()) {
    return score::evaluate(d, rules, diags);
}

score::ProjectResult one(model::Project p, const score::RuleSet& rules = national()) { return scoreOne(std::move(p), rules); }

std::vector<std::string> messages(const model::Diagnostics& diags, model::Severity severity) {
    std::vector<std::string> out;
    for (const auto& d : diags.list())
        if (d.severity == severity) out.push_back(d.message);
    return out;
}

}  // namespace

TEST_CASE("a project meeting every target scores 100", "[score]") {
    auto p = one(fullProject("P001"));
    CHECK(p.total->toFixed(2) == "100.00");
    CHECK(*p.grade == "优");
    CHECK(p.findings.empty());
    CHECK(p.rate->toString() == "1");
    CHECK(p.budgetScore.toString() == "10");
    CHECK(p.departmentCode == "101");
    REQUIRE(p.indicators.size() == 4);
    CHECK(p.indicators[1].percentScale());
    CHECK(p.indicators[1].completion->toString() == "1.0316");
}

TEST_CASE("execution_low: the scoring.md budget example", "[score]") {
    auto project = fullProject("P001");
    project.funds = {fundTotal("43.2", "43.2", "37.24")};
    auto p = one(project);
    CHECK(p.rate->toString() == "0.862");
    CHECK(p.budgetScore.toFixed(2) == "8.62");
    CHECK(p.total->toFixed(2) == "98.62");
    REQUIRE(codes(p.findings) == std::vector<std::string>{"execution_low"});
    CHECK(p.findings[0].message == "执行率86.20%，低于90%，未说明原因");
    CHECK(p.findings[0].severity == score::FindingSeverity::Explain);
    CHECK_FALSE(p.findings[0].indicator);
    CHECK(p.findings[0].source.file() == "预算执行.csv");

    project.funds[0].reason = narrative("部分设备采购延至次年");
    CHECK(one(project).findings.empty());
    project.funds[0].reason = {};
    project.funds[0].executed = dec("38.88");  // exactly 90%: not below
    CHECK(one(project).findings.empty());
}

TEST_CASE("budget_adjusted", "[score]") {
    auto project = fullProject("P001");
    project.funds = {fundTotal("40", "43.2", "43.2")};
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"budget_adjusted"});
    CHECK(p.findings[0].message == "年初预算40.00万元，全年预算调整为43.20万元（调增3.20万元），未说明调整原因");
    CHECK(p.initial->toString() == "40");
    project.funds = {fundTotal("50", "43.2", "43.2")};
    CHECK(one(project).findings[0].message == "年初预算50.00万元，全年预算调整为43.20万元（调减6.80万元），未说明调整原因");
    project.funds[0].reason = narrative("年中追减");
    CHECK(one(project).findings.empty());
    project.funds = {fundTotal(nullptr, "43.2", "43.2")};  // blank 年初预算数: nothing to compare
    CHECK(one(project).findings.empty());
}

TEST_CASE("unmet_no_reason: the scoring.md 培训人次 example", "[score]") {
    auto project = fullProject("P001");
    project.indicators[0].actual = num("700");
    auto p = one(project);
    const auto& r = p.indicators[0];
    CHECK(r.completion->toString() == "0.9524");
    CHECK(r.variance->toString() == "-0.0476");
    CHECK(r.score->toString() == "23.81");
    CHECK(p.total->toFixed(2) == "98.81");
    REQUIRE(codes(p.findings) == std::vector<std::string>{"unmet_no_reason"});
    CHECK(p.findings[0].message == "“培训人次”年度指标值≥735人次，实际完成700人次，完成率95.24%，未达到年度指标值且未分析偏差原因");
    CHECK(*p.findings[0].indicator == 0);
    CHECK(p.findings[0].source.row == 2);

    project.indicators[0].reason = narrative("部分学员因疫情未能参训");
    CHECK(one(project).findings.empty());

    // Qualitative rows below the top band need a reason too.
    project = fullProject("P001");
    project.indicators[3] =
        indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("群众满意"), textQuantity("基本达成"), "10", "", 5);
    p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"unmet_no_reason"});
    CHECK(p.findings[0].message == "“群众评价”实际完成情况为“基本达成”（部分达成），未分析偏差原因");
    CHECK(*p.indicators[3].band == "部分达成");
    CHECK(p.indicators[3].score->toString() == "6");
}

TEST_CASE("target_too_low", "[score]") {
    auto project = fullProject("P001");
    project.indicators[2].actual = num("150");
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"target_too_low"});
    CHECK(p.findings[0].message ==
          "“带动就业”年度指标值≥100人，实际完成150人，完成率150.00%，超过120%，年度指标值可能设定过于保守，请复核");
    CHECK(p.findings[0].severity == score::FindingSeverity::Notice);
    CHECK(p.indicators[2].score->toString() == "30");  // no automatic deduction

    // 116.67% stays quiet at the default 1.2 …
    project.indicators[2].target = num("20000");
    project.indicators[2].actual = num("23333.56");
    CHECK(one(project).findings.empty());
    // … but not with a dataset 偏差阈值 of 10%.
    model::Diagnostics diags;
    auto d = datasetWith({project});
    d.config.varianceThreshold = dec("0.1");
    auto ev = run(d, diags);
    REQUIRE(codes(ev.projects[0].findings) == std::vector<std::string>{"target_too_low"});
    CHECK(ev.projects[0].findings[0].message ==
          "“带动就业”年度指标值≥20000人，实际完成23333.56人，完成率116.67%，超过110%，年度指标值可能设定过于保守，请复核");
}

TEST_CASE("self_score_mismatch", "[score]") {
    auto project = fullProject("P001");
    project.funds = {fundTotal("43.2", "43.2", "37.24")};
    project.funds[0].reason = narrative("采购延期");
    project.funds[0].selfScore = dec("9");
    project.indicators[0].actual = num("700");
    project.indicators[0].reason = narrative("疫情影响");
    project.indicators[0].selfScore = dec("20");
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"self_score_mismatch", "self_score_mismatch"});
    CHECK(p.findings[0].message == "预算执行率自评得分9.00分，复核得分8.62分，相差0.38分");
    CHECK_FALSE(p.findings[0].indicator);
    CHECK(p.findings[1].message == "“培训人次”自评得分20.00分，复核得分23.81分，相差3.81分");
    CHECK(*p.findings[1].indicator == 0);
    CHECK(p.budgetSelfScore->toString() == "9");

    // Within the tolerance of 0.1 point: nothing.
    project.funds[0].selfScore = dec("8.7");
    project.indicators[0].selfScore = dec("23.9");
    CHECK(one(project).findings.empty());

    // A qualitative self score outside its band: the band default applies and the row is listed.
    project = fullProject("P001");
    project.indicators[3] =
        indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("群众满意"), textQuantity("部分达成"), "10", "", 5);
    project.indicators[3].reason = narrative("宣传不到位");
    project.indicators[3].selfScore = dec("9");
    p = one(project);
    CHECK(p.indicators[3].selfScoreOutsideBand);
    CHECK(p.indicators[3].score->toString() == "6");
    REQUIRE(codes(p.findings) == std::vector<std::string>{"self_score_mismatch"});
    CHECK(p.findings[0].message ==
          "“群众评价”实际完成情况为“部分达成”（部分达成），该档分值区间为6.00分（含）至8.00分，自评得分9.00分不在区间内，按6.00分计");
    // Inside the band, the unit's own score stands.
    project.indicators[3].selfScore = dec("7.5");
    p = one(project);
    CHECK(p.indicators[3].score->toString() == "7.5");
    CHECK(p.findings.empty());
}

TEST_CASE("met_but_deducted", "[score]") {
    auto project = fullProject("P001");
    project.indicators[0].selfScore = dec("20");
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"met_but_deducted", "self_score_mismatch"});
    CHECK(p.findings[0].message == "“培训人次”已达到年度指标值≥735人次（实际完成735人次），自评得分20.00分低于分值25分，且未说明扣分原因");
    CHECK(p.findings[1].message == "“培训人次”自评得分20.00分，复核得分25.00分，相差5.00分");
    // With a reason the deduction is explained; the difference is still listed.
    project.indicators[0].reason = narrative("质量抽查有瑕疵");
    CHECK(codes(one(project).findings) == std::vector<std::string>{"self_score_mismatch"});
}

TEST_CASE("weights_not_100", "[score]") {
    model::Diagnostics diags;
    auto project = fullProject("P001");
    project.indicators[3].weight = dec("15");
    auto ev = run(datasetWith({project}), diags);
    const auto& p = ev.projects[0];
    REQUIRE(codes(p.findings) == std::vector<std::string>{"weights_not_100"});
    CHECK(p.findings[0].message == "预算执行率分值10分与各项指标分值合计95分，共105分，不等于100分");
    CHECK(p.findings[0].severity == score::FindingSeverity::Rectify);
    CHECK(p.total->toString() == "100");  // capped: the form has 100 points
    CHECK(messages(diags, model::Severity::Warning) ==
          std::vector<std::string>{"项目“P001”预算执行率分值10分与各项指标分值合计95分，共105分，不等于100分。",
                                   "项目“P001”一级指标“满意度指标”分值合计15分，与评分规则“national-2020”的默认分值10分不一致。"});
}

TEST_CASE("score_above_weight", "[score]") {
    auto project = fullProject("P001");
    project.funds[0].selfScore = dec("12");
    project.indicators[0].selfScore = dec("30");
    auto p = one(project);
    REQUIRE(codes(p.findings) ==
            std::vector<std::string>{"score_above_weight", "self_score_mismatch", "score_above_weight", "self_score_mismatch"});
    CHECK(p.findings[0].message == "预算执行率自评得分12.00分，高于分值10分");
    CHECK(p.findings[1].message == "预算执行率自评得分12.00分，复核得分10.00分，相差2.00分");
    CHECK(p.findings[2].message == "“培训人次”自评得分30.00分，高于分值25分");
    CHECK(p.findings[3].message == "“培训人次”自评得分30.00分，复核得分25.00分，相差5.00分");
}

TEST_CASE("fund_rows_mismatch", "[score]") {
    auto project = fullProject("P001");
    model::FundingRow fiscal;
    fiscal.kind = model::FundKind::CurrentFiscal;
    fiscal.initial = dec("60");
    fiscal.adjusted = dec("60");
    fiscal.executed = dec("50");
    model::FundingRow other = fiscal;
    other.kind = model::FundKind::Other;
    other.initial = dec("40");
    other.adjusted = dec("30");
    other.executed = dec("30");
    project.funds.push_back(fiscal);
    project.funds.push_back(other);
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"fund_rows_mismatch", "fund_rows_mismatch"});
    CHECK(p.findings[0].message == "资金明细行“全年预算数”合计90.00万元，与年度资金总额100.00万元不一致");
    CHECK(p.findings[1].message == "资金明细行“全年执行数”合计80.00万元，与年度资金总额100.00万元不一致");
    // The total row is what is scored.
    CHECK(p.budgetScore.toString() == "10");

    // Without a total row, the sub-rows make the total and nothing is compared.
    project.funds.erase(project.funds.begin());
    p = one(project);
    // 80 of 90 executed, and 年初 100 became 90.
    CHECK(codes(p.findings) == std::vector<std::string>{"execution_low", "budget_adjusted"});
    CHECK(p.adjusted.toString() == "90");
    CHECK(p.executed.toString() == "80");
    CHECK(p.initial->toString() == "100");
    CHECK(p.rate->toString() == "0.8889");
}

TEST_CASE("actual_repeats_target and actual_missing score 0", "[score]") {
    auto project = fullProject("P001");
    project.indicators[0].actual = textQuantity("≥735人次");
    project.indicators[0].actual.value = dec("735");  // even when ingest found the number in it
    project.indicators[1].actual = textQuantity("");
    auto p = one(project);
    REQUIRE(codes(p.findings) == std::vector<std::string>{"actual_repeats_target", "actual_missing"});
    CHECK(p.findings[0].message == "“培训人次”实际完成值填写为“≥735人次”，只是重复了年度指标值≥735人次，未填写实际完成数，按0分计");
    CHECK(p.findings[1].message == "“验收合格率”未填写实际完成值（年度指标值≥95%），按0分计");
    CHECK(p.indicators[0].status == score::IndicatorStatus::RepeatsTarget);
    CHECK(p.indicators[0].score->toString() == "0");
    CHECK(p.indicators[1].status == score::IndicatorStatus::Missing);
    CHECK(p.indicators[1].score->toString() == "0");
    CHECK_FALSE(p.indicators[1].completion);
    CHECK(p.total->toString() == "50");
    CHECK(*p.grade == "差");

    project = fullProject("P001");
    project.indicators[0].actual = textQuantity("735人次以上");
    CHECK(codes(one(project).findings) == std::vector<std::string>{"actual_repeats_target"});
    // A qualitative actual that repeats its target word says the target was met (a real
    // Shanghai table: 费用结算及时性, 年度指标值“及时”, 实际完成值“及时”).
    project = fullProject("P001");
    project.indicators[3] =
        indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("及时"), textQuantity("及时"), "10", "", 5);
    auto met = one(project);
    CHECK(met.findings.empty());
    CHECK(met.indicators[3].status == score::IndicatorStatus::Scored);
    CHECK(*met.indicators[3].band == "达成");
    CHECK(met.indicators[3].score->toString() == "10");
    project.indicators[3] =
        indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("显著提升"), textQuantity("显著提升"), "10", "", 5);
    CHECK(*one(project).indicators[3].band == "达成");
}

TEST_CASE("a word outside the band lists is an error, the rest of the batch is scored", "[score]") {
    model::Diagnostics diags;
    auto bad = fullProject("P001");
    bad.indicators[3] =
        indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("群众满意"), textQuantity("较好"), "10", "", 5);
    auto ev = run(datasetWith({bad, fullProject("P002")}), diags);
    REQUIRE(ev.projects.size() == 2);
    const auto& p = ev.projects[0];
    CHECK_FALSE(p.total);
    CHECK_FALSE(p.grade);
    CHECK(p.findings.empty());
    CHECK(p.indicators[3].status == score::IndicatorStatus::Error);
    CHECK_FALSE(p.indicators[3].score);
    CHECK(p.indicators[0].score->toString() == "25");  // the good rows are still shown
    CHECK(ev.projects[1].total->toString() == "100");
    REQUIRE(diags.errors() == 1);
    const auto& d = diags.list().front();
    CHECK(d.severity == model::Severity::Error);
    CHECK(d.projectCode == "P001");
    CHECK(d.at.file == "绩效指标.csv");
    CHECK(d.at.row == 5);
    CHECK(d.at.header == "实际完成值");
    CHECK(d.value == "较好");
    CHECK(d.message == "第5行“实际完成值”应为定性指标的评价用语，实际为“较好”，不在评分规则“national-2020”的词表中。" + kBandWords);
    CHECK(d.hint == "请改为上述词语之一，或在评分规则的qualitative.<档次>.words中增加该词。");
}

TEST_CASE("row errors raised by score", "[score]") {
    struct Case {
        std::function<void(model::Project&)> change;
        std::string header;
        std::string message;
        std::string hint;
    };
    const std::vector<Case> cases = {
        {[](model::Project& p) { p.indicators[0].level1 = name("决策指标"); }, "一级指标",
         "第2行“一级指标”为“决策指标”，不是评分规则“national-2020”中的一级指标（可用：产出指标、效益指标、满意度指标、成本指标）。",
         "请检查指标名称，或在评分规则的indicators.levels中增加该一级指标。"},
        {[](model::Project& p) { p.indicators[0].actual = textQuantity("良好"); }, "实际完成值",
         "第2行“实际完成值”应为数字，实际为“良好”。",
         "定量指标（指标性质为“≥”）的实际完成值须填写数值；如为定性指标，请将指标性质填为“定性”。"},
        {[](model::Project& p) { p.indicators[0].target = textQuantity(""); }, "年度指标值",
         "第2行“年度指标值”为空，定量指标（指标性质为“≥”）须填写年度指标值。", "如为定性指标，请将指标性质填为“定性”。"},
        {[](model::Project& p) { p.indicators[0].target = num("-5"); }, "年度指标值", "第2行“年度指标值”为负数（-5），无法按完成率计分。",
         "请改用正数表示，例如将“增长率≥-5%”改为“下降率≤5%”。"},
        {[](model::Project& p) { p.indicators[0].weight = dec("-5"); }, "分值", "第2行“分值”应为不小于0的数字，实际为“-5”。", ""},
        {[](model::Project& p) {
             p.indicators[0].level1 = name("成本指标");
             p.indicators[0].weight.reset();
         },
         "分值", "第2行“分值”为空，评分规则“national-2020”没有一级指标“成本指标”的默认分值，无法补齐。", "请填写该指标的分值。"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.message);
        model::Diagnostics diags;
        auto project = fullProject("P001");
        c.change(project);
        auto ev = run(datasetWith({project}), diags);
        CHECK_FALSE(ev.projects[0].total);
        REQUIRE(diags.errors() == 1);
        const model::Diagnostic* err = nullptr;
        for (const auto& d : diags.list())
            if (d.severity == model::Severity::Error) err = &d;
        CHECK(err->at.header == c.header);
        CHECK(err->message == c.message);
        CHECK(err->hint == c.hint);
        CHECK(err->projectCode == "P001");
    }
}

TEST_CASE("projects with ingest errors keep a null total and still appear", "[score]") {
    model::Diagnostics diags;
    model::Diagnostic d;
    d.at = {"绩效指标.csv", "", 9, 4, "分值"};
    d.value = "十分";
    d.message = "第9行“分值”应为数字，实际为“十分”。";
    d.projectCode = "P002";
    diags.add(d);
    d.projectCode = "P404";  // rows naming a project the 项目 table does not have
    diags.add(d);
    auto ev = run(datasetWith({fullProject("P001"), fullProject("P002")}), diags);
    // P404 is no project: its rows' diagnostics are reported (results.json "other"), but it
    // is not counted among the projects.
    REQUIRE(ev.projects.size() == 2);
    CHECK(ev.projects[0].total);
    CHECK(ev.projects[1].code == "P002");
    CHECK_FALSE(ev.projects[1].total);
    CHECK_FALSE(ev.projects[1].grade);
    CHECK(ev.projects[1].findings.empty());
    CHECK(ev.projects[1].indicators.size() == 4);
}

TEST_CASE("missing weights are filled from the rule set and said so", "[score]") {
    SECTION("whole level") {
        model::Diagnostics diags;
        auto project = fullProject("P001");
        project.indicators[0].weight.reset();
        project.indicators[1].weight.reset();
        auto ev = run(datasetWith({project}), diags);
        const auto& p = ev.projects[0];
        CHECK(p.indicators[0].weight.toString() == "25");
        CHECK(p.indicators[0].weightFilled);
        CHECK_FALSE(p.indicators[0].declaredWeight());
        CHECK(p.total->toString() == "100");
        CHECK(p.findings.empty());
        REQUIRE(diags.list().size() == 1);
        CHECK(diags.list()[0].severity == model::Severity::Note);
        CHECK(diags.list()[0].at.row == 2);
        CHECK(diags.list()[0].message ==
              "项目“P001”一级指标“产出指标”有2项指标未填分值，已按评分规则“national-2020”将该级的默认分值50分平均分配，每项25分。");
    }
    SECTION("after what the unit assigned") {
        model::Diagnostics diags;
        auto project = fullProject("P001");
        project.indicators[0].weight = dec("20");
        project.indicators[1].weight.reset();
        auto ev = run(datasetWith({project}), diags);
        CHECK(ev.projects[0].indicators[1].weight.toString() == "30");
        CHECK(messages(diags, model::Severity::Note) ==
              std::vector<std::string>{"项目“P001”一级指标“产出指标”有1项指标未填分值，已按评分规则“national-"
                                       "2020”将该级的默认分值50分扣除已填的20分后余下的30分计入该项。"});
    }
    SECTION("unequal thirds still add up") {
        model::Diagnostics diags;
        auto project = fullProject("P001");
        project.indicators.insert(project.indicators.begin() + 2,
                                  indicator("产出指标", "完成时限", Operator::Le, num("30"), num("28"), nullptr, "天", 4));
        project.indicators[0].weight.reset();
        project.indicators[1].weight.reset();
        auto ev = run(datasetWith({project}), diags);
        const auto& p = ev.projects[0];
        CHECK(p.indicators[0].weight.toString() == "16.67");
        CHECK(p.indicators[1].weight.toString() == "16.67");
        CHECK(p.indicators[2].weight.toString() == "16.66");
        CHECK(p.total->toString() == "100");
        CHECK(messages(diags, model::Severity::Note) ==
              std::vector<std::string>{"项目“P001”一级指标“产出指标”有3项指标未填分值，已按评分规则“national-"
                                       "2020”将该级的默认分值50分平均分配，每项16.67分（最后一项16.66分）。"});
    }
}

TEST_CASE("first-level weights that differ from the defaults are warnings", "[score]") {
    model::Diagnostics diags;
    auto project = fullProject("P001");
    project.indicators[0].weight = dec("15");
    project.indicators[1].weight = dec("25");
    project.indicators[2].weight = dec("40");
    auto ev = run(datasetWith({project}), diags);
    CHECK(ev.projects[0].findings.empty());
    CHECK(ev.projects[0].total->toString() == "100");
    CHECK(diags.errors() == 0);
    CHECK(messages(diags, model::Severity::Warning) ==
          std::vector<std::string>{"项目“P001”一级指标“产出指标”分值合计40分，与评分规则“national-2020”的默认分值50分不一致。",
                                   "项目“P001”一级指标“效益指标”分值合计40分，与评分规则“national-2020”的默认分值30分不一致。"});
}

TEST_CASE("a zero budget gives no rate and a warning", "[score]") {
    model::Diagnostics diags;
    auto project = fullProject("P001");
    project.funds = {fundTotal("0", "0", "0")};
    auto ev = run(datasetWith({project}), diags);
    const auto& p = ev.projects[0];
    CHECK_FALSE(p.rate);
    CHECK(p.budgetScore.isZero());
    CHECK(p.total->toString() == "90");
    REQUIRE(diags.list().size() == 1);
    CHECK(diags.list()[0].severity == model::Severity::Warning);
    CHECK(diags.list()[0].message == "项目“P001”全年预算数为0，无法计算执行率，预算执行得0分。");
    CHECK(diags.list()[0].at.header == "全年预算数");
}

TEST_CASE("text targets are scored by band even without 定性", "[score]") {
    auto project = fullProject("P001");
    project.indicators[2] = indicator("效益指标", "群众获得感", Operator::Ge, textQuantity("有效提升"), textQuantity("达成"), "30", "", 4);
    auto p = one(project);
    CHECK(p.indicators[2].qualitative);
    CHECK(*p.indicators[2].band == "达成");
    CHECK(p.indicators[2].score->toString() == "30");
}

TEST_CASE("hubei: budget 20, indicators scaled to 80, bands 50/80", "[score]") {
    SECTION("a full project still totals 100") {
        auto p = one(fullProject("P001"), hubei());
        CHECK(p.budgetScore.toString() == "20");
        CHECK(p.indicators[0].weight.toString() == "22.22222222");
        CHECK(p.indicators[0].score->toString() == "22.22");
        CHECK(p.total->toFixed(2) == "100.00");
        CHECK(p.findings.empty());
    }
    SECTION("the same inputs under both rule sets") {
        auto project = fullProject("P001");
        project.funds = {fundTotal("43.2", "43.2", "37.24")};
        project.funds[0].reason = narrative("采购延期");
        project.indicators[0].actual = num("700");
        project.indicators[0].reason = narrative("疫情影响");
        project.indicators[3] =
            indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("群众满意"), textQuantity("部分达成"), "10", "", 5);
        project.indicators[3].reason = narrative("宣传不到位");
        auto n = one(project, national());
        auto h = one(project, hubei());
        CHECK(n.budgetScore.toString() == "8.62");
        CHECK(h.budgetScore.toString() == "17.24");
        CHECK(n.indicators[0].score->toString() == "23.81");
        CHECK(h.indicators[0].score->toString() == "21.16");  // 700/735 × 25 × 80/90
        CHECK(n.indicators[3].score->toString() == "6");
        CHECK(h.indicators[3].score->toString() == "4.44");  // 50% of 8.89
        CHECK(n.total->toFixed(2) == "93.43");               // 8.62 + 23.81 + 25 + 30 + 6
        CHECK(h.total->toFixed(2) == "91.73");               // 17.24 + 21.16 + 22.22 + 26.67 + 4.44
        // Completion and variance do not depend on the rule set.
        CHECK(n.indicators[0].completion == h.indicators[0].completion);
        CHECK(n.indicators[0].variance == h.indicators[0].variance);
        CHECK(n.findings.empty());
        CHECK(h.findings.empty());
    }
    SECTION("a table already out of 80 is not rescaled") {
        auto project = fullProject("P001");
        project.indicators[0].weight = dec("20");
        project.indicators[1].weight = dec("20");
        project.indicators[2].weight = dec("30");
        project.indicators[3].weight = dec("10");
        model::Diagnostics diags;
        auto ev = run(datasetWith({project}), diags, hubei());
        CHECK(ev.projects[0].indicators[0].weight.toString() == "20");
        CHECK(ev.projects[0].total->toString() == "100");
        CHECK(ev.projects[0].findings.empty());
        CHECK(
            messages(diags, model::Severity::Warning) ==
            std::vector<std::string>{
                "项目“P001”一级指标“产出指标”分值合计40分，与评分规则“hubei”的默认分值50分（按本表指标分值合计80分折算为44.44分）不一致。",
                "项目“P001”一级指标“效益指标”分值合计30分，与评分规则“hubei”的默认分值30分（按本表指标分值合计80分折算为26.67分）不一致。",
                "项目“P001”一级指标“满意度指标”分值合计10分，与评分规则“hubei”的默认分值10分（按本表指标分值合计80分折算为8."
                "89分）不一致。"});
    }
    SECTION("weights on no accepted scale, and self scores on the unit's scale") {
        auto project = fullProject("P001");
        project.indicators[3].weight = dec("15");
        project.indicators[0].actual = num("700");
        project.indicators[0].reason = narrative("疫情影响");
        project.indicators[0].selfScore = dec("20");
        auto p = one(project, hubei());
        REQUIRE(codes(p.findings) == std::vector<std::string>{"weights_not_100", "self_score_mismatch"});
        CHECK(p.findings[0].message == "各项绩效指标分值合计95分，应为80或90分");
        // 25 × 80/95 = 21.05…; 700/735 of it = 20.05; the unit's 20 of 25 is 16.84 of 21.05.
        CHECK(p.indicators[0].score->toString() == "20.05");
        CHECK(p.findings[1].message == "“培训人次”自评得分20.00分（按指标总分80分折算为16.84分），复核得分20.05分，相差3.21分");
    }
}

TEST_CASE("departments: weighted total, grade counts, ratios and own indicators", "[score]") {
    auto p1 = fullProject("P001", "101");
    auto p2 = fullProject("P002", "10101");
    p2.funds = {fundTotal("43.2", "43.2", "37.24")};
    auto p3 = fullProject("P003", "102");
    p3.indicators[0].level1 = name("决策指标");  // error: unscored
    auto d = datasetWith({p1, p2, p3});
    model::DepartmentFigures now{"101", 2024, {{"预算数", dec("1000")}, {"执行数", dec("930")}, {"三公经费", dec("12")}}, {}};
    model::DepartmentFigures before{"101", 2023, {{"三公经费", dec("10")}}, {}};
    d.figures = {before, now};
    auto own1 = indicator("产出指标", "重点工作完成率", Operator::Ge, num("100"), num("100"), "50", "%", 2);
    own1.level1 = name("履职效能");
    own1.unitCode = name("101");
    auto own2 = indicator("满意度指标", "群众满意度", Operator::Qualitative, textQuantity("满意"), textQuantity("达成"), "40", "", 3);
    own2.unitCode = name("101");
    auto stray = own1;
    stray.unitCode = name("10101");
    d.unitIndicators = {own1, own2, stray};

    model::Diagnostics diags;
    auto ev = run(d, diags);
    REQUIRE(ev.departments.size() == 2);
    const auto& a = ev.departments[0];
    CHECK(a.code == "101");
    CHECK(a.name == "某某县教育局");
    CHECK(a.projects == 2);
    CHECK(a.scoredProjects == 2);
    // (100 × 100 + 43.2 × 98.62) / 143.2 = 99.5837…
    CHECK(a.budgetWeightedTotal->toString() == "99.58");
    CHECK(a.gradeCounts == std::vector<std::pair<std::string, int>>{{"优", 2}, {"良", 0}, {"中", 0}, {"差", 0}});
    REQUIRE(a.ratios.size() == 2);
    CHECK(a.ratios[0].name == "预算执行率");
    CHECK(a.ratios[0].value->toString() == "0.93");
    CHECK(a.ratios[1].name == "“三公”经费变动率");
    CHECK(a.ratios[1].value->toString() == "0.2");
    CHECK(a.ratios[1].figures ==
          std::vector<std::pair<std::string, model::Decimal>>{{"本年三公经费", dec("12")}, {"上年三公经费", dec("10")}});
    REQUIRE(a.indicators.size() == 2);
    CHECK(a.indicatorTotal->toString() == "90");
    CHECK(a.total->toString() == "99.3");  // 预算执行率 93% of 10 points, plus 90
    CHECK(*a.grade == "优");
    CHECK(a.findings.empty());

    const auto& b = ev.departments[1];
    CHECK(b.code == "102");
    CHECK(b.projects == 1);
    CHECK(b.scoredProjects == 0);
    CHECK_FALSE(b.budgetWeightedTotal);
    CHECK(b.ratios.empty());
    CHECK(b.indicators.empty());
    CHECK_FALSE(b.indicatorTotal);

    CHECK(messages(diags, model::Severity::Warning) ==
          std::vector<std::string>{"单位“10101”不是主管部门（或在单位表中不存在），其部门整体绩效指标未评分。"});
}

TEST_CASE("department figures add up over units when the department has none of its own", "[score]") {
    auto d = datasetWith({fullProject("P001")});
    d.figures = {{"10101", 2024, {{"预算数", dec("100")}, {"执行数", dec("90")}}, {}}, {"101", 2023, {{"预算数", dec("1")}}, {}}};
    model::Unit second;
    second.code = "10102";
    second.name = "某某县第二中学";
    second.parentCode = "101";
    second.kind = model::UnitKind::Unit;
    d.units.insert(d.units.begin() + 2, second);  // units stay sorted by code
    d.figures.push_back({"10102", 2024, {{"预算数", dec("300")}, {"执行数", dec("290")}, {"三公经费", dec("3")}}, {}});
    model::Diagnostics diags;
    auto ev = run(d, diags);
    REQUIRE(ev.departments.size() == 1);
    REQUIRE(ev.departments[0].ratios.size() == 1);
    CHECK(ev.departments[0].ratios[0].figures ==
          std::vector<std::pair<std::string, model::Decimal>>{{"执行数", dec("380")}, {"预算数", dec("400")}});
    CHECK(ev.departments[0].ratios[0].value->toString() == "0.95");
}

TEST_CASE("department indicator weights must make the department total", "[score]") {
    auto d = datasetWith({});
    auto own = indicator("产出指标", "重点工作完成率", Operator::Ge, num("100"), num("90"), "60", "%", 2);
    own.unitCode = name("101");
    d.unitIndicators = {own};
    model::Diagnostics diags;
    auto ev = run(d, diags);
    REQUIRE(ev.departments.size() == 1);
    const auto& a = ev.departments[0];
    CHECK(a.projects == 0);
    CHECK(a.indicators[0].score->toString() == "54");
    CHECK(a.indicatorTotal->toString() == "54");
    CHECK(a.total->toString() == "54");  // no figures: 预算执行率 counts 0
    CHECK(*a.grade == "差");
    REQUIRE(codes(a.findings) == std::vector<std::string>{"weights_not_100", "unmet_no_reason"});
    CHECK(a.findings[0].message == "部门整体绩效指标分值合计60分，应为90分");
    CHECK(messages(diags, model::Severity::Warning) ==
          std::vector<std::string>{"部门“101”部门整体绩效指标分值合计60分，应为90分。",
                                   "部门“101”缺少计算“预算执行率”所需的部门整体支出数据（或除数为0），该项按0分计入部门整体自评总分。"});
}

TEST_CASE("needsFeedback follows the rule set", "[score]") {
    const auto& rules = national();
    score::ProjectResult p;
    p.grade = "良";
    CHECK_FALSE(score::needsFeedback(p, rules));
    p.findings.push_back({score::ruleName("execution_low"), score::FindingSeverity::Explain, std::nullopt, "", {}, std::nullopt});
    CHECK_FALSE(score::needsFeedback(p, rules));
    p.findings.push_back({score::ruleName("fund_rows_mismatch"), score::FindingSeverity::Rectify, std::nullopt, "", {}, std::nullopt});
    CHECK(score::needsFeedback(p, rules));
    score::ProjectResult q;
    q.grade = "中";
    CHECK(score::needsFeedback(q, rules));
}

TEST_CASE("property: totals stay within 100 and grades match totals", "[score]") {
    std::mt19937 rng(424242);
    std::uniform_int_distribution<int> rows(1, 8);
    std::uniform_int_distribution<int> opPick(0, 5);
    std::uniform_int_distribution<std::int64_t> amount(0, 100000);
    std::uniform_int_distribution<int> coin(0, 9);
    const Operator ops[] = {Operator::Ge, Operator::Gt, Operator::Eq, Operator::Lt, Operator::Le, Operator::Qualitative};
    const char* levels[] = {"产出指标", "效益指标", "满意度指标"};
    const char* bandWords[] = {"达成", "部分达成", "未达成", "基本完成", "否"};
    for (const auto* rules : {&national(), &hubei()}) {
        std::vector<model::Project> projects;
        for (int i = 0; i < 300; ++i) {
            model::Project p;
            p.code = "P" + std::to_string(1000 + i);
            p.unitCode = i % 2 ? "101" : "10101";
            std::int64_t a = amount(rng) + 1;
            p.funds = {fundTotal(nullptr, std::to_string(a).c_str(), std::to_string(amount(rng)).c_str())};
            p.funds[0].reason = narrative("说明");
            int n = rows(rng);
            for (int k = 0; k < n; ++k) {
                Operator op = ops[opPick(rng)];
                auto w = std::to_string(amount(rng) % 3000 / 100.0).substr(0, 5);
                model::Indicator ind =
                    op == Operator::Qualitative
                        ? indicator(levels[k % 3], "定性" + std::to_string(k), op, textQuantity("目标"),
                                    textQuantity(bandWords[coin(rng) % 5]), w.c_str(), "", k + 2)
                        : indicator(levels[k % 3], "定量" + std::to_string(k), op, num(std::to_string(amount(rng) % 500)),
                                    num(std::to_string(amount(rng) % 700)), w.c_str(), "", k + 2);
                if (coin(rng) == 0) ind.weight.reset();
                if (coin(rng) == 0) ind.selfScore = model::Decimal::fromInt(coin(rng));
                p.indicators.push_back(ind);
            }
            projects.push_back(p);
        }
        model::Diagnostics diags;
        auto ev = run(datasetWith(projects), diags, *rules);
        CHECK(diags.errors() == 0);
        for (const auto& p : ev.projects) {
            CAPTURE(rules->name, p.code);
            REQUIRE(p.total);
            CHECK_FALSE(p.total->isNegative());
            CHECK(*p.total <= model::Decimal::fromInt(100));
            CHECK(*p.total == p.total->rounded(rules->rounding.total));
            CHECK(*p.grade == rules->gradeOf(*p.total));
            CHECK(p.budgetScore <= rules->budgetWeight);
            for (const auto& r : p.indicators) {
                CHECK_FALSE(r.score->isNegative());
                CHECK(*r.score <= r.weight.rounded(rules->rounding.indicator));
            }
        }
        // Grade bounds: each grade's totals lie in [its lower bound, the next grade's).
        for (const auto& p : ev.projects) {
            for (std::size_t g = 0; g < rules->grades.size(); ++g) {
                if (rules->grades[g].name != *p.grade) continue;
                CHECK(*p.total >= rules->grades[g].lower);
                if (g > 0) CHECK(*p.total < rules->grades[g - 1].lower);
            }
        }
    }
}

TEST_CASE("every rule parameter reaches the result", "[score]") {
    const std::string text = slurp(std::string(JIXIAO_SOURCE_DIR) + "/templates/rules/national-2020.json");
    auto with = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        auto pos = t.find(from);
        REQUIRE(pos != std::string::npos);
        return score::parseRules(t.replace(pos, from.size(), to), "custom.json");
    };
    auto project = fullProject("P001");
    project.funds = {fundTotal("43.2", "43.2", "37.24")};  // 86.20%, no reason
    project.indicators[0].actual = num("700");
    project.indicators[0].reason = narrative("疫情影响");
    project.indicators[0].selfScore = dec("20");  // 3.81 from 23.81
    project.indicators[2].target = num("20000");
    project.indicators[2].actual = num("23333.56");  // 116.67%
    project.indicators[3] = indicator("满意度指标", "群众评价", Operator::Le, num("5"), num("8"), "10", "起", 5);
    project.indicators[3].reason = narrative("天气原因");
    const auto base = one(project);
    REQUIRE(codes(base.findings) == std::vector<std::string>{"execution_low", "self_score_mismatch"});
    REQUIRE(base.total->toString() == "93.68");  // 8.62 + 23.81 + 25 + 30 + 6.25
    REQUIRE(*base.grade == "优");

    SECTION("thresholds") {
        CHECK(codes(one(project, with("\"execution_rate\": 0.9", "\"execution_rate\": 0.8")).findings) ==
              std::vector<std::string>{"self_score_mismatch"});
        CHECK(codes(one(project, with("\"over_achievement\": 1.2", "\"over_achievement\": 1.1")).findings) ==
              std::vector<std::string>{"execution_low", "self_score_mismatch", "target_too_low"});
        CHECK(codes(one(project, with("\"self_score_tolerance\": 0.1", "\"self_score_tolerance\": 5")).findings) ==
              std::vector<std::string>{"execution_low"});
    }
    SECTION("rounding and grades") {
        auto p = one(project, with("\"total\": 2", "\"total\": 0"));
        CHECK(p.total->toString() == "94");
        p = one(project, with("\"indicator\": 2", "\"indicator\": 1"));
        CHECK(p.budgetScore.toString() == "8.6");
        CHECK(p.total->toString() == "93.7");  // 8.6 + 23.8 + 25 + 30 + 6.3
        p = one(project, with("\"rate\": 4", "\"rate\": 6"));
        CHECK(p.rate->toString() == "0.862037");
        CHECK(p.findings[0].message == "执行率86.2037%，低于90%，未说明原因");
        CHECK(*one(project, with("\"优\": 90", "\"优\": 95")).grade == "良");
    }
    SECTION("reverse variant") {
        auto p = one(project, with("\"reverse_variant\": \"A\"", "\"reverse_variant\": \"B\""));
        CHECK(p.indicators[3].score->toString() == "4");        // 10 × (1 − 3/5)
        CHECK(base.indicators[3].score->toString() == "6.25");  // 10 × 5/8
    }
    SECTION("severities, sentences and feedback") {
        auto rules = with("\"severity\": \"需说明\",\n      \"message\": \"执行率{rate}，低于{threshold}，未说明原因\"",
                          "\"severity\": \"需整改\",\n      \"message\": \"预算执行率仅为{rate}（{executed}/{budget}）\"");
        auto p = one(project, rules);
        CHECK(p.findings[0].severity == score::FindingSeverity::Rectify);
        CHECK(p.findings[0].message == "预算执行率仅为86.20%（37.24万元/43.20万元）");
        CHECK(score::needsFeedback(p, rules));
        CHECK_FALSE(score::needsFeedback(base, national()));
        CHECK(score::needsFeedback(base, with("\"grades\": [\"中\", \"差\"]", "\"grades\": [\"优\"]")));
    }
    SECTION("first-level defaults fill missing weights") {
        auto missing = fullProject("P001");
        missing.indicators[0].weight.reset();
        missing.indicators[1].weight.reset();
        missing.indicators[2].weight.reset();
        // 产出 40 and 效益 40 instead of 50 and 30 (the sum must stay 90).
        auto rules = score::parseRules(
            [&] {
                std::string t = text;
                t.replace(t.find("\"weight\": 50"), 12, "\"weight\": 40");
                t.replace(t.find("\"weight\": 30"), 12, "\"weight\": 40");
                return t;
            }(),
            "custom.json");
        auto p = one(missing, rules);
        CHECK(p.indicators[0].weight.toString() == "20");
        CHECK(p.indicators[2].weight.toString() == "40");
    }
    SECTION("band words") {
        auto p = project;
        p.indicators[3] =
            indicator("满意度指标", "群众评价", Operator::Qualitative, textQuantity("满意"), textQuantity("较好"), "10", "", 5);
        p.indicators[3].reason = narrative("有投诉");
        CHECK_FALSE(one(p).total);
        auto rules = with("[\"部分达成\", \"基本达成\"", "[\"部分达成\", \"较好\", \"基本达成\"");
        auto scored = one(p, rules);
        CHECK(*scored.indicators[3].band == "部分达成");
        CHECK(scored.indicators[3].score->toString() == "6");
    }
}

TEST_CASE("a department ratio whose base is zero is reported and has no value", "[score]") {
    auto d = datasetWith({fullProject("P001", "101")});
    d.figures = {{"101", 2023, {{"三公经费", dec("0")}}, {}},
                 {"101", 2024, {{"预算数", dec("1000")}, {"执行数", dec("930")}, {"三公经费", dec("0")}}, {}}};
    model::Diagnostics diags;
    auto ev = run(d, diags);
    const auto& a = ev.departments[0];
    REQUIRE(a.ratios.size() == 2);
    CHECK(a.ratios[1].name == "“三公”经费变动率");
    CHECK_FALSE(a.ratios[1].value);
    std::vector<std::string> texts;
    for (const auto& x : diags.list()) texts.push_back(x.format());
    CHECK(texts == std::vector<std::string>{
                       "警告：部门“101”的“三公”经费变动率无法计算：除数为0（“三公”经费变动率 = (本年三公经费 − 上年三公经费) / "
                       "上年三公经费），表中显示为“—”，该项不得分。提示：如该项数据确为0，无需修改；否则请核对部门整体支出表。"});
}
