#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace jixiao::publish {

/// Writes a run's files to disk while the run goes on, so that its one flush at the end has
/// little left to wait for. A thread of its own flushes the file system that holds the output
/// folder (syncfs) each time `kEvery` more bytes were written: the kernel writes many files in
/// one go, where a write-back started per file (sync_file_range) cost the rendering threads
/// a device request per file. A failed flush is remembered and reported by finish().
class BackgroundFlush {
public:
    static constexpr std::size_t kEvery = std::size_t(16) << 20;

    /// Starts flushing the file system of `folder` (which exists). Throws OutputError when it
    /// cannot be opened.
    explicit BackgroundFlush(const std::string& folder);
    BackgroundFlush(const BackgroundFlush&) = delete;
    BackgroundFlush& operator=(const BackgroundFlush&) = delete;
    /// Stops the thread without a last flush (a run that failed).
    ~BackgroundFlush();

    /// `bytes` more were written (and renamed into place) by some thread.
    void written(std::size_t bytes);
    /// Stops the thread and flushes what is left: once it returns, every file written before
    /// is on disk. Throws OutputError naming the folder when this or an earlier flush failed.
    void finish();
    /// How many flushes the thread made so far (for tests).
    std::size_t flushes() const;

private:
    void run();
    void stop();

    std::string folder_;
    int fd_ = -1;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::size_t pending_ = 0;
    std::size_t flushes_ = 0;
    int error_ = 0;  ///< errno of the first failed flush
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace jixiao::publish
