#include "score/formulas.h"

#include "model/decimal.h"

#include <algorithm>

namespace jixiao::score {

using model::compareQuotient;
using model::Decimal;
using model::divRound;
using model::mulDiv;
using model::mulRound;
using model::Operator;

namespace {
const Decimal kZero;
const Decimal kOne = Decimal::fromInt(1);
const Decimal kHundred = Decimal::fromInt(100);
}  // namespace

BudgetOutcome scoreBudget(Decimal adjusted, Decimal executed, const RuleSet& rules) {
    BudgetOutcome out;
    const int places = rules.rounding.indicator;
    if (adjusted <= kZero) return out;  // no rate; the caller raises the warning
    out.rate = divRound(executed, adjusted, rules.rounding.rate);
    if (executed <= kZero) out.score = kZero.rounded(places);
    else if (executed >= adjusted) out.score = rules.budgetWeight.rounded(places);
    else out.score = mulDiv(executed, rules.budgetWeight, adjusted, places);
    return out;
}

namespace {

/// 指标偏离: numerator / denominator is the 完成率 as the operator defines it.
void applyDeviation(QuantitativeOutcome& out, Operator op, Decimal numerator, Decimal denominator, const RuleSet& rules) {
    if (!rules.deviation) return;
    const DeviationRule& d = *rules.deviation;
    if (std::find(d.operators.begin(), d.operators.end(), op) == d.operators.end()) return;
    const int cmp = compareQuotient(numerator, denominator, kOne + d.threshold);
    if (cmp < 0 || (cmp == 0 && !d.inclusive)) return;
    const Decimal taken = d.points < out.score ? d.points.rounded(rules.rounding.indicator) : out.score;
    out.deduction = taken;
    out.score = out.score - taken;
}

}  // namespace

QuantitativeOutcome scoreQuantitative(Operator op, Decimal target, Decimal actual, Decimal weight, const RuleSet& rules) {
    QuantitativeOutcome out;
    const int places = rules.rounding.indicator;
    const int ratePlaces = rules.rounding.rate;
    const Decimal full = weight.rounded(places);
    const Decimal t = target;
    // scoring.md: a negative actual counts as 0 — for the rates as well, so that the figures
    // shown agree with the score.
    const Decimal a = actual.isNegative() ? kZero : actual;
    const bool reverse = op == Operator::Le || op == Operator::Lt;

    if (!t.isZero()) out.variance = divRound(a - t, t, ratePlaces);

    if (!reverse) {
        if (t.isZero()) {
            // No ratio exists; the operator alone decides (= 0 起 accidents: met only at 0).
            out.met = op == Operator::Ge || (op == Operator::Gt ? a > kZero : a.isZero());
        } else {
            out.completion = divRound(a, t, ratePlaces);
            out.met = a >= t;
            out.overAchieved = compareQuotient(a, t, rules.overAchievement) > 0;
        }
        out.score = out.met ? full : (t.isZero() ? kZero.rounded(places) : mulDiv(a, weight, t, places));
        if (!t.isZero()) applyDeviation(out, op, a, t, rules);
        return out;
    }

    out.met = a <= t;
    if (t.isZero()) {
        out.score = out.met ? full : kZero.rounded(places);
        return out;
    }
    if (rules.reverse == ReverseVariant::A) {
        // min(t / a, 1) × w; a = 0 means nothing at all happened, which meets any cap.
        if (!a.isZero()) {
            out.completion = divRound(t, a, ratePlaces);
            out.overAchieved = compareQuotient(t, a, rules.overAchievement) > 0;
        }
        out.score = out.met ? full : mulDiv(t, weight, a, places);
        if (!a.isZero()) applyDeviation(out, op, t, a, rules);
        return out;
    }
    // Variant B: the share is 1 − (a − t) / t = (2t − a) / t, clamped to [0, 1].
    const Decimal twice = t + t;
    const Decimal numerator = twice - a;
    out.completion = numerator.isNegative() ? kZero.rounded(ratePlaces) : divRound(numerator, t, ratePlaces);
    out.overAchieved = compareQuotient(numerator, t, rules.overAchievement) > 0;
    if (out.met) out.score = full;
    else if (a >= twice) out.score = kZero.rounded(places);
    else out.score = mulDiv(numerator, weight, t, places);
    applyDeviation(out, op, numerator, t, rules);
    return out;
}

QualitativeOutcome scoreQualitative(const Band& band, Decimal weight, std::optional<Decimal> selfScore, const RuleSet& rules) {
    QualitativeOutcome out;
    const int places = rules.rounding.indicator;
    const bool top = !rules.bands.empty() && rules.bands.front().name == band.name;
    if (selfScore && weight > kZero) {
        bool inside = compareQuotient(*selfScore, weight, band.lower) >= 0 &&
                      (top ? compareQuotient(*selfScore, weight, band.upper) <= 0 : compareQuotient(*selfScore, weight, band.upper) < 0);
        if (inside) {
            out.score = selfScore->rounded(places);
            return out;
        }
        out.selfOutside = true;
    } else if (selfScore && !selfScore->isZero()) {
        out.selfOutside = true;  // a weight of 0 leaves no room for any other score
    }
    out.score = mulRound(band.defaultShare, weight, places);
    return out;
}

namespace {

/// Builds one ratio from named figures; returns false when an input is missing.
class RatioBuilder {
public:
    RatioBuilder(const std::map<std::string, Decimal>& now, const std::map<std::string, Decimal>* before) : now_(now), before_(before) {}

    std::optional<Decimal> current(const std::string& name) const { return lookup(now_, name); }
    std::optional<Decimal> previous(const std::string& name) const { return before_ ? lookup(*before_, name) : std::nullopt; }

private:
    static std::optional<Decimal> lookup(const std::map<std::string, Decimal>& m, const std::string& name) {
        auto it = m.find(name);
        if (it == m.end()) return std::nullopt;
        return it->second;
    }
    const std::map<std::string, Decimal>& now_;
    const std::map<std::string, Decimal>* before_;
};

void scoreRatio(RatioResult& r, const RuleSet& rules) {
    const RatioRule* rule = rules.findRatio(r.name);
    if (!rule) return;
    r.weight = rule->weight;
    if (!r.value) return;
    const int places = rules.rounding.indicator;
    const Decimal v = *r.value;
    if (rule->kind == RatioRuleKind::AtLeast) {
        if (v <= kZero) r.score = kZero.rounded(places);
        else if (compareQuotient(v, rule->target, kOne) >= 0) r.score = rule->weight.rounded(places);
        else r.score = mulDiv(v, rule->weight, rule->target, places);
        return;
    }
    if (v <= rule->target) {
        r.score = rule->weight.rounded(places);
        return;
    }
    // Deduction per percentage point of the rate as shown (rounded), so that a reader can
    // redo the arithmetic from the published figures.
    Decimal points = (v - rule->target) * kHundred;
    Decimal left = rule->weight - points * rule->deductPerPoint;
    r.score = (left.isNegative() ? kZero : left).rounded(places);
}

}  // namespace

std::vector<RatioResult> departmentRatios(const std::map<std::string, Decimal>& thisYear, const std::map<std::string, Decimal>* lastYear,
                                          const RuleSet& rules) {
    RatioBuilder f(thisYear, lastYear);
    const int places = rules.rounding.rate;
    std::vector<RatioResult> out;
    auto simple = [&](const std::string& name, const std::string& num, const std::string& den) {
        auto n = f.current(num);
        auto d = f.current(den);
        if (!n || !d) return;
        RatioResult r{name, name + " = " + num + " / " + den, {{num, *n}, {den, *d}}, {}, {}, {}};
        if (!d->isZero()) r.value = divRound(*n, *d, places);
        out.push_back(std::move(r));
    };
    auto change = [&](const std::string& name, const std::string& figure) {
        auto n = f.current(figure);
        auto p = f.previous(figure);
        if (!n || !p) return;
        std::string cur = "本年" + figure, prev = "上年" + figure;
        RatioResult r{name, name + " = (" + cur + " − " + prev + ") / " + prev, {{cur, *n}, {prev, *p}}, {}, {}, {}};
        if (!p->isZero()) r.value = divRound(*n - *p, *p, places);
        out.push_back(std::move(r));
    };

    simple("预算执行率", "执行数", "预算数");
    simple("预算调整率", "预算调整数", "预算数");
    change("结转结余变动率", "结转结余总额");
    change("“三公”经费变动率", "三公经费");
    {
        auto p1 = f.current("公用经费"), n1 = f.current("在职人数");
        auto p0 = f.previous("公用经费"), n0 = f.previous("在职人数");
        if (p1 && n1 && p0 && n0) {
            RatioResult r{"人均公用经费变动率",
                          "人均公用经费变动率 = (本年公用经费 / 本年在职人数 − 上年公用经费 / 上年在职人数) / "
                          "(上年公用经费 / 上年在职人数)",
                          {{"本年公用经费", *p1}, {"本年在职人数", *n1}, {"上年公用经费", *p0}, {"上年在职人数", *n0}},
                          {},
                          {},
                          {}};
            // (p1/n1 − p0/n0) / (p0/n0) = (p1·n0 − p0·n1) / (p0·n1): one division, one rounding.
            if (!n1->isZero() && !n0->isZero() && !p0->isZero()) r.value = divRound(*p1 * *n0 - *p0 * *n1, *p0 * *n1, places);
            out.push_back(std::move(r));
        }
    }
    simple("政府采购执行率", "政府采购执行数", "政府采购预算");
    simple("在职人员控制率", "在职人数", "编制数");
    for (auto& r : out) scoreRatio(r, rules);
    return out;
}

}  // namespace jixiao::score
