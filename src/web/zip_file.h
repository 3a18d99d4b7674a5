#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jixiao::web {

/// Writes a zip of `entries` (name in the archive, file on disk) to `path` with Poco::Zip,
/// then marks every name as UTF-8 (general purpose bit 11), which Poco 1.11 does not: without
/// it, Windows shows the Chinese file names garbled. Throws HttpError (Chinese) when the file
/// cannot be written, Poco exceptions when an entry cannot be read.
void writeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace jixiao::web
