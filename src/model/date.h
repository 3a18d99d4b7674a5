#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jixiao::model {

/// A calendar day of the proleptic Gregorian calendar, years 1000–9999 — the one date type of
/// the program (run dates, 公开日期, letter dates and deadlines, document dates). Pure: no
/// clock and no time zone; the app reads the clock once and hands the day in.
class Date {
public:
    /// A strict "YYYY-MM-DD" (four-digit year 1000–9999, two-digit month and day, a day that
    /// exists: 2024-02-29 yes, 2025-02-29 no); nullopt for anything else.
    static std::optional<Date> parse(std::string_view iso);

    /// The day with these parts, or nullopt when it does not exist or is outside 1000–9999.
    static std::optional<Date> fromParts(int year, int month, int day);

    int year() const { return year_; }
    int month() const { return month_; }
    int day() const { return day_; }

    /// "2025-03-05".
    std::string iso() const;

    /// As Chinese text reads it: "2025年3月5日" (no zero padding).
    std::string chinese() const;

    /// Days since 1970-01-01 (negative before it).
    std::int64_t daysSinceEpoch() const;

    /// The day `days` later (earlier when negative), or nullopt when it leaves 1000–9999.
    std::optional<Date> plusDays(std::int64_t days) const;

    friend bool operator==(const Date& a, const Date& b) { return a.key() == b.key(); }
    friend bool operator!=(const Date& a, const Date& b) { return a.key() != b.key(); }
    friend bool operator<(const Date& a, const Date& b) { return a.key() < b.key(); }

private:
    Date(int year, int month, int day) : year_(year), month_(month), day_(day) {}
    int key() const { return year_ * 10000 + month_ * 100 + day_; }

    int year_;
    int month_;
    int day_;
};

/// `iso` as Chinese text when it is a valid date ("2025-08-20" → "2025年8月20日"); anything
/// else is returned unchanged.
std::string chineseDate(const std::string& iso);

}  // namespace jixiao::model
