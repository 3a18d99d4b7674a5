#include "publish/run_store.h"

#include "publish/store_sql.h"

#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

namespace jixiao::publish {

using namespace Poco::Data::Keywords;

namespace {

const char* runStatusCode(RunStatus status) {
    switch (status) {
    case RunStatus::Running: return "running";
    case RunStatus::Completed: return "completed";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
    }
    return "running";
}

RunStatus runStatusFromCode(const std::string& code) {
    if (code == "completed") return RunStatus::Completed;
    if (code == "failed") return RunStatus::Failed;
    if (code == "interrupted") return RunStatus::Interrupted;
    return RunStatus::Running;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// Plain exact decimal text as Decimal::toString writes it: optional minus, digits, optional
/// point and digits. Anything else (exponents, separators, "NaN") would not survive as money.
bool isExactDecimal(const std::string& text) {
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') ++i;
    std::size_t digits = 0;
    while (i < text.size() && isDigit(text[i])) ++i, ++digits;
    if (digits == 0) return false;
    if (i == text.size()) return true;
    if (text[i] != '.') return false;
    ++i;
    std::size_t fraction = 0;
    while (i < text.size() && isDigit(text[i])) ++i, ++fraction;
    return fraction > 0 && i == text.size();
}

void requireDecimal(const std::string& what, const std::string& value) {
    if (!isExactDecimal(value)) throw StoreRequestError(what + "应为精确小数文本（如 37.24），实际为“" + value + "”。");
}

void requireOptionalDecimal(const std::string& what, const std::optional<std::string>& value) {
    if (value) requireDecimal(what, *value);
}

}  // namespace

std::string runStatusLabel(RunStatus status) {
    switch (status) {
    case RunStatus::Running: return "进行中";
    case RunStatus::Completed: return "已完成";
    case RunStatus::Failed: return "失败";
    case RunStatus::Interrupted: return "已中断";
    }
    return "进行中";
}

FileLock lockStore(const std::string& storePath, const std::string& startedAt) {
    const std::string lockPath = storePath + ".lock";
    FileLock lock;
    LockHolder holder;
    try {
        if (FileLock::tryAcquire(lockPath, startedAt, lock, holder)) return lock;
    } catch (const FileLockError& e) {
        throw StoreError("无法锁定历史库的锁文件 " + lockPath + "（" + e.what() + "）。");
    }
    throw StoreBusyError("已有另一个 jixiao 正在使用历史库 " + storePath + "（进程 " + holder.pid + "，开始于 " + holder.since +
                         "）。请等它结束后再运行。");
}

FileLock RunStore::lockForRun(const std::string& startedAt) {
    FileLock lock = lockStore(db_.path(), startedAt);
    guarded(db_.path(), [&] { db_.impl().session << "UPDATE runs SET status = 'interrupted' WHERE status = 'running'", now; });
    return lock;
}

std::int64_t RunStore::beginRun(const RunInfo& info) {
    requireYear(info.year);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        s << "INSERT INTO runs (dataset, year, authority, rule_set, started_at, status)"
             " VALUES (?, ?, ?, ?, ?, 'running')",
            bind(info.dataset), bind(info.year), bind(info.authority), bind(info.ruleSet), bind(info.startedAt), now;
        Poco::Int64 id = 0;
        s << "SELECT last_insert_rowid()", into(id), now;
        tx.commit();
        return std::int64_t(id);
    });
}

void RunStore::finishRun(std::int64_t runId, RunStatus status, const std::string& finishedAt) {
    if (status == RunStatus::Running) throw StoreRequestError("结束运行时的状态不能是“进行中”。");
    guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        db_.impl().requireRun(runId);
        s << "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", bind(std::string(runStatusCode(status))), bind(finishedAt),
            bind(Poco::Int64(runId)), now;
        tx.commit();
    });
}

std::vector<RunRecord> RunStore::runs() const {
    return guarded(db_.path(), [&] {
        using Row = Poco::Tuple<Poco::Int64, std::string, int, std::string, std::string, std::string, OptText, std::string>;
        std::vector<Row> rows;
        db_.impl().session << "SELECT id, dataset, year, authority, rule_set, started_at, finished_at, status"
                              " FROM runs ORDER BY id",
            into(rows), now;
        std::vector<RunRecord> out;
        for (const auto& r : rows) {
            RunRecord rec;
            rec.id = r.get<0>();
            rec.info = {r.get<1>(), r.get<2>(), r.get<3>(), r.get<5>(), r.get<4>()};
            rec.finishedAt = fromNullable(r.get<6>());
            rec.status = runStatusFromCode(r.get<7>());
            out.push_back(std::move(rec));
        }
        return out;
    });
}

void RunStore::saveResults(std::int64_t runId, int year, std::size_t count, const std::function<ProjectYear(std::size_t)>& project) {
    requireYear(year);
    guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);  // rolled back when a project is refused
        db_.impl().requireRun(runId);
        for (std::size_t i = 0; i < count; ++i) {
            const ProjectYear p = project(i);
            requireText("项目编码", p.projectCode);
            const std::string who = "项目 " + p.projectCode + " 的";
            requireDecimal(who + "全年预算数", p.adjusted);
            requireDecimal(who + "全年执行数", p.executed);
            requireOptionalDecimal(who + "执行率", p.rate);
            requireOptionalDecimal(who + "总分", p.total);
            try {
                s << "INSERT INTO project_results (run_id, year, project_code, unit_code, department_code, name,"
                     " adjusted, executed, rate, total, grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    bind(Poco::Int64(runId)), bind(year), bind(p.projectCode), bind(p.unitCode), bind(p.departmentCode), bind(p.name),
                    bind(p.adjusted), bind(p.executed), bind(toNullable(p.rate)), bind(toNullable(p.total)), bind(toNullable(p.grade)), now;
            } catch (const Poco::Data::SQLite::ConstraintViolationException&) {
                throw StoreRequestError("运行 " + std::to_string(runId) + " 已保存过项目 " + p.projectCode + " 的 " + std::to_string(year) +
                                        " 年度结果，不能重复保存。");
            }
        }
        tx.commit();
    });
}

std::vector<ProjectYearRecord> RunStore::projectHistory(const std::string& projectCode) const {
    return guarded(db_.path(), [&] {
        using Row = Poco::Tuple<int, Poco::Int64, std::string, std::string, std::string, std::string, std::string, std::string, OptText,
                                OptText, OptText>;
        std::vector<Row> rows;
        db_.impl().session << "SELECT year, run_id, project_code, unit_code, department_code, name, adjusted, executed,"
                              " rate, total, grade FROM project_results r WHERE project_code = ? AND run_id ="
                              " (SELECT MAX(run_id) FROM project_results WHERE project_code = r.project_code"
                              " AND year = r.year) ORDER BY year",
            into(rows), bind(projectCode), now;
        std::vector<ProjectYearRecord> out;
        for (const auto& r : rows) {
            ProjectYearRecord rec;
            rec.year = r.get<0>();
            rec.runId = r.get<1>();
            rec.result = {r.get<2>(),
                          r.get<3>(),
                          r.get<4>(),
                          r.get<5>(),
                          r.get<6>(),
                          r.get<7>(),
                          fromNullable(r.get<8>()),
                          fromNullable(r.get<9>()),
                          fromNullable(r.get<10>())};
            out.push_back(std::move(rec));
        }
        return out;
    });
}

void RunStore::saveFigures(std::int64_t runId, int year, const std::string& unitCode, const std::map<std::string, std::string>& figures) {
    requireYear(year);
    requireText("单位编码", unitCode);
    for (const auto& [name, value] : figures) {
        requireText("指标名称", name);
        requireDecimal("单位 " + unitCode + " 的“" + name + "”", value);
    }
    guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        db_.impl().requireRun(runId);
        s << "DELETE FROM unit_figures WHERE run_id = ? AND year = ? AND unit_code = ?", bind(Poco::Int64(runId)), bind(year),
            bind(unitCode), now;
        for (const auto& [name, value] : figures)
            s << "INSERT INTO unit_figures (run_id, year, unit_code, name, value) VALUES (?, ?, ?, ?, ?)", bind(Poco::Int64(runId)),
                bind(year), bind(unitCode), bind(name), bind(value), now;
        tx.commit();
    });
}

std::map<std::string, std::string> RunStore::lastYearFigures(const std::string& unitCode, int year) const {
    requireYear(year);
    return guarded(db_.path(), [&] {
        std::vector<Poco::Tuple<std::string, std::string>> rows;
        int previous = year - 1;
        db_.impl().session << "SELECT name, value FROM unit_figures WHERE unit_code = ? AND year = ? AND run_id ="
                              " (SELECT MAX(run_id) FROM unit_figures WHERE unit_code = ? AND year = ?)",
            into(rows), bind(unitCode), bind(previous), bind(unitCode), bind(previous), now;
        std::map<std::string, std::string> out;
        for (const auto& r : rows) out[r.get<0>()] = r.get<1>();
        return out;
    });
}

}  // namespace jixiao::publish
