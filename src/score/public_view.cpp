#include "score/public_view.h"

#include "model/decimal.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace jixiao::score {

using model::Decimal;
using model::divRound;

const std::vector<std::string> kPublicFiguresWithClassified{"在职人员经费", "公用经费", "在职人数", "编制数"};

int PublicEvaluation::excludedIn(const std::string& departmentCode) const {
    auto it = classifiedExcluded.find(departmentCode);
    return it == classifiedExcluded.end() ? 0 : it->second;
}

namespace {

/// Recounts a department over the projects that remain public, with the formulas of
/// evaluate(): Σ A·total / Σ A over scored projects with A > 0, rounded once.
void recount(DepartmentResult& d, const std::vector<ProjectResult>& publicProjects, const Rounding& rounding) {
    d.projects = 0;
    d.scoredProjects = 0;
    for (auto& [name, count] : d.gradeCounts) count = 0;
    Decimal weighted, weights;
    for (const auto& p : publicProjects) {
        if (p.departmentCode != d.code) continue;
        ++d.projects;
        if (!p.total) continue;
        ++d.scoredProjects;
        for (auto& [name, count] : d.gradeCounts)
            if (p.grade && name == *p.grade) ++count;
        if (p.adjusted > Decimal()) {
            weighted += p.adjusted * *p.total;
            weights += p.adjusted;
        }
    }
    d.budgetWeightedTotal.reset();
    try {
        if (weights > Decimal()) d.budgetWeightedTotal = divRound(weighted, weights, rounding.total);
    } catch (const std::overflow_error&) {
        d.budgetWeightedTotal.reset();  // evaluate() reported the overflow already and left the mean empty as well
    }
}

}  // namespace

PublicEvaluation publicView(const Evaluation& evaluation, const model::Dataset& dataset) {
    PublicEvaluation out;
    std::set<std::string> classified;
    for (const auto& p : evaluation.projects)
        if (p.classified) classified.insert(p.code);
    for (const auto& p : dataset.projects)
        if (p.classified) classified.insert(p.code);

    Evaluation& ev = out.evaluation;
    ev.year = evaluation.year;
    ev.authority = evaluation.authority;
    ev.ruleSet = evaluation.ruleSet;
    ev.ruleSetTitle = evaluation.ruleSetTitle;
    ev.rounding = evaluation.rounding;
    ev.gradeNames = evaluation.gradeNames;
    for (const auto& p : evaluation.projects) {
        if (classified.count(p.code) == 0) {
            ev.projects.push_back(p);
            continue;
        }
        // A classified project whose department cannot be resolved is in no department's
        // lists, so there is nothing to count it against.
        if (!p.departmentCode.empty()) ++out.classifiedExcluded[p.departmentCode];
    }
    for (const auto& source : evaluation.departments) {
        DepartmentResult d = source;
        recount(d, ev.projects, ev.rounding);
        if (out.totalsWithheld(d.code))
            for (auto& r : d.ratios) r.figures.clear();
        ev.departments.push_back(std::move(d));
    }

    model::Dataset& ds = out.dataset;
    ds.config = dataset.config;
    ds.config.contactOffice.clear();
    ds.config.contactPhone.clear();
    ds.unreadSections = dataset.unreadSections;
    for (model::Unit u : dataset.units) {
        u.contact.clear();
        u.phone.clear();
        ds.units.push_back(std::move(u));
    }
    for (const auto& p : dataset.projects) {
        if (classified.count(p.code) != 0) continue;
        model::Project copy = p;
        copy.owner.clear();
        ds.projects.push_back(std::move(copy));
    }
    ds.unitIndicators = dataset.unitIndicators;
    for (model::DepartmentFigures f : dataset.figures) {
        // A unit's row counts towards its department's figures (evaluate() sums unit rows
        // when the department has none of its own), so the unit's department decides.
        const model::Unit* dept = dataset.departmentOf(f.unitCode);
        if (dept && out.totalsWithheld(dept->code)) {
            for (auto it = f.figures.begin(); it != f.figures.end();) {
                bool keep = std::find(kPublicFiguresWithClassified.begin(), kPublicFiguresWithClassified.end(), it->first) !=
                            kPublicFiguresWithClassified.end();
                it = keep ? std::next(it) : f.figures.erase(it);
            }
        }
        ds.figures.push_back(std::move(f));
    }
    return out;
}

}  // namespace jixiao::score
