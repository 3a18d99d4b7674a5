#pragma once

#include "model/dataset.h"
#include "model/decimal.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::score {

/// A rule file that cannot be used. The Chinese message names the file and the key path,
/// e.g. `templates/rules/hubei.json：键“grades.优”应为0到100之间的数字，实际为“abc”。`
/// The app maps it to exit code 78 (configuration).
class RuleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How a 反向 (less is better) indicator is scored.
enum class ReverseVariant {
    A,  ///< min(t / a, 1) × w; a = 0 → full weight (财预〔2020〕10号 自评表 practice)
    B,  ///< full if a ≤ t; w × (1 − (a − t) / t) if t < a < 2t; 0 if a ≥ 2t
};

/// How urgent a finding is; the words are the ones finance bureaus use.
enum class FindingSeverity {
    Notice,   ///< 提示
    Explain,  ///< 需说明
    Rectify,  ///< 需整改
};

/// "提示", "需说明" or "需整改".
std::string severityName(FindingSeverity severity);

/// A first-level indicator (一级指标) the rule set knows.
struct LevelRule {
    std::string name;                      ///< canonical name, e.g. 产出指标
    std::optional<model::Decimal> weight;  ///< default points; empty = accepted, no default
    std::vector<std::string> aliases;      ///< other spellings found in exports (产出)
    std::vector<std::string> level2;       ///< known 二级指标 names
};

/// A band of the qualitative (定性) scale, as shares of the weight.
struct Band {
    std::string name;                ///< 达成, 部分达成, 未达成
    model::Decimal lower;            ///< inclusive share
    model::Decimal upper;            ///< exclusive share, except 1 for the top band
    model::Decimal defaultShare;     ///< applied when the unit's own score is absent or outside
    std::vector<std::string> words;  ///< actual values that select this band
};

/// A grade and its inclusive lower bound on the total.
struct GradeBound {
    std::string name;
    model::Decimal lower;
};

/// Decimal places of reported figures; each score is rounded once, half up.
struct Rounding {
    int indicator = 2;  ///< indicator and budget scores, weights
    int total = 2;      ///< totals
    int rate = 4;       ///< rates as fractions (执行率, 完成率, 偏差率, ratios): 4 → 86.20%
};

/// Severity and sentence templates of one finding code. Templates hold `{name}` placeholders.
struct FindingRule {
    FindingSeverity severity = FindingSeverity::Notice;
    std::map<std::string, std::string> messages;  ///< "message" and variants ("message_band" …)
};

/// How a department-wide ratio is scored.
enum class RatioRuleKind {
    AtLeast,  ///< min(value / target, 1) × weight
    AtMost,   ///< full when value ≤ target, else weight − deduction per percentage point above
};

/// Scoring of one 部门整体 ratio.
struct RatioRule {
    std::string name;  ///< one of ratioNames()
    model::Decimal weight;
    RatioRuleKind kind = RatioRuleKind::AtLeast;
    model::Decimal target;          ///< as a fraction (1 = 100%)
    model::Decimal deductPerPoint;  ///< AtMost: points off per percentage point above target
};

/// 指标偏离 (一体化 systems): an indicator whose 完成率 exceeds 100% by `threshold` or more
/// loses `points` — its target was set too low.
struct DeviationRule {
    model::Decimal threshold;                ///< excess over 100% as a fraction: 0.3 → 完成率 130%
    bool inclusive = true;                   ///< true: 完成率 exactly 1 + threshold is deducted too
    model::Decimal points;                   ///< taken off the indicator's score, never below 0
    std::vector<model::Operator> operators;  ///< the operators it applies to (定性 never)
};

/// One execution-rate cap: a 执行率 in [from, below) limits the total to maxTotal.
struct ExecutionCap {
    model::Decimal from;      ///< inclusive lower edge (fraction)
    model::Decimal below;     ///< exclusive upper edge (fraction)
    model::Decimal maxTotal;  ///< the highest total such a project can have
};

/// 结果应用: what a grade means for next year's budget.
struct ApplicationRule {
    std::string grade;
    std::string advice;        ///< Chinese advice text
    model::Decimal changeMin;  ///< suggested budget change, fraction (−0.1 = 压减10%)
    model::Decimal changeMax;  ///< changeMin ≤ changeMax
    bool inLetter = false;     ///< repeated in the feedback letter's 整改要求
};

/// A rule set: every number of the scoring method that varies between provinces.
struct RuleSet {
    std::string name;   ///< e.g. national-2020
    std::string title;  ///< Chinese display name
    std::string file;   ///< display name of the file it came from

    model::Decimal budgetWeight;                 ///< w_budget: points of 预算执行率
    model::Decimal indicatorTotal;               ///< points the project indicators add up to (100 − w_budget)
    bool rescale = false;                        ///< scale the declared indicator weights to indicatorTotal
    std::vector<model::Decimal> acceptedTotals;  ///< with rescale: declared sums that are fine
    ReverseVariant reverse = ReverseVariant::A;
    std::vector<LevelRule> levels;  ///< first-level indicators, file order

    std::vector<Band> bands;  ///< from the highest band down

    model::Decimal executionThreshold;  ///< 执行率 below this without a reason → finding
    model::Decimal overAchievement;     ///< 完成率 above this → target_too_low
    model::Decimal selfScoreTolerance;  ///< points

    Rounding rounding;
    std::vector<GradeBound> grades;  ///< descending lower bounds, the last one 0

    std::vector<std::string> feedbackGrades;                      ///< grades whose unit gets a feedback letter
    FindingSeverity feedbackSeverity = FindingSeverity::Rectify;  ///< …or any finding this severe

    std::map<std::string, FindingRule> findings;  ///< by finding code

    std::optional<DeviationRule> deviation;    ///< absent: no deviation deduction
    std::vector<ExecutionCap> executionCaps;   ///< from the highest band down; empty: no caps
    std::vector<ApplicationRule> application;  ///< per grade, in grade order; empty: none

    model::Decimal departmentIndicatorTotal;         ///< points a 部门整体 indicator table adds up to
    std::vector<std::string> departmentTotalRatios;  ///< ratios whose scores join the department total
    std::vector<RatioRule> ratios;                   ///< scored department ratios, file order

    /// The level named `name` or having it as an alias; nullptr if unknown.
    const LevelRule* findLevel(const std::string& name) const;
    /// The band whose word list holds `actual` (trimmed, trailing 。 ignored); nullptr if none.
    const Band* matchBand(const std::string& actual) const;
    /// The grade of a (rounded) total.
    const std::string& gradeOf(model::Decimal total) const;
    /// The template `key` of finding `code`; both are checked at load time.
    const std::string& message(const std::string& code, const std::string& key = "message") const;
    /// Severity of finding `code`.
    FindingSeverity severityOf(const std::string& code) const;
    /// The scoring of department ratio `name`, or nullptr when the rule set does not score it.
    const RatioRule* findRatio(const std::string& name) const;
    /// The cap whose band holds the (rounded) execution rate, or nullptr.
    const ExecutionCap* capFor(model::Decimal rate) const;
};

/// The finding codes of scoring.md, in the order the spec lists them, then the optional ones
/// of the rule-set parameters (indicator_deviation, execution_cap).
const std::vector<std::string>& findingCodes();

/// The Chinese name users read for a finding code (执行率偏低未说明 for execution_low); the
/// code itself for one without a name.
std::string findingName(const std::string& code);

/// The department-wide ratios jixiao computes, in the order of scoring.md.
const std::vector<std::string>& ratioNames();

/// Parses and validates a rule file's text. `displayName` is used in messages (the path as
/// the user gave it). Throws RuleError naming the key on any mistake.
RuleSet parseRules(const std::string& json, const std::string& displayName);

/// Reads and parses a rule file; a missing or unreadable file is a RuleError too.
RuleSet loadRules(const std::string& path);

/// `templatesDir`/rules/`name`.json. Throws RuleError for a name that is empty or holds a
/// path separator or "..", so a dataset cannot point outside the rules folder.
std::string ruleSetPath(const std::string& templatesDir, const std::string& name);

/// Names of the rule sets found in `templatesDir`/rules, sorted.
std::vector<std::string> availableRuleSets(const std::string& templatesDir);

/// Loads the rule set a dataset names (`评分规则`); an unknown name lists the available ones.
RuleSet loadRuleSet(const std::string& templatesDir, const std::string& name);

/// `--rules`: a value holding a path separator or ending in ".json" is a file,
/// anything else the name of a bundled rule set (yitihua-2022).
RuleSet loadRulesOption(const std::string& templatesDir, const std::string& value);

}  // namespace jixiao::score
