#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::web {

/// What a user may do: viewer reads; staff also uploads, runs and records 整改; admin also
/// publishes and manages users.
enum class Role { Viewer, Staff, Admin };

/// "viewer" / "staff" / "admin".
std::string roleName(Role role);
/// The role named by roleName, or nothing.
std::optional<Role> parseRole(const std::string& name);

struct User {
    std::string name;
    Role role = Role::Viewer;
    std::string passwordHash;
};

/// A logged-in session, looked up by its cookie token.
struct Session {
    std::string user;
    Role role = Role::Viewer;
    std::string csrf;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::string at;  ///< local time, ISO 8601
    std::string user;
    std::string action;
    std::string target;
    std::string detail;
    std::string address;
};

/// A dataset created in the workspace: its folder is <data>/datasets/<id>.
struct DatasetRecord {
    std::int64_t id = 0;
    std::string name;
    std::string createdBy;
    std::string createdAt;
};

/// An uploaded file of a dataset: stored under a generated name, shown under the client's.
struct UploadRecord {
    std::string stored;
    std::string original;
    std::int64_t bytes = 0;
};

/// queued | running | done | failed | interrupted.
struct RunRow {
    std::int64_t id = 0;
    std::int64_t datasetId = 0;
    std::string state;
    std::int64_t done = 0;
    std::int64_t total = 0;
    std::string date;  ///< 成文日期
    std::string createdBy;
    std::string createdAt;
    std::string finishedAt;
    std::string message;
};

/// The workspace's own tables (web_*) in the history store (publish::StoreDb) the CLI uses, so the CLI and the
/// web see the same runs, letters and 整改. One SQLite connection shared by the server's
/// threads under a mutex; every change is one statement or one transaction.
class WebStore {
public:
    /// Opens the history store at `path` (creating and migrating it as the CLI does), then
    /// adds the web tables when missing. Throws publish::StoreError.
    static std::unique_ptr<WebStore> open(const std::string& path);
    ~WebStore();

    const std::string& path() const { return path_; }

    /// Adds a user; throws std::invalid_argument (Chinese message) when the name is taken.
    void addUser(const User& user, const std::string& createdAt);
    std::optional<User> user(const std::string& name);
    std::vector<User> users();

    /// A new session for `user`: returns {token, csrf}. `now` is seconds since the epoch.
    std::pair<std::string, std::string> createSession(const std::string& user, std::int64_t now);
    /// The session of `token` when it was used within `idleSeconds`; refreshes its last use.
    std::optional<Session> session(const std::string& token, std::int64_t now, std::int64_t idleSeconds);
    void endSession(const std::string& token);

    void audit(const AuditEntry& entry);
    /// The latest `limit` entries, newest first; only `action` when not empty.
    std::vector<AuditEntry> auditLog(int limit, const std::string& action = {});

    std::int64_t createDataset(const std::string& name, const std::string& user, const std::string& at);
    void renameDataset(std::int64_t id, const std::string& name);
    std::vector<DatasetRecord> datasets();
    std::optional<DatasetRecord> dataset(std::int64_t id);
    void addUpload(std::int64_t datasetId, const UploadRecord& file);
    std::vector<UploadRecord> uploads(std::int64_t datasetId);
    /// Remembers the units' names (code, name) read from a dataset, for the letters list (the
    /// letter register keeps unit codes only). A newer dataset's name wins.
    void saveUnitNames(std::int64_t datasetId, const std::vector<std::pair<std::string, std::string>>& names);
    /// Unit code → name, as the newest dataset that named the unit.
    std::map<std::string, std::string> unitNames();

    std::int64_t createRun(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at);
    void updateRun(const RunRow& run);
    std::optional<RunRow> run(std::int64_t id);
    /// Runs of a dataset (all when 0), newest first.
    std::vector<RunRow> runs(std::int64_t datasetId);
    /// Marks runs left queued or running by a server that stopped as interrupted; returns how many.
    int markInterrupted(const std::string& at);

private:
    struct Impl;
    explicit WebStore(std::string path);
    std::string path_;
    std::unique_ptr<Impl> impl_;
    std::mutex mutex_;
};

}  // namespace jixiao::web
