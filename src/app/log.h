#pragma once

#include <fstream>
#include <memory>
#include <streambuf>
#include <string>

namespace jixiao::app {

/// `--log 文件` and `--quiet` for the whole process. While it lives, every line written to
/// std::cout or std::cerr is also appended to the log file, stamped with the local time and a
/// level: 错误 for a line that names an error (“错误：”, or a usage message “jixiao：”),
/// 警告 for one with “警告：”, 信息 for everything else. With `quiet`, only the
/// 错误 and 警告 lines still reach the terminal (no summaries, no progress). The log is opened
/// for appending, so a scheduled job keeps one file; the first and last lines record the
/// command line and its exit code.
class RunLog {
public:
    /// Throws publish::OutputError (Chinese, exit 73) when the log file cannot be opened.
    RunLog(const std::string& path, bool quiet, const std::string& commandLine);
    /// Writes the closing line with `exitCode` and the elapsed time.
    void finish(int exitCode);
    /// Puts std::cout and std::cerr back.
    ~RunLog();

    RunLog(const RunLog&) = delete;
    RunLog& operator=(const RunLog&) = delete;

    class Tee;

private:
    std::ofstream file_;
    std::unique_ptr<Tee> out_;
    std::unique_ptr<Tee> err_;
    std::streambuf* savedOut_;
    std::streambuf* savedErr_;
    double started_;
};

}  // namespace jixiao::app
