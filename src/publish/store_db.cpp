#include "publish/store_db.h"

#include "publish/store_sql.h"

#include "model/date.h"
#include "model/text.h"
#include "publish/atomic_file.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstdlib>
#include <sys/stat.h>
#include <mutex>
#include <vector>

namespace jixiao::publish {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

namespace {

// PRAGMA application_id marks the file as ours ("JXHS"), so `--db` pointed at some other
// SQLite file is refused instead of having our tables added to it.
constexpr int kApplicationId = 0x4A584853;

// Each migration is applied in its own transaction together with the new user_version, so a
// store is always at exactly one version. Append only: never edit a released migration.
const std::vector<std::vector<std::string>>& migrations() {
    static const std::vector<std::vector<std::string>> list = {
        // 1: runs, results per year, 部门整体 figures, letters, rectification.
        {
            "PRAGMA application_id = " + std::to_string(kApplicationId),
            // Decimals are TEXT: SQLite's REAL would turn 43.20 into a binary approximation.
            "CREATE TABLE runs ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " dataset TEXT NOT NULL, year INTEGER NOT NULL, authority TEXT NOT NULL,"
            " rule_set TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,"
            " status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')))",
            "CREATE TABLE project_results ("
            " run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL,"
            " project_code TEXT NOT NULL, unit_code TEXT NOT NULL, department_code TEXT NOT NULL,"
            " name TEXT NOT NULL, adjusted TEXT NOT NULL, executed TEXT NOT NULL,"
            " rate TEXT, total TEXT, grade TEXT,"
            " PRIMARY KEY (run_id, year, project_code))",
            "CREATE INDEX project_results_by_code ON project_results (project_code, year, run_id)",
            "CREATE TABLE unit_figures ("
            " run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL,"
            " unit_code TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
            " PRIMARY KEY (run_id, year, unit_code, name))",
            "CREATE INDEX unit_figures_by_unit ON unit_figures (unit_code, year, run_id)",
            "CREATE TABLE letters ("
            " year INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL UNIQUE,"
            " unit_code TEXT NOT NULL, evaluation_key TEXT NOT NULL, issued_on TEXT NOT NULL,"
            " run_id INTEGER REFERENCES runs(id),"
            " PRIMARY KEY (year, seq), UNIQUE (year, unit_code))",
            "CREATE TABLE rectifications ("
            " year INTEGER NOT NULL, seq INTEGER NOT NULL, deadline TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('open', 'reported', 'closed')),"
            " closed_on TEXT, close_note TEXT,"
            " PRIMARY KEY (year, seq), FOREIGN KEY (year, seq) REFERENCES letters (year, seq))",
            "CREATE TABLE rectification_reports ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT, year INTEGER NOT NULL, seq INTEGER NOT NULL,"
            " reported_on TEXT NOT NULL, summary TEXT NOT NULL, file_path TEXT, file_sha256 TEXT,"
            " FOREIGN KEY (year, seq) REFERENCES rectifications (year, seq))",
        },
        // 2: a letter is identified by what was evaluated (evaluation_key), not by its
        // calendar year and unit: a unit may receive letters on two evaluations in one year.
        // SQLite cannot drop a constraint, so the table is rebuilt (foreign keys are off
        // while migrating; see prepare).
        {
            "CREATE TABLE letters_v2 ("
            " year INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL UNIQUE,"
            " unit_code TEXT NOT NULL, evaluation_key TEXT NOT NULL, issued_on TEXT NOT NULL,"
            " run_id INTEGER REFERENCES runs(id),"
            " PRIMARY KEY (year, seq))",
            "INSERT INTO letters_v2 (year, seq, text, unit_code, evaluation_key, issued_on, run_id)"
            " SELECT year, seq, text, unit_code, evaluation_key, issued_on, run_id FROM letters",
            "DROP TABLE letters",
            "ALTER TABLE letters_v2 RENAME TO letters",
            "CREATE INDEX letters_by_evaluation ON letters (evaluation_key, year, seq)",
        },
        // 3: letters can be voided (the number stays taken) and reissued under a new number
        // that names the voided one.
        {
            "ALTER TABLE letters ADD COLUMN voided_on TEXT",
            "ALTER TABLE letters ADD COLUMN void_reason TEXT",
            "ALTER TABLE letters ADD COLUMN replaces TEXT REFERENCES letters (text)",
        },
    };
    return list;
}

void registerSqlite() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

int pragmaInt(Session& session, const std::string& name) {
    int value = 0;
    session << "PRAGMA " + name, into(value), now;
    return value;
}

std::string newerMessage(const std::string& path, int found) {
    return "历史库 " + path + " 由较新版本的 jixiao 写入（格式版本 " + std::to_string(found) + "，本程序最高支持 " +
           std::to_string(StoreDb::kSchemaVersion) + "）。为免损坏，不予打开；请升级 jixiao 后再运行。";
}

void migrate(StoreDb::Impl& db) {
    const auto& list = migrations();
    for (std::size_t target = 1; target <= list.size(); ++target) {
        if (pragmaInt(db.session, "user_version") >= int(target)) continue;
        WriteTransaction tx(db.session);
        // Re-read under the write lock: another process may have migrated meanwhile.
        int current = pragmaInt(db.session, "user_version");
        if (current > StoreDb::kSchemaVersion) throw StoreError(newerMessage(db.path, current));
        if (current >= int(target)) continue;
        for (const auto& sql : list[target - 1]) db.session << sql, now;
        db.session << "PRAGMA user_version = " + std::to_string(target), now;
        tx.commit();
    }
    db.version = pragmaInt(db.session, "user_version");
    if (db.version > StoreDb::kSchemaVersion) throw StoreError(newerMessage(db.path, db.version));
}

void prepare(StoreDb::Impl& db) {
    Session& session = db.session;
    session << "PRAGMA busy_timeout = " + std::to_string(kStoreBusyTimeoutMs), now;
    int appId = pragmaInt(session, "application_id");
    int found = pragmaInt(session, "user_version");
    int objects = 0;
    session << "SELECT COUNT(*) FROM sqlite_master", into(objects), now;
    if (appId != kApplicationId && (appId != 0 || objects > 0))
        throw StoreError(db.path + " 不是 jixiao 历史库（文件中已有其他数据）。请用 --db 指定另一个文件。");
    // Checked before anything is written: a newer schema may mean things we cannot know.
    if (found > StoreDb::kSchemaVersion) throw StoreError(newerMessage(db.path, found));
    // WAL: readers (rectify list) never block the run's writes and a commit is one append.
    // synchronous=FULL fsyncs every commit: with NORMAL a power cut may lose the last
    // commits, and a letter number already printed could then be handed out again. A run
    // commits a few dozen times, so the cost is negligible.
    std::string mode;
    session << "PRAGMA journal_mode = WAL", into(mode), now;
    session << "PRAGMA synchronous = FULL", now;
    // Foreign keys are enforced once migrated: a migration that rebuilds a table drops the
    // old one, which the checks would refuse while other tables refer to it.
    session << "PRAGMA foreign_keys = OFF", now;
    migrate(db);
    session << "PRAGMA foreign_keys = ON", now;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Shared by the store's parts (store_sql.h)

WriteTransaction::WriteTransaction(Session& session) : session_(session) { session_ << "BEGIN IMMEDIATE", now; }

WriteTransaction::~WriteTransaction() {
    if (done_) return;
    try {
        session_ << "ROLLBACK", now;
    } catch (...) {
        // SQLite already rolled back (e.g. after an I/O error); nothing else to undo.
    }
}

void WriteTransaction::commit() {
    session_ << "COMMIT", now;
    done_ = true;
}

std::string describeStoreError(const Poco::Exception& e) {
    namespace sq = Poco::Data::SQLite;
    // SQLite's own text is English ("unable to open database file"): the kind of failure is
    // said in Chinese, and only an unexpected one keeps SQLite's words for support.
    if (dynamic_cast<const sq::CorruptImageException*>(&e)) return "文件已损坏或不是 jixiao 的历史库";
    if (dynamic_cast<const sq::ReadOnlyException*>(&e)) return "文件或其所在的磁盘是只读的";
    if (dynamic_cast<const sq::DatabaseFullException*>(&e)) return "磁盘空间不足";
    if (dynamic_cast<const sq::IOErrorException*>(&e)) return "磁盘读写出错";
    if (dynamic_cast<const sq::CantOpenDBFileException*>(&e)) return "无法打开文件：所在的文件夹不存在、没有权限，或同名的不是文件";
    if (dynamic_cast<const sq::DBAccessDeniedException*>(&e) || dynamic_cast<const sq::AuthorizationDeniedException*>(&e))
        return "没有权限";
    if (dynamic_cast<const sq::NoMemoryException*>(&e)) return "内存不足";
    return "SQLite 错误：" + e.displayText();
}

void throwStoreBusy(const std::string& path) {
    throw StoreBusyError("历史库 " + path + " 正被其他进程写入，等待 " + std::to_string(kStoreBusyTimeoutMs / 1000) +
                         " 秒后仍未释放。请稍后重试。");
}

std::optional<std::string> fromNullable(const OptText& value) {
    if (value.isNull()) return std::nullopt;
    return value.value();
}

OptText toNullable(const std::optional<std::string>& value) {
    if (!value) return OptText();
    return OptText(*value);
}

void requireDate(const std::string& what, const std::string& value) {
    if (!model::Date::parse(value)) throw StoreRequestError(what + "“" + value + "”无效，应为 YYYY-MM-DD 格式的日期，如 2025-03-05。");
}

void requireYear(int year) {
    if (year < 1000 || year > 9999) throw StoreRequestError("年度 " + std::to_string(year) + " 无效，应为四位年份。");
}

void requireText(const std::string& what, const std::string& value) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) throw StoreRequestError(what + "不能为空。");
}

void StoreDb::Impl::requireRun(std::int64_t runId) {
    int count = 0;
    Poco::Int64 id = runId;
    session << "SELECT COUNT(*) FROM runs WHERE id = ?", into(count), bind(id), now;
    if (count == 0) throw StoreRequestError("历史库中没有编号为 " + std::to_string(runId) + " 的运行记录。");
}

// ---------------------------------------------------------------------------------------
// StoreDb

StoreDb::StoreDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StoreDb::StoreDb(StoreDb&& other) noexcept = default;
StoreDb& StoreDb::operator=(StoreDb&& other) noexcept = default;
StoreDb::~StoreDb() = default;

StoreDb StoreDb::open(const std::string& path, Open mode) {
    if (path.empty()) throw StoreRequestError("历史库路径不能为空。");
    registerSqlite();
    struct stat st {};
    if (mode == Open::ExistingOnly && ::stat(path.c_str(), &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        throw StoreMissingError("历史库 " + path + " 不存在。请检查 --db 的路径；历史库由 jixiao run 创建。");
    if (Poco::Path file(path); mode == Open::CreateIfMissing && file.depth() > 0) {
        if (const int err = makeFolders(file.parent().toString()))
            throw StoreError("无法打开历史库 " + path + "（无法创建其所在的文件夹：" + model::systemReason(err) + "）。");
    }
    std::unique_ptr<Impl> impl;
    try {
        // Login timeout 0: Poco retries a failing sqlite3_open for that many seconds, and a
        // path that cannot be opened will not become openable by waiting.
        impl = std::make_unique<Impl>(path, Session(Poco::Data::SQLite::Connector::KEY, path, 0));
        prepare(*impl);
    } catch (const Poco::Exception& e) {
        throw StoreError("无法打开历史库 " + path + "（" + describeStoreError(e) + "）。");
    }
    return StoreDb(std::move(impl));
}

const std::string& StoreDb::path() const { return impl_->path; }

int StoreDb::schemaVersion() const { return impl_->version; }

}  // namespace jixiao::publish
