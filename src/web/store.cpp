#include "web/store.h"

#include "publish/sha256.h"
#include "publish/store_db.h"
#include "publish/write_transaction.h"
#include "web/password.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Tuple.h>

#include <stdexcept>

namespace jixiao::web {

using namespace Poco::Data::Keywords;

std::string roleName(Role role) {
    switch (role) {
    case Role::Admin: return "admin";
    case Role::Staff: return "staff";
    case Role::Viewer: break;
    }
    return "viewer";
}

std::optional<Role> parseRole(const std::string& name) {
    for (Role r : {Role::Viewer, Role::Staff, Role::Admin})
        if (roleName(r) == name) return r;
    return std::nullopt;
}

struct WebStore::Impl {
    Poco::Data::Session session;
    explicit Impl(const std::string& path) : session(Poco::Data::SQLite::Connector::KEY, path, 0) {}
};

namespace {

const char* const kTables[] = {
    "CREATE TABLE IF NOT EXISTS web_users (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, "
    "created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_sessions (token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL, "
    "created INTEGER NOT NULL, last_seen INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, "
    "action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL, address TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_datasets (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
    "created_by TEXT NOT NULL, created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_uploads (dataset_id INTEGER NOT NULL, stored TEXT NOT NULL, original TEXT NOT NULL, "
    "bytes INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, dataset_id INTEGER NOT NULL, "
    "state TEXT NOT NULL, done INTEGER NOT NULL, total INTEGER NOT NULL, date TEXT NOT NULL, created_by TEXT NOT NULL, "
    "created_at TEXT NOT NULL, finished_at TEXT NOT NULL, message TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS web_units (code TEXT PRIMARY KEY, name TEXT NOT NULL, dataset_id INTEGER NOT NULL)",
};

using RunTuple = Poco::Tuple<Poco::Int64, Poco::Int64, std::string, Poco::Int64, Poco::Int64, std::string, std::string, std::string,
                             std::string, std::string>;
const char* const kRunColumns =
    "SELECT id, dataset_id, state, done, total, date, created_by, created_at, finished_at, message FROM web_runs";

RunRow toRun(const RunTuple& t) {
    return {t.get<0>(), t.get<1>(), t.get<2>(), t.get<3>(), t.get<4>(), t.get<5>(), t.get<6>(), t.get<7>(), t.get<8>(), t.get<9>()};
}

}  // namespace

WebStore::WebStore(std::string path) : path_(std::move(path)) {}
WebStore::~WebStore() = default;

std::unique_ptr<WebStore> WebStore::open(const std::string& path) {
    // The history store checks the file is ours and brings its schema up to date first.
    publish::StoreDb::open(path);
    std::unique_ptr<WebStore> store(new WebStore(path));
    try {
        store->impl_ = std::make_unique<Impl>(path);
        auto& s = store->impl_->session;
        s << "PRAGMA busy_timeout = 10000", now;
        s << "PRAGMA synchronous = FULL", now;
        for (const char* sql : kTables) s << sql, now;
    } catch (const Poco::Exception& e) {
        throw publish::StoreError("无法打开历史库 " + path + "：" + e.displayText());
    }
    return store;
}

void WebStore::addUser(const User& u, const std::string& createdAt) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    int count = 0;
    std::string name = u.name;
    s << "SELECT COUNT(*) FROM web_users WHERE name = ?", into(count), bind(name), now;
    if (count > 0) throw std::invalid_argument("用户“" + u.name + "”已存在。");
    s << "INSERT INTO web_users (name, role, hash, created_at) VALUES (?, ?, ?, ?)", bind(name), bind(roleName(u.role)),
        bind(u.passwordHash), bind(createdAt), now;
}

std::optional<User> WebStore::user(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<std::string, std::string, std::string>> rows;
    std::string n = name;
    impl_->session << "SELECT name, role, hash FROM web_users WHERE name = ?", into(rows), bind(n), now;
    if (rows.empty()) return std::nullopt;
    return User{rows[0].get<0>(), parseRole(rows[0].get<1>()).value_or(Role::Viewer), rows[0].get<2>()};
}

std::vector<User> WebStore::users() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<std::string, std::string>> rows;
    impl_->session << "SELECT name, role FROM web_users ORDER BY name", into(rows), now;
    std::vector<User> out;
    for (const auto& r : rows) out.push_back({r.get<0>(), parseRole(r.get<1>()).value_or(Role::Viewer), {}});
    return out;
}

std::pair<std::string, std::string> WebStore::createSession(const std::string& user, std::int64_t nowSeconds) {
    std::string token = randomHex(32), csrf = randomHex(32);
    std::lock_guard<std::mutex> lock(mutex_);
    Poco::Int64 t = nowSeconds;
    std::string u = user, h = publish::sha256Hex(token);
    impl_->session << "INSERT INTO web_sessions (token_hash, user, csrf, created, last_seen) VALUES (?, ?, ?, ?, ?)", bind(h), bind(u),
        bind(csrf), bind(t), bind(t), now;
    return {token, csrf};
}

std::optional<Session> WebStore::session(const std::string& token, std::int64_t nowSeconds, std::int64_t idleSeconds) {
    if (token.size() != 64) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    std::string h = publish::sha256Hex(token);
    std::vector<Poco::Tuple<std::string, std::string, Poco::Int64, std::string>> rows;
    s << "SELECT s.user, s.csrf, s.last_seen, u.role FROM web_sessions s JOIN web_users u ON u.name = s.user "
         "WHERE s.token_hash = ?",
        into(rows), bind(h), now;
    if (rows.empty()) return std::nullopt;
    if (nowSeconds - rows[0].get<2>() > idleSeconds) {
        s << "DELETE FROM web_sessions WHERE token_hash = ?", bind(h), now;
        return std::nullopt;
    }
    // Written at most once a minute: polling progress must not turn into a write per request.
    if (nowSeconds - rows[0].get<2>() >= 60) {
        Poco::Int64 t = nowSeconds;
        s << "UPDATE web_sessions SET last_seen = ? WHERE token_hash = ?", bind(t), bind(h), now;
    }
    return Session{rows[0].get<0>(), parseRole(rows[0].get<3>()).value_or(Role::Viewer), rows[0].get<1>()};
}

void WebStore::endSession(const std::string& token) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string h = publish::sha256Hex(token);
    impl_->session << "DELETE FROM web_sessions WHERE token_hash = ?", bind(h), now;
}

void WebStore::audit(const AuditEntry& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    impl_->session << "INSERT INTO web_audit (at, user, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)", bind(e.at),
        bind(e.user), bind(e.action), bind(e.target), bind(e.detail), bind(e.address), now;
}

std::vector<AuditEntry> WebStore::auditLog(int limit, const std::string& action) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<Poco::Int64, std::string, std::string, std::string, std::string, std::string, std::string>> rows;
    std::string a = action;
    impl_->session << "SELECT id, at, user, action, target, detail, address FROM web_audit WHERE ? = '' OR action = ? "
                      "ORDER BY id DESC LIMIT ?",
        into(rows), bind(a), bind(a), bind(limit), now;
    std::vector<AuditEntry> out;
    for (const auto& r : rows) out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>(), r.get<4>(), r.get<5>(), r.get<6>()});
    return out;
}

std::int64_t WebStore::createDataset(const std::string& name, const std::string& user, const std::string& at) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    Poco::Int64 id = 0;
    publish::WriteTransaction tx(s);
    s << "INSERT INTO web_datasets (name, created_by, created_at) VALUES (?, ?, ?)", bind(name), bind(user), bind(at), now;
    s << "SELECT last_insert_rowid()", into(id), now;
    tx.commit();
    return id;
}

void WebStore::renameDataset(std::int64_t id, const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    Poco::Int64 i = id;
    impl_->session << "UPDATE web_datasets SET name = ? WHERE id = ?", bind(name), bind(i), now;
}

std::vector<DatasetRecord> WebStore::datasets() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<Poco::Int64, std::string, std::string, std::string>> rows;
    impl_->session << "SELECT id, name, created_by, created_at FROM web_datasets ORDER BY id DESC", into(rows), now;
    std::vector<DatasetRecord> out;
    for (const auto& r : rows) out.push_back({r.get<0>(), r.get<1>(), r.get<2>(), r.get<3>()});
    return out;
}

std::optional<DatasetRecord> WebStore::dataset(std::int64_t id) {
    for (const auto& d : datasets())
        if (d.id == id) return d;
    return std::nullopt;
}

void WebStore::addUpload(std::int64_t datasetId, const UploadRecord& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    Poco::Int64 id = datasetId, bytes = f.bytes;
    impl_->session << "INSERT INTO web_uploads (dataset_id, stored, original, bytes) VALUES (?, ?, ?, ?)", bind(id), bind(f.stored),
        bind(f.original), bind(bytes), now;
}

void WebStore::saveUnitNames(std::int64_t datasetId, const std::vector<std::pair<std::string, std::string>>& names) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    Poco::Int64 id = datasetId;
    publish::WriteTransaction tx(s);
    for (const auto& [code, name] : names) {
        std::string c = code, n = name;
        // A newer dataset's name wins (a unit renamed since); an older one does not overwrite it.
        s << "INSERT INTO web_units (code, name, dataset_id) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET"
             " name = excluded.name, dataset_id = excluded.dataset_id WHERE excluded.dataset_id >= web_units.dataset_id",
            bind(c), bind(n), bind(id), now;
    }
    tx.commit();
}

std::map<std::string, std::string> WebStore::unitNames() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<std::string, std::string>> rows;
    impl_->session << "SELECT code, name FROM web_units", into(rows), now;
    std::map<std::string, std::string> out;
    for (const auto& r : rows) out[r.get<0>()] = r.get<1>();
    return out;
}

std::vector<UploadRecord> WebStore::uploads(std::int64_t datasetId) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Poco::Tuple<std::string, std::string, Poco::Int64>> rows;
    Poco::Int64 id = datasetId;
    impl_->session << "SELECT stored, original, bytes FROM web_uploads WHERE dataset_id = ? ORDER BY rowid", into(rows), bind(id), now;
    std::vector<UploadRecord> out;
    for (const auto& r : rows) out.push_back({r.get<0>(), r.get<1>(), r.get<2>()});
    return out;
}

std::int64_t WebStore::createRun(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    Poco::Int64 id = 0, ds = datasetId;
    publish::WriteTransaction tx(s);
    s << "INSERT INTO web_runs (dataset_id, state, done, total, date, created_by, created_at, finished_at, message) "
         "VALUES (?, 'queued', 0, 0, ?, ?, ?, '', '')",
        bind(ds), bind(date), bind(user), bind(at), now;
    s << "SELECT last_insert_rowid()", into(id), now;
    tx.commit();
    return id;
}

void WebStore::updateRun(const RunRow& r) {
    std::lock_guard<std::mutex> lock(mutex_);
    Poco::Int64 id = r.id, done = r.done, total = r.total;
    impl_->session << "UPDATE web_runs SET state = ?, done = ?, total = ?, finished_at = ?, message = ? WHERE id = ?", bind(r.state),
        bind(done), bind(total), bind(r.finishedAt), bind(r.message), bind(id), now;
}

std::optional<RunRow> WebStore::run(std::int64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<RunTuple> rows;
    Poco::Int64 i = id;
    impl_->session << std::string(kRunColumns) + " WHERE id = ?", into(rows), bind(i), now;
    if (rows.empty()) return std::nullopt;
    return toRun(rows[0]);
}

std::vector<RunRow> WebStore::runs(std::int64_t datasetId) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<RunTuple> rows;
    Poco::Int64 ds = datasetId;
    impl_->session << std::string(kRunColumns) + " WHERE ? = 0 OR dataset_id = ? ORDER BY id DESC", into(rows), bind(ds), bind(ds), now;
    std::vector<RunRow> out;
    for (const auto& r : rows) out.push_back(toRun(r));
    return out;
}

int WebStore::markInterrupted(const std::string& at) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& s = impl_->session;
    int count = 0;
    s << "SELECT COUNT(*) FROM web_runs WHERE state IN ('queued', 'running')", into(count), now;
    s << "UPDATE web_runs SET state = 'interrupted', finished_at = ?, "
         "message = '服务在运行结束前停止，本次运行未完成；可重新运行。' WHERE state IN ('queued', 'running')",
        bind(at), now;
    return count;
}

}  // namespace jixiao::web
