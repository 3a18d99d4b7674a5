#include <catch2/catch.hpp>

#include "ingest/dataset_reader.h"
#include "model/validate.h"
#include "score/evaluate.h"
#include "score/public_view.h"
#include "score_fixtures.h"

#include <algorithm>

using namespace jixiao;
using namespace jixiao::testing;

namespace {

/// samples/tiny: department 101 with T001, T002 and the classified T003 (see its README).
struct Tiny {
    model::Diagnostics diags;
    model::Dataset dataset;
    score::Evaluation evaluation;
    Tiny() {
        dataset = ingest::readDataset(std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny", diags);
        model::validate(dataset, diags);
        evaluation = score::evaluate(dataset, national(), diags);
    }
};

std::vector<std::string> projectCodes(const std::vector<score::ProjectResult>& projects) {
    std::vector<std::string> out;
    for (const auto& p : projects) out.push_back(p.code);
    return out;
}

const score::DepartmentResult& department(const score::Evaluation& ev, const std::string& code) {
    auto it = std::find_if(ev.departments.begin(), ev.departments.end(), [&](const auto& d) { return d.code == code; });
    REQUIRE(it != ev.departments.end());
    return *it;
}

}  // namespace

TEST_CASE("public view: classified projects are removed and only counted", "[score]") {
    Tiny t;
    REQUIRE(t.diags.errors() == 0);
    auto view = score::publicView(t.evaluation, t.dataset);
    CHECK(projectCodes(view.evaluation.projects) == std::vector<std::string>{"T001", "T002"});
    REQUIRE(view.dataset.projects.size() == 2);
    CHECK(view.dataset.projects[0].code == "T001");
    CHECK(view.dataset.projects[1].code == "T002");
    CHECK(view.dataset.findProject("T003") == nullptr);
    CHECK(view.excludedIn("101") == 1);
    CHECK(view.excludedIn("999") == 0);
    CHECK(view.classifiedExcluded == std::map<std::string, int>{{"101", 1}});
    // The input is left alone: the internal documents still need it.
    CHECK(t.evaluation.projects.size() == 3);
    CHECK(t.dataset.projects.size() == 3);
}

TEST_CASE("public view: department aggregates are recomputed without classified projects", "[score]") {
    Tiny t;
    auto view = score::publicView(t.evaluation, t.dataset);
    const auto& before = department(t.evaluation, "101");
    const auto& after = department(view.evaluation, "101");
    // samples/tiny/README.md: 94.18 with the classified T003, 93.23 without it.
    CHECK(before.budgetWeightedTotal->toFixed(2) == "94.18");
    CHECK(after.budgetWeightedTotal->toFixed(2) == "93.23");
    CHECK(before.projects == 3);
    CHECK(after.projects == 2);
    CHECK(after.scoredProjects == 2);
    CHECK(after.gradeCounts == std::vector<std::pair<std::string, int>>{{"优", 1}, {"良", 1}, {"中", 0}, {"差", 0}});
    // Scores themselves are not recomputed: the public figures are the internal ones.
    CHECK(view.evaluation.projects[0].total == t.evaluation.projects[0].total);
    CHECK(view.evaluation.gradeNames == t.evaluation.gradeNames);
    CHECK(view.evaluation.year == 2024);
    CHECK(view.evaluation.authority == "青山县财政局");
}

TEST_CASE("public view: department totals are withheld where classified amounts hide in them", "[score]") {
    Tiny t;
    auto view = score::publicView(t.evaluation, t.dataset);
    // 预算数 − 基本支出 − the published project rows would give T003's 50.00.
    REQUIRE(view.dataset.figures.size() == 2);
    for (const auto& f : view.dataset.figures) {
        std::vector<std::string> names;
        for (const auto& [name, value] : f.figures) names.push_back(name);
        CHECK(names == std::vector<std::string>{"公用经费", "在职人员经费", "在职人数", "编制数"});
    }
    CHECK(view.dataset.figures[1].figures.at("公用经费").toFixed(2) == "62.00");
    CHECK(view.totalsWithheld("101"));
    const auto& d = department(view.evaluation, "101");
    REQUIRE_FALSE(d.ratios.empty());
    for (const auto& r : d.ratios) {
        INFO(r.name);
        CHECK(r.figures.empty());
        CHECK(r.value.has_value());
    }
    CHECK(department(t.evaluation, "101").ratios.front().figures.size() == 2);
}

TEST_CASE("public view: personal data is blanked everywhere", "[score]") {
    Tiny t;
    t.dataset.config.contactOffice = "绩效管理股";
    t.dataset.config.contactPhone = "0000-1234567";
    auto view = score::publicView(t.evaluation, t.dataset);
    REQUIRE(view.dataset.units.size() == 3);
    for (const auto& u : view.dataset.units) {
        CHECK(u.contact.empty());
        CHECK(u.phone.empty());
        CHECK_FALSE(u.name.empty());
    }
    for (const auto& p : view.dataset.projects) CHECK(p.owner.empty());
    CHECK(view.dataset.config.contactOffice.empty());
    CHECK(view.dataset.config.contactPhone.empty());
    CHECK(view.dataset.folder.empty());
    CHECK(view.dataset.config.publishDate == "2025-08-20");
    CHECK(t.dataset.units[0].contact == "林小梅");
}

TEST_CASE("public view: without classified projects nothing but personal data changes", "[score]") {
    model::Project a = fullProject("P001");
    a.owner = "张三";
    model::Project b = fullProject("P002");
    b.funds.front().adjusted = dec("200");
    b.funds.front().executed = dec("150");
    model::Dataset ds = datasetWith({a, b});
    model::DepartmentFigures f;
    f.unitCode = "101";
    f.year = ds.config.year;
    f.figures = {{"预算数", dec("900")}, {"执行数", dec("855")}};
    ds.figures.push_back(f);
    model::Diagnostics diags;
    auto ev = score::evaluate(ds, national(), diags);
    auto view = score::publicView(ev, ds);
    CHECK(view.classifiedExcluded.empty());
    CHECK(projectCodes(view.evaluation.projects) == projectCodes(ev.projects));
    REQUIRE(view.evaluation.departments.size() == ev.departments.size());
    for (std::size_t i = 0; i < ev.departments.size(); ++i) {
        const auto& x = ev.departments[i];
        const auto& y = view.evaluation.departments[i];
        CHECK(x.projects == y.projects);
        CHECK(x.scoredProjects == y.scoredProjects);
        CHECK(x.gradeCounts == y.gradeCounts);
        CHECK(x.budgetWeightedTotal == y.budgetWeightedTotal);
        CHECK(x.ratios.size() == y.ratios.size());
        for (std::size_t r = 0; r < x.ratios.size(); ++r) CHECK(x.ratios[r].figures == y.ratios[r].figures);
    }
    REQUIRE(view.dataset.figures.size() == 1);
    CHECK(view.dataset.figures[0].figures.size() == 2);
    CHECK(view.dataset.projects[0].owner.empty());
}

TEST_CASE("public view: a project flagged classified only in the dataset is still removed", "[score]") {
    Tiny t;
    for (auto& p : t.evaluation.projects) p.classified = false;  // e.g. an evaluation from an older run
    auto view = score::publicView(t.evaluation, t.dataset);
    CHECK(projectCodes(view.evaluation.projects) == std::vector<std::string>{"T001", "T002"});
    CHECK(view.excludedIn("101") == 1);
}
