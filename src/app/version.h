#pragma once

#include <string>

namespace jixiao::app {

/// `jixiao --version`: the program's version, then what the data folder `dataDir` holds —
/// each rule set (templates/rules/*.json) and each template (templates/*/) with a fingerprint
/// of its files (the first 12 hex digits of a SHA-256 over their names and bytes), so that two
/// installations, or a template edited on site, can be told apart. `dataProblem` (not empty
/// when the data folder was not found) is printed instead of the list.
std::string versionText(const std::string& dataDir, const std::string& dataProblem);

}  // namespace jixiao::app
