#pragma once

#include "ingest/table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace jixiao::ingest {

/// Reads one sheet of an XLSX workbook held in memory, by streaming its XML (Poco::Zip +
/// Poco::XML SAX). `sheet` empty = the first sheet in workbook order. Shared strings, inline
/// strings, numbers, booleans, errors and formula cells' cached values are read; dates stay
/// serial numbers. Throws ReadError for a file that is not a workbook, a missing sheet
/// (naming the sheets that exist), or any limit exceeded. With `held` given, only the first
/// `held` rows stay in Table::rows: the others are spilled to a scratch file (model::TextStore)
/// as the sheet is read and come back one at a time from Table::rest; every ReadError is still
/// thrown before any row is given. Throws model::TextStoreError when the scratch file fails.
Table readXlsx(const std::string& bytes, const std::string& displayName, const std::string& sheet, const ReadLimits& limits = {},
               std::size_t held = SIZE_MAX);

/// The names of a workbook's sheets, in workbook order. Throws ReadError.
std::vector<std::string> xlsxSheetNames(const std::string& bytes, const std::string& displayName, const ReadLimits& limits = {});

/// One sheet's parts for a reader of more than values (the Excel form reader reads styles,
/// merges and print setup too), inflated and checked as readXlsx checks what it streams (size
/// and compression ratio limits, CRC, no DTD): the XML to parse, with the shared strings
/// already read (rich text flattened).
struct XlsxSheetParts {
    std::string sheetName;                   ///< as the workbook names it
    int sheetIndex = 0;                      ///< position in workbook order (localSheetId)
    std::string sheetXml;                    ///< the worksheet part
    std::string workbookXml;                 ///< the workbook part (defined names: print titles)
    std::string stylesXml;                   ///< the styles part; empty when the workbook has none
    std::vector<std::string> sharedStrings;  ///< the shared string table
};

/// Reads the parts of `sheet` (empty = the first). Throws ReadError like readXlsx.
XlsxSheetParts readXlsxSheetParts(const std::string& bytes, const std::string& displayName, const std::string& sheet,
                                  const ReadLimits& limits = {});

/// Same as readXlsx, from a file path; the display name is the file name without its folder.
Table readXlsxFile(const std::string& path, const std::string& sheet, const ReadLimits& limits = {});

}  // namespace jixiao::ingest
