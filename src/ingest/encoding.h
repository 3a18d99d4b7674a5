#pragma once

#include <string>
#include <string_view>

namespace jixiao::ingest {

enum class TextEncoding { Utf8, Utf8Bom, Gb18030, Unknown };

/// Decides from the bytes, not the file name: a UTF-8 BOM, else valid UTF-8, else valid
/// GB18030 (which covers GBK and GB2312 as Excel on Chinese Windows saves them), else Unknown.
/// Both readings are judged over the whole text (a GBK file can pass as UTF-8 for pages).
TextEncoding detectEncoding(const std::string& bytes);

/// detectEncoding over a text read in parts: each part is judged as it comes, so the text
/// is never held whole. Parts may cut a character anywhere.
class EncodingSniffer {
public:
    void feed(std::string_view part);
    /// What detectEncoding would say of all the parts fed, in order.
    TextEncoding result();

private:
    void judge(std::string_view whole);

    std::string head_;   ///< the first four bytes (byte-order marks)
    std::string carry_;  ///< bytes after the last point where no character can be cut
    bool utf8_ = true;
    bool gb_ = true;
    long long utf8Score_ = 0;
    long long gbScore_ = 0;
};

/// The bytes that open a text in `encoding` and are not part of it (a UTF-8 BOM, GB18030's
/// 84 31 95 33): 0 when `start` does not begin with one.
std::size_t byteOrderMarkLength(std::string_view start, TextEncoding encoding);

/// Appends `bytes` converted to UTF-8 to `out`; `bytes` must not cut a character (a text cut
/// at ASCII bytes never does, in either encoding). Bytes invalid in the encoding become U+FFFD.
void appendAsUtf8(std::string& out, std::string_view bytes, TextEncoding encoding);

/// True when `bytes` (UTF-8, or GB18030 whose ASCII bytes are the same) may hold a character XML
/// forbids: a C0 control but TAB, LF and CR, or U+FFFE/U+FFFF (EF BF BE/BF).
bool mayHoldXmlForbidden(std::string_view bytes);

/// Converts to UTF-8 without BOM. Unknown → throws std::invalid_argument.
std::string toUtf8(const std::string& bytes, TextEncoding encoding);

/// Converts UTF-8 to GB18030 (used by tests and the sample generator to write GBK CSV).
std::string utf8ToGb18030(const std::string& utf8);

}  // namespace jixiao::ingest
