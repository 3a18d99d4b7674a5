#include "model/decimal.h"

#include <cstdlib>
#include <stdexcept>

namespace jixiao::model {

namespace {

__extension__ typedef __int128 Wide;  // GCC and Clang both have it; -Wpedantic wants it marked

constexpr std::int64_t kMaxRaw = INT64_MAX;

std::int64_t narrow(Wide v) {
    if (v > kMaxRaw || v < -kMaxRaw) throw std::overflow_error("计算结果超出了可以计算的范围（绝对值应小于 920 亿）");
    return static_cast<std::int64_t>(v);
}

/// num / den rounded half away from zero (四舍五入 on magnitudes).
Wide roundedQuotient(Wide num, Wide den) {
    if (den == 0) throw std::domain_error("内部错误：除数为零");
    bool negative = (num < 0) != (den < 0);
    Wide n = num < 0 ? -num : num;
    Wide d = den < 0 ? -den : den;
    Wide q = n / d;
    Wide r = n % d;
    if (r * 2 >= d) ++q;
    return negative ? -q : q;
}

std::int64_t pow10(int n) {
    std::int64_t p = 1;
    while (n-- > 0) p *= 10;
    return p;
}

/// The Decimal whose raw value is num / den, rounded once to `places`.
Decimal fromQuotient(Wide num, Wide den, int places) {
    if (places < 0) places = 0;
    if (places > Decimal::kPlaces) places = Decimal::kPlaces;
    const Wide unit = pow10(Decimal::kPlaces - places);
    return Decimal::fromRaw(narrow(roundedQuotient(num, den * unit) * unit));
}

}  // namespace

Decimal Decimal::fromInt(std::int64_t value) { return fromRaw(narrow(Wide(value) * kScale)); }

std::optional<Decimal> Decimal::parse(std::string_view text) {
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    Wide mantissa = 0;
    int fracDigits = 0;
    int digits = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            if (mantissa > Wide(1) << 100) return std::nullopt;
            mantissa = mantissa * 10 + (c - '0');
            ++digits;
            if (point) ++fracDigits;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (digits == 0) return std::nullopt;
    int exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) expNegative = text[i++] == '-';
        int expDigits = 0;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++expDigits) {
            exponent = exponent * 10 + (text[i] - '0');
            if (exponent > 40) return std::nullopt;
        }
        if (expDigits == 0) return std::nullopt;
        if (expNegative) exponent = -exponent;
    }
    if (i != text.size()) return std::nullopt;
    // value = mantissa × 10^(exponent − fracDigits); raw = value × 10^8
    int shift = kPlaces + exponent - fracDigits;
    Wide raw = mantissa;
    if (shift >= 0) {
        for (int k = 0; k < shift; ++k) {
            raw *= 10;
            if (raw > kMaxRaw) return std::nullopt;
        }
    } else {
        if (-shift > 36) return fromRaw(0);
        Wide den = 1;
        for (int k = 0; k < -shift; ++k) den *= 10;
        raw = roundedQuotient(raw, den);
    }
    if (raw > kMaxRaw) return std::nullopt;
    return fromRaw(static_cast<std::int64_t>(negative ? -raw : raw));
}

Decimal Decimal::rounded(int places) const {
    if (places >= kPlaces) return *this;
    if (places < 0) places = 0;
    std::int64_t unit = pow10(kPlaces - places);
    return fromRaw(narrow(roundedQuotient(raw_, unit) * unit));
}

std::string Decimal::toFixed(int places) const {
    if (places > kPlaces) places = kPlaces;
    if (places < 0) places = 0;
    std::int64_t r = rounded(places).raw_;
    bool negative = r < 0;
    std::uint64_t a = negative ? std::uint64_t(0) - std::uint64_t(r) : std::uint64_t(r);
    std::uint64_t whole = a / kScale;
    std::uint64_t frac = a % kScale;
    std::string out = negative ? "-" : "";
    out += std::to_string(whole);
    if (places > 0) {
        std::string f = std::to_string(frac);
        f.insert(0, kPlaces - f.size(), '0');
        out += '.';
        out += f.substr(0, places);
    }
    return out;
}

std::string Decimal::toString() const {
    std::string s = toFixed(kPlaces);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

double Decimal::toDouble() const { return std::strtod(toFixed(kPlaces).c_str(), nullptr); }

Decimal operator*(Decimal a, Decimal b) { return Decimal::fromRaw(narrow(roundedQuotient(Wide(a.raw_) * b.raw_, Decimal::kScale))); }

Decimal operator/(Decimal a, Decimal b) { return Decimal::fromRaw(narrow(roundedQuotient(Wide(a.raw_) * Decimal::kScale, b.raw_))); }

Decimal mulDiv(Decimal a, Decimal b, Decimal c, int places) {
    // raw(a)·raw(b) carries 16 fractional digits; dividing by raw(c) leaves 8.
    return fromQuotient(Wide(a.raw()) * b.raw(), Wide(c.raw()), places);
}

Decimal divRound(Decimal a, Decimal b, int places) { return fromQuotient(Wide(a.raw()) * Decimal::kScale, Wide(b.raw()), places); }

Decimal mulRound(Decimal a, Decimal b, int places) { return fromQuotient(Wide(a.raw()) * b.raw(), Wide(Decimal::kScale), places); }

int compareQuotient(Decimal a, Decimal b, Decimal c) {
    if (b.isZero()) throw std::domain_error("内部错误：除数为零");
    // a/b − c has the sign of (a − c·b) · sign(b); both sides scaled by 10^8.
    const Wide lhs = Wide(a.raw()) * Decimal::kScale;
    const Wide rhs = Wide(c.raw()) * b.raw();
    const int s = lhs < rhs ? -1 : (lhs > rhs ? 1 : 0);
    return b.isNegative() ? -s : s;
}

Decimal min(Decimal a, Decimal b) { return b < a ? b : a; }
Decimal max(Decimal a, Decimal b) { return a < b ? b : a; }

}  // namespace jixiao::model
