#pragma once

#include "model/dataset.h"
#include "model/diagnostic.h"
#include "score/evaluation.h"
#include "score/rules.h"

namespace jixiao::score {

/// Applies `rules` to every project and department of `dataset` (scoring.md). Pure: no I/O,
/// no clock. Problems in the data become diagnostics in `diags`, carrying the project's code;
/// a project with error diagnostics (from ingest or from here) keeps a null total and grade
/// but still appears, and the rest of the batch is scored. The dataset's 偏差阈值, when set,
/// replaces the over-achievement threshold (完成率 above 1 + 偏差阈值). The evaluation refers
/// to the dataset's indicator rows: keep `dataset` alive and unchanged while it is used.
Evaluation evaluate(const model::Dataset& dataset, const RuleSet& rules, model::Diagnostics& diags);

}  // namespace jixiao::score
