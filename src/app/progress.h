#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace jixiao::app {

/// Reports batch progress: a one-line bar with count, rate and time left on a terminal,
/// plain log lines (every tenth of the work) otherwise, so cron mails stay readable.
class Progress {
public:
    /// `observer`, when set, is told (done, total) at the start and after every step.
    Progress(std::ostream& out, bool terminal, std::size_t total, std::string what,
             std::function<void(std::size_t, std::size_t)> observer = {});

    /// One more item done (thread-safe).
    void step();
    /// Ends the bar with a summary line.
    void finish();

private:
    void print(bool final);

    std::ostream& out_;
    bool terminal_;
    std::size_t total_;
    std::string what_;
    std::size_t done_ = 0;
    std::size_t lastLogged_ = 0;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point lastDraw_;
    std::mutex mutex_;
    std::function<void(std::size_t, std::size_t)> observer_;
};

}  // namespace jixiao::app
