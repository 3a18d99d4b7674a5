#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jixiao::model {

/// Exact fixed-point decimal with 8 fractional digits, used for money (万元), rates and scores.
/// Finance staff round half up on the decimal value (四舍五入), so 89.995 must become 90.00;
/// binary doubles cannot promise that, hence integer units of 1e-8.
class Decimal {
public:
    static constexpr int kPlaces = 8;
    static constexpr std::int64_t kScale = 100000000;

    constexpr Decimal() = default;

    /// Whole number.
    static Decimal fromInt(std::int64_t value);
    /// Raw units of 1e-8.
    static constexpr Decimal fromRaw(std::int64_t raw) {
        Decimal d;
        d.raw_ = raw;
        return d;
    }
    /// Parses plain ASCII decimal text: optional sign, digits, optional point and digits,
    /// optional exponent (as XLSX stores "1E-3"). Digits beyond 8 places round half up.
    /// Returns nothing for anything else (no separators, no percent: see ingest/values).
    static std::optional<Decimal> parse(std::string_view text);

    std::int64_t raw() const { return raw_; }
    bool isZero() const { return raw_ == 0; }
    bool isNegative() const { return raw_ < 0; }

    /// Rounds half away from zero (四舍五入) to `places` decimals (0..8).
    Decimal rounded(int places) const;
    /// Fixed notation with exactly `places` decimals, rounding half up first.
    std::string toFixed(int places) const;
    /// Shortest exact notation: no trailing zeros, no exponent ("37.24", "10", "-0.0476").
    std::string toString() const;
    /// For charts and XLSX cached values only; never for arithmetic.
    double toDouble() const;

    friend Decimal operator+(Decimal a, Decimal b) { return fromRaw(a.raw_ + b.raw_); }
    friend Decimal operator-(Decimal a, Decimal b) { return fromRaw(a.raw_ - b.raw_); }
    friend Decimal operator-(Decimal a) { return fromRaw(-a.raw_); }
    /// Product, rounded half up at 8 places.
    friend Decimal operator*(Decimal a, Decimal b);
    /// Quotient, rounded half up at 8 places. Throws std::domain_error when b is zero.
    friend Decimal operator/(Decimal a, Decimal b);
    Decimal& operator+=(Decimal b) {
        raw_ += b.raw_;
        return *this;
    }
    Decimal& operator-=(Decimal b) {
        raw_ -= b.raw_;
        return *this;
    }

    friend bool operator==(Decimal a, Decimal b) { return a.raw_ == b.raw_; }
    friend bool operator!=(Decimal a, Decimal b) { return a.raw_ != b.raw_; }
    friend bool operator<(Decimal a, Decimal b) { return a.raw_ < b.raw_; }
    friend bool operator<=(Decimal a, Decimal b) { return a.raw_ <= b.raw_; }
    friend bool operator>(Decimal a, Decimal b) { return a.raw_ > b.raw_; }
    friend bool operator>=(Decimal a, Decimal b) { return a.raw_ >= b.raw_; }

private:
    std::int64_t raw_ = 0;
};

/// A figure that may be absent, exact, in the 8 bytes of a Decimal (std::optional<Decimal>
/// takes 16; a run holds eight per indicator row: target, actual, weight and own score as read,
/// four figures of the evaluation). The raw value
/// INT64_MIN stands for "none": a figure rounded to fewer than 8 places never has it, and
/// storing it throws std::overflow_error, which scoring reports as a number too large. Reads
/// like std::optional<Decimal>.
class OptionalDecimal {
public:
    constexpr OptionalDecimal() = default;
    constexpr OptionalDecimal(std::nullopt_t) {}
    OptionalDecimal(Decimal d) : value_(checked(d)) {}
    OptionalDecimal(const std::optional<Decimal>& d) : value_(d ? checked(*d) : kNone) {}

    bool has_value() const { return value_ != kNone; }
    explicit operator bool() const { return has_value(); }
    const Decimal& operator*() const { return value_; }
    const Decimal* operator->() const { return &value_; }
    Decimal value_or(Decimal fallback) const { return has_value() ? value_ : fallback; }
    void reset() { value_ = kNone; }
    operator std::optional<Decimal>() const { return has_value() ? std::optional<Decimal>(value_) : std::nullopt; }
    friend bool operator==(const OptionalDecimal& a, const OptionalDecimal& b) { return a.value_ == b.value_; }
    friend bool operator!=(const OptionalDecimal& a, const OptionalDecimal& b) { return a.value_ != b.value_; }

private:
    static constexpr Decimal kNone = Decimal::fromRaw(std::numeric_limits<std::int64_t>::min());
    static Decimal checked(Decimal d) {
        if (d == kNone) throw std::overflow_error("decimal out of range");
        return d;
    }
    Decimal value_ = kNone;
};

// Quotients computed exactly and rounded once. Scores are quotients (a / t × w, B / A × w):
// computing one at 8 places and then rounding to 2 would round twice; these keep the exact
// rational value and round once, half up, to the places asked for (0..8). They throw
// std::overflow_error when the rounded result does not fit a Decimal and std::domain_error
// on a zero divisor.

/// a × b / c, rounded half up once to `places`.
Decimal mulDiv(Decimal a, Decimal b, Decimal c, int places = Decimal::kPlaces);

/// a / b, rounded half up once to `places`.
Decimal divRound(Decimal a, Decimal b, int places);

/// a × b, rounded half up once to `places`.
Decimal mulRound(Decimal a, Decimal b, int places);

/// The sign (−1, 0, 1) of a / b − c, computed exactly; throws std::domain_error when b is zero.
int compareQuotient(Decimal a, Decimal b, Decimal c);

Decimal min(Decimal a, Decimal b);
Decimal max(Decimal a, Decimal b);

}  // namespace jixiao::model
