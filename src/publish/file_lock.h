#pragma once

#include <stdexcept>
#include <string>

namespace jixiao::publish {

/// The lock file cannot be opened or locked (not: another process holds it). `what()` is
/// the reason (model::systemReason); callers put it into their own Chinese message.
class FileLockError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Who holds a lock, as the holder wrote it into the lock file ("未知" when unreadable).
struct LockHolder {
    std::string pid = "未知";
    std::string since = "未知";
};

/// The one file lock of the project: an exclusive OS lock (flock) on a lock file, taken
/// without waiting. The kernel drops it when the process dies, so a crash never leaves a
/// stale lock behind. Released when destroyed. Used by the history store, the publish lock
/// (on the site folder itself) and the output folder.
class FileLock {
public:
    /// Opens (creating) `path` and takes the lock. On success the holder's pid and
    /// `startedAt` are written into the file (nothing when `startedAt` is empty); returns false and fills `holder` from the file
    /// when another holder has it. Throws FileLockError when the file cannot be opened or
    /// locked.
    static bool tryAcquire(const std::string& path, const std::string& startedAt, FileLock& lock, LockHolder& holder);
    /// Takes the lock on the folder `dir` itself, so that nothing is added to the folder (the
    /// disclosure site holds only what is published). Returns false when another holder has
    /// it. Throws FileLockError when the folder cannot be opened or locked.
    static bool tryAcquireFolder(const std::string& dir, FileLock& lock);

    FileLock() = default;
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

    /// Releases the lock now (idempotent).
    void release() noexcept;
    /// Whether the lock is still held.
    bool held() const { return fd_ >= 0; }

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace jixiao::publish
