#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

/// Line breaking for Chinese text mixed with Latin words and figures.
///
/// Rules: a break is allowed between two CJK characters, before and after a CJK character
/// next to a Latin word, and at spaces (which vanish at the break). Latin words and figures
/// ("86.20%", "1,234.50", "2024" in "2024年") are never split unless one alone is wider than
/// the line, in which case it is broken by characters. Chinese punctuation rules (禁则, after
/// GB/T 15834 and JIS X 4051): a line never starts with a closing mark (，。、；：？！）》」』】
/// 〕〉”’%‰·… …) and never ends with an opening mark (（《「『【〔〈“‘ …); "——" and "……" are
/// never split. We push rather than hang: the character before a closing mark moves down
/// with it (and an opening mark moves down to its character), so the line may end a
/// little short; justified text absorbs that gap. Hanging punctuation would let a mark
/// stick out past the type area, which table cells and GB/T 9704 letters cannot afford.
/// "\n" is a hard break; an empty hard line yields an empty line.
namespace jixiao::render {

/// One output line: the code points [begin, end) of the text, trailing spaces excluded.
struct LineSpan {
    std::size_t begin = 0;       ///< first code point
    std::size_t end = 0;         ///< one past the last code point
    double width = 0.0;          ///< sum of the advances in [begin, end)
    bool endsParagraph = false;  ///< followed by "\n" or the end of the text (not justified)
};

/// Breaks `text` into lines no wider than `maxWidth` (the first line: `firstLineWidth`, e.g.
/// for a first-line indent). `advances[i]` is the width of `text[i]`; any unit works.
std::vector<LineSpan> breakLines(std::u32string_view text, const std::vector<double>& advances, double maxWidth, double firstLineWidth);

/// breakLines for the code points [begin, end) of `text` (`advances` indexed as `text`),
/// appending the lines to `out` with their positions in `text`: many short texts (a table's
/// cells) are laid out in one buffer, without a vector per text.
void appendLines(std::u32string_view text, const double* advances, std::size_t begin, std::size_t end, double maxWidth,
                 double firstLineWidth, std::vector<LineSpan>& out);

/// Breaks a title into as few lines as fit `maxWidth`, all of nearly the same width (GB/T 9704
/// 7.3.1: a title breaks between words into balanced lines). `marks` are the positions where
/// a line may start (between words, set by the template); when a part between marks is wider
/// than a line, or there are no marks, lines break wherever breakLines allows.
std::vector<LineSpan> balanceLines(std::u32string_view text, const std::vector<double>& advances, const std::vector<std::size_t>& marks,
                                   double maxWidth);

/// Convenience form for UTF-8 text and a per-code-point width function; returns the lines'
/// text in UTF-8.
std::vector<std::string> breakLines(std::string_view utf8, const std::function<double(char32_t)>& advance, double maxWidth);

/// True for characters that must not begin a line (closing punctuation, %, small kana …).
bool isNoLineStart(char32_t cp);

/// True for characters that must not end a line (opening brackets and quotes, currency signs).
bool isNoLineEnd(char32_t cp);

/// True for characters that allow a break on either side (ideographs, kana, CJK punctuation).
bool isCjkBreakable(char32_t cp);

}  // namespace jixiao::render
