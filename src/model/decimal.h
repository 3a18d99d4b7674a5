#pragma once

#include <cstdint>
#include <optional>
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
