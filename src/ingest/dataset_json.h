#pragma once

#include "ingest/headers.h"
#include "model/dataset.h"
#include "model/diagnostic.h"

#include <map>
#include <string>

namespace jixiao::ingest {

/// What dataset.json says: the config and the per-section file, sheet, column and unit settings.
struct Settings {
    model::DatasetConfig config;
    std::map<std::string, std::string> files;                                  // section → file name
    std::map<std::string, std::string> sheets;                                 // section → sheet name
    std::map<std::string, std::string> columns;                                // found header → canonical header, every table
    std::map<std::string, std::map<std::string, std::string>> sectionColumns;  // section → its own mapping
    std::string moneyUnit;                                                     // 金额单位 for every table, or empty
    std::map<std::string, std::string> sectionUnits;                           // section → 金额单位 of that table

    /// The mapping a section's table is read with: its own entries over the global ones.
    std::map<std::string, std::string> columnsFor(Section section) const {
        std::map<std::string, std::string> out = columns;
        if (auto it = sectionColumns.find(sectionName(section)); it != sectionColumns.end())
            for (const auto& [from, to] : it->second) out[from] = to;
        return out;
    }
};

/// How many of `diags` are errors in dataset.json: configuration errors (exit 78), not data
/// errors (65). A run refuses to start on them; check and publish report them with the rest.
int settingsErrors(const model::Diagnostics& diags);

/// A dataset.json file name must name a file inside the dataset folder.
bool safeFileName(const std::string& name);

/// Reads `folder`/dataset.json (input.md). Problems in its values are Diagnostics; a missing
/// file throws NoInputError, a file that is not JSON (or not UTF-8) throws ConfigError with
/// the line and column and what to change. Unambiguous slips of hand-written JSON — a comma
/// after the last item, full-width ，：“”｛｝ used as JSON punctuation — are repaired with a warning.
Settings readSettings(const std::string& folder, model::Diagnostics& diags);

/// The repair pass of readSettings, on the text: returns the text with trailing commas
/// dropped and full-width punctuation outside strings made ASCII, one warning per repair.
std::string repairJson(const std::string& text, model::Diagnostics& diags);

}  // namespace jixiao::ingest
