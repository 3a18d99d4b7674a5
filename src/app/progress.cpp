#include "app/progress.h"

#include <cstdio>

namespace jixiao::app {

Progress::Progress(std::ostream& out, bool terminal, std::size_t total, std::string what,
                   std::function<void(std::size_t, std::size_t)> observer)
    : out_(out),
      terminal_(terminal),
      total_(total),
      what_(std::move(what)),
      start_(std::chrono::steady_clock::now()),
      lastDraw_(start_),
      observer_(std::move(observer)) {
    if (observer_) observer_(0, total_);
}

void Progress::step() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    if (observer_) observer_(done_, total_);
    auto now = std::chrono::steady_clock::now();
    if (terminal_) {
        // Redrawing more than ten times a second only costs time.
        if (now - lastDraw_ >= std::chrono::milliseconds(100) || done_ == total_) {
            lastDraw_ = now;
            print(false);
        }
    } else if (total_ > 0 && (done_ - lastLogged_) * 10 >= total_) {
        lastLogged_ = done_;
        print(false);
    }
}

void Progress::finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    print(true);
}

void Progress::print(bool final) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = seconds > 0 ? double(done_) / seconds : 0.0;
    char line[256];
    if (final) {
        std::snprintf(line, sizeof line, "已完成 %zu 个%s，用时 %.1f 秒（%.1f 个/秒）", done_, what_.c_str(), seconds, rate);
        out_ << (terminal_ ? "\r\033[K" : "") << line << '\n';
        return;
    }
    double left = rate > 0 ? double(total_ - done_) / rate : 0.0;
    if (terminal_) {
        const int width = 30;
        int filled = total_ ? int(double(done_) / double(total_) * width) : width;
        std::string bar(std::size_t(filled), '#');
        bar.resize(width, '.');
        std::snprintf(line, sizeof line, "\r\033[K[%s] %zu/%zu %s  %.1f 个/秒  剩余约 %.0f 秒", bar.c_str(), done_, total_, what_.c_str(),
                      rate, left);
        out_ << line << std::flush;
    } else {
        std::snprintf(line, sizeof line, "进度：%zu/%zu 个%s，%.1f 个/秒，剩余约 %.0f 秒", done_, total_, what_.c_str(), rate, left);
        out_ << line << '\n';
    }
}

}  // namespace jixiao::app
