#include "publish/history_store.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Nullable.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Timespan.h>
#include <Poco/Tuple.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace jixiao::publish {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;
using OptText = Poco::Nullable<std::string>;

namespace {

// PRAGMA application_id marks the file as ours ("JXHS"), so `--db` pointed at some other
// SQLite file is refused instead of having our tables added to it.
constexpr int kApplicationId = 0x4A584853;

// Long enough to queue behind a run's short write transactions (a `rectify record` while a
// run saves results), short enough that a stuck process is reported rather than waited on.
constexpr int kBusyTimeoutMs = 10000;

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
    };
    return list;
}

void registerSqlite() {
    static std::once_flag once;
    std::call_once(once, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

/// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
/// writes (next letter number) could interleave with another process's and fail on upgrade.
/// Rolled back unless committed, so an exception midway leaves nothing behind.
class WriteTransaction {
public:
    explicit WriteTransaction(Session& session) : session_(session) { session_ << "BEGIN IMMEDIATE", now; }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction() {
        if (done_) return;
        try {
            session_ << "ROLLBACK", now;
        } catch (...) {
            // SQLite already rolled back (e.g. after an I/O error); nothing else to undo.
        }
    }
    void commit() {
        session_ << "COMMIT", now;
        done_ = true;
    }

private:
    Session& session_;
    bool done_ = false;
};

std::string describe(const Poco::Exception& e) {
    namespace sq = Poco::Data::SQLite;
    if (dynamic_cast<const sq::CorruptImageException*>(&e)) return "文件已损坏或不是 SQLite 数据库：" + e.message();
    if (dynamic_cast<const sq::ReadOnlyException*>(&e)) return "文件只读：" + e.message();
    if (dynamic_cast<const sq::DatabaseFullException*>(&e)) return "磁盘已满：" + e.message();
    if (dynamic_cast<const sq::IOErrorException*>(&e)) return "磁盘读写错误：" + e.message();
    return e.displayText();
}

/// Runs `f`, turning library exceptions into StoreError naming the store.
template <class F>
auto guarded(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Poco::Data::SQLite::DBLockedException&) {
        throw StoreBusyError("历史库 " + path + " 正被其他进程写入，等待 " + std::to_string(kBusyTimeoutMs / 1000) +
                             " 秒后仍未释放。请稍后重试。");
    } catch (const Poco::Data::SQLite::TableLockedException&) {
        throw StoreBusyError("历史库 " + path + " 正被其他进程写入，等待 " + std::to_string(kBusyTimeoutMs / 1000) +
                             " 秒后仍未释放。请稍后重试。");
    } catch (const Poco::Exception& e) {
        throw StoreError("历史库 " + path + " 读写失败（" + describe(e) + "）。");
    }
}

std::optional<std::string> fromNullable(const OptText& value) {
    if (value.isNull()) return std::nullopt;
    return value.value();
}

OptText toNullable(const std::optional<std::string>& value) {
    if (!value) return OptText();
    return OptText(*value);
}

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

const char* rectificationCode(RectificationStatus status) {
    switch (status) {
    case RectificationStatus::Open: return "open";
    case RectificationStatus::Reported: return "reported";
    case RectificationStatus::Closed: return "closed";
    }
    return "open";
}

RectificationStatus rectificationFromCode(const std::string& code) {
    if (code == "reported") return RectificationStatus::Reported;
    if (code == "closed") return RectificationStatus::Closed;
    return RectificationStatus::Open;
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
    if (!isExactDecimal(value))
        throw StoreRequestError(what + "应为精确小数文本（如 37.24），实际为“" + value + "”。");
}

void requireOptionalDecimal(const std::string& what, const std::optional<std::string>& value) {
    if (value) requireDecimal(what, *value);
}

void requireDate(const std::string& what, const std::string& value) {
    if (!isIsoDate(value))
        throw StoreRequestError(what + "“" + value + "”无效，应为 YYYY-MM-DD 格式的日期，如 2025-03-05。");
}

void requireYear(int year) {
    if (year < 1000 || year > 9999) throw StoreRequestError("年度 " + std::to_string(year) + " 无效，应为四位年份。");
}

void requireText(const std::string& what, const std::string& value) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) throw StoreRequestError(what + "不能为空。");
}

/// Users type the number from a printed letter or a spreadsheet: half-width or other brackets
/// and stray spaces are common, the year and sequence are what matters.
std::string normalizeLetterText(const std::string& text) {
    static const std::pair<const char*, const char*> kBrackets[] = {
        {"[", "〔"}, {"]", "〕"}, {"(", "〔"}, {")", "〕"}, {"（", "〔"}, {"）", "〕"},
        {"【", "〔"}, {"】", "〕"}, {"［", "〔"}, {"］", "〕"}, {"〈", "〔"}, {"〉", "〕"},
        {" ", ""},   {"\t", ""},  {"　", ""},
    };
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        for (const auto& [from, to] : kBrackets) {
            std::size_t n = std::strlen(from);
            if (text.compare(i, n, from) == 0) {
                out += to;
                i += n;
                replaced = true;
                break;
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

std::string errnoText(int err) { return std::strerror(err); }

std::string sha256File(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw StoreRequestError("无法读取整改报告文件 " + path + "（" + errnoText(errno) + "）。");
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    char buffer[65536];
    while (true) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            throw StoreRequestError("无法读取整改报告文件 " + path + "（" + errnoText(err) + "）。");
        }
        engine.update(buffer, static_cast<unsigned>(n));
    }
    ::close(fd);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

struct LetterKey {
    int year = 0;
    int seq = 0;
};

} // namespace

std::string runStatusLabel(RunStatus status) {
    switch (status) {
    case RunStatus::Running: return "进行中";
    case RunStatus::Completed: return "已完成";
    case RunStatus::Failed: return "失败";
    case RunStatus::Interrupted: return "已中断";
    }
    return "进行中";
}

std::string rectificationStatusLabel(RectificationStatus status) {
    switch (status) {
    case RectificationStatus::Open: return "待整改";
    case RectificationStatus::Reported: return "已报送";
    case RectificationStatus::Closed: return "已销号";
    }
    return "待整改";
}

std::string formatLetterNumber(const std::string& prefix, int year, int seq) {
    return prefix + "〔" + std::to_string(year) + "〕" + std::to_string(seq) + "号";
}

LetterRef LetterRef::byNumber(std::string text) {
    LetterRef ref;
    ref.text = std::move(text);
    return ref;
}

LetterRef LetterRef::byUnit(std::string unitCode, int year) {
    LetterRef ref;
    ref.unitCode = std::move(unitCode);
    ref.year = year;
    return ref;
}

bool isIsoDate(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!isDigit(text[i])) return false;
    int year = std::atoi(text.substr(0, 4).c_str());
    int month = std::atoi(text.substr(5, 2).c_str());
    int day = std::atoi(text.substr(8, 2).c_str());
    return year >= 1000 && Poco::DateTime::isValid(year, month, day);
}

std::string addDays(const std::string& isoDate, int days) {
    requireDate("日期", isoDate);
    // Bounded so the arithmetic stays inside Poco::DateTime's range (years 0–9999 and a
    // positive Julian day); real deadlines are weeks away.
    constexpr int kMaxDays = 1000000;
    if (days > kMaxDays || days < -kMaxDays)
        throw StoreRequestError("日期 " + isoDate + " 加 " + std::to_string(days) + " 天超出可表示的范围。");
    Poco::DateTime date(std::atoi(isoDate.substr(0, 4).c_str()), std::atoi(isoDate.substr(5, 2).c_str()),
                        std::atoi(isoDate.substr(8, 2).c_str()));
    date += Poco::Timespan(days, 0, 0, 0, 0);
    if (date.year() < 1000 || date.year() > 9999)
        throw StoreRequestError("日期 " + isoDate + " 加 " + std::to_string(days) + " 天超出可表示的范围。");
    return Poco::DateTimeFormatter::format(date, "%Y-%m-%d");
}

// ---------------------------------------------------------------------------------------
// RunLock

RunLock RunLock::acquire(const std::string& storePath, const std::string& startedAt) {
    const std::string lockPath = storePath + ".lock";
    // flock rather than fcntl: fcntl locks belong to the process, so a second lock taken in
    // the same process would succeed, and closing any descriptor of the file drops them.
    // The lock file is never deleted: unlinking it would let a third process lock a new
    // inode while the second still waits on the old one.
    int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw StoreError("无法创建历史库的锁文件 " + lockPath + "（" + errnoText(errno) + "）。");
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        if (err == EINTR) continue;
        if (err != EWOULDBLOCK) {
            ::close(fd);
            throw StoreError("无法锁定历史库的锁文件 " + lockPath + "（" + errnoText(err) + "）。");
        }
        char buffer[512];
        ssize_t n = ::pread(fd, buffer, sizeof buffer, 0);
        ::close(fd);
        std::string info = n > 0 ? std::string(buffer, std::size_t(n)) : std::string();
        std::string pid = "未知";
        std::string since = "未知";
        std::size_t start = 0;
        while (start < info.size()) {
            std::size_t end = info.find('\n', start);
            if (end == std::string::npos) end = info.size();
            std::string line = info.substr(start, end - start);
            if (line.rfind("pid ", 0) == 0 && line.size() > 4) pid = line.substr(4);
            if (line.rfind("started ", 0) == 0 && line.size() > 8) since = line.substr(8);
            start = end + 1;
        }
        throw StoreBusyError("已有另一个 jixiao 正在使用历史库 " + storePath + "（进程 " + pid + "，开始于 " + since +
                             "）。请等它结束后再运行。");
    }
    std::string since = startedAt;
    for (char& c : since)
        if (c == '\n' || c == '\r') c = ' ';
    std::string info = "pid " + std::to_string(::getpid()) + "\nstarted " + since + "\n";
    // The holder's details only feed the refusal message; failing to write them must not
    // stop the run, which holds the lock either way.
    if (::ftruncate(fd, 0) == 0) {
        ssize_t written = ::pwrite(fd, info.data(), info.size(), 0);
        (void)written;
    }
    return RunLock(fd);
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

RunLock::~RunLock() { release(); }

void RunLock::release() noexcept {
    if (fd_ < 0) return;
    // Closing the only descriptor of the open file description drops the flock.
    ::close(fd_);
    fd_ = -1;
}

// ---------------------------------------------------------------------------------------
// HistoryStore

struct HistoryStore::Impl {
    std::string path;
    Session session;
    int version = 0;

    Impl(std::string storePath, const Session& opened) : path(std::move(storePath)), session(opened) {}

    int pragmaInt(const std::string& name) {
        int value = 0;
        session << "PRAGMA " + name, into(value), now;
        return value;
    }

    std::string newerMessage(int found) const {
        return "历史库 " + path + " 由较新版本的 jixiao 写入（格式版本 " + std::to_string(found) + "，本程序最高支持 " +
               std::to_string(kSchemaVersion) + "）。为免损坏，不予打开；请升级 jixiao 后再运行。";
    }

    void prepare() {
        session << "PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs), now;
        int appId = pragmaInt("application_id");
        int found = pragmaInt("user_version");
        int objects = 0;
        session << "SELECT COUNT(*) FROM sqlite_master", into(objects), now;
        if (appId != kApplicationId && (appId != 0 || objects > 0))
            throw StoreError(path + " 不是 jixiao 历史库（文件中已有其他数据）。请用 --db 指定另一个文件。");
        // Checked before anything is written: a newer schema may mean things we cannot know.
        if (found > kSchemaVersion) throw StoreError(newerMessage(found));
        // WAL: readers (rectify list) never block the run's writes and a commit is one append.
        // synchronous=FULL fsyncs every commit: with NORMAL a power cut may lose the last
        // commits, and a letter number already printed could then be handed out again. A run
        // commits a few dozen times, so the cost is negligible.
        std::string mode;
        session << "PRAGMA journal_mode = WAL", into(mode), now;
        session << "PRAGMA synchronous = FULL", now;
        session << "PRAGMA foreign_keys = ON", now;
        migrate();
    }

    void migrate() {
        const auto& list = migrations();
        for (std::size_t target = 1; target <= list.size(); ++target) {
            if (pragmaInt("user_version") >= int(target)) continue;
            WriteTransaction tx(session);
            // Re-read under the write lock: another process may have migrated meanwhile.
            int current = pragmaInt("user_version");
            if (current > kSchemaVersion) throw StoreError(newerMessage(current));
            if (current >= int(target)) continue;
            for (const auto& sql : list[target - 1]) session << sql, now;
            session << "PRAGMA user_version = " + std::to_string(target), now;
            tx.commit();
        }
        version = pragmaInt("user_version");
        if (version > kSchemaVersion) throw StoreError(newerMessage(version));
    }

    void requireRun(std::int64_t runId) {
        int count = 0;
        Poco::Int64 id = runId;
        session << "SELECT COUNT(*) FROM runs WHERE id = ?", into(count), bind(id), now;
        if (count == 0) throw StoreRequestError("历史库中没有编号为 " + std::to_string(runId) + " 的运行记录。");
    }

    LetterKey findLetter(const LetterRef& ref) {
        std::vector<Poco::Tuple<int, int>> rows;
        if (!ref.text.empty()) {
            session << "SELECT year, seq FROM letters WHERE text = ?", into(rows), bind(normalizeLetterText(ref.text)),
                now;
            if (rows.empty()) throw StoreRequestError("历史库中没有文号为“" + ref.text + "”的反馈函。");
        } else {
            requireYear(ref.year);
            session << "SELECT year, seq FROM letters WHERE year = ? AND unit_code = ?", into(rows), bind(ref.year),
                bind(ref.unitCode), now;
            if (rows.empty())
                throw StoreRequestError("历史库中没有 " + std::to_string(ref.year) + " 年发给单位 " + ref.unitCode +
                                        " 的反馈函。");
        }
        return {rows[0].get<0>(), rows[0].get<1>()};
    }

    /// Items matching `where` (over letters `l` and rectifications `r`); `params` bind its
    /// `?` in order.
    std::vector<RectificationItem> loadItems(const std::string& where, const std::vector<std::string>& params,
                                             const std::string& order) {
        using ItemRow = Poco::Tuple<int, int, std::string, std::string, std::string, std::string, std::string,
                                    OptText, OptText>;
        std::vector<ItemRow> rows;
        {
            Statement st(session);
            st << "SELECT l.year, l.seq, l.text, l.unit_code, l.issued_on, r.deadline, r.status, r.closed_on,"
                  " r.close_note FROM rectifications r JOIN letters l ON l.year = r.year AND l.seq = r.seq WHERE " +
                      where + " ORDER BY " + order;
            for (const auto& p : params) st.addBind(bind(p));
            st.addExtract(into(rows));
            st.execute();
        }
        using ReportRow = Poco::Tuple<int, int, std::string, std::string, OptText, OptText>;
        std::vector<ReportRow> reports;
        {
            Statement st(session);
            st << "SELECT p.year, p.seq, p.reported_on, p.summary, p.file_path, p.file_sha256"
                  " FROM rectification_reports p JOIN rectifications r ON r.year = p.year AND r.seq = p.seq"
                  " JOIN letters l ON l.year = r.year AND l.seq = r.seq WHERE " +
                      where + " ORDER BY p.reported_on, p.id";
            for (const auto& p : params) st.addBind(bind(p));
            st.addExtract(into(reports));
            st.execute();
        }
        std::vector<RectificationItem> items;
        std::map<std::pair<int, int>, std::size_t> index;
        for (const auto& row : rows) {
            RectificationItem item;
            item.letter = {row.get<0>(), row.get<1>(), row.get<2>()};
            item.unitCode = row.get<3>();
            item.issuedOn = row.get<4>();
            item.deadline = row.get<5>();
            item.status = rectificationFromCode(row.get<6>());
            item.closedOn = fromNullable(row.get<7>());
            item.closeNote = fromNullable(row.get<8>());
            index[{item.letter.year, item.letter.seq}] = items.size();
            items.push_back(std::move(item));
        }
        for (const auto& row : reports) {
            auto it = index.find({row.get<0>(), row.get<1>()});
            if (it == index.end()) continue;
            items[it->second].reports.push_back(
                {row.get<2>(), row.get<3>(), fromNullable(row.get<4>()), fromNullable(row.get<5>())});
        }
        return items;
    }

    RectificationItem loadItem(LetterKey key) {
        auto items = loadItems("l.year = " + std::to_string(key.year) + " AND l.seq = " + std::to_string(key.seq), {},
                               "l.year, l.seq");
        if (items.empty())
            throw StoreError("历史库 " + path + " 中反馈函 " + std::to_string(key.year) + "-" + std::to_string(key.seq) +
                             " 缺少整改记录。");
        return items.front();
    }
};

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::HistoryStore(HistoryStore&& other) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&& other) noexcept = default;
HistoryStore::~HistoryStore() = default;

HistoryStore HistoryStore::open(const std::string& path) {
    if (path.empty()) throw StoreRequestError("历史库路径不能为空。");
    registerSqlite();
    try {
        Poco::Path file(path);
        if (file.depth() > 0) Poco::File(file.parent()).createDirectories();
    } catch (const Poco::Exception& e) {
        throw StoreError("无法打开历史库 " + path + "（无法创建其所在的文件夹：" + e.message() + "）。");
    }
    std::unique_ptr<Impl> impl;
    try {
        // Login timeout 0: Poco retries a failing sqlite3_open for that many seconds, and a
        // path that cannot be opened will not become openable by waiting.
        impl = std::make_unique<Impl>(path, Session(Poco::Data::SQLite::Connector::KEY, path, 0));
        impl->prepare();
    } catch (const Poco::Exception& e) {
        throw StoreError("无法打开历史库 " + path + "（" + describe(e) + "）。");
    }
    return HistoryStore(std::move(impl));
}

const std::string& HistoryStore::path() const { return impl_->path; }

int HistoryStore::schemaVersion() const { return impl_->version; }

RunLock HistoryStore::lockForRun(const std::string& startedAt) {
    RunLock lock = RunLock::acquire(impl_->path, startedAt);
    guarded(impl_->path, [&] { impl_->session << "UPDATE runs SET status = 'interrupted' WHERE status = 'running'", now; });
    return lock;
}

std::int64_t HistoryStore::beginRun(const RunInfo& info) {
    requireYear(info.year);
    return guarded(impl_->path, [&] {
        auto& s = impl_->session;
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

void HistoryStore::finishRun(std::int64_t runId, RunStatus status, const std::string& finishedAt) {
    if (status == RunStatus::Running) throw StoreRequestError("结束运行时的状态不能是“进行中”。");
    guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        impl_->requireRun(runId);
        s << "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", bind(std::string(runStatusCode(status))),
            bind(finishedAt), bind(Poco::Int64(runId)), now;
        tx.commit();
    });
}

std::vector<RunRecord> HistoryStore::runs() const {
    return guarded(impl_->path, [&] {
        using Row = Poco::Tuple<Poco::Int64, std::string, int, std::string, std::string, std::string, OptText,
                                std::string>;
        std::vector<Row> rows;
        impl_->session << "SELECT id, dataset, year, authority, rule_set, started_at, finished_at, status"
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

void HistoryStore::saveResults(std::int64_t runId, int year, const std::vector<ProjectYear>& projects) {
    requireYear(year);
    for (const auto& p : projects) {
        requireText("项目编码", p.projectCode);
        const std::string who = "项目 " + p.projectCode + " 的";
        requireDecimal(who + "全年预算数", p.adjusted);
        requireDecimal(who + "全年执行数", p.executed);
        requireOptionalDecimal(who + "执行率", p.rate);
        requireOptionalDecimal(who + "总分", p.total);
    }
    guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        impl_->requireRun(runId);
        for (const auto& p : projects) {
            try {
                s << "INSERT INTO project_results (run_id, year, project_code, unit_code, department_code, name,"
                     " adjusted, executed, rate, total, grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    bind(Poco::Int64(runId)), bind(year), bind(p.projectCode), bind(p.unitCode),
                    bind(p.departmentCode), bind(p.name), bind(p.adjusted), bind(p.executed), bind(toNullable(p.rate)),
                    bind(toNullable(p.total)), bind(toNullable(p.grade)), now;
            } catch (const Poco::Data::SQLite::ConstraintViolationException&) {
                throw StoreRequestError("运行 " + std::to_string(runId) + " 已保存过项目 " + p.projectCode + " 的 " +
                                        std::to_string(year) + " 年度结果，不能重复保存。");
            }
        }
        tx.commit();
    });
}

std::vector<ProjectYearRecord> HistoryStore::projectHistory(const std::string& projectCode) const {
    return guarded(impl_->path, [&] {
        using Row = Poco::Tuple<int, Poco::Int64, std::string, std::string, std::string, std::string, std::string,
                                std::string, OptText, OptText, OptText>;
        std::vector<Row> rows;
        impl_->session << "SELECT year, run_id, project_code, unit_code, department_code, name, adjusted, executed,"
                          " rate, total, grade FROM project_results r WHERE project_code = ? AND run_id ="
                          " (SELECT MAX(run_id) FROM project_results WHERE project_code = r.project_code"
                          " AND year = r.year) ORDER BY year",
            into(rows), bind(projectCode), now;
        std::vector<ProjectYearRecord> out;
        for (const auto& r : rows) {
            ProjectYearRecord rec;
            rec.year = r.get<0>();
            rec.runId = r.get<1>();
            rec.result = {r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>(), r.get<6>(), r.get<7>(),
                          fromNullable(r.get<8>()), fromNullable(r.get<9>()), fromNullable(r.get<10>())};
            out.push_back(std::move(rec));
        }
        return out;
    });
}

void HistoryStore::saveFigures(std::int64_t runId, int year, const std::string& unitCode,
                               const std::map<std::string, std::string>& figures) {
    requireYear(year);
    requireText("单位编码", unitCode);
    for (const auto& [name, value] : figures) {
        requireText("指标名称", name);
        requireDecimal("单位 " + unitCode + " 的“" + name + "”", value);
    }
    guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        impl_->requireRun(runId);
        s << "DELETE FROM unit_figures WHERE run_id = ? AND year = ? AND unit_code = ?", bind(Poco::Int64(runId)),
            bind(year), bind(unitCode), now;
        for (const auto& [name, value] : figures)
            s << "INSERT INTO unit_figures (run_id, year, unit_code, name, value) VALUES (?, ?, ?, ?, ?)",
                bind(Poco::Int64(runId)), bind(year), bind(unitCode), bind(name), bind(value), now;
        tx.commit();
    });
}

std::map<std::string, std::string> HistoryStore::lastYearFigures(const std::string& unitCode, int year) const {
    requireYear(year);
    return guarded(impl_->path, [&] {
        std::vector<Poco::Tuple<std::string, std::string>> rows;
        int previous = year - 1;
        impl_->session << "SELECT name, value FROM unit_figures WHERE unit_code = ? AND year = ? AND run_id ="
                          " (SELECT MAX(run_id) FROM unit_figures WHERE unit_code = ? AND year = ?)",
            into(rows), bind(unitCode), bind(previous), bind(unitCode), bind(previous), now;
        std::map<std::string, std::string> out;
        for (const auto& r : rows) out[r.get<0>()] = r.get<1>();
        return out;
    });
}

IssuedLetter HistoryStore::issueLetter(const LetterRequest& request) {
    requireYear(request.year);
    requireText("发文字号前缀", request.prefix);
    requireText("单位编码", request.unitCode);
    requireDate("发文日期", request.issuedOn);
    requireDate("整改期限", request.deadline);
    if (request.deadline < request.issuedOn)
        throw StoreRequestError("整改期限 " + request.deadline + " 早于发文日期 " + request.issuedOn + "。");
    return guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        using Row = Poco::Tuple<int, std::string, std::string, std::string, std::string>;
        std::vector<Row> existing;
        s << "SELECT l.seq, l.text, l.evaluation_key, l.issued_on, r.deadline FROM letters l"
             " JOIN rectifications r ON r.year = l.year AND r.seq = l.seq WHERE l.year = ? AND l.unit_code = ?",
            into(existing), bind(request.year), bind(request.unitCode), now;
        IssuedLetter letter;
        letter.unitCode = request.unitCode;
        if (!existing.empty()) {
            const auto& r = existing.front();
            letter.number = {request.year, r.get<0>(), r.get<1>()};
            letter.evaluationKey = r.get<2>();
            letter.issuedOn = r.get<3>();
            letter.deadline = r.get<4>();
            return letter;  // nothing written; the transaction rolls back
        }
        if (request.runId) impl_->requireRun(*request.runId);
        int seq = 0;
        s << "SELECT COALESCE(MAX(seq), 0) + 1 FROM letters WHERE year = ?", into(seq), bind(request.year), now;
        letter.number = {request.year, seq, formatLetterNumber(request.prefix, request.year, seq)};
        letter.evaluationKey = request.evaluationKey;
        letter.issuedOn = request.issuedOn;
        letter.deadline = request.deadline;
        letter.newlyIssued = true;
        Poco::Nullable<Poco::Int64> run;
        if (request.runId) run = Poco::Int64(*request.runId);
        s << "INSERT INTO letters (year, seq, text, unit_code, evaluation_key, issued_on, run_id)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)",
            bind(request.year), bind(seq), bind(letter.number.text), bind(request.unitCode),
            bind(request.evaluationKey), bind(request.issuedOn), bind(run), now;
        s << "INSERT INTO rectifications (year, seq, deadline, status) VALUES (?, ?, ?, 'open')", bind(request.year),
            bind(seq), bind(request.deadline), now;
        tx.commit();
        return letter;
    });
}

std::vector<IssuedLetter> HistoryStore::issuedLetters(int year) const {
    requireYear(year);
    return guarded(impl_->path, [&] {
        using Row = Poco::Tuple<int, std::string, std::string, std::string, std::string, std::string>;
        std::vector<Row> rows;
        impl_->session << "SELECT l.seq, l.text, l.unit_code, l.evaluation_key, l.issued_on, r.deadline"
                          " FROM letters l JOIN rectifications r ON r.year = l.year AND r.seq = l.seq"
                          " WHERE l.year = ? ORDER BY l.seq",
            into(rows), bind(year), now;
        std::vector<IssuedLetter> out;
        for (const auto& r : rows) {
            IssuedLetter letter;
            letter.number = {year, r.get<0>(), r.get<1>()};
            letter.unitCode = r.get<2>();
            letter.evaluationKey = r.get<3>();
            letter.issuedOn = r.get<4>();
            letter.deadline = r.get<5>();
            out.push_back(std::move(letter));
        }
        return out;
    });
}

RectificationItem HistoryStore::recordReport(const LetterRef& letter, const std::string& date,
                                             const std::string& summary, const std::optional<std::string>& file) {
    requireDate("整改报告日期", date);
    requireText("整改情况摘要", summary);
    // Hashed before the transaction: reading a large scan must not hold the write lock.
    std::optional<std::string> sha;
    if (file) sha = sha256File(*file);
    return guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        LetterKey key = impl_->findLetter(letter);
        RectificationItem item = impl_->loadItem(key);
        if (item.status == RectificationStatus::Closed)
            throw StoreRequestError("反馈函 " + item.letter.text + " 的整改已于 " + item.closedOn.value_or("") +
                                    " 销号，不能再报送整改情况。");
        if (date < item.issuedOn)
            throw StoreRequestError("整改报告日期 " + date + " 早于反馈函 " + item.letter.text + " 的发文日期 " +
                                    item.issuedOn + "。");
        s << "INSERT INTO rectification_reports (year, seq, reported_on, summary, file_path, file_sha256)"
             " VALUES (?, ?, ?, ?, ?, ?)",
            bind(key.year), bind(key.seq), bind(date), bind(summary), bind(toNullable(file)), bind(toNullable(sha)),
            now;
        s << "UPDATE rectifications SET status = 'reported' WHERE year = ? AND seq = ?", bind(key.year),
            bind(key.seq), now;
        RectificationItem updated = impl_->loadItem(key);
        tx.commit();
        return updated;
    });
}

RectificationItem HistoryStore::closeRectification(const LetterRef& letter, const std::string& date,
                                                   const std::string& note) {
    requireDate("销号日期", date);
    return guarded(impl_->path, [&] {
        auto& s = impl_->session;
        WriteTransaction tx(s);
        LetterKey key = impl_->findLetter(letter);
        RectificationItem item = impl_->loadItem(key);
        if (item.status == RectificationStatus::Closed)
            throw StoreRequestError("反馈函 " + item.letter.text + " 的整改已于 " + item.closedOn.value_or("") +
                                    " 销号，不能重复销号。");
        if (item.status == RectificationStatus::Open)
            throw StoreRequestError("反馈函 " + item.letter.text +
                                    " 尚未报送整改情况，不能销号。请先登记整改报告（jixiao rectify record）。");
        const std::string& lastReport = item.reports.back().date;
        if (date < lastReport)
            throw StoreRequestError("销号日期 " + date + " 早于最近一次整改报告日期 " + lastReport + "。");
        s << "UPDATE rectifications SET status = 'closed', closed_on = ?, close_note = ? WHERE year = ? AND seq = ?",
            bind(date), bind(note), bind(key.year), bind(key.seq), now;
        RectificationItem updated = impl_->loadItem(key);
        tx.commit();
        return updated;
    });
}

std::vector<RectificationItem> HistoryStore::rectifications(std::optional<int> year,
                                                            std::optional<RectificationStatus> status) const {
    if (year) requireYear(*year);
    // Only integers and our own status codes are spliced into the SQL; user text is bound.
    std::string where = "1 = 1";
    if (year) where += " AND l.year = " + std::to_string(*year);
    if (status) where += std::string(" AND r.status = '") + rectificationCode(*status) + "'";
    return guarded(impl_->path, [&] { return impl_->loadItems(where, {}, "l.year, l.seq"); });
}

std::vector<RectificationItem> HistoryStore::overdue(const std::string& today) const {
    requireDate("当天日期", today);
    // ISO dates compare as text; the deadline day itself is still in time.
    return guarded(impl_->path,
                   [&] { return impl_->loadItems("r.status = 'open' AND r.deadline < ?", {today}, "r.deadline, l.year, l.seq"); });
}

} // namespace jixiao::publish
