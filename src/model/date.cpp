#include "model/date.h"

namespace jixiao::model {

namespace {

bool leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

std::string twoDigits(int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::optional<Date> Date::fromParts(int year, int month, int day) {
    if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return std::nullopt;
    return Date(year, month, day);
}

std::optional<Date> Date::parse(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    for (int p = 0; p < 3; ++p)
        for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
            if (iso[i] < '0' || iso[i] > '9') return std::nullopt;
            parts[p] = parts[p] * 10 + (iso[i] - '0');
        }
    return fromParts(parts[0], parts[1], parts[2]);
}

std::string Date::iso() const { return std::to_string(year_) + "-" + twoDigits(month_) + "-" + twoDigits(day_); }

std::string Date::chinese() const { return std::to_string(year_) + "年" + std::to_string(month_) + "月" + std::to_string(day_) + "日"; }

std::int64_t Date::daysSinceEpoch() const {
    // The "days from civil" construction: eras of 400 years, years starting in March so that
    // the leap day is the last day of a year.
    std::int64_t y = year_ - (month_ <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (month_ + (month_ > 2 ? -3 : 9)) + 2) / 5 + day_ - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::optional<Date> Date::plusDays(std::int64_t days) const {
    // Bounded first so that the sum cannot overflow; 1000–9999 spans about 3.3 million days.
    constexpr std::int64_t kSpan = 4000000;
    if (days > kSpan || days < -kSpan) return std::nullopt;
    // The inverse construction ("civil from days").
    const std::int64_t z = daysSinceEpoch() + days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 1000 || year > 9999) return std::nullopt;
    return Date(int(year), month, day);
}

std::string chineseDate(const std::string& iso) {
    auto date = Date::parse(iso);
    return date ? date->chinese() : iso;
}

}  // namespace jixiao::model
