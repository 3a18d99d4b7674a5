#include <catch2/catch.hpp>

#include "score/format.h"
#include "score/formulas.h"
#include "score_fixtures.h"

#include <random>

using namespace jixiao;
using jixiao::testing::dec;
using model::Decimal;
using model::Operator;

namespace {

std::string str(const std::optional<Decimal>& d) { return d ? d->toFixed(4) : "null"; }

score::RuleSet variantB() {
    score::RuleSet r = jixiao::testing::national();
    r.reverse = score::ReverseVariant::B;
    return r;
}

}  // namespace

TEST_CASE("scoring.md examples: quantitative indicators", "[score]") {
    const auto& rules = jixiao::testing::national();
    SECTION("≥ 735 人次, actual 700, w 10") {
        auto q = score::scoreQuantitative(Operator::Ge, dec("735"), dec("700"), dec("10"), rules);
        CHECK(q.completion->toString() == "0.9524");
        CHECK(score::percentText(*q.completion, 4) == "95.24%");
        CHECK(q.variance->toString() == "-0.0476");
        CHECK(score::percentText(*q.variance, 4) == "-4.76%");
        CHECK(q.score.toFixed(2) == "9.52");
        CHECK_FALSE(q.met);
        CHECK_FALSE(q.overAchieved);
    }
    SECTION("≥ 20000, actual 23333.56, w 10: capped, no over-achievement at 1.2") {
        auto q = score::scoreQuantitative(Operator::Ge, dec("20000"), dec("23333.56"), dec("10"), rules);
        CHECK(score::percentText(*q.completion, 4) == "116.67%");
        CHECK(q.score.toFixed(2) == "10.00");
        CHECK(q.met);
        CHECK_FALSE(q.overAchieved);
    }
    SECTION("≤ 90 万元, actual 120, w 8: variant A 6.00, variant B 5.33") {
        auto a = score::scoreQuantitative(Operator::Le, dec("90"), dec("120"), dec("8"), rules);
        CHECK(a.completion->toString() == "0.75");
        CHECK(a.score.toFixed(2) == "6.00");
        auto b = score::scoreQuantitative(Operator::Le, dec("90"), dec("120"), dec("8"), variantB());
        CHECK(b.score.toFixed(2) == "5.33");
        CHECK(b.completion->toString() == "0.6667");
        CHECK(b.variance->toString() == "0.3333");
    }
    SECTION("= 0 起, actual 0, w 5: full marks") {
        auto q = score::scoreQuantitative(Operator::Eq, dec("0"), dec("0"), dec("5"), rules);
        CHECK(q.score.toFixed(2) == "5.00");
        CHECK(q.met);
        CHECK_FALSE(q.completion);
        CHECK_FALSE(q.variance);
    }
}

TEST_CASE("scoring.md example: budget execution 43.2 / 37.24", "[score]") {
    auto b = score::scoreBudget(dec("43.2"), dec("37.24"), jixiao::testing::national());
    CHECK(b.rate->toString() == "0.862");
    CHECK(score::percentText(*b.rate, 4) == "86.20%");
    CHECK(b.score.toFixed(2) == "8.62");
    auto h = score::scoreBudget(dec("43.2"), dec("37.24"), jixiao::testing::hubei());
    CHECK(h.score.toFixed(2) == "17.24");
}

TEST_CASE("budget execution edge cases", "[score]") {
    const auto& rules = jixiao::testing::national();
    struct Case {
        const char* a;
        const char* b;
        const char* rate;
        const char* score;
    };
    const Case cases[] = {
        {"100", "100", "1", "10"},     // fully executed
        {"100", "120", "1.2", "10"},   // over-executed: capped at the weight
        {"100", "0", "0", "0"},        // nothing spent
        {"100", "-5", "-0.05", "0"},   // a refund larger than spending never scores below 0
        {"3", "2", "0.6667", "6.67"},  // 6.666… rounds half up once
        {"0.0003", "0.0002", "0.6667", "6.67"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.a, c.b);
        auto out = score::scoreBudget(dec(c.a), dec(c.b), rules);
        REQUIRE(out.rate);
        CHECK(out.rate->toString() == c.rate);
        CHECK(out.score.toString() == c.score);
    }
    auto zero = score::scoreBudget(dec("0"), dec("5"), rules);
    CHECK_FALSE(zero.rate);
    CHECK(zero.score.isZero());
}

TEST_CASE("quantitative table per operator", "[score]") {
    struct Case {
        Operator op;
        const char* t;
        const char* a;
        const char* completion;  // "null" when not defined
        const char* variance;
        const char* score;  // w = 10
        bool met;
    };
    const Case cases[] = {
        // 正向 ≥ and >: a / t, capped
        {Operator::Ge, "100", "50", "0.5000", "-0.5000", "5.00", false},
        {Operator::Ge, "100", "100", "1.0000", "0.0000", "10.00", true},
        {Operator::Ge, "100", "150", "1.5000", "0.5000", "10.00", true},
        {Operator::Gt, "100", "99.99", "0.9999", "-0.0001", "10.00", false},  // 9.999 rounds to 10.00
        {Operator::Gt, "100", "100", "1.0000", "0.0000", "10.00", true},
        {Operator::Ge, "3", "1", "0.3333", "-0.6667", "3.33", false},
        {Operator::Ge, "3", "2", "0.6667", "-0.3333", "6.67", false},
        // a negative actual counts as 0
        {Operator::Ge, "100", "-20", "0.0000", "-1.0000", "0.00", false},
        // t = 0
        {Operator::Ge, "0", "0", "null", "null", "10.00", true},
        {Operator::Ge, "0", "5", "null", "null", "10.00", true},
        {Operator::Gt, "0", "0", "null", "null", "0.00", false},
        {Operator::Gt, "0", "1", "null", "null", "10.00", true},
        {Operator::Eq, "0", "0", "null", "null", "10.00", true},
        {Operator::Eq, "0", "1", "null", "null", "0.00", false},
        {Operator::Eq, "0", "-3", "null", "null", "10.00", true},  // counts as 0
        // = with t ≠ 0 is 正向
        {Operator::Eq, "100", "90", "0.9000", "-0.1000", "9.00", false},
        {Operator::Eq, "100", "110", "1.1000", "0.1000", "10.00", true},
        // 反向 variant A: t / a
        {Operator::Le, "90", "120", "0.7500", "0.3333", "7.50", false},
        {Operator::Le, "90", "90", "1.0000", "0.0000", "10.00", true},
        {Operator::Le, "90", "45", "2.0000", "-0.5000", "10.00", true},
        {Operator::Lt, "5", "10", "0.5000", "1.0000", "5.00", false},
        {Operator::Le, "5", "0", "null", "-1.0000", "10.00", true},   // a = 0 → full weight
        {Operator::Le, "5", "-1", "null", "-1.0000", "10.00", true},  // negative counts as 0
        {Operator::Le, "0", "0", "null", "null", "10.00", true},
        {Operator::Le, "0", "2", "null", "null", "0.00", false},
    };
    const auto& rules = jixiao::testing::national();
    for (const auto& c : cases) {
        CAPTURE(score::operatorSymbol(c.op), c.t, c.a);
        auto q = score::scoreQuantitative(c.op, dec(c.t), dec(c.a), dec("10"), rules);
        CHECK(str(q.completion) == c.completion);
        CHECK(str(q.variance) == c.variance);
        CHECK(q.score.toFixed(2) == c.score);
        CHECK(q.met == c.met);
    }
}

TEST_CASE("反向 variant B boundaries", "[score]") {
    const auto rules = variantB();
    struct Case {
        const char* t;
        const char* a;
        const char* score;
        const char* completion;
    };
    const Case cases[] = {
        {"90", "0", "8.00", "2.0000"},      {"90", "45", "8.00", "1.5000"},
        {"90", "90", "8.00", "1.0000"},  // a = t: full
        {"90", "91", "7.91", "0.9889"},     {"90", "120", "5.33", "0.6667"},
        {"90", "179.99", "0.00", "0.0001"},  // 8 × 0.01/90 = 0.00089 → 0.00
        {"90", "180", "0.00", "0.0000"},     // a = 2t: 0
        {"90", "500", "0.00", "0.0000"},     // beyond 2t: 0, completion clamped
        {"0", "0", "8.00", "null"},         {"0", "1", "0.00", "null"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.t, c.a);
        auto q = score::scoreQuantitative(Operator::Le, dec(c.t), dec(c.a), dec("8"), rules);
        CHECK(q.score.toFixed(2) == c.score);
        CHECK(str(q.completion) == c.completion);
    }
}

TEST_CASE("over-achievement threshold is strict", "[score]") {
    const auto& rules = jixiao::testing::national();
    CHECK_FALSE(score::scoreQuantitative(Operator::Ge, dec("100"), dec("120"), dec("10"), rules).overAchieved);
    CHECK(score::scoreQuantitative(Operator::Ge, dec("100"), dec("120.01"), dec("10"), rules).overAchieved);
    CHECK(score::scoreQuantitative(Operator::Le, dec("100"), dec("80"), dec("10"), rules).overAchieved);  // 1.25
    CHECK_FALSE(score::scoreQuantitative(Operator::Le, dec("120"), dec("100"), dec("10"), rules).overAchieved);
    CHECK_FALSE(score::scoreQuantitative(Operator::Le, dec("5"), dec("0"), dec("10"), rules).overAchieved);
}

TEST_CASE("qualitative bands, national and hubei", "[score]") {
    struct Case {
        const char* word;
        const char* self;  // nullptr: none
        const char* national;
        bool nationalOutside;
        const char* hubei;
        bool hubeiOutside;
    };
    // w = 10; national 部分达成 [6, 8) default 6, 未达成 [0, 6); hubei [5, 8) default 5, [0, 5).
    const Case cases[] = {
        {"达成", nullptr, "10.00", false, "10.00", false},     {"达成", "8", "8.00", false, "8.00", false},  // lower bound inclusive
        {"达成", "10", "10.00", false, "10.00", false},                                                      // top band includes full marks
        {"达成", "7.99", "10.00", true, "10.00", true},        {"达成年度指标", "9.5", "9.50", false, "9.50", false},
        {"部分达成", nullptr, "6.00", false, "5.00", false},   {"基本完成", "7", "7.00", false, "7.00", false},
        {"部分达成", "8", "6.00", true, "5.00", true},  // upper bound excluded
        {"部分达成", "6", "6.00", false, "6.00", false},       {"部分达成", "5.5", "6.00", true, "5.50", false},
        {"部分达成", "5", "6.00", true, "5.00", false},        {"未达成", nullptr, "0.00", false, "0.00", false},
        {"未完成", "5.5", "5.50", false, "0.00", true},        {"否", "6", "0.00", true, "0.00", true},
        {"  达成。", nullptr, "10.00", false, "10.00", false},  // trimmed, final 。 ignored
    };
    for (const auto& c : cases) {
        CAPTURE(c.word, c.self ? c.self : "none");
        std::optional<Decimal> self;
        if (c.self) self = dec(c.self);
        const auto& n = jixiao::testing::national();
        const auto* band = n.matchBand(c.word);
        REQUIRE(band);
        auto qn = score::scoreQualitative(*band, dec("10"), self, n);
        CHECK(qn.score.toFixed(2) == c.national);
        CHECK(qn.selfOutside == c.nationalOutside);
        const auto& h = jixiao::testing::hubei();
        const auto* hb = h.matchBand(c.word);
        REQUIRE(hb);
        auto qh = score::scoreQualitative(*hb, dec("10"), self, h);
        CHECK(qh.score.toFixed(2) == c.hubei);
        CHECK(qh.selfOutside == c.hubeiOutside);
    }
    CHECK(jixiao::testing::national().matchBand("较好") == nullptr);
    CHECK(jixiao::testing::national().matchBand("") == nullptr);
}

TEST_CASE("rounding edges: half up on the decimal value, then grade", "[score]") {
    const auto& rules = jixiao::testing::national();
    struct Case {
        const char* total;
        const char* rounded;
        const char* grade;
    };
    const Case cases[] = {
        {"89.995", "90.00", "优"}, {"89.994", "89.99", "良"}, {"79.995", "80.00", "良"},
        {"79.994", "79.99", "中"}, {"59.995", "60.00", "中"}, {"59.99499999", "59.99", "差"},
        {"100", "100.00", "优"},   {"0", "0.00", "差"},       {"90", "90.00", "优"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.total);
        Decimal r = dec(c.total).rounded(rules.rounding.total);
        CHECK(r.toFixed(2) == c.rounded);
        CHECK(rules.gradeOf(r) == c.grade);
    }
    // Binary floating point would say 1.005 → 1.00; the decimal value rounds to 1.01.
    CHECK(dec("1.005").rounded(2).toString() == "1.01");
}

TEST_CASE("integer rounding rule set", "[score]") {
    score::RuleSet rules = jixiao::testing::national();
    rules.rounding.indicator = 0;
    auto q = score::scoreQuantitative(Operator::Ge, dec("735"), dec("700"), dec("10"), rules);
    CHECK(q.score.toString() == "10");  // 9.52 → 10
    auto q2 = score::scoreQuantitative(Operator::Ge, dec("100"), dec("45"), dec("10"), rules);
    CHECK(q2.score.toString() == "5");  // 4.5 → 5, half up
}

TEST_CASE("property: scores stay within weight and move with the actual", "[score]") {
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> opPick(0, 4);
    std::uniform_int_distribution<std::int64_t> amount(-200000, 2000000);  // in 0.01 units
    std::uniform_int_distribution<std::int64_t> weightPick(0, 5000);       // 0..50.00
    const Operator ops[] = {Operator::Ge, Operator::Gt, Operator::Eq, Operator::Lt, Operator::Le};
    const score::RuleSet rulesA = jixiao::testing::national();
    const score::RuleSet rulesB = variantB();
    auto cents = [](std::int64_t c) { return Decimal::fromRaw(c * 1000000); };
    for (int i = 0; i < 5000; ++i) {
        Operator op = ops[opPick(rng)];
        std::int64_t tc = amount(rng);
        if (tc < 0) tc = -tc;
        if (i % 10 == 0) tc = 0;  // exercise t = 0 often
        Decimal t = cents(tc);
        Decimal w = cents(weightPick(rng));
        std::int64_t a1 = amount(rng), a2 = amount(rng);
        if (a1 > a2) std::swap(a1, a2);
        for (const auto* rules : {&rulesA, &rulesB}) {
            auto lo = score::scoreQuantitative(op, t, cents(a1), w, *rules);
            auto hi = score::scoreQuantitative(op, t, cents(a2), w, *rules);
            CAPTURE(i, score::operatorSymbol(op), t.toString(), cents(a1).toString(), cents(a2).toString(), w.toString());
            for (const auto& q : {lo, hi}) {
                CHECK_FALSE(q.score.isNegative());
                CHECK(q.score <= w.rounded(2));
                CHECK(q.score == q.score.rounded(2));
                if (q.completion) CHECK_FALSE(q.completion->isNegative());
            }
            bool reverse = op == Operator::Le || op == Operator::Lt;
            if (op == Operator::Eq && t.isZero()) continue;  // = 0: met only at 0, by design
            if (reverse) CHECK(lo.score >= hi.score);
            else CHECK(lo.score <= hi.score);
        }
    }
}

TEST_CASE("property: qualitative scores stay inside the weight", "[score]") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::int64_t> weightPick(0, 3000);
    std::uniform_int_distribution<std::int64_t> selfPick(-100, 3500);
    for (const auto* rules : {&jixiao::testing::national(), &jixiao::testing::hubei()}) {
        for (int i = 0; i < 3000; ++i) {
            const auto& band = rules->bands[std::size_t(i) % rules->bands.size()];
            Decimal w = Decimal::fromRaw(weightPick(rng) * 1000000);
            std::optional<Decimal> self;
            if (i % 3) self = Decimal::fromRaw(selfPick(rng) * 1000000);
            auto q = score::scoreQualitative(band, w, self, *rules);
            CAPTURE(band.name, w.toString(), self ? self->toString() : "none");
            CHECK_FALSE(q.score.isNegative());
            CHECK(q.score <= w.rounded(2));
            // The score always lies in the band, unless the weight leaves no room (w = 0).
            if (!w.isZero()) {
                CHECK(q.score >= (band.lower * w).rounded(2));
                CHECK(q.score <= (band.upper * w).rounded(2));
            }
        }
    }
}

TEST_CASE("department ratios with formulas", "[score]") {
    const auto& rules = jixiao::testing::national();
    std::map<std::string, Decimal> now = {
        {"预算数", dec("1000")},     {"执行数", dec("930")},       {"预算调整数", dec("150")},
        {"结转结余总额", dec("80")}, {"三公经费", dec("12")},      {"公用经费", dec("200")},
        {"在职人数", dec("50")},     {"政府采购预算", dec("300")}, {"政府采购执行数", dec("270")},
    };
    std::map<std::string, Decimal> before = {
        {"结转结余总额", dec("100")}, {"三公经费", dec("10")}, {"公用经费", dec("180")}, {"在职人数", dec("48")}};
    auto ratios = score::departmentRatios(now, &before, rules);
    REQUIRE(ratios.size() == 6);  // no 编制数: no 在职人员控制率
    CHECK(ratios[0].name == "预算执行率");
    CHECK(ratios[0].formula == "预算执行率 = 执行数 / 预算数");
    CHECK(ratios[0].value->toString() == "0.93");
    CHECK(ratios[0].score->toString() == "9.3");
    CHECK(ratios[1].name == "预算调整率");
    CHECK(ratios[1].value->toString() == "0.15");
    CHECK(ratios[1].score->toString() == "2.5");  // 5 points over 10%: 5 − 5 × 0.5
    CHECK(ratios[2].name == "结转结余变动率");
    CHECK(ratios[2].formula == "结转结余变动率 = (本年结转结余总额 − 上年结转结余总额) / 上年结转结余总额");
    CHECK(ratios[2].value->toString() == "-0.2");
    CHECK(ratios[2].score->toString() == "5");
    CHECK(ratios[3].name == "“三公”经费变动率");
    CHECK(ratios[3].value->toString() == "0.2");
    CHECK(ratios[3].score->toString() == "0");  // 20 points over 0, 1 point each: floor at 0
    CHECK(ratios[4].name == "人均公用经费变动率");
    // (200/50 − 180/48) / (180/48) = (4 − 3.75) / 3.75 = 0.0667
    CHECK(ratios[4].value->toString() == "0.0667");
    CHECK(ratios[4].figures.size() == 4);
    CHECK(ratios[4].score->toString() == "1.67");  // 5 − 6.67 × 0.5
    CHECK(ratios[5].name == "政府采购执行率");
    CHECK(ratios[5].value->toString() == "0.9");
    CHECK(ratios[5].score->toString() == "4.5");

    // Without last year, only this year's ratios; a zero divisor gives no value.
    now["编制数"] = dec("0");
    auto only = score::departmentRatios(now, nullptr, rules);
    REQUIRE(only.size() == 4);
    CHECK(only[3].name == "在职人员控制率");
    CHECK_FALSE(only[3].value);
    CHECK_FALSE(only[3].score);
    CHECK(only[3].weight->toString() == "5");
}
