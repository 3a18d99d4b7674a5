#pragma once

#include "model/decimal.h"

namespace jixiao::score {

// Scores are quotients (a / t × w, B / A × w). Computing the quotient at Decimal's 8 places and
// then rounding to 2 would round twice; these helpers keep the exact rational value and round
// once, half up, to the places asked for. They throw std::overflow_error when the rounded
// result does not fit a Decimal and std::domain_error on a zero divisor.

/// a × b / c, rounded half up once to `places` (0..8).
model::Decimal mulDivRound(model::Decimal a, model::Decimal b, model::Decimal c, int places);

/// a / b, rounded half up once to `places` (0..8).
model::Decimal divRound(model::Decimal a, model::Decimal b, int places);

/// a × b, rounded half up once to `places` (0..8).
model::Decimal mulRound(model::Decimal a, model::Decimal b, int places);

/// The sign (−1, 0, 1) of a / b − c, computed exactly; b must not be zero.
int compareQuotient(model::Decimal a, model::Decimal b, model::Decimal c);

} // namespace jixiao::score
