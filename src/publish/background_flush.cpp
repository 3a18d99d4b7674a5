#include "publish/background_flush.h"

#include "publish/atomic_file.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace jixiao::publish {

BackgroundFlush::BackgroundFlush(const std::string& folder) : folder_(folder) {
    fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw syncError(folder_, errno);
    thread_ = std::thread([this] { run(); });
}

BackgroundFlush::~BackgroundFlush() {
    stop();
    if (fd_ >= 0) ::close(fd_);
}

void BackgroundFlush::written(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ += bytes;
    if (pending_ >= kEvery) wake_.notify_one();
}

void BackgroundFlush::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || pending_ >= kEvery; });
        if (stopping_) return;
        pending_ = 0;
        lock.unlock();
        // The same descriptor throughout: syncfs reports a write error once per descriptor
        // opened before it happened, so finish() still sees what this flush did not report.
        const int err = ::syncfs(fd_) == 0 ? 0 : errno;
        lock.lock();
        ++flushes_;
        if (err != 0 && error_ == 0) error_ = err;
    }
}

void BackgroundFlush::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void BackgroundFlush::finish() {
    stop();
    int err = ::syncfs(fd_) == 0 ? 0 : errno;
    std::lock_guard<std::mutex> lock(mutex_);
    if (err == 0) err = error_;
    if (err != 0) throw syncError(folder_, err);
}

std::size_t BackgroundFlush::flushes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return flushes_;
}

}  // namespace jixiao::publish
