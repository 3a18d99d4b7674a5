#include "render/line_break.h"
#include "model/text.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using jixiao::model::decodeUtf8;
using jixiao::model::encodeUtf8;
using jixiao::render::appendLines;
using jixiao::render::breakLines;
using jixiao::render::isCjkBreakable;
using jixiao::render::isNoLineEnd;
using jixiao::render::isNoLineStart;
using Lines = std::vector<std::string>;

namespace {

// A monospaced stand-in for a font: CJK characters one unit wide, everything else half.
double unitWidth(char32_t cp) { return isCjkBreakable(cp) ? 1.0 : 0.5; }

Lines wrap(const std::string& text, double width) { return breakLines(text, unitWidth, width); }

}  // namespace

TEST_CASE("line breaking follows the Chinese rules", "[render]") {
    struct Case {
        const char* name;
        std::string text;
        double width;
        Lines expected;
    };
    const std::vector<Case> cases = {
        {"fits on one line", "项目支出绩效", 6, {"项目支出绩效"}},
        {"breaks between any two ideographs", "项目支出绩效自评表", 4, {"项目支出", "绩效自评", "表"}},
        {"comma never starts a line: the ideograph before it moves down", "一二三四，五六", 4, {"一二三", "四，五六"}},
        {"full stop never starts a line", "一二三四。", 4, {"一二三", "四。"}},
        {"enumeration comma never starts a line", "甲乙丙丁、戊", 4, {"甲乙丙", "丁、戊"}},
        {"closing bracket and full stop stay with their character", "一二三（四）。五", 4, {"一二三", "（四）。", "五"}},
        {"opening bracket never ends a line", "一二三（四五）", 4, {"一二三", "（四五）"}},
        {"opening book title mark never ends a line", "一二三《四五》", 4, {"一二三", "《四五》"}},
        {"closing quote never starts a line", "他说“好的”六七", 5, {"他说“好", "的”六七"}},
        {"percent figure kept whole", "执行率为86.20%，低于", 6, {"执行率为", "86.20%，低于"}},
        {"thousands separators kept whole", "金额1,234.50万元", 5, {"金额", "1,234.50万", "元"}},
        {"digits of a year kept whole, break before 年", "二〇二四2024年度", 5, {"二〇二四", "2024年度"}},
        {"Latin words break at spaces, the space vanishes", "ab cd ef", 2, {"ab", "cd", "ef"}},
        {"explicit newline is honoured", "一二\n三四", 10, {"一二", "三四"}},
        {"empty hard line is kept", "一\n\n二", 10, {"一", "", "二"}},
        {"a word wider than the line is broken by characters", "abcdefgh", 2, {"abcd", "efgh"}},
        {"ellipsis pair is never split and never starts a line", "一二三……", 4, {"一二", "三……"}},
        {"dash pair is never split", "一二三——四", 4, {"一二三", "——四"}},
        {"per-mille sign never starts a line", "一二三‰", 3, {"一二", "三‰"}},
        {"middle dot never starts a line", "阿卜杜·买", 3, {"阿卜", "杜·买"}},
        {"full-width percent never starts a line", "一二三％", 3, {"一二", "三％"}},
        {"colon after a label stays with it", "联系处室：办公室", 4, {"联系处", "室：办公", "室"}},
        {"leading spaces of a hard line are kept", "  ab", 10, {"  ab"}},
        {"trailing spaces are dropped", "ab  ", 10, {"ab"}},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        CHECK(wrap(c.text, c.width) == c.expected);
    }
}

TEST_CASE("punctuation classes", "[render]") {
    for (char32_t cp : std::u32string(U"，。、；：？！）》」』】〕〉”’%‰·…")) {
        INFO(encodeUtf8(std::u32string(1, cp)));
        CHECK(isNoLineStart(cp));
        CHECK_FALSE(isNoLineEnd(cp));
    }
    for (char32_t cp : std::u32string(U"（《「『【〔〈“‘")) {
        INFO(encodeUtf8(std::u32string(1, cp)));
        CHECK(isNoLineEnd(cp));
        CHECK_FALSE(isNoLineStart(cp));
    }
    CHECK_FALSE(isNoLineStart(U'一'));
    CHECK_FALSE(isNoLineEnd(U'一'));
}

TEST_CASE("line spans carry widths, the first-line width and paragraph ends", "[render]") {
    const std::u32string text = U"一二三四五六七\n八";
    std::vector<double> advances;
    for (char32_t cp : text) advances.push_back(cp == U'\n' ? 0.0 : 10.0);
    // First line indented by two characters: 30 of 50 available.
    const auto lines = breakLines(text, advances, 50.0, 30.0);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].begin == 0);
    CHECK(lines[0].end == 3);
    CHECK(lines[0].width == Approx(30.0));
    CHECK_FALSE(lines[0].endsParagraph);
    CHECK(lines[1].begin == 3);
    CHECK(lines[1].end == 7);
    CHECK(lines[1].endsParagraph);
    CHECK(lines[2].begin == 8);
    CHECK(lines[2].end == 9);
    CHECK(lines[2].endsParagraph);
}

TEST_CASE("appendLines breaks a part of a buffer as breakLines breaks it alone", "[render]") {
    // Two cells' texts in one buffer: the second one's lines come after the first one's, at
    // its positions in the buffer, the same lines as it gets on its own.
    const std::u32string first = U"一二三";
    const std::u32string second = U"四五六七，八\n\n九";
    const std::u32string buffer = first + second;
    std::vector<double> advances;
    for (char32_t cp : buffer) advances.push_back(cp == U'\n' ? 0.0 : 10.0);
    std::vector<jixiao::render::LineSpan> lines;
    appendLines(buffer, advances.data(), 0, first.size(), 20.0, 20.0, lines);
    REQUIRE(lines.size() == 2);
    appendLines(buffer, advances.data(), first.size(), buffer.size(), 30.0, 20.0, lines);
    const auto alone = breakLines(second, std::vector<double>(advances.begin() + 3, advances.end()), 30.0, 20.0);
    REQUIRE(lines.size() == 2 + alone.size());
    CHECK(alone.size() == 5);
    for (size_t k = 0; k < alone.size(); ++k) {
        CHECK(lines[2 + k].begin == alone[k].begin + first.size());
        CHECK(lines[2 + k].end == alone[k].end + first.size());
        CHECK(lines[2 + k].width == alone[k].width);
        CHECK(lines[2 + k].endsParagraph == alone[k].endsParagraph);
    }
    // An empty part is one empty line where it stands.
    appendLines(buffer, advances.data(), 3, 3, 30.0, 30.0, lines);
    CHECK(lines.back().begin == 3);
    CHECK(lines.back().end == 3);
    CHECK(lines.back().endsParagraph);
}

TEST_CASE("a character exactly filling the line stays on it", "[render]") {
    // 0.1 summed ten times is not exactly 1.0 in binary floating point.
    const std::u32string text(10, U'一');
    const std::vector<double> advances(10, 0.1);
    const auto lines = breakLines(text, advances, 1.0, 1.0);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].end == 10);
}

TEST_CASE("UTF-8 decoding replaces malformed sequences", "[render]") {
    CHECK(decodeUtf8("a\xE4\xB8\xAD") == U"a中");
    CHECK(decodeUtf8("\xE4\xB8") == U"\uFFFD");
    CHECK(decodeUtf8("\xC0\xAFx") == U"\uFFFDx");    // overlong "/"
    CHECK(decodeUtf8("\xED\xA0\x80") == U"\uFFFD");  // surrogate
    CHECK(decodeUtf8("\xFF") == U"\uFFFD");
    CHECK(encodeUtf8(U"中文𠀀") == "中文\xF0\xA0\x80\x80");
}
