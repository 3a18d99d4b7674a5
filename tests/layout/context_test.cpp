#include "layout/context.h"
#include "score/evaluate.h"
#include "../score/score_fixtures.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jixiao;
using layout::Value;

namespace {

/// A scored dataset: P001 (full marks) and P002 (classified, half its budget executed), both
/// of department 101; department 102 has none.
struct Scored {
    model::Dataset dataset;
    score::Evaluation evaluation;
    layout::RunFacts facts;

    Scored() {
        model::Project secret = testing::fullProject("P002");
        secret.classified = true;
        secret.funds = {testing::fundTotal("100", "100", "50")};
        secret.owner = "张三";
        dataset = testing::datasetWith({testing::fullProject("P001"), secret});
        for (auto& u : dataset.units) {
            u.contact = "李四";
            u.phone = "13800000000";
        }
        dataset.config.letterPrefix = "某财绩";
        dataset.config.contactOffice = "绩效管理股";
        model::Diagnostics diags;
        evaluation = score::evaluate(dataset, testing::national(), diags);
        facts = layout::runFacts(evaluation, dataset, "2025-03-05");
    }

    const score::ProjectResult& project(const std::string& code) const {
        for (const auto& p : evaluation.projects)
            if (p.code == code) return p;
        throw std::logic_error("no project " + code);
    }
    const score::DepartmentResult& department(const std::string& code) const {
        for (const auto& d : evaluation.departments)
            if (d.code == code) return d;
        throw std::logic_error("no department " + code);
    }
};

/// The value at a dotted path ("project.budget.rate"); list items by index ("indicators.0").
const Value& at(const Value& root, const std::string& path) {
    const Value* v = &root;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t dot = path.find('.', start);
        std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (v->kind() == Value::Kind::List) {
            v = &v->items().at(std::stoul(key));
        } else {
            v = v->get(key);
            if (v == nullptr) throw std::logic_error("no field " + path);
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return *v;
}

std::string text(const Value& root, const std::string& path) { return at(root, path).toText(); }

}  // namespace

TEST_CASE("run facts come from the evaluation and dataset.json", "[layout]") {
    Scored s;
    CHECK(s.facts.year == 2024);
    CHECK(s.facts.authority == "某某县财政局");
    CHECK(s.facts.today == "2025-03-05");
    CHECK(s.facts.ruleSet == "national-2020");
    CHECK(s.facts.letterPrefix == "某财绩");
}

TEST_CASE("a project context holds its budget, indicators and findings, never personal data", "[layout]") {
    Scored s;
    Value ctx = layout::projectContext(s.project("P001"), s.dataset, s.facts);
    CHECK(text(ctx, "year") == "2024");
    CHECK(text(ctx, "authority") == "某某县财政局");
    CHECK(text(ctx, "today") == "2025-03-05");
    CHECK(text(ctx, "letter_prefix") == "某财绩");
    CHECK(text(ctx, "project.code") == "P001");
    CHECK(text(ctx, "project.name") == "项目P001");
    CHECK(text(ctx, "project.unit.name") == "某某县教育局");
    CHECK(text(ctx, "project.department.code") == "101");
    CHECK(text(ctx, "project.budget.adjusted") == "100");
    CHECK(text(ctx, "project.budget.executed") == "100");
    CHECK(text(ctx, "project.budget.rate") == "1");
    CHECK(text(ctx, "project.budget.score") == "10");
    CHECK_FALSE(at(ctx, "project.budget.adjusted_changed").asBool());
    CHECK(at(ctx, "project.budget.funds").items().size() == 4);
    CHECK(text(ctx, "project.budget.funds.0.label") == "年度资金总额");
    CHECK(at(ctx, "project.budget.funds.0.total").asBool());
    CHECK(text(ctx, "project.budget.funds.1.label") == "其中：当年财政拨款");
    CHECK(at(ctx, "project.budget.funds.1.adjusted").isNull());
    CHECK(text(ctx, "project.indicators_count") == "4");
    CHECK(text(ctx, "project.indicator_weight") == "90");
    CHECK(text(ctx, "project.weight_total") == "100");
    CHECK(text(ctx, "project.indicators.0.level1") == "产出指标");
    CHECK(text(ctx, "project.indicators.0.level3") == "培训人次");
    CHECK(text(ctx, "project.indicators.0.operator") == "≥");
    CHECK(text(ctx, "project.indicators.0.score") == "25");
    CHECK(at(ctx, "project.indicators.0.met").asBool());
    CHECK(text(ctx, "project.total") == "100");
    CHECK(text(ctx, "project.grade") == "优");
    CHECK(at(ctx, "project.scored").asBool());
    CHECK(at(ctx, "project.findings").items().empty());
    CHECK(at(ctx, "project.unmet").items().empty());
    CHECK_FALSE(at(ctx, "project.needs_rectification").asBool());
    // Personal data stays out whatever a template asks for.
    Value secret = layout::projectContext(s.project("P002"), s.dataset, s.facts);
    const Value& p = at(secret, "project");
    std::vector<const Value*> pending{&p};
    while (!pending.empty()) {
        const Value* v = pending.back();
        pending.pop_back();
        if (v->kind() == Value::Kind::Map)
            for (const auto& [key, child] : v->fields()) pending.push_back(&child);
        else if (v->kind() == Value::Kind::List)
            for (const auto& child : v->items()) pending.push_back(&child);
        else
            for (const char* personal : {"张三", "李四", "13800000000"}) CHECK(v->toText().find(personal) == std::string::npos);
    }
    CHECK(at(secret, "project.classified").asBool());
}

TEST_CASE("an empty project record gives the form's blank document data", "[layout]") {
    Scored s;
    Value ctx = layout::projectContext({}, s.dataset, s.facts);
    CHECK(text(ctx, "project.code").empty());
    CHECK(at(ctx, "project.total").isNull());
    CHECK(at(ctx, "project.grade").isNull());
    CHECK(at(ctx, "project.indicators").items().empty());
    CHECK(at(ctx, "project.budget.funds").items().size() == 4);
}

TEST_CASE("a department context lists its projects — the public view leaves classified ones out", "[layout]") {
    Scored s;
    const score::DepartmentResult& d = s.department("101");
    Value internal = layout::departmentContext(d, s.evaluation, s.dataset, s.facts, false);
    CHECK(text(internal, "department.code") == "101");
    CHECK(text(internal, "department.name") == "某某县教育局");
    CHECK(text(internal, "department.project_count") == "2");
    CHECK(text(internal, "department.project_adjusted") == "200");
    CHECK(text(internal, "department.project_executed") == "150");
    CHECK(text(internal, "department.project_rate") == "0.75");
    CHECK(text(internal, "department.classified_excluded") == "0");
    CHECK(text(internal, "department.projects.0.code") == "P001");
    CHECK(text(internal, "department.projects.1.code") == "P002");
    CHECK(at(internal, "department.projects.1.classified").asBool());
    CHECK(at(internal, "department.figures.预算数").isNull());
    CHECK(at(internal, "department.basic_budget").isNull());
    CHECK(at(internal, "department.ratios_by_name").fields().size() >= 1);
    CHECK_FALSE(at(internal, "department.totals_withheld").asBool());

    Value pub = layout::departmentContext(d, s.evaluation, s.dataset, s.facts, true);
    CHECK(text(pub, "department.project_count") == "1");
    CHECK(text(pub, "department.classified_excluded") == "1");
    CHECK(text(pub, "department.project_adjusted") == "100");
    CHECK(text(pub, "department.project_rate") == "1");
    CHECK(at(pub, "department.projects").items().size() == 1);
}

TEST_CASE("a letter context holds the letter, the unit, the office and each project", "[layout]") {
    Scored s;
    const model::Unit* unit = s.dataset.findUnit("101");
    REQUIRE(unit != nullptr);
    Value ctx = layout::letterContext(*unit, {&s.project("P001")}, s.dataset, s.facts, {"某财绩函〔2025〕3号", "2025-03-05", "2025-04-04"});
    CHECK(text(ctx, "letter.number") == "某财绩函〔2025〕3号");
    CHECK(text(ctx, "letter.date") == "2025-03-05");
    CHECK(text(ctx, "letter.deadline") == "2025-04-04");
    CHECK(text(ctx, "unit.code") == "101");
    CHECK(text(ctx, "unit.name") == "某某县教育局");
    CHECK(text(ctx, "contact.office") == "绩效管理股");
    CHECK(text(ctx, "projects_count") == "1");
    CHECK(text(ctx, "projects.0.project.code") == "P001");
    CHECK(text(ctx, "projects.0.project.grade") == "优");
}

TEST_CASE("the summary context lists every project, department and grade", "[layout]") {
    Scored s;
    Value ctx = layout::summaryContext(s.evaluation, s.dataset, s.facts, {});
    CHECK(at(ctx, "projects").items().size() == 2);
    CHECK(text(ctx, "projects.0.department_name") == "某某县教育局");
    CHECK(at(ctx, "departments").items().size() == s.evaluation.departments.size());
    CHECK(text(ctx, "departments.0.code") == s.evaluation.departments[0].code);
    const auto& grades = at(ctx, "grades").items();
    REQUIRE(grades.size() == s.evaluation.gradeNames.size());
    CHECK(text(ctx, "grades.0.name") == "优");
    int counted = 0;
    for (const auto& g : grades) counted += int(g.get("count")->asNumber().raw() / model::Decimal::kScale);
    int graded = 0;
    for (const auto& p : s.evaluation.projects) graded += p.grade ? 1 : 0;
    CHECK(counted == graded);
    for (const auto& f : at(ctx, "findings").items()) CHECK_FALSE(f.get("project_code")->toText().empty());
}
