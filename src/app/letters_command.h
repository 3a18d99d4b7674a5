#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace jixiao::app {

/// What `jixiao letters list|void|reissue` was asked to do (`letters issue` is a run).
struct LettersRequest {
    std::string action;  ///< list | void | reissue
    std::string db;      ///< history store path
    std::string letter;  ///< void, reissue: the 发文字号
    std::string date;    ///< void: 作废日期; reissue: the new letter's 成文日期
    std::string reason;  ///< void: why
    std::optional<int> year;  ///< list: only letters of this year
    std::string status;       ///< list: only 有效 / 已作废
};

/// The ledger of feedback letters: lists it as a table (voided numbers included), voids a
/// letter, reissues a voided one under a new number. Returns the exit code; store errors
/// propagate to the CLI.
int letters(const LettersRequest& request, std::ostream& out, std::ostream& err);

} // namespace jixiao::app
