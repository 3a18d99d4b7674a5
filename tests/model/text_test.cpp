#include "model/text.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using jixiao::model::closestMatch;
using jixiao::model::decodeUtf8;
using jixiao::model::editDistance;

TEST_CASE("edit distance counts characters and a swap of neighbours as one", "[model]") {
    CHECK(editDistance("name", "name") == 0);
    CHECK(editDistance("nmae", "name") == 1);
    CHECK(editDistance("paragraf", "paragraph") == 2);
    CHECK(editDistance("项目名称", "项目名") == 1);
    CHECK(editDistance("", "abc") == 3);
    CHECK(editDistance("abc", "cba") == 2);
}

TEST_CASE("the one 是否指 suggester allows a third of the longer name to differ", "[model]") {
    const std::vector<std::string> keys = {"paragraph", "heading", "table"};
    CHECK(closestMatch("paragraf", keys) == std::optional<std::string>("paragraph"));
    CHECK(closestMatch("tabel", keys) == std::optional<std::string>("table"));
    CHECK_FALSE(closestMatch("image", keys));
    CHECK(closestMatch("nmae", {"name", "code"}) == std::optional<std::string>("name"));
    CHECK(closestMatch("项目名", {"项目名称", "单位名称"}) == std::optional<std::string>("项目名称"));
    CHECK_FALSE(closestMatch("", keys));
    CHECK(jixiao::model::quoted("名称") == "“名称”");
}

TEST_CASE("decodeUtf8 reads well-formed text and turns each malformed sequence into U+FFFD", "[model]") {
    struct Case {
        std::string in;
        std::u32string out;
    };
    const Case cases[] = {
        {"", U""},
        {"abc\n", U"abc\n"},
        {"项目支出绩效自评表", U"项目支出绩效自评表"},
        {"\xC2\xA9 \xF0\x9F\x98\x80 \xEF\xBC\x88", U"\u00A9 \U0001F600 \uFF08"},  // two, four and three bytes
        {"\xE0\x80\x80", U"\uFFFD"},                                              // overlong three-byte NUL
        {"\xED\xA0\x80x", U"\uFFFDx"},                                            // a surrogate
        {"\xE9\xA1", U"\uFFFD"},                                                  // cut short at the end
        {"\xE9\xA1x", U"\uFFFDx"},                                                // cut short before ASCII
        {"\x80\xFF", U"\uFFFD\uFFFD"},                                            // stray continuation, invalid lead
        {"\xF4\x90\x80\x80", U"\uFFFD"},                                          // beyond U+10FFFF
    };
    std::u32string reused = U"left over from an earlier, longer text";
    for (const Case& c : cases) {
        INFO(c.in);
        CHECK(decodeUtf8(c.in) == c.out);
        decodeUtf8(c.in, reused);
        CHECK(reused == c.out);
    }
}
