#include "score/exact.h"

#include <stdexcept>

namespace jixiao::score {

using model::Decimal;

namespace {

// GCC and Clang both provide 128-bit integers; __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 Wide;

Wide pow10(int n) {
    Wide p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

/// num / den rounded half away from zero (四舍五入 on magnitudes).
Wide roundedQuotient(Wide num, Wide den) {
    if (den == 0) throw std::domain_error("division by zero");
    bool negative = (num < 0) != (den < 0);
    Wide n = num < 0 ? -num : num;
    Wide d = den < 0 ? -den : den;
    Wide q = n / d;
    if ((n % d) * 2 >= d) ++q;
    return negative ? -q : q;
}

/// The Decimal whose raw value is num / den, rounded once to `places`.
Decimal fromQuotient(Wide num, Wide den, int places) {
    if (places < 0) places = 0;
    if (places > Decimal::kPlaces) places = Decimal::kPlaces;
    Wide unit = pow10(Decimal::kPlaces - places);
    Wide q = roundedQuotient(num, den * unit) * unit;
    const Wide limit = Wide(INT64_MAX);
    if (q > limit || q < -limit) throw std::overflow_error("Decimal overflow");
    return Decimal::fromRaw(static_cast<std::int64_t>(q));
}

} // namespace

Decimal mulDivRound(Decimal a, Decimal b, Decimal c, int places) {
    // raw(a)·raw(b) carries 16 fractional digits; dividing by raw(c) leaves 8.
    return fromQuotient(Wide(a.raw()) * b.raw(), Wide(c.raw()), places);
}

Decimal divRound(Decimal a, Decimal b, int places) {
    return fromQuotient(Wide(a.raw()) * Decimal::kScale, Wide(b.raw()), places);
}

Decimal mulRound(Decimal a, Decimal b, int places) {
    return fromQuotient(Wide(a.raw()) * b.raw(), Wide(Decimal::kScale), places);
}

int compareQuotient(Decimal a, Decimal b, Decimal c) {
    if (b.isZero()) throw std::domain_error("division by zero");
    // a/b − c has the sign of (a − c·b) · sign(b); both sides scaled by 10^8.
    Wide lhs = Wide(a.raw()) * Decimal::kScale;
    Wide rhs = Wide(c.raw()) * b.raw();
    int s = lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
    return b.isNegative() ? -s : s;
}

} // namespace jixiao::score
