#pragma once

#include <string>
#include <string_view>

namespace jixiao::render {

/// Decodes UTF-8; each malformed or overlong sequence (and each surrogate) becomes U+FFFD, so
/// text from a bad cell still renders instead of failing the document.
std::u32string decodeUtf8(std::string_view text);

/// Appends the UTF-8 encoding of `cp` (U+FFFD for values that are not scalar values).
void appendUtf8(std::string& out, char32_t cp);

/// Encodes a code point sequence as UTF-8.
std::string encodeUtf8(std::u32string_view text);

} // namespace jixiao::render
