#include "publish/results_json.h"

#include "publish/json_writer.h"

#include "score/format.h"

#include <cstdio>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace jixiao::publish {

using model::Decimal;

namespace {

using Node = JsonNode;

Node number(const std::optional<Decimal>& d) { return d ? Node::number(*d) : Node::null(); }
Node text(const std::optional<std::string>& s) { return s ? Node::string(*s) : Node::null(); }
Node textOrNull(const std::string& s) { return s.empty() ? Node::null() : Node::string(s); }

const char* operatorName(const score::IndicatorResult& r) {
    if (r.qualitative) return "qualitative";
    switch (r.op()) {
    case model::Operator::Ge: return ">=";
    case model::Operator::Gt: return ">";
    case model::Operator::Eq: return "=";
    case model::Operator::Lt: return "<";
    case model::Operator::Le: return "<=";
    case model::Operator::Qualitative: return "qualitative";
    }
    return "";
}

const char* statusName(score::IndicatorStatus s) {
    switch (s) {
    case score::IndicatorStatus::Scored: return "scored";
    case score::IndicatorStatus::Missing: return "actual_missing";
    case score::IndicatorStatus::RepeatsTarget: return "actual_repeats_target";
    case score::IndicatorStatus::Error: return "error";
    }
    return "";
}

Node rowOf(const model::SourceRef& s) { return s.row > 0 ? Node::integer(s.row) : Node::null(); }

Node indicator(const score::IndicatorResult& r, const score::Rounding& rounding, bool adjusts) {
    const model::Indicator& in = *r.row;
    Node n = Node::object();
    n.set("level1", Node::string(in.level1));
    n.set("level2", Node::string(in.level2));
    n.set("level3", Node::string(in.level3));
    n.set("operator", Node::string(operatorName(r)));
    // Quantitative values are numbers (percent points for % indicators, as in the input);
    // text targets and actuals, and actuals that are not used as numbers, stay text.
    if (!r.qualitative && in.target.value) n.set("target", Node::number(*in.target.value));
    else n.set("target", textOrNull(in.target.text()));
    n.set("unit", Node::string(in.unitOfMeasure));
    if (!r.qualitative && in.actual.value && r.status == score::IndicatorStatus::Scored) n.set("actual", Node::number(*in.actual.value));
    else n.set("actual", textOrNull(in.actual.text()));
    n.set("weight", Node::number(r.weight.rounded(rounding.indicator)));
    n.set("completion", number(r.completion));
    n.set("variance", number(r.variance));
    n.set("score", number(r.score));
    if (adjusts) n.set("deduction", number(r.deduction));
    n.set("self_score", number(r.selfScore()));
    n.set("band", r.band ? Node::string(*r.band) : Node::null());
    n.set("declared_weight", number(r.declaredWeight()));
    n.set("weight_filled", Node::flag(r.weightFilled));
    n.set("status", Node::string(statusName(r.status)));
    n.set("reason", Node::string(in.reason.str()));
    n.set("measures", Node::string(in.measures.str()));
    n.set("row", rowOf(in.source));
    return n;
}

Node findings(const std::vector<score::Finding>& list) {
    Node arr = Node::array();
    for (const auto& f : list) {
        Node n = Node::object();
        n.set("code", Node::string(f.code));
        n.set("severity", Node::string(score::severityName(f.severity)));
        n.set("indicator", f.indicator ? Node::integer(static_cast<long long>(*f.indicator)) : Node::null());
        n.set("message", Node::string(f.message));
        n.set("row", rowOf(f.source));
        arr.push(std::move(n));
    }
    return arr;
}

Node diagnostic(const model::Diagnostic& d) {
    Node n = Node::object();
    const char* severity = d.severity == model::Severity::Error ? "error" : d.severity == model::Severity::Warning ? "warning" : "note";
    n.set("severity", Node::string(severity));
    n.set("file", Node::string(d.at.file));
    n.set("sheet", Node::string(d.at.sheet));
    n.set("row", d.at.row > 0 ? Node::integer(d.at.row) : Node::null());
    n.set("column", d.at.column >= 0 ? Node::string(model::columnLetter(d.at.column)) : Node::null());
    n.set("header", Node::string(d.at.header));
    n.set("value", Node::string(d.value));
    n.set("message", Node::string(d.message));
    n.set("hint", Node::string(d.hint));
    n.set("text", Node::string(d.format()));
    return n;
}

Node project(const score::ProjectResult& p, const score::Evaluation& ev, const model::Diagnostics& diags) {
    const score::Rounding& rounding = ev.rounding;
    Node n = Node::object();
    n.set("code", Node::string(p.code));
    n.set("name", Node::string(p.name));
    n.set("unit_code", Node::string(p.unitCode));
    n.set("department_code", textOrNull(p.departmentCode));
    n.set("classified", Node::flag(p.classified));
    Node budget = Node::object();
    budget.set("initial", number(p.initial));
    budget.set("adjusted", Node::number(p.adjusted));
    budget.set("executed", Node::number(p.executed));
    budget.set("rate", number(p.rate));
    budget.set("weight", Node::number(p.budgetWeight.rounded(rounding.indicator)));
    budget.set("score", Node::number(p.budgetScore));
    budget.set("self_score", number(p.budgetSelfScore));
    n.set("budget", std::move(budget));
    Node indicators = Node::array();
    for (const auto& r : p.indicators) indicators.push(indicator(r, rounding, ev.adjusts));
    n.set("indicators", std::move(indicators));
    n.set("total", number(p.total));
    n.set("grade", text(p.grade));
    n.set("findings", findings(p.findings));
    // Only rule sets that have these parameters add the keys, so that the others' results
    // stay as they were.
    if (ev.adjusts) {
        n.set("uncapped_total", number(p.uncappedTotal));
        Node adjustments = Node::array();
        for (const auto& f : p.findings) {
            if (!f.points) continue;
            Node a = Node::object();
            a.set("rule", Node::string(f.code));
            a.set("indicator", f.indicator ? Node::integer(static_cast<long long>(*f.indicator)) : Node::null());
            a.set("points", Node::number(*f.points));
            a.set("why", Node::string(f.message));
            adjustments.push(std::move(a));
        }
        n.set("adjustments", std::move(adjustments));
    }
    if (!ev.application.empty()) {
        if (const score::ApplicationRule* a = score::applicationOf(p, ev)) {
            Node x = Node::object();
            x.set("grade", Node::string(a->grade));
            x.set("advice", Node::string(a->advice));
            Node range = Node::array();
            range.push(Node::number(a->changeMin));
            range.push(Node::number(a->changeMax));
            x.set("budget_change", std::move(range));
            x.set("in_letter", Node::flag(a->inLetter));
            n.set("result_application", std::move(x));
        } else {
            n.set("result_application", Node::null());
        }
    }
    Node list = Node::array();
    for (const auto& d : diags.list())
        if (d.projectCode == p.code) list.push(diagnostic(d));
    n.set("diagnostics", std::move(list));
    return n;
}

Node department(const score::DepartmentResult& d, const score::Evaluation& ev) {
    Node n = Node::object();
    n.set("code", Node::string(d.code));
    n.set("name", Node::string(d.name));
    n.set("projects", Node::integer(d.projects));
    n.set("scored_projects", Node::integer(d.scoredProjects));
    n.set("budget_weighted_total", number(d.budgetWeightedTotal));
    Node grades = Node::object();
    for (const auto& [name, count] : d.gradeCounts) grades.set(name, Node::integer(count));
    n.set("grades", std::move(grades));
    Node ratios = Node::object();
    Node details = Node::array();
    for (const auto& r : d.ratios) {
        ratios.set(r.name, number(r.value));
        Node x = Node::object();
        x.set("name", Node::string(r.name));
        x.set("formula", Node::string(r.formula));
        Node figures = Node::object();
        for (const auto& [name, value] : r.figures) figures.set(name, Node::number(value));
        x.set("figures", std::move(figures));
        x.set("value", number(r.value));
        x.set("weight", number(r.weight));
        x.set("score", number(r.score));
        details.push(std::move(x));
    }
    n.set("ratios", std::move(ratios));
    n.set("ratio_details", std::move(details));
    Node indicators = Node::array();
    for (const auto& r : d.indicators) indicators.push(indicator(r, ev.rounding, ev.adjusts));
    n.set("indicators", std::move(indicators));
    n.set("indicator_total", number(d.indicatorTotal));
    n.set("indicator_grade", text(d.grade));  // the same grade, under its older name too
    n.set("total", number(d.total));
    n.set("grade", text(d.grade));
    n.set("findings", findings(d.findings));
    return n;
}

}  // namespace

JsonNode resultsJson(const score::Evaluation& ev, const model::Diagnostics& diags) {
    Node root = Node::object();
    root.set("year", Node::integer(ev.year));
    root.set("authority", Node::string(ev.authority));
    root.set("rule_set", Node::string(ev.ruleSet));
    // A node per value of every project grew to gigabytes at 20,000 projects.
    root.set("projects", Node::generated(ev.projects.size(), [&ev, &diags](std::size_t i) { return project(ev.projects[i], ev, diags); }));
    Node departments = Node::array();
    for (const auto& d : ev.departments) departments.push(department(d, ev));
    root.set("departments", std::move(departments));
    Node summary = Node::object();
    summary.set("errors", Node::integer(diags.errors()));
    summary.set("warnings", Node::integer(diags.warnings()));
    std::set<std::string> codes;
    for (const auto& p : ev.projects) codes.insert(p.code);
    int notes = 0;
    Node other = Node::array();
    for (const auto& d : diags.list()) {
        if (d.severity == model::Severity::Note) ++notes;
        if (!codes.count(d.projectCode)) other.push(diagnostic(d));
    }
    summary.set("notes", Node::integer(notes));
    summary.set("suppressed", Node::integer(diags.suppressed()));
    summary.set("other", std::move(other));
    root.set("diagnostics", std::move(summary));
    return root;
}

}  // namespace jixiao::publish
