#include "publish/results_json.h"

#include "score/format.h"

#include <cstdio>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace jixiao::publish {

using model::Decimal;

namespace {

/// A JSON value being built; numbers hold their final text so no double is ever involved.
struct Node {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;
    std::vector<Node> items;
    std::vector<std::pair<std::string, Node>> members;

    static Node null() { return {}; }
    static Node flag(bool b) {
        Node n;
        n.kind = Kind::Bool;
        n.boolean = b;
        return n;
    }
    static Node number(const Decimal& d) {
        Node n;
        n.kind = Kind::Number;
        n.text = d.toString();
        return n;
    }
    static Node integer(long long v) {
        Node n;
        n.kind = Kind::Number;
        n.text = std::to_string(v);
        return n;
    }
    static Node string(std::string s) {
        Node n;
        n.kind = Kind::String;
        n.text = std::move(s);
        return n;
    }
    static Node array() {
        Node n;
        n.kind = Kind::Array;
        return n;
    }
    static Node object() {
        Node n;
        n.kind = Kind::Object;
        return n;
    }
    Node& set(std::string key, Node value) {
        members.emplace_back(std::move(key), std::move(value));
        return *this;
    }
    Node& push(Node value) {
        items.push_back(std::move(value));
        return *this;
    }
};

Node number(const std::optional<Decimal>& d) { return d ? Node::number(*d) : Node::null(); }
Node text(const std::optional<std::string>& s) { return s ? Node::string(*s) : Node::null(); }
Node textOrNull(const std::string& s) { return s.empty() ? Node::null() : Node::string(s); }

void escape(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);  // UTF-8 passes through: Chinese stays readable
            }
        }
    }
    out += '"';
}

void write(std::string& out, const Node& n, int depth) {
    const std::string pad(std::size_t(depth + 1) * 2, ' ');
    const std::string closePad(std::size_t(depth) * 2, ' ');
    switch (n.kind) {
    case Node::Kind::Null: out += "null"; return;
    case Node::Kind::Bool: out += n.boolean ? "true" : "false"; return;
    case Node::Kind::Number: out += n.text; return;
    case Node::Kind::String: escape(out, n.text); return;
    case Node::Kind::Array:
        if (n.items.empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            out += pad;
            write(out, n.items[i], depth + 1);
            out += i + 1 < n.items.size() ? ",\n" : "\n";
        }
        out += closePad + "]";
        return;
    case Node::Kind::Object:
        if (n.members.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < n.members.size(); ++i) {
            out += pad;
            escape(out, n.members[i].first);
            out += ": ";
            write(out, n.members[i].second, depth + 1);
            out += i + 1 < n.members.size() ? ",\n" : "\n";
        }
        out += closePad + "}";
        return;
    }
}

const char* operatorName(const score::IndicatorResult& r) {
    if (r.qualitative) return "qualitative";
    switch (r.op) {
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

Node indicator(const score::IndicatorResult& r, const score::Rounding& rounding) {
    Node n = Node::object();
    n.set("level1", Node::string(r.level1));
    n.set("level2", Node::string(r.level2));
    n.set("level3", Node::string(r.level3));
    n.set("operator", Node::string(operatorName(r)));
    // Quantitative values are numbers (percent points for % indicators, as in the input);
    // text targets and actuals, and actuals that are not used as numbers, stay text.
    if (!r.qualitative && r.target.value) n.set("target", Node::number(*r.target.value));
    else n.set("target", textOrNull(r.target.text));
    n.set("unit", Node::string(r.unitOfMeasure));
    if (!r.qualitative && r.actual.value && r.status == score::IndicatorStatus::Scored)
        n.set("actual", Node::number(*r.actual.value));
    else n.set("actual", textOrNull(r.actual.text));
    n.set("weight", Node::number(r.weight.rounded(rounding.indicator)));
    n.set("completion", number(r.completion));
    n.set("variance", number(r.variance));
    n.set("score", number(r.score));
    n.set("self_score", number(r.selfScore));
    n.set("band", text(r.band));
    n.set("declared_weight", number(r.declaredWeight));
    n.set("weight_filled", Node::flag(r.weightFilled));
    n.set("status", Node::string(statusName(r.status)));
    n.set("reason", Node::string(r.reason));
    n.set("measures", Node::string(r.measures));
    n.set("row", rowOf(r.source));
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
    const char* severity = d.severity == model::Severity::Error     ? "error"
                           : d.severity == model::Severity::Warning ? "warning"
                                                                    : "note";
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
    for (const auto& r : p.indicators) indicators.push(indicator(r, rounding));
    n.set("indicators", std::move(indicators));
    n.set("total", number(p.total));
    n.set("grade", text(p.grade));
    n.set("findings", findings(p.findings));
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
    for (const auto& r : d.indicators) indicators.push(indicator(r, ev.rounding));
    n.set("indicators", std::move(indicators));
    n.set("indicator_total", number(d.indicatorTotal));
    n.set("indicator_grade", text(d.indicatorGrade));
    n.set("findings", findings(d.findings));
    return n;
}

} // namespace

std::string resultsJson(const score::Evaluation& ev, const model::Diagnostics& diags) {
    Node root = Node::object();
    root.set("year", Node::integer(ev.year));
    root.set("authority", Node::string(ev.authority));
    root.set("rule_set", Node::string(ev.ruleSet));
    Node projects = Node::array();
    for (const auto& p : ev.projects) projects.push(project(p, ev, diags));
    root.set("projects", std::move(projects));
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
    std::string out;
    write(out, root, 0);
    out += '\n';
    return out;
}

} // namespace jixiao::publish
