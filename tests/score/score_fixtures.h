#pragma once

// Shared helpers for the [score] and [publish] tests: the shipped rule sets and a small
// dataset builder, so that each test states only what it is about.

#include "model/dataset.h"
#include "model/decimal.h"
#include "score/evaluate.h"
#include "score/rules.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::testing {

/// A Decimal from its text; throws on a typo in the test itself.
inline model::Decimal dec(const std::string& text) {
    auto d = model::Decimal::parse(text);
    if (!d) throw std::invalid_argument("bad decimal in test: " + text);
    return *d;
}

/// The shipped rule set `name` (templates/rules/<name>.json), loaded once.
inline const score::RuleSet& shippedRules(const std::string& name) {
    static const score::RuleSet national = score::loadRules(std::string(JIXIAO_SOURCE_DIR) + "/templates/rules/national-2020.json");
    static const score::RuleSet hubei = score::loadRules(std::string(JIXIAO_SOURCE_DIR) + "/templates/rules/hubei.json");
    static const score::RuleSet yitihua = score::loadRules(std::string(JIXIAO_SOURCE_DIR) + "/templates/rules/yitihua-2022.json");
    if (name == "hubei") return hubei;
    if (name == "yitihua-2022") return yitihua;
    return national;
}

inline const score::RuleSet& national() { return shippedRules("national-2020"); }
inline const score::RuleSet& hubei() { return shippedRules("hubei"); }
inline const score::RuleSet& yitihua() { return shippedRules("yitihua-2022"); }

/// A narrative (偏差原因, 改进措施 …) as ingest holds it: in a store kept for the whole test run.
inline model::Text narrative(const std::string& s) {
    static model::TextStore store;
    return store.put(s);
}

/// The pool of the fixtures' short repeated values, kept for the whole test run.
inline model::NamePool& fixturePool() {
    static model::NamePool pool;
    return pool;
}

/// A short repeated value (指标名称, 计量单位, a code) as ingest holds it.
inline model::Name name(const std::string& s) { return fixturePool().intern(s); }

/// A number quantity as ingest produces it ("735" → value 735).
inline model::Quantity num(const std::string& text) {
    model::Quantity q;
    q.value = model::Decimal::parse(text);
    q.setText(fixturePool(), text);
    return q;
}

/// A text quantity ("达成"). (Not `words`: tests/app/pdf_measure.h has a `words(const std::string&)` of its own.)
inline model::Quantity textQuantity(const std::string& text) {
    model::Quantity q;
    q.setText(fixturePool(), text);
    return q;
}

/// A project indicator row at `row` of 绩效指标.csv.
inline model::Indicator indicator(const std::string& level1, const std::string& level3, model::Operator op, model::Quantity target,
                                  model::Quantity actual, const char* weight, const std::string& unit = "", int row = 2) {
    model::Indicator ind;
    ind.level1 = name(level1);
    ind.level2 = name(level1 == "产出指标" ? "数量指标" : level1 == "效益指标" ? "社会效益指标" : "服务对象满意度指标");
    ind.level3 = name(level3);
    ind.op = op;
    ind.target = std::move(target);
    ind.actual = std::move(actual);
    ind.unitOfMeasure = name(unit);
    if (weight) ind.weight = dec(weight);
    ind.source = model::SourceRef::inFile("绩效指标.csv", row);
    return ind;
}

/// A funding total row.
inline model::FundingRow fundTotal(const char* initial, const char* adjusted, const char* executed, int row = 2) {
    model::FundingRow f;
    f.kind = model::FundKind::Total;
    if (initial) f.initial = dec(initial);
    f.adjusted = dec(adjusted);
    f.executed = dec(executed);
    f.source = model::SourceRef::inFile("预算执行.csv", row);
    return f;
}

/// A project of unit 101 whose indicators score full marks (90 points) unless changed:
/// 产出 50 (two rows of 25), 效益 30, 满意度 10; budget fully executed.
inline model::Project fullProject(const std::string& code, const std::string& unit = "101") {
    using model::Operator;
    model::Project p;
    p.code = code;
    p.name = "项目" + code;
    p.unitCode = unit;
    p.source = model::SourceRef::inFile("项目.csv", 2);
    p.funds.push_back(fundTotal("100", "100", "100"));
    p.indicators.push_back(indicator("产出指标", "培训人次", Operator::Ge, num("735"), num("735"), "25", "人次", 2));
    p.indicators.push_back(indicator("产出指标", "验收合格率", Operator::Ge, num("95"), num("98"), "25", "%", 3));
    p.indicators.push_back(indicator("效益指标", "带动就业", Operator::Ge, num("100"), num("100"), "30", "人", 4));
    p.indicators.push_back(indicator("满意度指标", "服务对象满意度", Operator::Ge, num("90"), num("95"), "10", "%", 5));
    return p;
}

/// A dataset of year 2024 with department 101 (and its unit 10101), holding `projects`.
inline model::Dataset datasetWith(std::vector<model::Project> projects) {
    model::Dataset d;
    d.folder = "county";
    d.config.year = 2024;
    d.config.authority = "某某县财政局";
    model::Unit dept;
    dept.code = "101";
    dept.name = "某某县教育局";
    dept.kind = model::UnitKind::Department;
    model::Unit unit;
    unit.code = "10101";
    unit.name = "某某县第一中学";
    unit.parentCode = "101";
    unit.kind = model::UnitKind::Unit;
    model::Unit dept2;
    dept2.code = "102";
    dept2.name = "某某县卫生健康局";
    d.units = {dept, unit, dept2};
    d.projects = std::move(projects);
    return d;
}

/// `project` alone in datasetWith's dataset, scored with `rules`.
inline score::ProjectResult scoreOne(model::Project project, const score::RuleSet& rules) {
    model::Diagnostics diags;
    const score::Evaluation ev = score::evaluate(datasetWith({std::move(project)}), rules, diags);
    if (ev.projects.size() != 1) throw std::logic_error("scoreOne: the dataset did not give one project");
    return ev.projects.front();
}

/// The codes of `findings`, in order.
inline std::vector<std::string> codes(const std::vector<score::Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.push_back(f.code.str());
    return out;
}

}  // namespace jixiao::testing
