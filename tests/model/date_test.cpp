#include "model/date.h"

#include <catch2/catch.hpp>

#include <string>

using jixiao::model::Date;

TEST_CASE("dates parse only strict existing YYYY-MM-DD days", "[model]") {
    for (const char* good : {"2025-03-05", "2024-02-29", "2000-02-29", "1000-01-01", "9999-12-31"}) {
        CAPTURE(good);
        REQUIRE(Date::parse(good));
        CHECK(Date::parse(good)->iso() == good);
    }
    for (const char* bad : {"2025-02-29", "1900-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "0999-12-31", "2025-3-05",
                            "2025/03/05", "2025-03-0x", "+025-03-05", "2025-03-05 ", ""}) {
        CAPTURE(bad);
        CHECK_FALSE(Date::parse(bad));
    }
    CHECK_FALSE(Date::fromParts(2025, 2, 29));
    CHECK(Date::fromParts(2025, 3, 5)->iso() == "2025-03-05");
}

TEST_CASE("dates read in Chinese, count days and compare", "[model]") {
    Date d = *Date::parse("2025-08-20");
    CHECK(d.chinese() == "2025年8月20日");
    CHECK(jixiao::model::chineseDate("2025-01-05") == "2025年1月5日");
    CHECK(jixiao::model::chineseDate("2025-10-01") == "2025年10月1日");
    CHECK(jixiao::model::chineseDate("20250820") == "20250820");
    CHECK(jixiao::model::chineseDate("不是日期") == "不是日期");
    CHECK(Date::parse("1970-01-01")->daysSinceEpoch() == 0);
    CHECK(Date::parse("2025-03-05")->daysSinceEpoch() == 20152);
    CHECK(Date::parse("1969-12-31")->daysSinceEpoch() == -1);
    CHECK(d.plusDays(30)->iso() == "2025-09-19");
    struct Case {
        const char* from;
        int days;
        const char* to;
    };
    const Case cases[] = {
        {"2025-03-05", 30, "2025-04-04"}, {"2025-03-05", 0, "2025-03-05"}, {"2024-02-28", 1, "2024-02-29"},
        {"2023-02-28", 1, "2023-03-01"},  {"2024-12-31", 1, "2025-01-01"}, {"2025-01-01", -1, "2024-12-31"},
        {"2000-02-28", 1, "2000-02-29"},  {"1900-02-28", 1, "1900-03-01"}, {"2025-01-31", 365, "2026-01-31"},
    };
    for (const auto& c : cases) {
        INFO(c.from << " + " << c.days);
        CHECK(Date::parse(c.from)->plusDays(c.days)->iso() == c.to);
    }
    for (const char* bad : {"2025-02-30", "2025-3-5", "20250305", "2025/03/05", "２０２５-03-05", "0999-01-01"}) {
        INFO(bad);
        CHECK_FALSE(Date::parse(bad));
    }
    CHECK(Date::parse("2024-02-28")->plusDays(1)->iso() == "2024-02-29");
    CHECK(Date::parse("2025-03-01")->plusDays(-1)->iso() == "2025-02-28");
    CHECK(Date::parse("2024-12-31")->plusDays(366)->iso() == "2026-01-01");
    CHECK_FALSE(Date::parse("9999-12-31")->plusDays(1));
    CHECK_FALSE(Date::parse("1000-01-01")->plusDays(-1));
    CHECK_FALSE(d.plusDays(std::int64_t(1) << 40));
    CHECK(*Date::parse("2025-03-05") < *Date::parse("2025-03-06"));
    CHECK(*Date::parse("2024-12-31") < *Date::parse("2025-01-01"));
    CHECK(*Date::parse("2025-03-05") == *Date::fromParts(2025, 3, 5));
    // Every day of four centuries round-trips through the day count.
    Date day = *Date::parse("1900-01-01");
    for (int i = 0; i < 146097; ++i) {
        auto next = day.plusDays(1);
        REQUIRE(next);
        REQUIRE(next->daysSinceEpoch() == day.daysSinceEpoch() + 1);
        REQUIRE(Date::parse(next->iso()) == next);
        day = *next;
    }
    CHECK(day.iso() == "2300-01-01");
}
