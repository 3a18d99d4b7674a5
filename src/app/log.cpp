#include "app/log.h"

#include "publish/atomic_file.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Timestamp.h>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace jixiao::app {

namespace {

/// Why a file could not be opened, in words an administrator acts on.
std::string openFailure(int error) {
    switch (error) {
    case ENOENT: return "所在的文件夹不存在";
    case EACCES:
    case EPERM:
    case EROFS: return "没有写入权限";
    case EISDIR: return "这是一个文件夹";
    default: return "系统错误号 " + std::to_string(error);
    }
}

std::string now() { return Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d %H:%M:%S"); }

double seconds() { return double(Poco::Timestamp().epochMicroseconds()) / 1e6; }

/// One mutex for the log file: both streams write into it.
std::mutex& logMutex() {
    static std::mutex m;
    return m;
}

}  // namespace

/// A stream buffer that hands each byte on to the terminal (unless quiet) and each finished
/// line to the log. A carriage return starts the line again, so a progress bar redrawn on the
/// terminal is logged once, as it stood at its newline.
class RunLog::Tee : public std::streambuf {
public:
    Tee(std::streambuf* terminal, std::ofstream* log, bool quiet) : terminal_(terminal), log_(log), quiet_(quiet) {}

    void writeLog(const std::string& level, const std::string& text) {
        if (log_ == nullptr) return;
        std::lock_guard<std::mutex> lock(logMutex());
        *log_ << now() << " [" << level << "] " << text << '\n';
        log_->flush();
    }

protected:
    int_type overflow(int_type ch) override {
        if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
        const char c = traits_type::to_char_type(ch);
        if (!quiet_ && terminal_->sputc(c) == traits_type::eof()) return traits_type::eof();
        if (c == '\n') {
            endLine();
        } else if (c == '\r') {
            line_.clear();
        } else {
            line_ += c;
        }
        return ch;
    }

    int sync() override { return quiet_ ? 0 : terminal_->pubsync(); }

private:
    std::string level() const {
        // Either stream: `check` prints its problems on stdout, so that `> 问题.txt` keeps them.
        if (line_.find("错误：") != std::string::npos || line_.rfind("jixiao：", 0) == 0) return "错误";
        if (line_.find("警告：") != std::string::npos) return "警告";
        return "信息";
    }

    void endLine() {
        // Terminal control sequences (the progress bar's "erase line") are not text.
        std::string text;
        for (std::size_t i = 0; i < line_.size(); ++i) {
            if (line_[i] == '\033' && i + 1 < line_.size() && line_[i + 1] == '[') {
                i += 2;
                while (i < line_.size() && !(line_[i] >= '@' && line_[i] <= '~')) ++i;
                continue;
            }
            text += line_[i];
        }
        line_ = std::move(text);
        const std::string lvl = level();
        if (quiet_ && lvl != "信息") {
            terminal_->sputn(line_.data(), std::streamsize(line_.size()));
            terminal_->sputc('\n');
        }
        writeLog(lvl, line_);
        line_.clear();
    }

    std::streambuf* terminal_;
    std::ofstream* log_;
    bool quiet_;
    std::string line_;
};

RunLog::RunLog(const std::string& path, bool quiet, const std::string& commandLine)
    : savedOut_(std::cout.rdbuf()), savedErr_(std::cerr.rdbuf()), started_(seconds()) {
    if (!path.empty()) {
        errno = 0;
        file_.open(path, std::ios::app | std::ios::binary);
        if (!file_)
            throw publish::OutputError("无法写入日志文件“" + path + "”（" + openFailure(errno) +
                                       "）。请先建好文件夹、给运行 jixiao 的用户写入权限，或用 --log 指定别的文件。");
    }
    out_ = std::make_unique<Tee>(savedOut_, path.empty() ? nullptr : &file_, quiet);
    err_ = std::make_unique<Tee>(savedErr_, path.empty() ? nullptr : &file_, quiet);
    std::cout.rdbuf(out_.get());
    std::cerr.rdbuf(err_.get());
    out_->writeLog("信息", "开始：" + commandLine);
}

void RunLog::finish(int exitCode) {
    std::cout.flush();
    std::cerr.flush();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f", seconds() - started_);
    // 75 (try later) is a normal outcome of a scheduled publish.
    out_->writeLog(exitCode == 0 || exitCode == 75 ? "信息" : "错误",
                   "结束：退出码 " + std::to_string(exitCode) + "，用时 " + elapsed + " 秒");
}

RunLog::~RunLog() {
    std::cout.rdbuf(savedOut_);
    std::cerr.rdbuf(savedErr_);
}

}  // namespace jixiao::app
