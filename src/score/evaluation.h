#pragma once

#include "model/dataset.h"
#include "model/decimal.h"
#include "score/rules.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::score {

// What `evaluate` yields: every figure a document shows, already rounded as the rule set says,
// so that layout and render never compute a number.

/// Figures that may be absent, in 8 bytes (model/decimal.h).
using model::OptionalDecimal;

/// A name of the rule set's vocabulary (a finding's code, a band) as results carry it: one copy
/// per process, 8 bytes a use instead of a copy of the string.
model::Name ruleName(const std::string& text);

/// One problem found by the checks of scoring.md (问题).
struct Finding {
    model::Name code;  ///< stable code, e.g. execution_low (ruleName)
    FindingSeverity severity = FindingSeverity::Notice;
    std::optional<std::uint32_t> indicator;  ///< index into the owner's indicators, if about one
    std::string message;                     ///< Chinese sentence with the figures
    model::SourceRef source;                 ///< the row it concerns (file empty when none)
    /// Points this finding took off a score (indicator_deviation: the indicator's score;
    /// execution_cap: the total); empty for findings that only report.
    OptionalDecimal points;
};

/// How an indicator row was scored.
enum class IndicatorStatus : std::uint8_t {
    Scored,         ///< scored from its actual
    Missing,        ///< no actual: scores 0 (actual_missing)
    RepeatsTarget,  ///< the actual only repeats the target text: scores 0 (actual_repeats_target)
    Error,          ///< an error diagnostic was raised; no score
};

/// One 三级指标 with what was computed for it: the row as read is referred to, never copied,
/// and the figures are held compactly (64 bytes a row).
struct IndicatorResult {
    /// The row as read: names, operator, target, actual, declared weight, own score, texts and
    /// source. Points into the dataset, which outlives its evaluation.
    const model::Indicator* row = nullptr;
    /// Qualitative rows: the band matched (the text of its ruleName), else null.
    const std::string* band = nullptr;
    model::Decimal weight;              ///< points used: declared or filled, then rescaled (exact)
    OptionalDecimal completion;         ///< 完成率 as a fraction, rounded to rate places
    OptionalDecimal variance;           ///< 偏差率 as a fraction, signed, rounded
    OptionalDecimal score;              ///< rounded; empty when status is Error
    OptionalDecimal deduction;          ///< 指标偏离 points already taken off `score`
    bool qualitative = false;           ///< scored by band (定性, or a target that is text only)
    bool weightFilled = false;          ///< filled from the rule set's first-level default
    bool selfScoreOutsideBand = false;  ///< own score outside its band: the band default applied
    IndicatorStatus status = IndicatorStatus::Scored;

    model::Operator op() const { return row->op; }                         ///< as declared
    bool percentScale() const { return row->percentScale(); }              ///< target and actual in percent points
    const OptionalDecimal& declaredWeight() const { return row->weight; }  ///< 分值 as in the file
    const OptionalDecimal& selfScore() const { return row->selfScore; }    ///< 自评得分 as in the file
};

/// One project's result.
struct ProjectResult {
    std::string code;
    std::string name;
    std::string unitCode;
    std::string departmentCode;  ///< empty when the unit's department cannot be resolved
    bool classified = false;
    model::SourceRef source;

    std::optional<model::Decimal> initial;          ///< A0 of the total row (or the sum of sub-rows)
    model::Decimal adjusted;                        ///< A
    model::Decimal executed;                        ///< B
    std::optional<model::Decimal> rate;             ///< 执行率 B / A rounded to rate places; empty when A = 0
    model::Decimal budgetWeight;                    ///< w_budget of the rule set
    model::Decimal budgetScore;                     ///< rounded
    std::optional<model::Decimal> budgetSelfScore;  ///< the unit's own execution score
    model::SourceRef budgetSource;                  ///< the total funding row (or the first row)

    std::vector<IndicatorResult> indicators;  ///< file order
    std::optional<model::Decimal> total;      ///< rounded; empty when the project could not be scored
    /// The total before the execution-rate cap brought it down; empty when no cap applied.
    std::optional<model::Decimal> uncappedTotal;
    std::optional<std::string> grade;  ///< from the rounded total
    std::vector<Finding> findings;     ///< budget findings first, then by indicator
    bool scored() const { return total.has_value(); }
};

/// One 部门整体 ratio with its formula and the figures that went into it.
struct RatioResult {
    std::string name;                                             ///< e.g. 预算执行率
    std::string formula;                                          ///< e.g. 预算执行率 = 执行数 / 预算数
    std::vector<std::pair<std::string, model::Decimal>> figures;  ///< name as in the formula → value
    std::optional<model::Decimal> value;                          ///< fraction, rounded; empty on a zero divisor
    std::optional<model::Decimal> weight;                         ///< when the rule set scores this ratio
    std::optional<model::Decimal> score;                          ///< rounded, when scored and a value exists
};

/// One department: its projects in aggregate, its ratios and its own indicators.
struct DepartmentResult {
    std::string code;
    std::string name;
    int projects = 0;                                      ///< all projects of the department and its units
    int scoredProjects = 0;                                ///< those with a total
    std::optional<model::Decimal> budgetWeightedTotal;     ///< Σ A·total / Σ A over scored projects
    std::vector<std::pair<std::string, int>> gradeCounts;  ///< every grade of the rule set, in order
    std::vector<RatioResult> ratios;                       ///< those whose inputs exist, in scoring.md order
    std::vector<IndicatorResult> indicators;               ///< 部门整体 indicators owned by the department
    std::optional<model::Decimal> indicatorTotal;          ///< Σ indicator scores, when it has indicators
    /// The 部门整体 self-evaluation total: the scores of the rule set's total_ratios (national:
    /// 预算执行率, 10 points) plus indicatorTotal; empty without indicators or on errors.
    std::optional<model::Decimal> total;
    std::optional<std::string> grade;  ///< from the rounded total
    std::vector<Finding> findings;
};

/// The result of applying a rule set to a dataset.
struct Evaluation {
    int year = 0;
    std::string authority;
    std::string ruleSet;  ///< the rule set's name
    std::string ruleSetTitle;
    Rounding rounding;
    std::vector<std::string> gradeNames;  ///< from the highest
    /// The rule set adjusts scores (deviation rule or execution caps): results.json then lists
    /// each project's adjustments, even when there are none.
    bool adjusts = false;
    std::vector<ApplicationRule> application;   ///< 结果应用 per grade; empty when the rule set has none
    std::vector<ProjectResult> projects;        ///< sorted by code
    std::vector<DepartmentResult> departments;  ///< sorted by code
};

/// True when the unit of this project gets a feedback letter: its grade is one the rule set
/// lists, or it has a finding at least as severe as the rule set's letter severity.
bool needsFeedback(const ProjectResult& project, const RuleSet& rules);

/// The 结果应用 advice for a project's grade; nullptr when unscored or the rule set has none.
const ApplicationRule* applicationOf(const ProjectResult& project, const Evaluation& evaluation);

}  // namespace jixiao::score
