#pragma once

#include "model/dataset.h"
#include "model/decimal.h"

#include <map>
#include <string>

namespace jixiao::score {

// How figures read inside finding sentences, the way finance staff write them.

/// A rate already rounded to `ratePlaces` as a fraction, shown in percent: 0.862 → "86.20%".
std::string percentText(model::Decimal fraction, int ratePlaces);

/// A threshold in percent, shortest form: 0.9 → "90%", 1.2 → "120%", 0.875 → "87.5%".
std::string thresholdText(model::Decimal fraction);

/// Money in 万元 with two decimals: 43.2 → "43.20万元".
std::string moneyText(model::Decimal amount);

/// "≥", ">", "=", "<", "≤" or "定性".
std::string operatorSymbol(model::Operator op);

/// A target or actual with its unit: "735人次", "95%"; `op` (if not Qualitative and
/// `withOperator`) is put in front: "≥735人次". Falls back to the text as found.
std::string quantityText(const model::Quantity& q, const std::string& unitOfMeasure, bool percentScale,
                         model::Operator op, bool withOperator);

/// A word as matched against the rule set's lists: trimmed (ASCII, ideographic and no-break
/// spaces) and without a trailing full stop (。 or .).
std::string normalizeWord(const std::string& text);

/// Replaces each `{name}` in `tmpl` by values[name]; names were checked when the rule set loaded.
std::string expandTemplate(const std::string& tmpl, const std::map<std::string, std::string>& values);

} // namespace jixiao::score
