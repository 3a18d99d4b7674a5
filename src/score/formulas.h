#pragma once

#include "model/dataset.h"
#include "model/decimal.h"
#include "score/evaluation.h"
#include "score/rules.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::score {

// The formulas of scoring.md, one function each, free of any bookkeeping so that tables and
// property tests can drive them directly. Each result is rounded once, at the end.

/// 执行率 and the budget execution score.
struct BudgetOutcome {
    std::optional<model::Decimal> rate;  ///< B / A rounded to rate places; empty when A ≤ 0
    model::Decimal score;                ///< min(B / A, 1) × w, never below 0; 0 when A ≤ 0
};

/// Scores budget execution: score = min(B / A, 1) × w_budget.
BudgetOutcome scoreBudget(model::Decimal adjusted, model::Decimal executed, const RuleSet& rules);

/// 完成率, 偏差率 and score of a quantitative indicator.
struct QuantitativeOutcome {
    std::optional<model::Decimal> completion;  ///< rounded to rate places; empty on t = 0 (or a = 0 for 反向 A)
    std::optional<model::Decimal> variance;    ///< (a − t) / t rounded; empty on t = 0
    model::Decimal score;                      ///< rounded to indicator places, after any deduction
    bool met = false;                          ///< the target is reached (完成率 ≥ 1, or the t = 0 rule holds)
    bool overAchieved = false;                 ///< 完成率 above the rule set's over-achievement threshold
    /// Points taken for 指标偏离 (the rule set's deviation rule): set when the exact 完成率
    /// reaches 1 + threshold (or exceeds it, when not inclusive) for a listed operator; never
    /// more than the score had.
    std::optional<model::Decimal> deduction;
};

/// Scores `actual` against `target` (t ≥ 0) for operator `op` (not Qualitative) and weight w:
/// 正向 (≥, >, =): min(a / t, 1) × w; 反向 (≤, <): variant A or B of the rule set; a negative
/// actual counts as 0; t = 0: ≥ always met, > met when a > 0, = and 反向 met when a = 0.
/// With a deviation rule, a 完成率 of 1 + threshold or more (as defined for the operator;
/// none on t = 0) costs its points: score = max(score − points, 0).
QuantitativeOutcome scoreQuantitative(model::Operator op, model::Decimal target, model::Decimal actual, model::Decimal weight,
                                      const RuleSet& rules);

/// Score of a qualitative indicator in `band`.
struct QualitativeOutcome {
    model::Decimal score;      ///< rounded to indicator places
    bool selfOutside = false;  ///< a self score was given but lies outside the band
};

/// The unit's own score stands when it lies inside the band ([lower, upper) × w, the top band
/// including w); otherwise, or without one, the band's default share of w applies.
QualitativeOutcome scoreQualitative(const Band& band, model::Decimal weight, std::optional<model::Decimal> selfScore, const RuleSet& rules);

/// The 部门整体 ratios whose inputs exist, in scoring.md order, scored where the rule set says.
/// `thisYear` and `lastYear` map canonical figure names (预算数, 执行数, 三公经费 …) to values;
/// `lastYear` may be null.
std::vector<RatioResult> departmentRatios(const std::map<std::string, model::Decimal>& thisYear,
                                          const std::map<std::string, model::Decimal>* lastYear, const RuleSet& rules);

}  // namespace jixiao::score
