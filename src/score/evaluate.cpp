#include "score/evaluate.h"

#include "model/decimal.h"
#include "model/text.h"
#include "score/format.h"
#include "score/formulas.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace jixiao::score {

using model::Decimal;
using model::Diagnostic;
using model::divRound;
using model::Indicator;
using model::mulDiv;
using model::mulRound;
using model::Operator;
using model::Severity;
using model::SourceRef;

namespace {

const Decimal kZero;
const Decimal kHundred = Decimal::fromInt(100);

std::string joinNames(const std::vector<std::string>& names, const std::string& sep = "、") {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += sep;
        out += n;
    }
    return out;
}

/// "第12行“实际完成值”" as the user finds it in Excel; without a row only the header.
std::string cell(const SourceRef& at, const std::string& header) {
    return (at.row > 0 ? "第" + std::to_string(at.row) + "行" : std::string()) + model::quoted(header);
}

/// Raises diagnostics on behalf of one owner (a project, or a department's own table) and
/// remembers whether any was an error, since the per-file cap may drop the diagnostic itself.
class Reporter {
public:
    Reporter(model::Diagnostics& diags, std::string projectCode) : diags_(diags), projectCode_(std::move(projectCode)) {}

    void error(const SourceRef& at, const std::string& header, const std::string& value, std::string message, std::string hint = {}) {
        errors_ = true;
        add(Severity::Error, at, header, value, std::move(message), std::move(hint));
    }
    void warning(const SourceRef& at, const std::string& header, const std::string& value, std::string message, std::string hint = {}) {
        add(Severity::Warning, at, header, value, std::move(message), std::move(hint));
    }
    void note(const SourceRef& at, const std::string& header, const std::string& value, std::string message) {
        add(Severity::Note, at, header, value, std::move(message), {});
    }
    bool errors() const { return errors_; }

private:
    void add(Severity severity, const SourceRef& at, const std::string& header, const std::string& value, std::string message,
             std::string hint) {
        Diagnostic d;
        d.severity = severity;
        d.at = {at.file(), at.sheet(), at.row, at.column(header), header};
        d.value = value;
        d.message = std::move(message);
        d.hint = std::move(hint);
        d.projectCode = projectCode_;
        diags_.add(std::move(d));
    }

    model::Diagnostics& diags_;
    std::string projectCode_;
    bool errors_ = false;
};

/// True when an actual only restates the target: it starts with a comparison ("≥266米") or
/// ends in 以上/以下/以内, which a measured value never does.
bool looksLikeTarget(const std::string& text) {
    static const char* const kLeading[] = {"≥",    "≧",      ">=",     "＞＝",   "＞",     ">",      "≤",    "≦",
                                           "<=",   "＜＝",   "＜",     "<",      "=",      "＝",     "大于", "小于",
                                           "等于", "不低于", "不少于", "不高于", "不超过", "不多于", "高于", "低于"};
    static const char* const kTrailing[] = {"以上", "以下", "以内"};
    std::string t = normalizeWord(text);
    for (const char* p : kLeading)
        if (t.rfind(p, 0) == 0) return true;
    for (const char* p : kTrailing) {
        std::string s(p);
        if (t.size() > s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0) return true;
    }
    return false;
}

enum class TableKind { Project, Department };

/// An indicator table scored: its rows, findings and the declared weight sum.
struct TableOutcome {
    std::vector<IndicatorResult> rows;
    std::vector<Finding> findings;
    Decimal declaredSum;  ///< Σ weights as declared (after filling), before rescaling
};

/// Scores one owner's indicator table (a project's, or a department's 部门整体 table).
class TableScorer {
public:
    /// `partial`: ingest already dropped some of the owner's rows, so sums over the table
    /// would mislead and the weight checks are skipped.
    TableScorer(const RuleSet& rules, Reporter& report, TableKind kind, std::string ownerLabel, SourceRef ownerSource, bool partial)
        : rules_(rules),
          report_(report),
          kind_(kind),
          ownerLabel_(std::move(ownerLabel)),
          ownerSource_(std::move(ownerSource)),
          partial_(partial) {}

    TableOutcome score(const std::vector<const Indicator*>& rows) {
        TableOutcome out;
        std::vector<Row> work;
        for (const Indicator* ind : rows) work.push_back(prepare(*ind));
        fillWeights(work);
        for (const auto& w : work) out.declaredSum += w.declaredScale;
        // 湖北-style sets: the unit's weights are scaled so that they add up to the rule set's
        // indicator total; the budget line keeps its own weight.
        scaled_ = kind_ == TableKind::Project && rules_.rescale && out.declaredSum > kZero && out.declaredSum != rules_.indicatorTotal;
        declaredSum_ = out.declaredSum;
        out.rows.reserve(work.size());
        for (std::size_t i = 0; i < work.size(); ++i) {
            Row& w = work[i];
            w.result.weight = scaled_ ? mulDiv(w.declaredScale, rules_.indicatorTotal, declaredSum_, Decimal::kPlaces) : w.declaredScale;
            if (w.result.status != IndicatorStatus::Error) evaluateRow(w, i);
            out.rows.push_back(std::move(w.result));
        }
        if (!partial_ && !report_.errors()) weightChecks(work, out);
        for (auto& w : work)
            for (auto& f : w.findings) out.findings.push_back(std::move(f));
        return out;
    }

private:
    struct Row {
        IndicatorResult result;
        const LevelRule* level = nullptr;
        Decimal declaredScale;  ///< weight in the unit's own scale (declared or filled)
        bool met = false;
        bool overAchieved = false;
        std::vector<Finding> findings;
    };

    const RuleSet& rules_;
    Reporter& report_;
    TableKind kind_;
    std::string ownerLabel_;
    SourceRef ownerSource_;
    bool partial_;
    bool scaled_ = false;
    Decimal declaredSum_;

    Row prepare(const Indicator& ind) {
        Row w;
        IndicatorResult& r = w.result;
        r.row = &ind;
        // A 定性 indicator, or one whose target is words only (the national form leaves the
        // 指标性质 of text targets such as “有效提升” blank or as ≥).
        r.qualitative = ind.op == Operator::Qualitative || (!ind.target.value && !ind.target.empty());

        if (kind_ == TableKind::Project) {
            w.level = rules_.findLevel(ind.level1);
            if (!w.level) {
                std::vector<std::string> names;
                for (const auto& l : rules_.levels) names.push_back(l.name);
                fail(r, "一级指标", ind.level1,
                     cell(ind.source, "一级指标") + "为" + model::quoted(ind.level1.str()) + "，不是评分规则" + model::quoted(rules_.name) +
                         "中的一级指标（可用：" + joinNames(names) + "）。",
                     "请检查指标名称，或在评分规则的indicators.levels中增加该一级指标。");
            } else if (!w.level->level2.empty() && !ind.level2.empty() &&
                       std::find(w.level->level2.begin(), w.level->level2.end(), ind.level2) == w.level->level2.end()) {
                report_.warning(ind.source, "二级指标", ind.level2,
                                cell(ind.source, "二级指标") + "为" + model::quoted(ind.level2.str()) + "，不是一级指标" +
                                    model::quoted(w.level->name) + "下的二级指标（可用：" + joinNames(w.level->level2) + "）。");
            }
        }
        if (ind.weight && ind.weight->isNegative()) {
            fail(r, "分值", ind.weight->toString(),
                 cell(ind.source, "分值") + "应为不小于0的数字，实际为" + model::quoted(ind.weight->toString()) + "。");
        } else if (ind.weight) {
            w.declaredScale = *ind.weight;
        }
        if (!r.qualitative) {
            if (!ind.target.value) {
                fail(r, "年度指标值", ind.target.text(),
                     cell(ind.source, "年度指标值") + "为空，定量指标（指标性质为" + model::quoted(operatorSymbol(ind.op)) +
                         "）须填写年度指标值。",
                     "如为定性指标，请将指标性质填为“定性”。");
            } else if (ind.target.value->isNegative()) {
                fail(r, "年度指标值", ind.target.text(),
                     cell(ind.source, "年度指标值") + "为负数（" + ind.target.value->toString() + "），无法按完成率计分。",
                     "请改用正数表示，例如将“增长率≥-5%”改为“下降率≤5%”。");
            }
        }
        return w;
    }

    void fail(IndicatorResult& r, const std::string& header, const std::string& value, std::string message, std::string hint = {}) {
        report_.error(r.row->source, header, value, std::move(message), std::move(hint));
        r.status = IndicatorStatus::Error;
        r.score.reset();
    }

    /// scoring.md: a missing 分值 is filled from the rule set — the first-level default shared
    /// equally among that level's rows without a weight (after what the unit did assign).
    void fillWeights(std::vector<Row>& work) {
        std::vector<const LevelRule*> order;
        for (const auto& w : work)
            if (w.level && std::find(order.begin(), order.end(), w.level) == order.end()) order.push_back(w.level);
        for (Row& w : work) {
            // Rows of an unknown level already carry an error; the others need a default.
            if (w.result.declaredWeight() || w.result.status == IndicatorStatus::Error) continue;
            if (kind_ == TableKind::Department) {
                fail(w.result, "分值", "", cell(w.result.row->source, "分值") + "为空，部门整体绩效指标须填写分值。",
                     "请填写该指标的分值。");
            } else if (!w.level->weight) {
                fail(w.result, "分值", "",
                     cell(w.result.row->source, "分值") + "为空，评分规则" + model::quoted(rules_.name) + "没有一级指标" +
                         model::quoted(w.level->name) + "的默认分值，无法补齐。",
                     "请填写该指标的分值。");
            }
        }
        if (kind_ == TableKind::Department) return;
        const int places = rules_.rounding.indicator;
        for (const LevelRule* level : order) {
            if (!level->weight) continue;
            std::vector<Row*> missing;
            Decimal given;
            for (Row& w : work) {
                if (w.level != level) continue;
                if (w.result.declaredWeight()) given += w.declaredScale;
                else if (w.result.status != IndicatorStatus::Error) missing.push_back(&w);
            }
            if (missing.empty()) continue;
            const Decimal n = Decimal::fromInt(static_cast<std::int64_t>(missing.size()));
            Decimal remaining = *level->weight - given;
            const SourceRef& at = missing.front()->result.row->source;
            if (remaining <= kZero) {
                for (Row* w : missing) w->result.weightFilled = true;
                report_.warning(at, "分值", "",
                                ownerLabel_ + "一级指标" + model::quoted(level->name) + "有" + std::to_string(missing.size()) +
                                    "项指标未填分值，而本级已填分值合计" + given.toString() + "分，已达到默认分值" +
                                    level->weight->toString() + "分，这些指标按0分分值计。",
                                "请补填分值。");
                continue;
            }
            // Equal shares rounded as scores are; the last row takes the remainder so that the
            // level still adds up to its default exactly.
            Decimal share = divRound(remaining, n, places);
            if (share * (n - Decimal::fromInt(1)) > remaining) {
                Decimal exact = remaining / n;
                std::int64_t unit = 1;
                for (int k = places; k < Decimal::kPlaces; ++k) unit *= 10;
                share = Decimal::fromRaw(exact.raw() / unit * unit);
            }
            Decimal last = remaining - share * (n - Decimal::fromInt(1));
            for (std::size_t i = 0; i < missing.size(); ++i) {
                missing[i]->declaredScale = i + 1 == missing.size() ? last : share;
                missing[i]->result.weightFilled = true;
            }
            std::string how = missing.size() == 1 ? "计入该项"
                              : share == last     ? "平均分配，每项" + share.toString() + "分"
                                              : "平均分配，每项" + share.toString() + "分（最后一项" + last.toString() + "分）";
            std::string base = given.isZero() ? "的默认分值" + level->weight->toString() + "分"
                                              : "的默认分值" + level->weight->toString() + "分扣除已填的" + given.toString() +
                                                    "分后余下的" + remaining.toString() + "分";
            report_.note(at, "分值", "",
                         ownerLabel_ + "一级指标" + model::quoted(level->name) + "有" + std::to_string(missing.size()) +
                             "项指标未填分值，已按评分规则" + model::quoted(rules_.name) + "将该级" + base + how + "。");
        }
    }

    std::map<std::string, std::string> rowValues(const Row& w) const {
        const IndicatorResult& r = w.result;
        const int ratePlaces = rules_.rounding.rate;
        std::map<std::string, std::string> v;
        v["indicator"] = r.row->level3;
        v["target"] =
            r.qualitative ? r.row->target.text() : quantityText(r.row->target, r.row->unitOfMeasure, r.percentScale(), r.op(), true);
        v["actual"] =
            r.qualitative ? r.row->actual.text() : quantityText(r.row->actual, r.row->unitOfMeasure, r.percentScale(), r.op(), false);
        v["completion"] = r.completion ? percentText(*r.completion, ratePlaces) : "—";
        v["variance"] = r.variance ? percentText(*r.variance, ratePlaces) : "—";
        v["band"] = r.band ? *r.band : std::string();
        v["weight"] = w.declaredScale.rounded(rules_.rounding.indicator).toString();
        v["score"] = r.score ? r.score->toFixed(rules_.rounding.indicator) : "";
        v["self_score"] = r.selfScore() ? r.selfScore()->toFixed(rules_.rounding.indicator) : "";
        return v;
    }

    void add(Row& w, std::size_t index, const std::string& code, const std::string& key, const std::map<std::string, std::string>& values) {
        Finding f;
        f.code = ruleName(code);
        f.severity = rules_.severityOf(code);
        f.indicator = static_cast<std::uint32_t>(index);
        f.message = expandTemplate(rules_.message(code, key), values);
        f.source = w.result.row->source;
        w.findings.push_back(std::move(f));
    }

    void evaluateRow(Row& w, std::size_t index) {
        IndicatorResult& r = w.result;
        const int places = rules_.rounding.indicator;
        std::optional<Decimal> self = r.selfScore();
        if (self && scaled_) self = mulDiv(*self, rules_.indicatorTotal, declaredSum_, Decimal::kPlaces);
        try {
            if (r.row->actual.empty()) {
                r.status = IndicatorStatus::Missing;
                r.score = kZero.rounded(places);
                add(w, index, "actual_missing", "message", rowValues(w));
            } else if (r.qualitative) {
                const Band* band = rules_.matchBand(r.row->actual.text());
                // A qualitative actual that repeats its target word (“及时” for “及时”, “显著提升”
                // for “显著提升”) says the target was met; only an operator-led text (“≥266米”)
                // merely repeats the target.
                if (!band && !r.row->target.empty() && !looksLikeTarget(r.row->actual.text()) &&
                    normalizeWord(r.row->actual.text()) == normalizeWord(r.row->target.text()))
                    band = &rules_.bands.front();
                if (band) {
                    QualitativeOutcome q = scoreQualitative(*band, r.weight, self, rules_);
                    r.band = &ruleName(band->name).str();
                    r.score = q.score;
                    r.selfScoreOutsideBand = q.selfOutside;
                    w.met = band == &rules_.bands.front();
                } else if (looksLikeTarget(r.row->actual.text())) {
                    repeatsTarget(w, index);
                } else {
                    std::vector<std::string> lists;
                    for (const auto& b : rules_.bands) lists.push_back(b.name + "档：" + joinNames(b.words));
                    fail(r, "实际完成值", r.row->actual.text(),
                         cell(r.row->source, "实际完成值") + "应为定性指标的评价用语，实际为" + model::quoted(r.row->actual.text()) +
                             "，不在评分规则" + model::quoted(rules_.name) + "的词表中。可用的词：" + joinNames(lists, "；") + "。",
                         "请改为上述词语之一，或在评分规则的qualitative.<档次>.words中增加该词。");
                    return;
                }
            } else if (looksLikeTarget(r.row->actual.text())) {
                repeatsTarget(w, index);
            } else if (!r.row->actual.value) {
                fail(r, "实际完成值", r.row->actual.text(),
                     cell(r.row->source, "实际完成值") + "应为数字，实际为" + model::quoted(r.row->actual.text()) + "。",
                     "定量指标（指标性质为" + model::quoted(operatorSymbol(r.op())) +
                         "）的实际完成值须填写数值；如为定性指标，请将指标性质填为“定性”。");
                return;
            } else {
                QuantitativeOutcome q = scoreQuantitative(r.op(), *r.row->target.value, *r.row->actual.value, r.weight, rules_);
                r.completion = q.completion;
                r.variance = q.variance;
                r.score = q.score;
                r.deduction = q.deduction;
                w.met = q.met;
                w.overAchieved = q.overAchieved;
            }
        } catch (const std::overflow_error&) {
            fail(r, "实际完成值", r.row->actual.text(), cell(r.row->source, "实际完成值") + "或年度指标值的数值过大，无法计算完成率。");
            return;
        }
        rowFindings(w, index, self);
    }

    void repeatsTarget(Row& w, std::size_t index) {
        w.result.status = IndicatorStatus::RepeatsTarget;
        w.result.score = kZero.rounded(rules_.rounding.indicator);
        auto v = rowValues(w);
        v["actual"] = w.result.row->actual.text();
        add(w, index, "actual_repeats_target", "message", v);
    }

    void rowFindings(Row& w, std::size_t index, std::optional<Decimal> scaledSelf) {
        const IndicatorResult& r = w.result;
        const int places = rules_.rounding.indicator;
        // The figures as the sentences show them, made only for a row that has a finding.
        std::optional<std::map<std::string, std::string>> made;
        auto values = [&]() -> const std::map<std::string, std::string>& {
            if (!made) made = rowValues(w);
            return *made;
        };
        const bool reasonGiven = !normalizeWord(r.row->reason.str()).empty();
        if (r.status == IndicatorStatus::Scored) {
            if (!w.met && !reasonGiven) add(w, index, "unmet_no_reason", r.qualitative ? "message_qualitative" : "message", values());
            // A deviation deduction says what target_too_low says, and what it cost.
            if (!r.qualitative && w.overAchieved && !r.deduction) {
                auto v = values();
                v["threshold"] = thresholdText(rules_.overAchievement);
                add(w, index, "target_too_low", "message", v);
            }
            if (r.deduction) {
                auto v = values();
                v["threshold"] = thresholdText(Decimal::fromInt(1) + rules_.deviation->threshold);
                v["points"] = r.deduction->toFixed(places);
                add(w, index, "indicator_deviation", "message", v);
                w.findings.back().points = r.deduction;
            }
        }
        if (!r.selfScore() || !r.score) return;
        const Decimal self = *r.selfScore();
        const Decimal tolerance = rules_.selfScoreTolerance;
        auto v = values();
        v["self_note"] = "";
        if (scaled_) {
            v["self_note"] =
                expandTemplate(rules_.message("self_score_mismatch", "self_note"),
                               {{"indicator_total", rules_.indicatorTotal.toString()}, {"scaled", scaledSelf->toFixed(places)}});
        }
        v["item"] = model::quoted(r.row->level3.str());
        // The specific findings come first; the difference itself is listed as well, since
        // scoring.md asks for every own score that differs, "listed with both numbers".
        if (self > w.declaredScale) add(w, index, "score_above_weight", "message", v);
        // Below full weight is expected where a deviation deduction applies.
        if (r.status == IndicatorStatus::Scored && !r.qualitative && w.met && !reasonGiven && !r.deduction &&
            w.declaredScale - self > tolerance)
            add(w, index, "met_but_deducted", "message", v);
        if (r.selfScoreOutsideBand) {
            const Band* band = nullptr;
            for (const auto& b : rules_.bands)
                if (r.band && b.name == *r.band) band = &b;
            const bool top = band == &rules_.bands.front();
            std::string lo = mulRound(band->lower, w.declaredScale, places).toFixed(places);
            std::string hi = mulRound(band->upper, w.declaredScale, places).toFixed(places);
            v["band_range"] = lo + "分（含）至" + hi + "分" + (top ? "（含）" : "");
            add(w, index, "self_score_mismatch", "message_band", v);
            return;
        }
        Decimal diff = *scaledSelf - *r.score;
        if (diff.isNegative()) diff = -diff;
        if (diff > tolerance) {
            v["difference"] = diff.toFixed(places);
            add(w, index, "self_score_mismatch", "message", v);
        }
    }

    /// Σ weights must make 100 (weights_not_100); first-level sums that differ from the rule
    /// set's defaults are only a warning (财预〔2020〕10号 lets units adjust them).
    void weightChecks(const std::vector<Row>& work, TableOutcome& out) {
        const Decimal sum = out.declaredSum;
        const SourceRef& at = work.empty() ? ownerSource_ : work.front().result.row->source;
        std::map<std::string, std::string> v;
        std::string key;
        bool bad = false;
        if (kind_ == TableKind::Department) {
            bad = sum != rules_.departmentIndicatorTotal;
            key = "message_department";
            v = {{"sum", sum.toString()}, {"expected", rules_.departmentIndicatorTotal.toString()}};
        } else if (rules_.rescale) {
            bad = std::find(rules_.acceptedTotals.begin(), rules_.acceptedTotals.end(), sum) == rules_.acceptedTotals.end();
            std::vector<std::string> accepted;
            for (const auto& t : rules_.acceptedTotals) accepted.push_back(t.toString());
            key = "message_rescaled";
            v = {{"indicator_sum", sum.toString()}, {"expected", joinNames(accepted, "或")}};
        } else {
            bad = rules_.budgetWeight + sum != kHundred;
            key = "message";
            v = {{"budget_weight", rules_.budgetWeight.toString()},
                 {"indicator_sum", sum.toString()},
                 {"sum", (rules_.budgetWeight + sum).toString()}};
        }
        if (bad && !work.empty()) {
            Finding f{ruleName("weights_not_100"),
                      rules_.severityOf("weights_not_100"),
                      std::nullopt,
                      expandTemplate(rules_.message("weights_not_100", key), v),
                      at,
                      std::nullopt};
            report_.warning(at, "分值", sum.toString(), ownerLabel_ + f.message + "。");
            out.findings.insert(out.findings.begin(), std::move(f));
        }
        if (kind_ != TableKind::Project || work.empty()) return;
        Decimal defaults;
        for (const auto& l : rules_.levels)
            if (l.weight) defaults += *l.weight;
        if (defaults.isZero() || sum.isZero()) return;
        // A table on another accepted scale (湖北: 80 as well as 90) is measured against the
        // defaults scaled to its own total; otherwise the defaults stand as they are, so that
        // a table that is simply off (95) does not flag every level.
        const bool ownScale = rules_.rescale && !bad;
        const Decimal basis = ownScale ? sum : defaults;
        for (const auto& level : rules_.levels) {
            if (!level.weight) continue;
            Decimal levelSum;
            const SourceRef* first = nullptr;
            for (const auto& w : work) {
                if (w.level != &level) continue;
                levelSum += w.declaredScale;
                if (!first) first = &w.result.row->source;
            }
            // levelSum / basis against default / defaults, cross-multiplied to stay exact.
            if (levelSum * defaults == *level.weight * basis) continue;
            std::string expected = level.weight->toString() + "分";
            if (basis != defaults)
                expected += "（按本表指标分值合计" + sum.toString() + "分折算为" +
                            mulDiv(*level.weight, sum, defaults, rules_.rounding.indicator).toString() + "分）";
            report_.warning(first ? *first : ownerSource_, "分值", levelSum.toString(),
                            ownerLabel_ + "一级指标" + model::quoted(level.name) + "分值合计" + levelSum.toString() + "分，与评分规则" +
                                model::quoted(rules_.name) + "的默认分值" + expected + "不一致。",
                            "一级指标分值可以调整，请确认是有意为之。");
        }
    }
};

/// The project's total row, or the sum of its sub-rows when it has none.
struct BudgetFigures {
    std::optional<Decimal> initial;
    Decimal adjusted;
    Decimal executed;
    std::optional<Decimal> selfScore;
    SourceRef source;
    bool reasonGiven = false;
};

BudgetFigures budgetFigures(const model::Project& p) {
    BudgetFigures b;
    const model::FundingRow* total = nullptr;
    for (const auto& row : p.funds) {
        if (row.kind == model::FundKind::Total && !total) total = &row;
        if (!normalizeWord(row.reason.str()).empty()) b.reasonGiven = true;
    }
    if (total) {
        b.initial = total->initial;
        b.adjusted = total->adjusted;
        b.executed = total->executed;
        b.selfScore = total->selfScore;
        b.source = total->source;
    } else {
        bool allInitial = !p.funds.empty();
        Decimal initial;
        for (const auto& row : p.funds) {
            b.adjusted += row.adjusted;
            b.executed += row.executed;
            if (row.initial) initial += *row.initial;
            else allInitial = false;
        }
        if (allInitial) b.initial = initial;
        if (!p.funds.empty()) b.source = p.funds.front().source;
    }
    if (!b.selfScore)
        for (const auto& row : p.funds)
            if (row.selfScore) {
                b.selfScore = row.selfScore;
                break;
            }
    return b;
}

/// "70%（含）至80%（不含）" — the band of an execution cap as the finding states it.
std::string capBandText(const ExecutionCap& cap) { return thresholdText(cap.from) + "（含）至" + thresholdText(cap.below) + "（不含）"; }

class Evaluator {
public:
    Evaluator(const model::Dataset& dataset, const RuleSet& rules, model::Diagnostics& diags)
        : data_(dataset), rules_(rules), diags_(diags) {}

    Evaluation run() {
        Evaluation ev;
        ev.year = data_.config.year;
        ev.authority = data_.config.authority;
        ev.ruleSet = rules_.name;
        ev.ruleSetTitle = rules_.title;
        ev.rounding = rules_.rounding;
        for (const auto& g : rules_.grades) ev.gradeNames.push_back(g.name);
        ev.adjusts = rules_.deviation || !rules_.executionCaps.empty();
        ev.application = rules_.application;
        ev.projects.reserve(data_.projects.size());  // 20,000 results: no doubling
        for (const auto& p : data_.projects) ev.projects.push_back(project(p));
        std::sort(ev.projects.begin(), ev.projects.end(), [](const ProjectResult& a, const ProjectResult& b) { return a.code < b.code; });
        departments(ev);
        return ev;
    }

private:
    const model::Dataset& data_;
    const RuleSet& rules_;
    model::Diagnostics& diags_;

    Finding budgetFinding(const std::string& code, const std::string& key, const std::map<std::string, std::string>& v,
                          const SourceRef& at) const {
        return {ruleName(code), rules_.severityOf(code), std::nullopt, expandTemplate(rules_.message(code, key), v), at, std::nullopt};
    }

    ProjectResult project(const model::Project& p) {
        Reporter report(diags_, p.code);
        ProjectResult pr;
        pr.code = p.code;
        pr.name = p.name;
        pr.unitCode = p.unitCode;
        if (const model::Unit* dept = data_.departmentOf(p.unitCode)) pr.departmentCode = dept->code;
        pr.classified = p.classified;
        pr.source = p.source;
        pr.budgetWeight = rules_.budgetWeight;
        const std::string label = "项目" + model::quoted(p.code);
        std::size_t budgetFindings = 0;
        try {
            budget(p, pr, report, label);
            budgetFindings = pr.findings.size();
            std::vector<const Indicator*> rows;
            for (const auto& ind : p.indicators) rows.push_back(&ind);
            TableScorer scorer(rules_, report, TableKind::Project, label, p.source, diags_.hasErrorFor(p.code));
            TableOutcome t = scorer.score(rows);
            pr.indicators = std::move(t.rows);
            for (auto& f : t.findings) pr.findings.push_back(std::move(f));
        } catch (const std::overflow_error&) {
            report.error(p.source, "", "", label + "的金额或数值过大，无法计算。");
        }
        if (report.errors() || diags_.hasErrorFor(p.code)) {
            // Findings computed from a partial set of rows would mislead (ingest drops rows
            // with errors), so an unscored project shows its diagnostics only.
            pr.findings.clear();
            return pr;
        }
        Decimal sum = pr.budgetScore;
        for (const auto& r : pr.indicators) sum += r.score.value_or(kZero);
        // Scores are capped by their weights, so only weights above 100 (already reported as
        // weights_not_100) can push the sum past the form's 100 points.
        if (sum > kHundred) sum = kHundred;
        pr.total = sum.rounded(rules_.rounding.total);
        if (const ExecutionCap* cap = pr.rate ? rules_.capFor(*pr.rate) : nullptr; cap && *pr.total > cap->maxTotal) {
            // The rate as shown decides the band, as it does for execution_low.
            const Decimal capped = cap->maxTotal.rounded(rules_.rounding.total);
            Finding f = budgetFinding("execution_cap", "message",
                                      {{"rate", percentText(*pr.rate, rules_.rounding.rate)},
                                       {"band", capBandText(*cap)},
                                       {"max_total", cap->maxTotal.toString()},
                                       {"total", pr.total->toFixed(rules_.rounding.total)},
                                       {"points", (*pr.total - capped).toFixed(rules_.rounding.total)}},
                                      pr.budgetSource);
            f.points = *pr.total - capped;
            pr.findings.insert(pr.findings.begin() + static_cast<std::ptrdiff_t>(budgetFindings), std::move(f));
            pr.uncappedTotal = pr.total;
            pr.total = capped;
        }
        pr.grade = rules_.gradeOf(*pr.total);
        return pr;
    }

    void budget(const model::Project& p, ProjectResult& pr, Reporter& report, const std::string& label) {
        const int places = rules_.rounding.indicator;
        BudgetFigures b = budgetFigures(p);
        pr.initial = b.initial;
        pr.adjusted = b.adjusted;
        pr.executed = b.executed;
        pr.budgetSelfScore = b.selfScore;
        pr.budgetSource = b.source;
        BudgetOutcome out = scoreBudget(b.adjusted, b.executed, rules_);
        pr.rate = out.rate;
        pr.budgetScore = out.score.rounded(places);
        if (p.funds.empty()) return;  // model::validate reports it

        fundRows(p, pr);
        if (!out.rate) {
            report.warning(b.source, "全年预算数", b.adjusted.toString(),
                           label + "全年预算数为" + b.adjusted.toString() + "，无法计算执行率，预算执行得0分。", "请核对全年预算数。");
        } else if (*out.rate < rules_.executionThreshold && !b.reasonGiven) {
            pr.findings.push_back(budgetFinding("execution_low", "message",
                                                {{"rate", percentText(*out.rate, rules_.rounding.rate)},
                                                 {"threshold", thresholdText(rules_.executionThreshold)},
                                                 {"budget", moneyText(b.adjusted)},
                                                 {"executed", moneyText(b.executed)}},
                                                b.source));
        }
        if (b.initial && *b.initial != b.adjusted && !b.reasonGiven) {
            Decimal change = b.adjusted - *b.initial;
            std::string changeText = change.isNegative() ? "调减" + moneyText(-change) : "调增" + moneyText(change);
            pr.findings.push_back(
                budgetFinding("budget_adjusted", "message",
                              {{"initial", moneyText(*b.initial)}, {"adjusted", moneyText(b.adjusted)}, {"change", changeText}}, b.source));
        }
        if (b.selfScore) {
            const Decimal self = *b.selfScore;
            std::map<std::string, std::string> v = {{"item", "预算执行率"},
                                                    {"self_score", self.toFixed(places)},
                                                    {"self_note", ""},
                                                    {"score", pr.budgetScore.toFixed(places)},
                                                    {"weight", rules_.budgetWeight.toString()}};
            Decimal diff = self - pr.budgetScore;
            if (diff.isNegative()) diff = -diff;
            v["difference"] = diff.toFixed(places);
            if (self > rules_.budgetWeight) pr.findings.push_back(budgetFinding("score_above_weight", "message", v, b.source));
            if (diff > rules_.selfScoreTolerance) pr.findings.push_back(budgetFinding("self_score_mismatch", "message", v, b.source));
        }
    }

    /// fund_rows_mismatch: 当年财政拨款 + 上年结转资金 + 其他资金 must equal 年度资金总额.
    void fundRows(const model::Project& p, ProjectResult& pr) {
        const model::FundingRow* total = nullptr;
        std::vector<const model::FundingRow*> subs;
        for (const auto& row : p.funds) {
            if (row.kind == model::FundKind::Total) {
                if (!total) total = &row;
            } else {
                subs.push_back(&row);
            }
        }
        if (!total || subs.empty()) return;
        Decimal adjusted, executed, initial;
        bool allInitial = total->initial.has_value();
        for (const auto* s : subs) {
            adjusted += s->adjusted;
            executed += s->executed;
            if (s->initial) initial += *s->initial;
            else allInitial = false;
        }
        auto check = [&](const std::string& field, Decimal sum, Decimal expected) {
            if (sum == expected) return;
            pr.findings.push_back(budgetFinding("fund_rows_mismatch", "message",
                                                {{"field", field}, {"sum", moneyText(sum)}, {"total", moneyText(expected)}},
                                                total->source));
        };
        if (allInitial) check("年初预算数", initial, *total->initial);
        check("全年预算数", adjusted, total->adjusted);
        check("全年执行数", executed, total->executed);
    }

    /// Figures of a department for one year: its own row, or else the sum over its units of
    /// the figures that every unit row reports.
    std::optional<std::map<std::string, Decimal>> figures(const std::string& dept, int year) const {
        for (const auto& f : data_.figures)
            if (f.unitCode == dept && f.year == year) return f.figures;
        std::vector<const model::DepartmentFigures*> rows;
        for (const auto& f : data_.figures) {
            if (f.year != year) continue;
            const model::Unit* d = data_.departmentOf(f.unitCode);
            if (d && d->code == dept) rows.push_back(&f);
        }
        if (rows.empty()) return std::nullopt;
        std::map<std::string, Decimal> sum = rows.front()->figures;
        for (std::size_t i = 1; i < rows.size(); ++i) {
            for (auto it = sum.begin(); it != sum.end();) {
                auto found = rows[i]->figures.find(it->first);
                if (found == rows[i]->figures.end()) {
                    it = sum.erase(it);
                } else {
                    it->second += found->second;
                    ++it;
                }
            }
        }
        return sum;
    }

    void departments(Evaluation& ev) {
        std::set<std::string> codes;
        for (const auto& p : ev.projects)
            if (!p.departmentCode.empty()) codes.insert(p.departmentCode);
        for (const auto& f : data_.figures)
            if (const model::Unit* d = data_.departmentOf(f.unitCode)) codes.insert(d->code);
        std::set<std::string> warnedUnits;
        for (const auto& ind : data_.unitIndicators) {
            const model::Unit* d = data_.departmentOf(ind.unitCode);
            if (d && d->code == ind.unitCode) {
                codes.insert(d->code);
            } else if (warnedUnits.insert(ind.unitCode).second) {
                Reporter report(diags_, "");
                report.warning(
                    ind.source, "单位编码", ind.unitCode,
                    "单位" + model::quoted(ind.unitCode.str()) + "不是主管部门（或在单位表中不存在），其部门整体绩效指标未评分。",
                    "部门整体绩效指标应由主管部门填报。");
            }
        }
        std::map<std::string, std::vector<const ProjectResult*>> byDepartment;
        for (const auto& p : ev.projects)
            if (!p.departmentCode.empty()) byDepartment[p.departmentCode].push_back(&p);
        for (const auto& code : codes) ev.departments.push_back(department(code, byDepartment[code]));
    }

    DepartmentResult department(const std::string& code, const std::vector<const ProjectResult*>& projects) {
        DepartmentResult d;
        d.code = code;
        const model::Unit* unit = data_.findUnit(code);
        if (unit) d.name = unit->name;
        for (const auto& g : rules_.grades) d.gradeCounts.emplace_back(g.name, 0);
        Decimal weighted, weights;
        for (const ProjectResult* p : projects) {
            ++d.projects;
            if (!p->total) continue;
            ++d.scoredProjects;
            for (auto& [name, count] : d.gradeCounts)
                if (name == *p->grade) ++count;
            // Weighted by 全年预算数 (A): a large project moves the department's mean more.
            if (p->adjusted > kZero) {
                weighted += p->adjusted * *p->total;
                weights += p->adjusted;
            }
        }
        Reporter report(diags_, "");
        const std::string label = "部门" + model::quoted(code);
        try {
            if (weights > kZero) d.budgetWeightedTotal = divRound(weighted, weights, rules_.rounding.total);
            if (auto now = figures(code, data_.config.year)) {
                auto before = figures(code, data_.config.year - 1);
                d.ratios = departmentRatios(*now, before ? &*before : nullptr, rules_);
                // A ratio whose base is zero (三公经费 0 in both years) has no value: said, not silent.
                for (const auto& r : d.ratios)
                    if (!r.value)
                        report.warning(unit ? unit->source : SourceRef{}, "", "",
                                       label + "的" + r.name + "无法计算：除数为0（" + r.formula + "），表中显示为“—”，该项不得分。",
                                       "如该项数据确为0，无需修改；否则请核对部门整体支出表。");
            }
        } catch (const std::overflow_error&) {
            report.error(unit ? unit->source : SourceRef{}, "", "", label + "的金额或数值过大，无法计算。");
        }
        std::vector<const Indicator*> rows;
        for (const auto& ind : data_.unitIndicators)
            if (ind.unitCode == code) rows.push_back(&ind);
        if (rows.empty()) return d;
        Reporter tableReport(diags_, "");
        TableScorer scorer(rules_, tableReport, TableKind::Department, label, rows.front()->source, false);
        TableOutcome t;
        try {
            t = scorer.score(rows);
        } catch (const std::overflow_error&) {
            tableReport.error(rows.front()->source, "", "", label + "部门整体绩效指标的数值过大，无法计算。");
        }
        d.indicators = std::move(t.rows);
        d.findings = std::move(t.findings);
        if (tableReport.errors()) {
            d.findings.clear();
            return d;
        }
        Decimal sum;
        for (const auto& r : d.indicators) sum += r.score.value_or(kZero);
        d.indicatorTotal = sum.rounded(rules_.rounding.total);
        for (const auto& name : rules_.departmentTotalRatios) {
            auto it = std::find_if(d.ratios.begin(), d.ratios.end(), [&](const RatioResult& r) { return r.name == name; });
            if (it != d.ratios.end() && it->score) {
                sum += *it->score;
            } else {
                // As for a project with A = 0: the points are lost and the user is told why.
                tableReport.warning(
                    rows.front()->source, "", "",
                    label + "缺少计算" + model::quoted(name) + "所需的部门整体支出数据（或除数为0），该项按0分计入部门整体自评总分。",
                    "请在部门整体支出表中填写本年度的相关数据。");
            }
        }
        if (sum > kHundred) sum = kHundred;
        d.total = sum.rounded(rules_.rounding.total);
        d.grade = rules_.gradeOf(*d.total);
        return d;
    }
};

}  // namespace

Evaluation evaluate(const model::Dataset& dataset, const RuleSet& rules, model::Diagnostics& diags) {
    if (dataset.config.varianceThreshold && !dataset.config.varianceThreshold->isNegative()) {
        // dataset.json 偏差阈值 (e.g. 0.10) states the tolerated |偏差率|; over-achievement is
        // then 完成率 above 1 + 偏差阈值.
        RuleSet local = rules;
        local.overAchievement = Decimal::fromInt(1) + *dataset.config.varianceThreshold;
        return Evaluator(dataset, local, diags).run();
    }
    return Evaluator(dataset, rules, diags).run();
}

model::Name ruleName(const std::string& text) {
    // A few dozen names in all (finding codes, bands), never released.
    static model::NamePool names;
    return names.intern(text);
}

const ApplicationRule* applicationOf(const ProjectResult& project, const Evaluation& evaluation) {
    if (!project.grade) return nullptr;
    for (const auto& a : evaluation.application)
        if (a.grade == *project.grade) return &a;
    return nullptr;
}

bool needsFeedback(const ProjectResult& project, const RuleSet& rules) {
    if (project.grade && std::find(rules.feedbackGrades.begin(), rules.feedbackGrades.end(), *project.grade) != rules.feedbackGrades.end())
        return true;
    for (const auto& f : project.findings)
        if (static_cast<int>(f.severity) >= static_cast<int>(rules.feedbackSeverity)) return true;
    return false;
}

}  // namespace jixiao::score
