#pragma once

#include "publish/letter_register.h"

#include <optional>
#include <ostream>
#include <string>

namespace jixiao::app {

/// What `jixiao letters list|void|reissue` was asked to do (`letters issue` is a run).
struct LettersRequest {
    std::string action;       ///< list | void | reissue
    std::string db;           ///< history store path
    std::string letter;       ///< void, reissue: the 发文字号
    std::string date;         ///< void: 作废日期; reissue: the new letter's 成文日期
    std::string reason;       ///< void: why
    std::optional<int> year;  ///< list: only letters of this year
    std::string status;       ///< list: only 有效 / 已作废
};

/// A change to the ledger and what it did, said in Chinese.
struct LetterChange {
    publish::IssuedLetter letter;  ///< void: the voided letter; reissue: the new one
    std::string message;
};

/// Voids `letter` (its number as printed) on `date` for `reason`: `jixiao letters void` and the
/// workspace's 作废 button. Store errors (unknown letter, closed item, …) propagate.
LetterChange voidLetter(publish::LetterRegister& ledger, const std::string& letter, const std::string& date, const std::string& reason);
/// Issues a new number dated `date` for the voided `letter`: `jixiao letters reissue` and the
/// workspace's 重新发文 button. The new letter's document comes from the next run.
LetterChange reissueLetter(publish::LetterRegister& ledger, const std::string& letter, const std::string& date);

/// The ledger of feedback letters: lists it as a table (voided numbers included), voids a
/// letter, reissues a voided one under a new number. Returns the exit code; store errors
/// propagate to the CLI.
int letters(const LettersRequest& request, std::ostream& out, std::ostream& err);

}  // namespace jixiao::app
