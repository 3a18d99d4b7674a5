#include "publish/file_lock.h"

#include "model/text.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace jixiao::publish {

namespace {

LockHolder readHolder(int fd) {
    char buffer[512];
    ssize_t n = ::pread(fd, buffer, sizeof buffer, 0);
    std::string info = n > 0 ? std::string(buffer, std::size_t(n)) : std::string();
    LockHolder holder;
    std::size_t start = 0;
    while (start < info.size()) {
        std::size_t end = info.find('\n', start);
        if (end == std::string::npos) end = info.size();
        std::string line = info.substr(start, end - start);
        if (line.rfind("pid ", 0) == 0 && line.size() > 4) holder.pid = line.substr(4);
        if (line.rfind("started ", 0) == 0 && line.size() > 8) holder.since = line.substr(8);
        start = end + 1;
    }
    return holder;
}

/// Takes the flock on `fd` without waiting: true when taken, false when another holder has
/// it (`fd` stays open). Closes `fd` and throws FileLockError on any other failure.
bool lockOrClose(int fd) {
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        if (err == EINTR) continue;
        if (err == EWOULDBLOCK) return false;
        ::close(fd);
        throw FileLockError(model::systemReason(err));
    }
    return true;
}

}  // namespace

bool FileLock::tryAcquireFolder(const std::string& dir, FileLock& lock) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw FileLockError(model::systemReason(errno));
    if (!lockOrClose(fd)) {
        ::close(fd);
        return false;
    }
    lock = FileLock(fd);
    return true;
}

bool FileLock::tryAcquire(const std::string& path, const std::string& startedAt, FileLock& lock, LockHolder& holder) {
    // flock rather than fcntl: fcntl locks belong to the process, so a second lock taken in
    // the same process would succeed, and closing any descriptor of the file drops them.
    // The lock file is never deleted: unlinking it would let a third process lock a new
    // inode while the second still waits on the old one.
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw FileLockError(model::systemReason(errno));
    if (!lockOrClose(fd)) {
        holder = readHolder(fd);
        ::close(fd);
        return false;
    }
    lock = FileLock(fd);
    if (startedAt.empty()) return true;
    std::string since = startedAt;
    for (char& c : since)
        if (c == '\n' || c == '\r') c = ' ';
    std::string info = "pid " + std::to_string(::getpid()) + "\nstarted " + since + "\n";
    // The holder's details only feed the refusal message; failing to write them must not
    // stop the holder, which has the lock either way.
    if (::ftruncate(fd, 0) == 0) {
        ssize_t written = ::pwrite(fd, info.data(), info.size(), 0);
        (void)written;
    }
    return true;
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

FileLock::~FileLock() { release(); }

void FileLock::release() noexcept {
    if (fd_ < 0) return;
    // Closing the only descriptor of the open file description drops the flock.
    ::close(fd_);
    fd_ = -1;
}

}  // namespace jixiao::publish
