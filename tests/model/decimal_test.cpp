#include "model/decimal.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using jixiao::model::Decimal;

namespace {
Decimal d(const char* text) { return *Decimal::parse(text); }
}  // namespace

TEST_CASE("Decimal parses plain and exponent notation exactly", "[model]") {
    struct Case {
        const char* text;
        const char* shown;
    };
    const Case cases[] = {
        {"0", "0"},
        {"37.24", "37.24"},
        {"-0.0476", "-0.0476"},
        {"+12", "12"},
        {"1E-3", "0.001"},
        {"2.5e2", "250"},
        {"0.123456789", "0.12345679"},
        {"0.000000005", "0.00000001"},
        {"007.50", "7.5"},
        {".5", "0.5"},
        {"5.", "5"},
        {"23333.56", "23333.56"},
    };
    for (const auto& c : cases) {
        INFO(c.text);
        auto v = Decimal::parse(c.text);
        REQUIRE(v);
        CHECK(v->toString() == c.shown);
    }
}

TEST_CASE("Decimal rejects what is not a plain number", "[model]") {
    for (const char* text : {"", "-", ".", "1,234", "12a", "95%", "1e", "e5", "1..2", " 1", "１"}) {
        INFO(text);
        CHECK_FALSE(Decimal::parse(text));
    }
    CHECK_FALSE(Decimal::parse("1e40"));
    CHECK_FALSE(Decimal::parse("99999999999999999999"));
}

TEST_CASE("Decimal rounds half away from zero on the decimal value", "[model]") {
    struct Case {
        const char* value;
        int places;
        const char* rounded;
    };
    const Case cases[] = {
        {"89.995", 2, "90.00"},     {"89.994999", 2, "89.99"}, {"79.995", 2, "80.00"}, {"0.125", 2, "0.13"},
        {"-0.125", 2, "-0.13"},     {"2.5", 0, "3"},           {"-2.5", 0, "-3"},      {"9.5238095", 2, "9.52"},
        {"0.8620370", 4, "0.8620"}, {"1.00005", 4, "1.0001"},  {"0", 2, "0.00"},
    };
    for (const auto& c : cases) {
        INFO(c.value << " to " << c.places);
        CHECK(d(c.value).toFixed(c.places) == c.rounded);
    }
}

TEST_CASE("Decimal arithmetic is exact where binary floating point is not", "[model]") {
    CHECK((d("0.1") + d("0.2")).toString() == "0.3");
    CHECK((d("37.24") / d("43.2")).toFixed(4) == "0.8620");
    CHECK((d("37.24") / d("43.2") * d("10")).toFixed(2) == "8.62");
    CHECK(jixiao::model::mulDiv(d("700"), d("10"), d("735")).toFixed(2) == "9.52");
    CHECK((d("1.5") * d("-2")).toString() == "-3");
    CHECK(min(d("1"), d("2")) == d("1"));
    CHECK(max(d("1"), d("2")) == d("2"));
    CHECK(d("12345.67") / Decimal::fromInt(10000) == d("1.234567"));
    CHECK_THROWS_AS(d("1") / Decimal(), std::domain_error);
    CHECK(Decimal::fromInt(-3).toFixed(2) == "-3.00");
    CHECK(d("0.5").toDouble() == 0.5);
}

TEST_CASE("quotients are computed exactly and rounded once", "[model]") {
    using jixiao::model::compareQuotient;
    using jixiao::model::divRound;
    using jixiao::model::mulDiv;
    using jixiao::model::mulRound;
    // One rounding: 2/3 × 10 is 6.6666…, never 6.67 rounded again from a longer rounding.
    CHECK(mulDiv(d("2"), d("10"), d("3"), 2).toString() == "6.67");
    // x.xx4999999996 must not become x.xx5 at 8 places and then round up.
    CHECK(mulDiv(d("1.00999999999"), d("1"), d("1"), 2).toString() == "1.01");
    CHECK(mulDiv(d("0.0044999999"), d("1"), d("1"), 2).toString() == "0");
    CHECK(mulDiv(d("1"), d("0.0449999999"), d("10"), 2).toString() == "0");
    CHECK(divRound(d("1"), d("3"), 4).toString() == "0.3333");
    CHECK(divRound(d("-1"), d("8"), 2).toString() == "-0.13");  // half away from zero
    CHECK(compareQuotient(d("6"), d("5"), d("1.2")) == 0);
    CHECK(compareQuotient(d("6.00000001"), d("5"), d("1.2")) == 1);
    CHECK(compareQuotient(d("6"), d("-5"), d("-1.2")) == 0);
    CHECK(mulRound(d("0.125"), d("1"), 2).toString() == "0.13");
    CHECK(mulDiv(d("700"), d("10"), d("735")).toString() == "9.52380952");
    CHECK_THROWS_AS(divRound(d("1"), Decimal(), 2), std::domain_error);
    CHECK_THROWS_AS(compareQuotient(d("1"), Decimal(), d("1")), std::domain_error);
    CHECK_THROWS_AS(mulRound(d("90000000000"), d("90000000000"), 2), std::overflow_error);
}
