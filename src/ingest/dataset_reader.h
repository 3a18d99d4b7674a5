#pragma once

#include "ingest/table.h"
#include "model/dataset.h"
#include "model/diagnostic.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::ingest {

/// The dataset folder or its dataset.json is missing (exit 66).
class NoInputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// dataset.json is not valid JSON or not an object (exit 78).
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads a dataset folder (input.md) into a Dataset. Every problem in the data becomes a
/// Diagnostic and reading goes on, so one run shows them all; rows with errors are left out
/// and their project is marked through Diagnostic::projectCode. Throws NoInputError and
/// ConfigError only for the two cases above. Cross-references are checked by model::validate.
model::Dataset readDataset(const std::string& folder, model::Diagnostics& diags, const ReadLimits& limits = {});

/// What `jixiao init` proposes for a folder of exports.
struct Proposal {
    std::string json;                    ///< a dataset.json (UTF-8, ASCII quotes), ready to save
    std::vector<std::string> found;      ///< what was detected, one line per table ("项目：项目.xlsx[项目清单]")
    std::vector<std::string> undecided;  ///< what the user must still decide or fix, one problem per line
};

/// Reads the exports in `folder` as readDataset would with an empty dataset.json (tables found
/// by their headers) and proposes a dataset.json: 年度 (the latest 部门整体 year, if any), an
/// empty 发文机关, files, sheets, the columns recognised under another name and the money unit
/// of each table whose headers declare one. Throws NoInputError for a missing folder.
Proposal proposeDataset(const std::string& folder, const ReadLimits& limits = {});

/// Reads one section file by content (XLSX by its zip signature, anything else as CSV).
/// Throws ReadError.
Table readTableFile(const std::string& path, const std::string& sheet, const ReadLimits& limits);

}  // namespace jixiao::ingest
