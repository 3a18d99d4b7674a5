#pragma once

#include "ingest/table.h"

#include <string>

namespace jixiao::ingest {

/// Parses CSV (RFC 4180: quoted cells, doubled quotes, multi-line cells, CRLF or LF) in
/// UTF-8 (BOM or not) or GB18030 (see encoding.h), every row into Table::rows. Throws ReadError
/// for bytes that are neither UTF-8 nor GB18030, an unterminated quote (naming the row it
/// started on), or a limit.
Table readCsv(std::string bytes, const std::string& displayName, const ReadLimits& limits = {});

/// Opens a CSV file to be read row by row: the first kHeldRows rows in Table::rows, the others
/// from Table::rest as they are asked for, converted a cell at a time; the file is never held
/// whole (it is read once to judge its encoding and check it, then again for the rows). Throws
/// ReadError as readCsv does, before any row is given; the display name is the file name
/// without its folder.
Table readCsvFile(const std::string& path, const ReadLimits& limits = {});

}  // namespace jixiao::ingest
