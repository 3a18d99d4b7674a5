#pragma once

#include "ingest/table.h"

#include <string>
#include <vector>

namespace jixiao::ingest {

/// Reads one sheet of an XLSX workbook held in memory, by streaming its XML (Poco::Zip +
/// Poco::XML SAX). `sheet` empty = the first sheet in workbook order. Shared strings, inline
/// strings, numbers, booleans, errors and formula cells' cached values are read; dates stay
/// serial numbers. Throws ReadError for a file that is not a workbook, a missing sheet
/// (naming the sheets that exist), or any limit exceeded.
Table readXlsx(const std::string& bytes, const std::string& displayName, const std::string& sheet,
               const ReadLimits& limits = {});

/// The names of a workbook's sheets, in workbook order. Throws ReadError.
std::vector<std::string> xlsxSheetNames(const std::string& bytes, const std::string& displayName,
                                        const ReadLimits& limits = {});

/// Same as readXlsx, from a file path; the display name is the file name without its folder.
Table readXlsxFile(const std::string& path, const std::string& sheet, const ReadLimits& limits = {});

} // namespace jixiao::ingest
