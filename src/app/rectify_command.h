#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace jixiao::app {

/// What `jixiao rectify <action>` was asked to do.
struct RectifyRequest {
    std::string action;               ///< list | record | close | overdue
    std::string db;                   ///< history store path
    std::string letter;               ///< 发文字号 of the letter (record, close)
    std::string date;                 ///< the report or closing date; for overdue: "today"
    std::string summary;              ///< record: what the unit reported; close: the closing note
    std::optional<std::string> file;  ///< record: the unit's report file (path and SHA-256 kept)
    std::optional<int> year;          ///< list: only letters of this year
    std::string status;               ///< list: only 待整改 / 已报送 / 已销号
};

/// Tracks the rectification a feedback letter demands until it is closed. Prints a table
/// (list, overdue) or the updated item (record, close). Returns the exit code; store errors
/// propagate to the CLI.
int rectify(const RectifyRequest& request, std::ostream& out, std::ostream& err);

}  // namespace jixiao::app
