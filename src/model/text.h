#pragma once

// Text helpers every stage shares: lenient UTF-8 and "did you mean" matching.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::model {

/// Decodes UTF-8; each malformed or overlong sequence (and each surrogate) becomes U+FFFD, so
/// text from a bad cell still renders instead of failing the document.
std::u32string decodeUtf8(std::string_view text);
/// The same into `out`, whose storage is reused (a caller decoding many texts in a row keeps one).
void decodeUtf8(std::string_view text, std::u32string& out);

/// Appends the UTF-8 encoding of `cp` (U+FFFD for values that are not scalar values).
void appendUtf8(std::string& out, char32_t cp);

/// Encodes a code point sequence as UTF-8.
std::string encodeUtf8(std::u32string_view text);

/// Whether XML 1.0 can carry `cp` (XLSX parts, XMP, OFD, HTML): not a C0 control other than
/// tab, line feed and carriage return, not a surrogate, not the noncharacters U+FFFE/U+FFFF.
/// One bad character makes a whole XLSX part unreadable, so every XML writer drops the others.
bool xmlAllows(char32_t cp);

/// Two clause marks in a row (among 。，；、：), as joining sentences gives ("…预算标准。；加强…"),
/// become the second one alone: it is the mark the joined text means ("…预算标准；加强…").
/// Other punctuation (？！…… and quotes) stays as written.
std::string tidyPunctuation(std::string text);

/// Columns the text takes in a terminal: East Asian wide and fullwidth characters (汉字,
/// 〔〕, fullwidth punctuation) take two, others one. For aligned plain-text tables.
std::size_t displayWidth(std::string_view text);

/// Why a system call failed (`errno`), as a Chinese phrase for the messages users see:
/// ENOSPC → "磁盘空间不足". Rare codes keep the system's own text after a Chinese label.
std::string systemReason(int err);

/// A name or value as Chinese messages quote it: “name”.
std::string quoted(std::string_view text);

/// Edit distance counted in characters (code points), not bytes: insertions, deletions,
/// substitutions and swaps of two neighbouring characters ("nmae" → "name") count one each.
std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate closest to `text`, when it is a likely typo or shortening of it: at most a
/// third of the longer name differs (at least one character may). The one suggester behind
/// every "是否指……？" hint (headers, layout.json keys, template fields).
std::optional<std::string> closestMatch(std::string_view text, const std::vector<std::string>& candidates);

}  // namespace jixiao::model
