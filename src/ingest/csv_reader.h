#pragma once

#include "ingest/table.h"

#include <string>

namespace jixiao::ingest {

/// Parses CSV (RFC 4180: quoted cells, doubled quotes, multi-line cells, CRLF or LF) after
/// converting it to UTF-8 (see encoding.h). Throws ReadError for bytes that are neither
/// UTF-8 nor GB18030, an unterminated quote (naming the row it started on), or a limit.
Table readCsv(std::string bytes, const std::string& displayName, const ReadLimits& limits = {});

/// Same, from a file path; the display name is the file name without its folder.
Table readCsvFile(const std::string& path, const ReadLimits& limits = {});

}  // namespace jixiao::ingest
