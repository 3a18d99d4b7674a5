#include <catch2/catch.hpp>

#include "ingest/encoding.h"

#include <stdexcept>
#include <string>

using jixiao::ingest::TextEncoding;
namespace ingest = jixiao::ingest;

namespace {

std::string name(TextEncoding e) {
    switch (e) {
    case TextEncoding::Utf8: return "Utf8";
    case TextEncoding::Utf8Bom: return "Utf8Bom";
    case TextEncoding::Gb18030: return "Gb18030";
    case TextEncoding::Unknown: return "Unknown";
    }
    return "?";
}

}  // namespace

TEST_CASE("detectEncoding recognises UTF-8 with and without BOM", "[ingest]") {
    auto [bytes, expected] = GENERATE(table<std::string, std::string>({
        {"", "Utf8"},
        {"code,name\r\n1,a\r\n", "Utf8"},  // pure ASCII is UTF-8
        {"\xEF\xBB\xBF", "Utf8Bom"},
        {"\xEF\xBB\xBF项目编码,项目名称\r\n", "Utf8Bom"},
        {"项目编码,项目名称,单位编码\r\nXM001,农村道路建设,001\r\n", "Utf8"},
        // UTF-8 whose bytes also pair up as GBK (12 CJK characters, even runs): still UTF-8.
        {"项目编码,项目名称,单位编码", "Utf8"},
        {"中文", "Utf8"},
        {"m²", "Utf8"},
        {"25°C", "Utf8"},
        {"张·三", "Utf8"},
        {"≥95%", "Utf8"},
        {"𠀀", "Utf8"},  // four-byte UTF-8 (U+20000)
    }));
    CAPTURE(bytes);
    CHECK(name(ingest::detectEncoding(bytes)) == expected);
}

TEST_CASE("detectEncoding recognises GBK as Excel saves it on Chinese Windows", "[ingest]") {
    auto text = GENERATE(as<std::string>{}, "项目编码,项目名称,单位编码\r\n",
                         "项目编码,项目名称,单位编码,项目类别,资金来源\r\nXM001,农村道路建设,001,部门预算项目,一般公共预算\r\n",
                         "单位编码,单位名称\r\n001,某某县财政局\r\n",
                         "一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位\r\n产出指标,数量指标,培训人次,≥,735,人次\r\n",
                         // Short GBK texts that are also valid UTF-8 (时效 = CA B1 D0 A7 reads as ʱЧ):
                         // the Chinese reading wins.
                         "时效", "农业", "元", "未", "亩", "系统", "平台", "二级指标,时效\r\n");
    CAPTURE(text);
    std::string gbk = ingest::utf8ToGb18030(text);
    CHECK(name(ingest::detectEncoding(gbk)) == "Gb18030");
    CHECK(ingest::toUtf8(gbk, TextEncoding::Gb18030) == text);
}

TEST_CASE("detectEncoding is strict about UTF-8 and GB18030", "[ingest]") {
    auto [bytes, expected] = GENERATE(table<std::string, std::string>({
        {"\xC0\x80", "Gb18030"},            // overlong NUL is not UTF-8 (but pairs as GBK)
        {"\xE0\x80\xAF\xA1", "Gb18030"},    // overlong "/" (then one more byte to pair as GBK)
        {"\xED\xA0\x80", "Gb18030"},        // UTF-16 surrogate
        {"\xF4\x90\x80\x80", "Gb18030"},    // above U+10FFFF
        {"\x90\x30\x81\x30", "Gb18030"},    // GB18030 four-byte U+10000
        {"\x81\x30\x81\x30", "Gb18030"},    // GB18030 four-byte U+0080
        {"\x84\x31\x95\x33项", "Unknown"},  // GB18030 BOM, then UTF-8 bytes
        {"\x84\x31\x95\x33", "Gb18030"},    // GB18030 BOM
        {"abc\xFF", "Unknown"},
        {"\xFF\xFE"
         "a\0b\0",
         "Unknown"},                      // UTF-16 LE
        {"\xD6", "Unknown"},              // truncated double-byte character
        {"\xD6\x30", "Unknown"},          // trail below 0x40
        {"\xD6\x7F", "Unknown"},          // trail 0x7F
        {"\x81\x30\x81", "Unknown"},      // truncated four-byte sequence
        {"\x81\x30\x20\x30", "Unknown"},  // broken four-byte sequence
    }));
    CAPTURE(bytes);
    CHECK(name(ingest::detectEncoding(bytes)) == expected);
}

TEST_CASE("toUtf8 converts GB18030 to UTF-8", "[ingest]") {
    auto [bytes, expected] = GENERATE(table<std::string, std::string>({
        {"\xD6\xD0\xCE\xC4", "中文"},
        {"\xCF\xEE\xC4\xBF\xB1\xE0\xC2\xEB", "项目编码"},
        {"\xA3\xA8\xCD\xF2\xD4\xAA\xA3\xA9", "（万元）"},
        {"\xA1\xDD\x39\x35\xA3\xA5", "≥95％"},
        {"\x81\x40", "丂"},                        // GBK extension
        {"\x80", "€"},                             // code page 936 euro
        {"\xA2\xE3", "€"},                         // GB18030 euro
        {"\xA8\xBC", "ḿ"},                         // GB18030-2005
        {"\xAA\xA1", "\xEE\x80\x80"},              // user-defined area → U+E000
        {"\xAF\xFE", "\xEE\x88\xB3"},              // … U+E233
        {"\xF8\xA1", "\xEE\x88\xB4"},              // … U+E234
        {"\xFE\xFE", "\xEE\x93\x85"},              // … U+E4C5
        {"\xA1\x40", "\xEE\x93\x86"},              // … U+E4C6
        {"\xA3\xA0", "\xEE\x97\xA5"},              // … U+E5E5
        {"\xA7\xA0", "\xEE\x9D\xA5"},              // … U+E765
        {"\x90\x30\x81\x30", "\xF0\x90\x80\x80"},  // U+10000
        {"\x95\x32\x82\x36", "\xF0\xA0\x80\x80"},  // U+20000 𠀀
        {"\xE3\x32\x9A\x35", "\xF4\x8F\xBF\xBF"},  // U+10FFFF
        {"\x84\x31\x95\x33\xD6\xD0", "中"},        // BOM dropped
        // Four-byte BMP codes need a range table Poco does not have: U+FFFD.
        {"\x81\x30\x81\x30", "\xEF\xBF\xBD"},
        {"\xE3\x32\x9A\x36", "\xEF\xBF\xBD"},  // beyond U+10FFFF
        {"a\xD6", "a\xEF\xBF\xBD"},            // truncated
        {"\xFF"
         "b",
         "\xEF\xBF\xBD"
         "b"},
    }));
    CAPTURE(bytes);
    CHECK(ingest::toUtf8(bytes, TextEncoding::Gb18030) == expected);
}

TEST_CASE("toUtf8 passes UTF-8 through and drops the BOM", "[ingest]") {
    CHECK(ingest::toUtf8("项目", TextEncoding::Utf8) == "项目");
    CHECK(ingest::toUtf8("\xEF\xBB\xBF项目", TextEncoding::Utf8Bom) == "项目");
    CHECK(ingest::toUtf8("\xEF\xBB\xBF", TextEncoding::Utf8Bom) == "");
    CHECK(ingest::toUtf8("a\xC0\x80z", TextEncoding::Utf8) == "a\xEF\xBF\xBD\xEF\xBF\xBDz");
    CHECK_THROWS_MATCHES(ingest::toUtf8("x", TextEncoding::Unknown), std::invalid_argument,
                         Catch::Message("toUtf8: unknown text encoding"));
}

TEST_CASE("utf8ToGb18030 writes what Excel on Chinese Windows reads", "[ingest]") {
    auto [text, expected] = GENERATE(table<std::string, std::string>({
        {"abc,1\r\n", "abc,1\r\n"},
        {"中文", "\xD6\xD0\xCE\xC4"},
        {"项目编码", "\xCF\xEE\xC4\xBF\xB1\xE0\xC2\xEB"},
        {"，。“”", "\xA3\xAC\xA1\xA3\xA1\xB0\xA1\xB1"},
        {"€", "\xA2\xE3"},
        {"ḿ", "\xA8\xBC"},
        {"\xEE\x80\x80", "\xAA\xA1"},
        {"\xEE\x97\xA5", "\xA3\xA0"},
        {"\xEE\x9D\xA5", "\xA7\xA0"},
        {"\xF0\x90\x80\x80", "\x90\x30\x81\x30"},
        {"\xF4\x8F\xBF\xBF", "\xE3\x32\x9A\x35"},
        {"\xEF\xBB\xBF", "\x84\x31\x95\x33"},
        {"\xE3\x90\x80", "?"},  // U+3400: a four-byte BMP code
        {"\xE2\x88\x92", "?"},  // U+2212
        {"a\xFF", "a?"},        // not UTF-8
    }));
    CAPTURE(text);
    CHECK(ingest::utf8ToGb18030(text) == expected);
}

TEST_CASE("GB18030 round-trips every user-defined and supplementary code point", "[ingest]") {
    auto utf8 = [](char32_t cp) {
        std::string s;
        if (cp >= 0x10000) {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        } else {
            s += static_cast<char>(0xE0 | (cp >> 12));
        }
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
        return s;
    };
    int failures = 0;
    for (char32_t cp = 0xE000; cp <= 0xE765; ++cp) {
        std::string s = utf8(cp);
        if (ingest::toUtf8(ingest::utf8ToGb18030(s), TextEncoding::Gb18030) != s) ++failures;
    }
    for (char32_t cp = 0x10000; cp <= 0x10FFFF; cp += 0x3FF) {
        std::string s = utf8(cp);
        if (ingest::toUtf8(ingest::utf8ToGb18030(s), TextEncoding::Gb18030) != s) ++failures;
    }
    CHECK(failures == 0);
}
