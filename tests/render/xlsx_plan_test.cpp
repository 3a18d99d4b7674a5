#include "render/xlsx_plan.h"

#include <catch2/catch.hpp>

#include <string>

using jixiao::render::xlsx::cleanText;

TEST_CASE("cleanText keeps what an XLSX part can carry, byte for byte", "[render][xlsx]") {
    for (const std::string& text :
         {std::string(""), std::string("项目A-1 完成率 98.5%"), std::string("（一）产出指标：≥100，合计\t¥"), std::string("行一\n行二"),
          std::string("Résumé ×2 — …"), std::string("\xF0\xA0\x80\x80 扩展B"), std::string("\xEF\xBF\xBD replacement")}) {
        INFO(text);
        CHECK(cleanText(text) == text);
    }
}

TEST_CASE("cleanText drops carriage returns and characters XML forbids, and replaces broken UTF-8", "[render][xlsx]") {
    CHECK(cleanText("第一行\r\n第二行") == "第一行\n第二行");
    CHECK(cleanText("培训\xEF\xBF\xBE项目\x01") == "培训项目");
    CHECK(cleanText("a\xEF\xBF\xBF"
                    "b\x1F"
                    "c") == "abc");
    CHECK(cleanText("坏\xE4\xB8字") == "坏\xEF\xBF\xBD字");
    CHECK(cleanText("\xC0\x80x") == "\xEF\xBF\xBDx");  // an overlong form is one broken character
}
