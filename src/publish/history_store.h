#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::publish {

/// The history store cannot be opened, read or written. The message is Chinese and names the
/// store's path.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Another process holds the store: a second run at the same time, or a write that waited
/// out the busy timeout. Trying again later can succeed.
class StoreBusyError : public StoreError {
public:
    using StoreError::StoreError;
};

/// The request itself is wrong (unknown letter, invalid date, closing an item twice, …);
/// the store is unchanged. The message says what was expected.
class StoreRequestError : public StoreError {
public:
    using StoreError::StoreError;
};

/// What became of a run. A run left `Running` by a process that died is marked `Interrupted`
/// by the next run that takes the run lock.
enum class RunStatus { Running, Completed, Failed, Interrupted };

/// 进行中 / 已完成 / 失败 / 已中断.
std::string runStatusLabel(RunStatus status);

/// What identifies a run. `startedAt` is given by the caller: the store never reads the clock.
struct RunInfo {
    std::string dataset;    ///< dataset folder or name, as the user named it
    int year = 0;           ///< the dataset's budget year
    std::string authority;  ///< the evaluating authority (e.g. 某某县财政局)
    std::string startedAt;  ///< ISO 8601 text
    std::string ruleSet;    ///< rule set id (e.g. national-2020)
};

/// A run as stored.
struct RunRecord {
    std::int64_t id = 0;
    RunInfo info;
    RunStatus status = RunStatus::Running;
    std::optional<std::string> finishedAt;
};

/// One project's result in one year, as plain text: decimals are exact decimal strings
/// ("37.24", "0.862"), never binary floating point, and come back exactly as saved.
struct ProjectYear {
    std::string projectCode;
    std::string unitCode;
    std::string departmentCode;
    std::string name;
    std::string adjusted;               ///< 全年预算数 (万元)
    std::string executed;               ///< 全年执行数 (万元)
    std::optional<std::string> rate;    ///< 执行率 as a fraction; empty when the budget is zero
    std::optional<std::string> total;   ///< 总分; empty when the project could not be scored
    std::optional<std::string> grade;   ///< 自评等级
};

/// A project's result in one year, from the latest run that saved that year.
struct ProjectYearRecord {
    int year = 0;
    std::int64_t runId = 0;
    ProjectYear result;
};

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
/// addDays(issuedOn, 30).
struct LetterRequest {
    int year = 0;                 ///< the year of the 发文字号
    std::string prefix;           ///< 发文字号 prefix, e.g. 某财绩函
    std::string unitCode;         ///< the addressed unit
    std::string evaluationKey;    ///< what was evaluated (kept for the record, e.g. "2024/101")
    std::string issuedOn;         ///< 成文日期
    std::string deadline;         ///< the last day to report the rectification
    std::optional<std::int64_t> runId;  ///< the run that issued it
};

/// A letter as stored.
struct IssuedLetter {
    LetterNumber number;
    std::string unitCode;
    std::string evaluationKey;
    std::string issuedOn;
    std::string deadline;
    /// True only in the result of the issueLetter call that assigned the number.
    bool newlyIssued = false;
};

/// Which letter a rectification action is about: its number as printed, or unit and year.
struct LetterRef {
    std::string text;      ///< e.g. 某财绩函〔2025〕12号; [] () （） 【】 are accepted for 〔〕
    std::string unitCode;  ///< used with `year` when `text` is empty
    int year = 0;

    /// By the printed number.
    static LetterRef byNumber(std::string text);
    /// By the addressed unit and the letter's year.
    static LetterRef byUnit(std::string unitCode, int year);
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

/// True for a valid calendar date written YYYY-MM-DD (years 1000–9999).
bool isIsoDate(const std::string& text);

/// The date `days` days after (or before, when negative) `isoDate`. Pure: no clock.
/// Throws StoreRequestError when `isoDate` is not a valid YYYY-MM-DD date.
std::string addDays(const std::string& isoDate, int days);

/// Exclusive right to run against one store, held as an OS lock (flock) on `<store>.lock`:
/// the kernel drops it when the process dies, so a crash never leaves a stale lock behind.
/// Released when destroyed.
class RunLock {
public:
    /// Takes the lock of the store at `storePath` or throws StoreBusyError naming the holder:
    /// 已有另一个 jixiao 正在使用历史库 <path>（进程 <pid>，开始于 <time>）。请等它结束后再运行。
    /// `startedAt` is written into the lock file for that message.
    static RunLock acquire(const std::string& storePath, const std::string& startedAt);

    RunLock(RunLock&& other) noexcept;
    RunLock& operator=(RunLock&& other) noexcept;
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    ~RunLock();

    /// Releases the lock now (idempotent).
    void release() noexcept;
    /// Whether the lock is still held.
    bool held() const { return fd_ >= 0; }

private:
    explicit RunLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

/// The history store: runs, each project's results per year, 部门整体 figures, issued letters
/// and their numbers, rectification status. One SQLite file (WAL, synchronous=FULL); every
/// change is one transaction, so an interrupted process leaves either all of a change or
/// none of it. Not thread-safe: use one HistoryStore per thread.
class HistoryStore {
public:
    /// The schema version this build writes; older stores are migrated on open.
    static constexpr int kSchemaVersion = 1;

    /// Opens (creating it and its folder if needed) the store at `path` and migrates it.
    /// Throws StoreError when the file cannot be opened, is not a jixiao store, or was written
    /// by a newer jixiao (its schema version is above kSchemaVersion).
    static HistoryStore open(const std::string& path);

    HistoryStore(HistoryStore&& other) noexcept;
    HistoryStore& operator=(HistoryStore&& other) noexcept;
    ~HistoryStore();

    /// The path the store was opened with.
    const std::string& path() const;
    /// The schema version of the file (kSchemaVersion after open).
    int schemaVersion() const;

    /// Takes the run lock (see RunLock::acquire), then marks runs left `Running` by dead
    /// processes as `Interrupted`: while we hold the lock, no other run can be alive.
    RunLock lockForRun(const std::string& startedAt);

    /// Records a new run (status Running) and returns its id. Hold lockForRun first.
    std::int64_t beginRun(const RunInfo& info);
    /// Sets the final status of a run. Throws StoreRequestError for an unknown run.
    void finishRun(std::int64_t runId, RunStatus status, const std::string& finishedAt);
    /// All runs, oldest first.
    std::vector<RunRecord> runs() const;

    /// Saves the results of `year` for the given projects, all or nothing. May be called
    /// several times per run (in batches); saving a project twice in one run and year is
    /// refused.
    void saveResults(std::int64_t runId, int year, const std::vector<ProjectYear>& projects);
    /// Per year, oldest first, the project's result from the latest run that saved it.
    std::vector<ProjectYearRecord> projectHistory(const std::string& projectCode) const;

    /// Saves a unit's 部门整体 figures (name → exact decimal text) for `year`, replacing what
    /// this run saved before for that unit and year.
    void saveFigures(std::int64_t runId, int year, const std::string& unitCode,
                     const std::map<std::string, std::string>& figures);
    /// The figures of year − 1 for the unit, as saved by the latest run that saved any
    /// (the whole set of that run, never a mix of runs); empty when none.
    std::map<std::string, std::string> lastYearFigures(const std::string& unitCode, int year) const;

    /// Issues the letter for (year, unit) once: when one exists it is returned unchanged
    /// (same number, date and deadline); otherwise it takes the next number of that year and
    /// opens its rectification item (待整改). Safe against other processes issuing at the
    /// same time.
    IssuedLetter issueLetter(const LetterRequest& request);
    /// The letters of a year, by number.
    std::vector<IssuedLetter> issuedLetters(int year) const;

    /// Records a rectification report (待整改/已报送 → 已报送). `file`, when given, must be
    /// readable: its path and SHA-256 are stored. Returns the updated item.
    RectificationItem recordReport(const LetterRef& letter, const std::string& date, const std::string& summary,
                                   const std::optional<std::string>& file);
    /// Closes a reported item (已报送 → 已销号). Returns the updated item.
    RectificationItem closeRectification(const LetterRef& letter, const std::string& date, const std::string& note);
    /// Items by letter number, optionally only of one letter year and one status.
    std::vector<RectificationItem> rectifications(std::optional<int> year,
                                                  std::optional<RectificationStatus> status) const;
    /// Items still 待整改 whose deadline is before `today` (YYYY-MM-DD), earliest deadline
    /// first. The deadline binds the unit's report, so a reported item awaiting 销号 is the
    /// finance bureau's move and is not overdue.
    std::vector<RectificationItem> overdue(const std::string& today) const;

private:
    struct Impl;
    explicit HistoryStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace jixiao::publish
