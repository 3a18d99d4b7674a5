#include <catch2/catch.hpp>

#include "ingest/values.h"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

using jixiao::ingest::Cell;
using jixiao::ingest::CellKind;
using jixiao::model::Operator;
namespace ingest = jixiao::ingest;

namespace {

/// Operator names for readable failure output.
std::string opName(std::optional<Operator> op) {
    if (!op) return "none";
    switch (*op) {
    case Operator::Ge: return "Ge";
    case Operator::Gt: return "Gt";
    case Operator::Eq: return "Eq";
    case Operator::Lt: return "Lt";
    case Operator::Le: return "Le";
    case Operator::Qualitative: return "Qualitative";
    }
    return "?";
}

}  // namespace

TEST_CASE("normalizeText folds full-width forms and trims every kind of space", "[ingest]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"项目编码", "项目编码"},
        {"  项目编码\t", "项目编码"},
        {"\xE3\x80\x80项目编码\xE3\x80\x80", "项目编码"},  // ideographic space
        {"\xC2\xA0单位名称\xC2\xA0", "单位名称"},          // NBSP
        {"\xEF\xBB\xBF单位编码", "单位编码"},              // stray BOM
        {"ＡＢＣ１２３", "ABC123"},
        {"（万元）", "(万元)"},
        {"９５％", "95%"},
        {"年度\xE3\x80\x80指标", "年度 指标"},  // inner U+3000 becomes a space
        {"ｅｍａｉｌ＠ｘ．ｃｎ", "email@x.cn"},
        {"～", "~"},          // U+FF5E, last of the range
        {"、。，", "、。,"},  // CJK punctuation stays
        {"", ""},
        {" \t\r\n", ""},
        {"a\xFF"
         "b",
         "a\xFF"
         "b"},  // invalid bytes pass through
    }));
    CAPTURE(input);
    CHECK(ingest::normalizeText(input) == expected);
}

TEST_CASE("trimText trims but keeps full-width characters", "[ingest]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"  某某县（局）  ", "某某县（局）"},
        {"\xE3\x80\x80ＡＢＣ\xC2\xA0", "ＡＢＣ"},
        {"a b", "a b"},
        {"\xE2\x80\x8B零宽\xE2\x80\x8B", "零宽"},  // zero-width space
        {"\xE3\x80\x80", ""},
    }));
    CAPTURE(input);
    CHECK(ingest::trimText(input) == expected);
}

namespace {

// trimText as a full forward reading: each code point (an invalid byte is one unit that is
// not a space) is kept from the first non-space unit to the last.
std::string trimByReadingAll(const std::string& text) {
    const std::u32string spaces = U" \t\n\v\f\r\u00A0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B\u3000\uFEFF";
    std::size_t begin = text.size(), end = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const auto b = static_cast<unsigned char>(text[i]);
        const std::size_t len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
        bool valid = len > 0 && i + len <= text.size();
        char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
        for (std::size_t k = 1; valid && k < len; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            valid = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
        valid = valid && cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
        i += valid ? len : 1;
        if (!valid || spaces.find(cp) == std::u32string::npos) {
            if (begin == text.size()) begin = start;
            end = i;
        }
    }
    return begin < end ? text.substr(begin, end - begin) : std::string();
}

}  // namespace

TEST_CASE("trimText reads only the ends, and trims as a reading of the whole text would", "[ingest]") {
    // Random strings of spaces (ASCII, no-break, ideographic, zero-width), text, and broken
    // UTF-8: stray continuation bytes, truncated and overlong sequences.
    const std::vector<std::string> pieces = {
        " ",        "\t",       "\xC2\xA0",         "\xE3\x80\x80", "\xE2\x80\x8B", "\xEF\xBB\xBF",     "a",   "某", "（", "\x80",
        "\xBF\x80", "\xE3\x80", "\xF0\x80\x80\x80", "\xC0\xA0",     "\xED\xA0\x80", "\xF4\x8F\xBF\xBF", "\xFF"};
    std::uint32_t seed = 12345;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        seed = seed * 1664525u + 1013904223u;
        const int count = static_cast<int>(seed >> 28);
        for (int k = 0; k < count; ++k) {
            seed = seed * 1664525u + 1013904223u;
            text += pieces[(seed >> 16) % pieces.size()];
        }
        CAPTURE(text);
        REQUIRE(ingest::trimText(text) == trimByReadingAll(text));
    }
}

TEST_CASE("parseNumber reads numbers as finance staff write them", "[ingest]") {
    auto [input, value, percent] = GENERATE(table<std::string, std::string, bool>({
        {"0", "0", false},
        {"37.24", "37.24", false},
        {"-0.0476", "-0.0476", false},
        {"+5", "5", false},
        {"1,234.50", "1234.5", false},
        {"12,345,678", "12345678", false},
        {"999,999.999", "999999.999", false},
        {"1234567.5", "1234567.5", false},
        {".5", "0.5", false},
        {"5.", "5", false},
        {"1E-3", "0.001", false},
        {"1.5e3", "1500", false},
        {"2E+2", "200", false},
        {"95%", "95", true},
        {"95 %", "95", true},
        {"99.5%", "99.5", true},
        {"-5%", "-5", true},
        {"1e2%", "100", true},
        {"９５", "95", false},
        {"９５％", "95", true},
        {"１，２３４．５", "1234.5", false},
        {"－３", "-3", false},
        {"＋３", "3", false},
        {"\xE2\x88\x92"
         "3.5",
         "-3.5", false},  // U+2212 minus sign
        {"  42  ", "42", false},
        {"\xE3\x80\x80"
         "42\xC2\xA0",
         "42", false},
        {"0.123456789", "0.12345679", false},  // rounds at 8 places
    }));
    CAPTURE(input);
    auto parsed = ingest::parseNumber(std::string_view(input));
    REQUIRE(parsed);
    CHECK(parsed->value.toString() == value);
    CHECK(parsed->percent == percent);
}

TEST_CASE("parseNumber rejects anything that is not a number", "[ingest]") {
    auto input = GENERATE(as<std::string>{}, "", "   ", "十分", "12a", "a12", "1,23", "1,2345", "12,34", "1234,567", "0,123", ",123",
                          "1,,234", "--1", "+-1", "%", "-", ".", "1.2.3", "1。5", "95%%", "%95", "1e", "1e+", "1 234", "N/A", "#DIV/0!",
                          "95‰", "1/2", "3-5", "约100", "100万", "99999999999999");
    CAPTURE(input);
    CHECK_FALSE(ingest::parseNumber(std::string_view(input)));
}

TEST_CASE("ParsedNumber::fraction turns percent into a fraction", "[ingest]") {
    auto [input, fraction] = GENERATE(table<std::string, std::string>({
        {"95%", "0.95"},
        {"９５％", "0.95"},
        {"100%", "1"},
        {"12.5%", "0.125"},
        {"95", "95"},
        {"0.95", "0.95"},
    }));
    CAPTURE(input);
    auto parsed = ingest::parseNumber(std::string_view(input));
    REQUIRE(parsed);
    CHECK(parsed->fraction().toString() == fraction);
}

TEST_CASE("parseNumber on cells depends on the cell kind", "[ingest]") {
    auto [kind, text, expected] = GENERATE(table<CellKind, std::string, std::string>({
        {CellKind::Number, "37.24", "37.24"},
        {CellKind::Number, "1E-3", "0.001"},
        {CellKind::Number, "-12", "-12"},
        {CellKind::Text, "1,234.50", "1234.5"},
        {CellKind::Text, "９５％", "95"},
        {CellKind::Text, "十分", "none"},
        {CellKind::Empty, "", "none"},
        {CellKind::Boolean, "TRUE", "none"},
        {CellKind::Boolean, "1", "none"},
        {CellKind::Error, "#DIV/0!", "none"},
    }));
    CAPTURE(text);
    auto parsed = ingest::parseNumber(Cell{kind, text});
    CHECK((parsed ? parsed->value.toString() : std::string("none")) == expected);
}

TEST_CASE("parseOperator reads symbols and words in any width", "[ingest]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"≥", "Ge"},
        {"≧", "Ge"},
        {"⩾", "Ge"},
        {">=", "Ge"},
        {"＞＝", "Ge"},
        {"＞=", "Ge"},
        {"> =", "Ge"},
        {"大于等于", "Ge"},
        {"大于或等于", "Ge"},
        {"不低于", "Ge"},
        {"不少于", "Ge"},
        {"不小于", "Ge"},
        {"正向", "Ge"},
        {"正向指标", "Ge"},
        {">", "Gt"},
        {"＞", "Gt"},
        {"大于", "Gt"},
        {"高于", "Gt"},
        {"=", "Eq"},
        {"＝", "Eq"},
        {"═", "Eq"},
        {"﹦", "Eq"},
        {"等于", "Eq"},
        {"<", "Lt"},
        {"＜", "Lt"},
        {"小于", "Lt"},
        {"低于", "Lt"},
        {"≤", "Le"},
        {"≦", "Le"},
        {"⩽", "Le"},
        {"<=", "Le"},
        {"＜＝", "Le"},
        {"小于等于", "Le"},
        {"不高于", "Le"},
        {"不超过", "Le"},
        {"不多于", "Le"},
        {"不大于", "Le"},
        {"反向", "Le"},
        {"反向指标", "Le"},
        {"定性", "Qualitative"},
        {"定性指标", "Qualitative"},
        {"\xE3\x80\x80定性 ", "Qualitative"},
        {"", "none"},
        {"定量", "none"},
        {"≥95", "none"},
        {"大", "none"},
        {"=>", "none"},
        {"达成", "none"},
        {"不", "none"},
    }));
    CAPTURE(input);
    CHECK(opName(ingest::parseOperator(input)) == expected);
}

TEST_CASE("splitQuantity separates operator, text and number", "[ingest]") {
    // op, text, value ("none" when not a number), percent sign
    auto [input, op, text, value, percent] = GENERATE(table<std::string, std::string, std::string, std::string, bool>({
        {"735", "none", "735", "735", false},
        {"735人次", "none", "735人次", "735", false},
        {"1,200人", "none", "1,200人", "1200", false},
        {"≤5天", "Le", "5天", "5", false},
        {"≥95%", "Ge", "95%", "95", true},
        {"≥ 95%", "Ge", "95%", "95", true},
        {"＞＝９５％", "Ge", "９５％", "95", true},
        {"100%", "none", "100%", "100", true},
        {"９５％", "none", "９５％", "95", true},
        {"98.5%", "none", "98.5%", "98.5", true},
        {"不少于735人次", "Ge", "735人次", "735", false},
        {"不超过3天", "Le", "3天", "3", false},
        {"大于等于90%", "Ge", "90%", "90", true},
        {"=100%", "Eq", "100%", "100", true},
        {"<2%", "Lt", "2%", "2", true},
        {"95%以上", "Ge", "95%", "95", true},
        {"95%及以上", "Ge", "95%", "95", true},
        {"3天以内", "Le", "3天", "3", false},
        {"5%以下", "Le", "5%", "5", true},
        {"10万元及以下", "Le", "10万元", "10", false},
        {"1.5万元", "none", "1.5万元", "1.5", false},
        {"5 km", "none", "5 km", "5", false},
        {"－3.5%", "none", "－3.5%", "-3.5", true},
        {"  12个月  ", "none", "12个月", "12", false},
        {"达成年度指标", "none", "达成年度指标", "none", false},
        {"达成", "none", "达成", "none", false},
        {"有效提升", "none", "有效提升", "none", false},
        // Words split off only before a number: qualitative text stays whole for scoring.
        {"高于全省平均水平", "none", "高于全省平均水平", "none", false},
        {"超过预期", "none", "超过预期", "none", false},
        {"三级以上", "none", "三级以上", "none", false},
        {"≥良好", "Ge", "良好", "none", false},
        {"3-5天", "none", "3-5天", "none", false},
        {"2024年12月31日前", "none", "2024年12月31日前", "none", false},
        {"1,23人", "none", "1,23人", "none", false},
        {"第3季度", "none", "第3季度", "none", false},
        {"约100人", "none", "约100人", "none", false},
        {"≥", "Ge", "", "none", false},
        {"", "none", "", "none", false},
    }));
    CAPTURE(input);
    auto split = ingest::splitQuantity(input);
    CHECK(opName(split.op) == op);
    CHECK(split.quantity.text == text);
    CHECK((split.quantity.value ? split.quantity.value->toString() : std::string("none")) == value);
    CHECK(split.quantity.percentSign == percent);
}

TEST_CASE("parseYesNo reads yes and no in any width and case", "[ingest]") {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
        {"是", "yes"},    {"否", "no"},      {"涉密", "yes"},   {"非密", "no"}, {"不涉密", "no"}, {"Y", "yes"},    {"y", "yes"},
        {"Ｙ", "yes"},    {"ｙｅｓ", "yes"}, {"N", "no"},       {"no", "no"},   {"TRUE", "yes"},  {"true", "yes"}, {"ＴＲＵＥ", "yes"},
        {"False", "no"},  {"1", "yes"},      {"１", "yes"},     {"0", "no"},    {"０", "no"},     {" 是 ", "yes"}, {"", "none"},
        {"是的", "none"}, {"2", "none"},     {"maybe", "none"}, {"对", "none"},
    }));
    CAPTURE(input);
    auto parsed = ingest::parseYesNo(input);
    CHECK((parsed ? (*parsed ? "yes" : "no") : "none") == expected);
}

TEST_CASE("cellText gives the text of any cell kind", "[ingest]") {
    auto [kind, text, expected] = GENERATE(table<CellKind, std::string, std::string>({
        {CellKind::Text, "  某某（县）项目 ", "某某（县）项目"},
        {CellKind::Text, "ＡＢＣ", "ＡＢＣ"},
        {CellKind::Number, "2050201", "2050201"},
        {CellKind::Number, "37.24", "37.24"},
        {CellKind::Boolean, "TRUE", "是"},
        {CellKind::Boolean, "FALSE", "否"},
        {CellKind::Boolean, "1", "是"},
        {CellKind::Boolean, "0", "否"},
        {CellKind::Error, "#N/A", "#N/A"},
        {CellKind::Empty, "", ""},
    }));
    CAPTURE(text);
    CHECK(ingest::cellText(Cell{kind, text}) == expected);
}
