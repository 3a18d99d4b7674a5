#include "model/json.h"

#include <catch2/catch.hpp>

#include <string>

using jixiao::model::JsonSyntaxError;
using jixiao::model::JsonValue;
using jixiao::model::parseJson;

namespace {
std::string syntaxError(const std::string& text) {
    try {
        parseJson(text);
    } catch (const JsonSyntaxError& e) {
        return std::to_string(e.line()) + ":" + std::to_string(e.column()) + " " + e.what();
    }
    return "parsed";
}
}  // namespace

TEST_CASE("JSON reader keeps number text, order and escapes", "[model]") {
    auto v = parseJson("\xEF\xBB\xBF{\"b\": 0.1, \"a\": [true, false, null, -1.5e2], \"s\": \"\\u4e2d\\n\\ud83d\\ude00\"}");
    REQUIRE(v.kind == JsonValue::Kind::Object);
    REQUIRE(v.members.size() == 3);
    CHECK(v.members[0].first == "b");
    CHECK(v.members[0].second.text == "0.1");
    CHECK(v.members[1].second.items.size() == 4);
    CHECK(v.members[1].second.items[3].text == "-1.5e2");
    CHECK(v.find("s")->text == "中\n😀");
    CHECK(v.find("missing") == nullptr);
}

TEST_CASE("JSON values know the line and column where they start", "[model]") {
    auto v = parseJson("{\n  \"名称\": \"甲\",\n  \"列\": [1,\n    2.5, -3, 1e2]\n}");
    CHECK(v.line == 1);
    CHECK(v.column == 1);
    const JsonValue& name = *v.find("名称");
    CHECK(name.line == 2);
    CHECK(name.column == 9);  // characters, not bytes: "  "名称": " is 8 characters
    const JsonValue& list = *v.find("列");
    CHECK(list.line == 3);
    CHECK(list.items[0].line == 3);
    CHECK(list.items[1].line == 4);
    CHECK(list.items[1].column == 5);
    CHECK(list.items[0].isInteger());
    CHECK_FALSE(list.items[1].isInteger());
    CHECK(list.items[2].isInteger());
    CHECK_FALSE(list.items[3].isInteger());
    CHECK_FALSE(name.isInteger());
}

TEST_CASE("JSON syntax errors give line, column and a Chinese message", "[model]") {
    CHECK(syntaxError("{\n  \"name\": \"x\",\n}") == "3:1 对象的最后一项后面不能有逗号");
    CHECK(syntaxError("{ // 注释\n}") == "1:3 JSON不允许注释，说明文字请写在“说明”字段中");
    CHECK(syntaxError("{\"a\": 1, \"a\": 2}") == "1:10 键“a”重复");
    CHECK(syntaxError("{\"名称\": 1 \"b\": 2}") == "1:10 此处应为逗号“,”或右花括号“}”");
    CHECK(syntaxError("[1, 2,]") == "1:7 数组的最后一项后面不能有逗号");
    CHECK(syntaxError("\"x") == "1:3 字符串缺少结尾的双引号");
    CHECK(syntaxError("") == "1:1 JSON内容不完整");
    CHECK(syntaxError("{} x") == "1:4 JSON内容结束后还有多余的字符");
    CHECK(syntaxError("[01]") == "1:3 此处应为逗号“,”或右方括号“]”");
    CHECK(syntaxError("[1.]") == "1:4 数字的小数点后应有数字");
    CHECK(syntaxError("[\"\\x\"]") == "1:4 字符串中的转义字符不正确");
    CHECK(syntaxError("[\"\\ud83d\"]") == "1:9 不成对的UTF-16代理项");
    CHECK(syntaxError("{\"a\" 1}") == "1:6 键名后面应为冒号“:”");
    CHECK(syntaxError("{1: 2}") == "1:2 此处应为用双引号括起的键名");
    CHECK(syntaxError("[tru]") == "1:2 此处应为一个值（对象、数组、字符串、数字、true、false或null）");
    CHECK(syntaxError(std::string(70, '[')) == "1:66 嵌套层数过多");
}
