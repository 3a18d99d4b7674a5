#pragma once

#include <string>

namespace jixiao::ingest {

enum class TextEncoding { Utf8, Utf8Bom, Gb18030, Unknown };

/// Decides from the bytes, not the file name: a UTF-8 BOM, else valid UTF-8, else valid
/// GB18030 (which covers GBK and GB2312 as Excel on Chinese Windows saves them), else Unknown.
TextEncoding detectEncoding(const std::string& bytes);

/// Converts to UTF-8 without BOM. Unknown → throws std::invalid_argument.
std::string toUtf8(const std::string& bytes, TextEncoding encoding);

/// Converts UTF-8 to GB18030 (used by tests and the sample generator to write GBK CSV).
std::string utf8ToGb18030(const std::string& utf8);

}  // namespace jixiao::ingest
