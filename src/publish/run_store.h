#pragma once

#include "publish/file_lock.h"
#include "publish/store_db.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::publish {

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
    std::string adjusted;              ///< 全年预算数 (万元)
    std::string executed;              ///< 全年执行数 (万元)
    std::optional<std::string> rate;   ///< 执行率 as a fraction; empty when the budget is zero
    std::optional<std::string> total;  ///< 总分; empty when the project could not be scored
    std::optional<std::string> grade;  ///< 自评等级
};

/// A project's result in one year, from the latest run that saved that year.
struct ProjectYearRecord {
    int year = 0;
    std::int64_t runId = 0;
    ProjectYear result;
};

/// Exclusive right to run against the store at `storePath`: the FileLock `<store>.lock`.
/// Throws StoreBusyError naming the holder:
/// 已有另一个 jixiao 正在使用历史库 <path>（进程 <pid>，开始于 <time>）。请等它结束后再运行。
/// `startedAt` is written into the lock file for that message.
FileLock lockStore(const std::string& storePath, const std::string& startedAt);

/// The runs in the history store: each run, each project's results per year, 部门整体
/// figures. Works on an open StoreDb, which must outlive it.
class RunStore {
public:
    explicit RunStore(StoreDb& db) : db_(db) {}

    /// Takes the run lock (lockStore), then marks runs left `Running` by dead processes as
    /// `Interrupted`: while we hold the lock, no other run can be alive.
    FileLock lockForRun(const std::string& startedAt);

    /// Records a new run (status Running) and returns its id. Hold lockForRun first.
    std::int64_t beginRun(const RunInfo& info);
    /// Sets the final status of a run. Throws StoreRequestError for an unknown run.
    void finishRun(std::int64_t runId, RunStatus status, const std::string& finishedAt);
    /// All runs, oldest first.
    std::vector<RunRecord> runs() const;

    /// Saves the results of `year` for `count` projects, all or nothing: the i-th made by
    /// `project(i)` as it is inserted (a province's 60,000 are never held together). May be
    /// called several times per run (in batches); saving a project twice in one run and year
    /// is refused.
    void saveResults(std::int64_t runId, int year, std::size_t count, const std::function<ProjectYear(std::size_t)>& project);
    /// Per year, oldest first, the project's result from the latest run that saved it.
    std::vector<ProjectYearRecord> projectHistory(const std::string& projectCode) const;

    /// Saves a unit's 部门整体 figures (name → exact decimal text) for `year`, replacing what
    /// this run saved before for that unit and year.
    void saveFigures(std::int64_t runId, int year, const std::string& unitCode, const std::map<std::string, std::string>& figures);
    /// The figures of year − 1 for the unit, as saved by the latest run that saved any
    /// (the whole set of that run, never a mix of runs); empty when none.
    std::map<std::string, std::string> lastYearFigures(const std::string& unitCode, int year) const;

private:
    StoreDb& db_;
};

}  // namespace jixiao::publish
