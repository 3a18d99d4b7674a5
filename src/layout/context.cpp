#include "layout/context.h"

#include "score/format.h"
#include "score/rules.h"

#include <algorithm>
#include <map>

namespace jixiao::layout {

using model::Decimal;

namespace {

Value num(const std::optional<Decimal>& d) { return d ? Value(*d) : Value(); }

Value base(const RunFacts& facts) {
    Value root = Value::map();
    root.set("year", Value(Decimal::fromInt(facts.year)));
    root.set("authority", facts.authority);
    root.set("today", facts.today);
    root.set("rule_set", facts.ruleSet);
    root.set("rule_set_title", facts.ruleSetTitle);
    root.set("letter_prefix", facts.letterPrefix);
    return root;
}

std::string unitName(const model::Dataset& ds, const std::string& code) {
    const model::Unit* u = ds.findUnit(code);
    return u ? u->name : code;
}

Value indicatorValue(const score::IndicatorResult& r) {
    const model::Indicator& in = *r.row;
    Value v = Value::map();
    v.set("level1", in.level1.str());
    v.set("level2", in.level2.str());
    v.set("level3", in.level3.str());
    v.set("operator", score::operatorSymbol(r.op()));
    v.set("qualitative", Value(r.qualitative));
    v.set("target", score::quantityText(in.target, in.unitOfMeasure, r.percentScale(), r.op(), true));
    v.set("actual", in.actual.empty() ? std::string() : score::quantityText(in.actual, in.unitOfMeasure, r.percentScale(), r.op(), false));
    v.set("unit", in.unitOfMeasure.str());
    v.set("weight", Value(r.weight));
    v.set("weight_filled", Value(r.weightFilled));
    v.set("completion", num(r.completion));
    v.set("variance", num(r.variance));
    v.set("score", num(r.score));
    v.set("deduction", num(r.deduction));
    v.set("self_score", num(r.selfScore()));
    v.set("band", r.band ? Value(*r.band) : Value());
    std::string reason = in.reason.str();
    std::string measures = in.measures.str();
    std::string analysis = reason;
    if (!measures.empty()) analysis += (analysis.empty() ? "" : "；") + measures;
    v.set("reason", std::move(reason));
    v.set("measures", std::move(measures));
    v.set("analysis", analysis);
    v.set("met", Value(r.completion ? *r.completion >= Decimal::fromInt(1) : (r.band && *r.band == "达成")));
    return v;
}

Value findingsValue(const std::vector<score::Finding>& findings, const std::vector<score::IndicatorResult>& indicators) {
    Value list = Value::list();
    for (const auto& f : findings) {
        Value& v = list.push(Value::map());
        v.set("code", f.code.str());
        v.set("severity", score::severityName(f.severity));
        v.set("message", f.message);
        v.set("indicator", f.indicator && *f.indicator < indicators.size() ? Value(indicators[*f.indicator].row->level3) : Value());
        v.set("rectify", Value(f.severity == score::FindingSeverity::Rectify));
        v.set("points", num(f.points));
    }
    return list;
}

/// The four lines of the 项目资金 block of the national form, in its order. The fund kinds
/// other provinces' forms add (财政专户管理资金, 单位资金) share the last line with 其他资金,
/// named after what the project has, so that the form keeps its fixed four lines.
Value fundsValue(const score::ProjectResult& p, const model::Dataset& ds) {
    struct Line {
        std::vector<model::FundKind> kinds;
        const char* label;
    };
    static const Line lines[] = {{{model::FundKind::Total}, "年度资金总额"},
                                 {{model::FundKind::CurrentFiscal}, "其中：当年财政拨款"},
                                 {{model::FundKind::CarryOver}, "上年结转资金"},
                                 {{model::FundKind::FiscalSpecial, model::FundKind::UnitOwn, model::FundKind::Other}, "其他资金"}};
    const model::Project* src = ds.findProject(p.code);
    Value list = Value::list();
    for (const auto& line : lines) {
        Value& v = list.push(Value::map());
        v.set("total", Value(line.kinds.front() == model::FundKind::Total));
        if (line.kinds.front() == model::FundKind::Total) {
            v.set("label", line.label);
            v.set("initial", num(p.initial));
            v.set("adjusted", Value(p.adjusted));
            v.set("executed", Value(p.executed));
            continue;
        }
        std::vector<const model::FundingRow*> rows;
        if (src)
            for (const auto& f : src->funds)
                if (std::find(line.kinds.begin(), line.kinds.end(), f.kind) != line.kinds.end()) rows.push_back(&f);
        std::string label = line.label;
        if (rows.size() == 1 && rows.front()->kind == model::FundKind::FiscalSpecial) label = "财政专户管理资金";
        if (rows.size() == 1 && rows.front()->kind == model::FundKind::UnitOwn) label = "单位资金";
        if (rows.size() > 1) {
            label = "其他资金（含";
            bool first = true;
            for (const auto* r : rows)
                if (r->kind != model::FundKind::Other) {
                    label += std::string(first ? "" : "、") + (r->kind == model::FundKind::FiscalSpecial ? "财政专户管理资金" : "单位资金");
                    first = false;
                }
            label += "）";
        }
        v.set("label", label);
        if (rows.empty()) {
            v.set("initial", Value());
            v.set("adjusted", Value());
            v.set("executed", Value());
            continue;
        }
        std::optional<Decimal> initial;
        Decimal adjusted, executed;
        for (const auto* r : rows) {
            if (r->initial) initial = initial.value_or(Decimal()) + *r->initial;
            adjusted += r->adjusted;
            executed += r->executed;
        }
        v.set("initial", num(initial));
        v.set("adjusted", Value(adjusted));
        v.set("executed", Value(executed));
    }
    return list;
}

/// One line per kind of fund below the total, for provincial forms that list them all
/// (Sichuan: 财政拨款, 上年结转资金, 财政专户管理资金, 单位资金, 其他资金); a kind the project
/// lacks has empty figures.
Value fundKindsValue(const score::ProjectResult& p, const model::Dataset& ds) {
    struct Line {
        model::FundKind kind;
        const char* label;
    };
    static const Line lines[] = {{model::FundKind::CurrentFiscal, "财政拨款"},
                                 {model::FundKind::CarryOver, "上年结转资金"},
                                 {model::FundKind::FiscalSpecial, "财政专户管理资金"},
                                 {model::FundKind::UnitOwn, "单位资金"},
                                 {model::FundKind::Other, "其他资金"}};
    const model::Project* src = ds.findProject(p.code);
    Value list = Value::list();
    for (const auto& line : lines) {
        Value& v = list.push(Value::map());
        v.set("total", Value(false));
        v.set("label", line.label);
        bool any = false;
        std::optional<Decimal> initial;
        Decimal adjusted, executed;
        if (src)
            for (const auto& f : src->funds)
                if (f.kind == line.kind) {
                    any = true;
                    if (f.initial) initial = initial.value_or(Decimal()) + *f.initial;
                    adjusted += f.adjusted;
                    executed += f.executed;
                }
        v.set("initial", any ? num(initial) : Value());
        v.set("adjusted", any ? Value(adjusted) : Value());
        v.set("executed", any ? Value(executed) : Value());
    }
    return list;
}

/// The 结果应用 advice of a project's grade, or nullptr.
const score::ApplicationRule* applicationOf(const score::ProjectResult& p, const RunFacts& facts) {
    if (!p.grade) return nullptr;
    for (const auto& a : facts.application)
        if (a.grade == *p.grade) return &a;
    return nullptr;
}

/// `application`: the advice, its range and the change in 万元 for the project's 全年预算数;
/// null when the rule set has no 结果应用 table or the project has no grade.
Value applicationValue(const score::ProjectResult& p, const RunFacts& facts) {
    const score::ApplicationRule* a = applicationOf(p, facts);
    if (!a) return Value();
    Value v = Value::map();
    v.set("grade", a->grade);
    v.set("advice", a->advice);
    v.set("change_min", Value(a->changeMin));
    v.set("change_max", Value(a->changeMax));
    v.set("change_text", score::budgetChangeText(a->changeMin, a->changeMax));
    v.set("amount_min", Value((p.adjusted * a->changeMin).rounded(2)));
    v.set("amount_max", Value((p.adjusted * a->changeMax).rounded(2)));
    const Decimal base = p.adjusted;
    v.set("amount_text",
          score::budgetChangeText(a->changeMin, a->changeMax, [base](Decimal f) { return score::moneyText((base * f).rounded(2)); }));
    v.set("in_letter", Value(a->inLetter));
    return v;
}

/// The execution-rate cap of a project: `max_total`, `points` taken and the finding's
/// sentence; null when no cap brought the total down.
Value capValue(const score::ProjectResult& p) {
    if (!p.uncappedTotal) return Value();
    for (const auto& f : p.findings) {
        if (f.code != "execution_cap" || !f.points) continue;
        Value v = Value::map();
        v.set("uncapped_total", Value(*p.uncappedTotal));
        v.set("max_total", num(p.total));
        v.set("points", Value(*f.points));
        v.set("message", f.message);
        return v;
    }
    return Value();
}

Value projectSummary(const score::ProjectResult& p, const model::Dataset& ds) {
    Value v = Value::map();
    v.set("code", p.code);
    v.set("name", p.name);
    v.set("unit_name", unitName(ds, p.unitCode));
    v.set("department_name", unitName(ds, p.departmentCode));
    v.set("department_code", p.departmentCode);
    v.set("classified", Value(p.classified));
    v.set("adjusted", Value(p.adjusted));
    v.set("executed", Value(p.executed));
    v.set("rate", num(p.rate));
    v.set("total", num(p.total));
    v.set("grade", p.grade ? Value(*p.grade) : Value());
    v.set("findings_count", Value(Decimal::fromInt(std::int64_t(p.findings.size()))));
    return v;
}

/// The 结果应用 sheet of the summary workbook: a list holding one item when the rule set has a
/// 结果应用 table and none otherwise, so that the sheet (an `each` over it) appears only then.
/// The item lists every graded project with its advice, and per department the budgets and
/// the suggested change in 万元.
Value applicationSheets(const score::Evaluation& evaluation, const model::Dataset& ds, const RunFacts& facts) {
    Value sheets = Value::list();
    if (facts.application.empty()) return sheets;
    Value& sheet = sheets.push(Value::map());
    std::vector<std::size_t> graded;  // the projects with advice, made again while the sheet is built
    struct Sum {
        int count = 0;
        Decimal adjusted, min, max;
    };
    std::map<std::string, Sum> byDepartment;
    Sum all;
    for (std::size_t i = 0; i < evaluation.projects.size(); ++i) {
        const auto& p = evaluation.projects[i];
        Value advice = applicationValue(p, facts);
        if (advice.isNull()) continue;
        graded.push_back(i);
        for (Sum* s : {&byDepartment[p.departmentCode], &all}) {
            ++s->count;
            s->adjusted += p.adjusted;
            s->min += advice.get("amount_min")->asNumber();
            s->max += advice.get("amount_max")->asNumber();
        }
    }
    const std::size_t count = graded.size();
    sheet.set("projects", Value::generated(count, [&evaluation, &ds, facts, graded = std::move(graded)](std::size_t n) {
                  const auto& p = evaluation.projects[graded[n]];
                  Value x = projectSummary(p, ds);
                  x.set("application", applicationValue(p, facts));
                  return x;
              }));
    auto sumValue = [](const Sum& s, Value& v) {
        v.set("count", Value(Decimal::fromInt(s.count)));
        v.set("adjusted", Value(s.adjusted));
        v.set("amount_min", Value(s.min));
        v.set("amount_max", Value(s.max));
    };
    Value& departments = sheet.set("departments", Value::list());
    for (const auto& [code, s] : byDepartment) {
        Value& d = departments.push(Value::map());
        d.set("code", code);
        d.set("name", code.empty() ? std::string("（未归属部门）") : unitName(ds, code));
        sumValue(s, d);
    }
    sumValue(all, sheet.set("total", Value::map()));
    return sheets;
}

}  // namespace

RunFacts runFacts(const score::Evaluation& evaluation, const model::Dataset& dataset, const std::string& today) {
    return {evaluation.year,       evaluation.authority, today, evaluation.ruleSet, evaluation.ruleSetTitle, dataset.config.letterPrefix,
            evaluation.application};
}

Value projectContext(const score::ProjectResult& p, const model::Dataset& ds, const RunFacts& facts) {
    Value root = base(facts);
    Value& v = root.set("project", Value::map());
    const model::Project* src = ds.findProject(p.code);
    v.set("code", p.code);
    v.set("name", p.name);
    v.set("classified", Value(p.classified));
    v.set("category", src ? src->category : std::string());
    v.set("function_class", src ? src->functionClass : std::string());
    v.set("funding_source", src ? src->fundingSource : std::string());
    v.set("period", src ? src->period : std::string());
    v.set("goal", src ? src->goal.str() : std::string());
    v.set("achieved", src ? src->achieved.str() : std::string());
    Value& unit = v.set("unit", Value::map());
    unit.set("code", p.unitCode);
    unit.set("name", unitName(ds, p.unitCode));
    Value& dept = v.set("department", Value::map());
    dept.set("code", p.departmentCode);
    dept.set("name", unitName(ds, p.departmentCode));

    Value& budget = v.set("budget", Value::map());
    budget.set("initial", num(p.initial));
    budget.set("adjusted", Value(p.adjusted));
    budget.set("executed", Value(p.executed));
    budget.set("rate", num(p.rate));
    budget.set("weight", Value(p.budgetWeight));
    budget.set("score", Value(p.budgetScore));
    budget.set("self_score", num(p.budgetSelfScore));
    budget.set("adjusted_changed", Value(p.initial && *p.initial != p.adjusted));
    std::string reason;
    if (src)
        for (const auto& f : src->funds)
            if (!f.reason.empty()) reason += (reason.empty() ? "" : "；") + f.reason.str();
    budget.set("reason", reason);
    const Value& funds = budget.set("funds", fundsValue(p, ds));
    Value& lines = budget.set("fund_lines", Value::list());
    for (std::size_t i = 1; i < funds.items().size(); ++i) lines.push(funds.items()[i]);
    budget.set("fund_kinds", fundKindsValue(p, ds));

    Value& indicators = v.set("indicators", Value::list());
    Decimal weights;
    for (std::size_t i = 0; i < p.indicators.size(); ++i) {
        const auto& r = p.indicators[i];
        Value& x = indicators.push(indicatorValue(r));
        // The sentence of a deduction on this row (指标偏离), for the 偏差原因 column.
        std::string adjustment;
        for (const auto& f : p.findings)
            if (f.points && f.indicator == i) adjustment = f.message;
        x.set("adjustment", adjustment);
        weights += r.weight;
    }
    v.set("indicator_weight", Value(weights));
    v.set("indicators_count", Value(Decimal::fromInt(std::int64_t(p.indicators.size()))));
    v.set("weight_total", Value(weights + p.budgetWeight));
    v.set("total", num(p.total));
    v.set("grade", p.grade ? Value(*p.grade) : Value());
    v.set("cap", capValue(p));
    v.set("application", applicationValue(p, facts));
    v.set("scored", Value(p.scored()));
    v.set("findings", findingsValue(p.findings, p.indicators));
    bool rectify =
        std::any_of(p.findings.begin(), p.findings.end(), [](const auto& f) { return f.severity == score::FindingSeverity::Rectify; });
    v.set("needs_rectification", Value(rectify));
    Value& unmet = v.set("unmet", Value::list());
    for (const auto& r : p.indicators)
        if (r.completion && *r.completion < Decimal::fromInt(1)) unmet.push(indicatorValue(r));
    return root;
}

Value departmentContext(const score::DepartmentResult& d, const score::Evaluation& evaluation, const model::Dataset& ds,
                        const RunFacts& facts, bool publicView) {
    Value root = base(facts);
    Value& v = root.set("department", Value::map());
    v.set("code", d.code);
    v.set("name", d.name);
    v.set("budget_weighted_total", num(d.budgetWeightedTotal));
    v.set("indicator_total", num(d.indicatorTotal));
    v.set("indicator_grade", d.grade ? Value(*d.grade) : Value());  // older name of grade, kept for templates
    Value& grades = v.set("grades", Value::list());
    for (const auto& [name, count] : d.gradeCounts) {
        Value& g = grades.push(Value::map());
        g.set("name", name);
        g.set("count", Value(Decimal::fromInt(count)));
    }
    Value& ratios = v.set("ratios", Value::list());
    for (const auto& r : d.ratios) {
        Value& x = ratios.push(Value::map());
        x.set("name", r.name);
        x.set("formula", r.formula);
        x.set("value", num(r.value));
        x.set("weight", num(r.weight));
        x.set("score", num(r.score));
        std::string figures;
        for (const auto& [name, value] : r.figures) figures += (figures.empty() ? "" : "；") + name + " " + value.toString();
        x.set("figures", figures);
    }
    Value& byName = v.set("ratios_by_name", Value::map());
    for (const auto& name : score::ratioNames()) byName.set(name, Value());
    for (const auto& r : d.ratios) byName.set(r.name, num(r.value));
    Value& indicators = v.set("indicators", Value::list());
    for (const auto& r : d.indicators) indicators.push(indicatorValue(r));
    // This year's 部门整体 figures by their Chinese names; absent ones are null so that a
    // template can test them without naming an unknown field.
    Value& figures = v.set("figures", Value::map());
    for (const char* name : {"预算数", "预算调整数", "执行数", "结转结余总额", "三公经费", "在职人员经费", "公用经费", "在职人数", "编制数",
                             "政府采购预算", "政府采购执行数"})
        figures.set(name, Value());
    for (const auto& f : ds.figures)
        if (f.unitCode == d.code && f.year == facts.year)
            for (const auto& [name, value] : f.figures) figures.set(name, Value(value));
    // 基本支出 = 人员经费 + 公用经费, when the export gives either.
    const Value* staff = figures.get("在职人员经费");
    const Value* office = figures.get("公用经费");
    if (staff->isNull() && office->isNull()) v.set("basic_budget", Value());
    else
        v.set("basic_budget",
              Value((staff->isNull() ? Decimal() : staff->asNumber()) + (office->isNull() ? Decimal() : office->asNumber())));
    v.set("findings", findingsValue(d.findings, d.indicators));

    Value& projects = v.set("projects", Value::list());
    int excluded = 0;
    Decimal adjusted, executed;
    for (const auto& p : evaluation.projects) {
        if (p.departmentCode != d.code) continue;
        if (publicView && p.classified) {
            ++excluded;
            continue;
        }
        projects.push(projectSummary(p, ds));
        adjusted += p.adjusted;
        executed += p.executed;
    }
    v.set("classified_excluded", Value(Decimal::fromInt(excluded)));
    // Set by the disclosure site when totals would reveal classified amounts.
    v.set("totals_withheld", Value(false));
    v.set("project_count", Value(Decimal::fromInt(std::int64_t(projects.items().size()))));
    v.set("project_adjusted", Value(adjusted));
    v.set("project_executed", Value(executed));
    v.set("project_rate", adjusted.isZero() ? Value() : Value((executed / adjusted).rounded(evaluation.rounding.rate)));
    return root;
}

Value letterContext(const model::Unit& unit, const std::vector<const score::ProjectResult*>& projects, const model::Dataset& ds,
                    const RunFacts& facts, const LetterFacts& letter) {
    Value root = base(facts);
    Value& l = root.set("letter", Value::map());
    l.set("number", letter.number);
    l.set("date", letter.date);
    l.set("deadline", letter.deadline);
    l.set("draft", Value(letter.draft));
    root.set("letterhead", ds.config.letterhead.empty() ? facts.authority : ds.config.letterhead);
    root.set("copy_to", ds.config.copyTo);
    root.set("printer", ds.config.printer);
    root.set("colophon_format", ds.config.colophonFormat);
    Value& u = root.set("unit", Value::map());
    u.set("code", unit.code);
    u.set("name", unit.name);
    Value& contact = root.set("contact", Value::map());
    contact.set("office", ds.config.contactOffice);
    contact.set("phone", ds.config.contactPhone);
    Value& list = root.set("projects", Value::list());
    bool applicationInLetter = false;
    for (const auto* p : projects) {
        Value item = projectContext(*p, ds, facts);
        Value& entry = list.push(Value::map());
        entry.set("project", item.take("project"));
        const score::ApplicationRule* a = applicationOf(*p, facts);
        if (a && a->inLetter) applicationInLetter = true;
    }
    // Some project's grade calls for 结果应用 advice in the 整改要求.
    root.set("application_in_letter", Value(applicationInLetter));
    root.set("projects_count", Value(Decimal::fromInt(std::int64_t(projects.size()))));
    return root;
}

Value problemsContext(const model::Diagnostics& diagnostics, const model::Dataset& ds, const RunFacts& facts) {
    Value root = base(facts);
    auto item = [](const model::Diagnostic& d) {
        Value v = Value::map();
        v.set("file", d.at.file);
        v.set("sheet", d.at.sheet);
        const bool hasRow = d.at.row > 0;
        v.set("cell", hasRow && d.at.column >= 0 ? model::columnLetter(d.at.column) + std::to_string(d.at.row) : std::string());
        v.set("row", hasRow ? Value(Decimal::fromInt(d.at.row)) : Value());
        v.set("column", d.at.header);
        v.set("value", d.value);
        const char* severity = d.severity == model::Severity::Error ? "错误" : d.severity == model::Severity::Warning ? "警告" : "说明";
        v.set("severity", severity);
        v.set("message", d.message);
        v.set("hint", d.hint);
        return v;
    };
    // A problem belongs to the department of its project; failing that, to the department of
    // the unit its row names (a 单位 or 部门整体 row).
    auto departmentOf = [&](const model::Diagnostic& d) -> std::string {
        if (const model::Project* p = ds.findProject(d.projectCode))
            if (const model::Unit* dept = ds.departmentOf(p->unitCode)) return dept->code;
        if (const model::Unit* dept = ds.departmentOf(d.value)) return dept->code;
        return {};
    };
    Value& all = root.set("problems", Value::list());
    std::map<std::string, std::vector<const model::Diagnostic*>> byDepartment;
    for (const auto& d : diagnostics.list()) {
        all.push(item(d));
        if (std::string code = departmentOf(d); !code.empty()) byDepartment[code].push_back(&d);
    }
    Value& departments = root.set("departments", Value::list());
    for (const auto& [code, list] : byDepartment) {
        Value& dept = departments.push(Value::map());
        dept.set("code", code);
        dept.set("name", unitName(ds, code));
        Value& problems = dept.set("problems", Value::list());
        for (const auto* d : list) problems.push(item(*d));
    }
    return root;
}

Value summaryContext(const score::Evaluation& evaluation, const model::Dataset& ds, const RunFacts& facts,
                     const std::vector<OverdueRectification>& overdue) {
    Value root = base(facts);
    Value& late = root.set("overdue", Value::list());
    for (const auto& item : overdue) {
        Value& o = late.push(Value::map());
        o.set("letter", item.letter);
        o.set("unit_code", item.unitCode);
        o.set("unit_name", item.unitName);
        o.set("issued_on", item.issuedOn);
        o.set("deadline", item.deadline);
        o.set("status", item.status);
    }
    // The lists of every project are made one item at a time while the workbook is built:
    // held whole they were a hundred megabytes at 20,000 projects.
    const auto& all = evaluation.projects;
    root.set("projects", Value::generated(all.size(), [&all, &ds](std::size_t i) { return projectSummary(all[i], ds); }));
    std::vector<std::pair<std::size_t, std::size_t>> findingAt;  // (project, finding)
    for (std::size_t i = 0; i < all.size(); ++i)
        for (std::size_t k = 0; k < all[i].findings.size(); ++k) findingAt.emplace_back(i, k);
    const std::size_t findingCount = findingAt.size();
    root.set("findings", Value::generated(findingCount, [&all, &ds, findingAt = std::move(findingAt)](std::size_t n) {
                 const auto& p = all[findingAt[n].first];
                 const auto& f = p.findings[findingAt[n].second];
                 Value x = Value::map();
                 x.set("project_code", p.code);
                 x.set("project_name", p.name);
                 x.set("department_name", unitName(ds, p.departmentCode));
                 x.set("code", f.code.str());
                 x.set("code_name", score::findingName(f.code));
                 x.set("severity", score::severityName(f.severity));
                 x.set("message", f.message);
                 return x;
             }));
    root.set("departments", Value::generated(evaluation.departments.size(), [&evaluation, &ds, facts](std::size_t i) {
                 const Value dept = departmentContext(evaluation.departments[i], evaluation, ds, facts, false);
                 return *dept.get("department");
             }));
    root.set("result_application", applicationSheets(evaluation, ds, facts));
    Value& grades = root.set("grades", Value::list());
    for (const auto& name : evaluation.gradeNames) {
        Value& g = grades.push(Value::map());
        g.set("name", name);
        auto n = std::count_if(evaluation.projects.begin(), evaluation.projects.end(),
                               [&](const auto& p) { return p.grade && *p.grade == name; });
        g.set("count", Value(Decimal::fromInt(n)));
    }
    return root;
}

Value fieldSample(FormPer per) {
    // One of everything: a department D with a unit U, a project P of U with a funding row of
    // each kind, an indicator, a capped total with its finding, and a 结果应用 rule for its grade.
    static const model::Indicator indicator = [] {
        static model::NamePool names;
        model::Indicator in;
        in.level1 = names.intern("产出指标");
        in.level2 = names.intern("数量指标");
        in.level3 = names.intern("指标");
        return in;
    }();
    model::Dataset ds;
    ds.units.push_back(model::Unit{"D", "部门", "", model::UnitKind::Department, {}, {}, {}});
    ds.units.push_back(model::Unit{"U", "单位", "D", model::UnitKind::Unit, {}, {}, {}});
    model::Project project;
    project.code = "P";
    project.name = "项目";
    project.unitCode = "U";
    for (auto kind : {model::FundKind::Total, model::FundKind::CurrentFiscal, model::FundKind::CarryOver, model::FundKind::Other}) {
        model::FundingRow row;
        row.kind = kind;
        project.funds.push_back(row);
    }
    ds.projects.push_back(project);

    score::IndicatorResult ir;
    ir.row = &indicator;
    score::Finding cap;
    cap.code = score::ruleName("execution_cap");
    cap.severity = score::FindingSeverity::Rectify;
    cap.indicator = 0;
    cap.points = Decimal::fromInt(1);
    score::ProjectResult p;
    p.code = "P";
    p.name = "项目";
    p.unitCode = "U";
    p.departmentCode = "D";
    p.indicators.push_back(ir);
    p.total = Decimal::fromInt(80);
    p.uncappedTotal = Decimal::fromInt(81);
    p.grade = "良";
    p.findings.push_back(cap);

    score::DepartmentResult d;
    d.code = "D";
    d.name = "部门";
    d.gradeCounts.emplace_back("良", 1);
    d.ratios.push_back(score::RatioResult{"预算执行率", "", {}, {}, {}, {}});
    d.indicators.push_back(ir);
    d.findings.push_back(cap);

    score::Evaluation evaluation;
    evaluation.gradeNames = {"良"};
    evaluation.application.push_back(score::ApplicationRule{"良", "", {}, {}, true});
    evaluation.projects.push_back(p);
    evaluation.departments.push_back(d);

    const RunFacts facts = runFacts(evaluation, ds, "2000-01-01");
    switch (per) {
    case FormPer::Project: return projectContext(p, ds, facts);
    case FormPer::Department: return departmentContext(d, evaluation, ds, facts, false);
    case FormPer::Unit: return letterContext(ds.units[1], {&p}, ds, facts, LetterFacts{});
    case FormPer::Run: return summaryContext(evaluation, ds, facts, {OverdueRectification{}}).resolved();
    case FormPer::Check: {
        model::Diagnostics diags;
        diags.error(model::Position{"", "", 1, 0, ""}, "U", "");  // a problem of unit U, so of department D
        return problemsContext(diags, ds, facts);
    }
    }
    return base(facts);
}

}  // namespace jixiao::layout
