#pragma once

#include "model/dataset.h"
#include "model/decimal.h"

#include <functional>
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

/// A suggested budget change range (fractions, −1 = cancel) in words: [−0.1, −0.05] →
/// "压减5%至10%", [−1, −0.5] → "压减50%以上直至取消", [0, 0.1] → "维持或增加不超过10%",
/// [0, 0] → "维持现有规模". `show` writes one magnitude (a positive fraction); by default
/// as a percentage, or e.g. as 万元 of a budget.
std::string budgetChangeText(model::Decimal min, model::Decimal max,
                             const std::function<std::string(model::Decimal)>& show = thresholdText);

/// "≥", ">", "=", "<", "≤" or "定性".
std::string operatorSymbol(model::Operator op);

/// A target or actual with its unit: "735人次", "95%"; `op` (if not Qualitative and
/// `withOperator`) is put in front: "≥735人次". Falls back to the text as found.
std::string quantityText(const model::Quantity& q, const std::string& unitOfMeasure, bool percentScale, model::Operator op,
                         bool withOperator);

/// A word as matched against the rule set's lists: trimmed (ASCII, ideographic and no-break
/// spaces) and without a trailing full stop (。 or .).
std::string normalizeWord(const std::string& text);

/// Replaces each `{name}` in `tmpl` by values[name]; names were checked when the rule set loaded.
std::string expandTemplate(const std::string& tmpl, const std::map<std::string, std::string>& values);

}  // namespace jixiao::score
