#pragma once

#include "model/diagnostic.h"
#include "publish/json_writer.h"
#include "score/evaluation.h"

namespace jixiao::publish {

/// `results.json` (spec/results.md) for an evaluation: keys in English, values
/// keeping the Chinese of the input, numbers as JSON numbers written from their exact decimal
/// text (rounded by `score`, never passed through a double), projects and departments sorted by
/// code, indicators in file order, pretty-printed with two-space indents and a final newline.
/// Same evaluation and diagnostics, same bytes. Beyond results.md it adds keys that do not
/// change the meaning of those listed there: per project `diagnostics` (its own, so that an
/// unscored project shows why), per indicator `declared_weight`, `weight_filled`, `status`,
/// `reason`, `measures` and `row`, per finding `row` (`indicator` is the 0-based index into
/// `indicators`), per department `scored_projects`, `ratio_details`, its own `indicators`,
/// `indicator_total` (Σ of those indicators), `total` and `grade` (the 部门整体 self-evaluation:
/// the rule set's total ratios, 预算执行率 in national-2020, plus `indicator_total`),
/// `indicator_grade` (same as `grade`) and `findings`, and in `diagnostics` the counts of
/// notes and suppressed diagnostics plus `other`, the diagnostics not tied to a project.
/// Personal data (contacts, project owners) is never written. The projects are built one at a
/// time while the document is written, so `evaluation` and `diagnostics` must outlive it.
JsonNode resultsJson(const score::Evaluation& evaluation, const model::Diagnostics& diagnostics);

}  // namespace jixiao::publish
