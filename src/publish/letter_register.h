#pragma once

#include "publish/store_db.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::publish {

/// A feedback letter's number: `text` is `前缀〔2025〕12号` (GB/T 9704: hexagonal brackets,
/// no zero padding).
struct LetterNumber {
    int year = 0;
    int seq = 0;
    std::string text;
};

/// Formats a letter number: formatLetterNumber("某财绩函", 2025, 12) is "某财绩函〔2025〕12号".
std::string formatLetterNumber(const std::string& prefix, int year, int seq);

/// A letter to issue. Dates are YYYY-MM-DD given by the caller; the deadline is usually
/// 30 days after issuedOn (model::Date::plusDays).
struct LetterRequest {
    int year = 0;                       ///< the year of the 发文字号
    std::string prefix;                 ///< 发文字号 prefix, e.g. 某财绩函
    std::string unitCode;               ///< the addressed unit
    std::string evaluationKey;          ///< what was evaluated, e.g. "2024/101": one letter per key, ever
    std::string issuedOn;               ///< 成文日期
    std::string deadline;               ///< the last day to report the rectification
    std::optional<std::int64_t> runId;  ///< the run that issued it
};

/// A letter as stored in the ledger. A voided letter keeps its number, which is never given
/// to another letter; a letter reissued for a voided one names it in `replaces`.
struct IssuedLetter {
    LetterNumber number;
    std::string unitCode;
    std::string evaluationKey;
    std::string issuedOn;
    std::string deadline;
    /// True only in the result of the issueLetter/reissueLetter call that assigned the number.
    bool newlyIssued = false;
    std::optional<std::string> voidedOn;    ///< 作废日期
    std::optional<std::string> voidReason;  ///< 作废原因
    std::optional<std::string> replaces;    ///< the voided letter's number this one was reissued for
    std::optional<std::string> replacedBy;  ///< a voided letter: the number reissued for it

    bool voided() const { return voidedOn.has_value(); }
};

/// Which letter an action (rectification, void, reissue) is about: its number as printed —
/// what users type, from the letter in their hands.
struct LetterRef {
    std::string text;  ///< e.g. 某财绩函〔2025〕12号; [] () （） 【】 are accepted for 〔〕

    /// By the printed number.
    static LetterRef byNumber(std::string text);
};

/// 待整改 (letter issued, nothing reported) → 已报送 (the unit reported) → 已销号 (closed).
enum class RectificationStatus { Open, Reported, Closed };

/// 待整改 / 已报送 / 已销号.
std::string rectificationStatusLabel(RectificationStatus status);

/// A unit's rectification report. The file is not copied: its path and SHA-256 are kept so
/// the document on file can be checked later.
struct RectificationReport {
    std::string date;
    std::string summary;
    std::optional<std::string> file;
    std::optional<std::string> fileSha256;  ///< lowercase hex
};

/// The rectification opened by an issued letter.
struct RectificationItem {
    LetterNumber letter;
    std::string unitCode;
    std::string issuedOn;
    std::string deadline;
    RectificationStatus status = RectificationStatus::Open;
    std::vector<RectificationReport> reports;  ///< oldest first
    std::optional<std::string> closedOn;
    std::optional<std::string> closeNote;
};

/// reissueLetter of a letter that is still in force. The message tells a command-line user to
/// void it first (`jixiao letters void`); `letter` lets another front end (the web workspace)
/// say how it is done there.
class LetterInForceError : public StoreRequestError {
public:
    LetterInForceError(const std::string& message, std::string letterNumber)
        : StoreRequestError(message), letter(std::move(letterNumber)) {}
    std::string letter;  ///< the letter's number as printed
};

/// The feedback letters (绩效评价结果反馈函) of the history store, their numbers and the
/// rectification each opens. Works on an open StoreDb, which must outlive it.
class LetterRegister {
public:
    explicit LetterRegister(StoreDb& db) : db_(db) {}

    /// Issues the letter on one evaluation (`evaluationKey`) once, ever: when one exists it is
    /// returned unchanged (same number, year, date and deadline), whatever year the request
    /// names; otherwise it takes the next number of `year` and opens its rectification item
    /// (待整改). A unit may get letters on several evaluations in one year, each with its own
    /// number. When the evaluation's letters are all voided, the latest voided one is returned
    /// and nothing is issued: only reissueLetter gives a voided letter a successor. Safe
    /// against other processes issuing at the same time.
    IssuedLetter issueLetter(const LetterRequest& request);
    /// The ledger: every letter, voided ones included, of one year or all years, by number.
    std::vector<IssuedLetter> issuedLetters(std::optional<int> year) const;
    /// Voids an issued letter on `date` (not before it was issued) for `reason`. Its number
    /// stays in the ledger and is never given again; its rectification item is no longer
    /// listed or overdue. A letter whose rectification was closed (已销号) cannot be voided.
    IssuedLetter voidLetter(const LetterRef& letter, const std::string& date, const std::string& reason);
    /// Issues a new letter for a voided one, on the same evaluation and unit: the next number
    /// of `date`'s year, dated `date`, with as many days to the deadline as the voided letter
    /// gave, and a new rectification item. A voided letter is reissued at most once; a letter
    /// still in force is refused with LetterInForceError.
    IssuedLetter reissueLetter(const LetterRef& voided, const std::string& date);

    /// Records a rectification report (待整改/已报送 → 已报送). `file`, when given, must be
    /// readable: its path and SHA-256 are stored. Returns the updated item.
    RectificationItem recordReport(const LetterRef& letter, const std::string& date, const std::string& summary,
                                   const std::optional<std::string>& file);
    /// Closes a reported item (已报送 → 已销号). Returns the updated item.
    RectificationItem closeRectification(const LetterRef& letter, const std::string& date, const std::string& note);
    /// Items by letter number, optionally only of one letter year and one status.
    std::vector<RectificationItem> rectifications(std::optional<int> year, std::optional<RectificationStatus> status) const;
    /// Items still 待整改 whose deadline is before `today` (YYYY-MM-DD), earliest deadline
    /// first. The deadline binds the unit's report, so a reported item awaiting 销号 is the
    /// finance bureau's move and is not overdue.
    std::vector<RectificationItem> overdue(const std::string& today) const;

private:
    StoreDb& db_;
};

}  // namespace jixiao::publish
