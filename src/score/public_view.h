#pragma once

#include "model/dataset.h"
#include "score/evaluation.h"

#include <map>
#include <string>
#include <vector>

namespace jixiao::score {

// 绩效信息公开 (documents.md §5): what may be published is decided here, in the score stage,
// so that the public renderers receive data from which a classified project or a person's
// name has already been removed; a template bug can then print nothing that must not appear.

/// The public view of an evaluation and of the dataset it was scored from.
///
/// - Classified (涉密) projects are gone from `evaluation.projects` and `dataset.projects`
///   (with their funding rows, indicators and findings); each department only keeps their
///   number in `classifiedExcluded`.
/// - Department aggregates are recomputed over the public projects alone: project counts,
///   counts by grade and the budget-weighted mean total. Otherwise the published mean, next
///   to the published rows, would let a reader solve for a classified project's budget or
///   score (two unknowns, but the grade counts narrow them down).
/// - A department with classified projects keeps only those 部门整体 figures that cannot
///   contain project spending (kPublicFiguresWithClassified); its totals (预算数, 执行数,
///   结转结余, 政府采购 …) are withheld, because total − 基本支出 − the published project
///   rows would give the classified amount. Its ratios keep their value and score (quotients
///   of withheld totals reveal no amount) but lose the figures that went into them.
/// - Personal data is blanked: 联系人, 联系电话 of every unit, 项目负责人 of every project,
///   the contact office of dataset.json and the dataset's folder path (it may name a person).
struct PublicEvaluation {
    Evaluation evaluation;                          ///< as evaluate() gives it, minus the above
    model::Dataset dataset;                         ///< as read, minus the above
    std::map<std::string, int> classifiedExcluded;  ///< department code → classified projects left out (>0 only)

    /// Classified projects of department `code` left out of its lists; 0 when none.
    int excludedIn(const std::string& departmentCode) const;
    /// True when the department's 部门整体 totals were withheld (it has classified projects).
    bool totalsWithheld(const std::string& departmentCode) const { return excludedIn(departmentCode) > 0; }
};

/// The 部门整体 figures kept for a department with classified projects: staff and basic
/// running costs, which never include project spending.
extern const std::vector<std::string> kPublicFiguresWithClassified;

/// Builds the public view. A project counts as classified when either the evaluation or the
/// dataset says so. Pure: no I/O.
PublicEvaluation publicView(const Evaluation& evaluation, const model::Dataset& dataset);

}  // namespace jixiao::score
