#include "model/text.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using jixiao::model::closestMatch;
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
