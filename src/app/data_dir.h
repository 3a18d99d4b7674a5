#pragma once

#include <stdexcept>
#include <string>

namespace jixiao::app {

/// jixiao's read-only data folder (templates/, fonts/, web/, docs/) cannot be found (exit 78).
/// The message is Chinese, names every place looked at and says what to do.
class DataDirError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The folder of the running program, from /proc/self/exe (symbolic links resolved);
/// `fallback` when that cannot be read.
std::string programDir(const std::string& fallback);

/// Finds the data folder: `override` (the JIXIAO_DATA environment variable) when not empty,
/// else `<programDir>/../share/jixiao` (installed), else `<programDir>/../..` (the source tree,
/// when the program runs from build/src). A folder qualifies when it holds templates/ and
/// fonts/. Returns an absolute path; throws DataDirError otherwise.
std::string findDataDir(const std::string& programDir, const std::string& override);

}  // namespace jixiao::app
