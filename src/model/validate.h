#pragma once

#include "model/dataset.h"
#include "model/diagnostic.h"

namespace jixiao::model {

/// Cross-reference checks on an assembled dataset: every project's unit exists, every
/// parent department exists and is not a cycle, every project has execution rows and
/// indicators. Problems become error diagnostics at the offending row.
void validate(const Dataset& dataset, Diagnostics& diags);

}  // namespace jixiao::model
