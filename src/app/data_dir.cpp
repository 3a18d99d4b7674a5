#include "app/data_dir.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <climits>
#include <unistd.h>
#include <vector>

namespace jixiao::app {

namespace {

bool isDir(const std::string& path) {
    Poco::File f(path);
    return f.exists() && f.isDirectory();
}

bool holdsData(const std::string& dir) { return isDir(dir + "/templates") && isDir(dir + "/fonts"); }

/// Absolute, with "." and ".." folded (Poco::Path folds them while parsing), without a final slash.
std::string absolute(const std::string& path) {
    Poco::Path p(path);
    p.makeAbsolute();
    p.makeDirectory();
    std::string s = p.toString();
    if (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

std::string programDir(const std::string& fallback) {
    char buffer[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (n <= 0) return fallback;
    return Poco::Path(std::string(buffer, std::size_t(n))).parent().toString();
}

std::string findDataDir(const std::string& programDir, const std::string& override) {
    if (!override.empty()) {
        std::string dir = absolute(override);
        if (holdsData(dir)) return dir;
        throw DataDirError("环境变量 JIXIAO_DATA 指向的“" + dir +
                           "”不是 jixiao 的数据文件夹（其中应有 templates 和 fonts 两个文件夹）。"
                           "请改正 JIXIAO_DATA，或删除它（unset JIXIAO_DATA）以使用安装时自带的数据。");
    }
    const std::vector<std::string> candidates{absolute(programDir + "/../share/jixiao"), absolute(programDir + "/../..")};
    for (const auto& dir : candidates)
        if (holdsData(dir)) return dir;
    std::string looked;
    for (const auto& dir : candidates) looked += (looked.empty() ? "" : "、") + ("“" + dir + "”");
    throw DataDirError("找不到 jixiao 的数据文件夹（模板、字体和评分规则，其中应有 templates 和 fonts 两个文件夹），已查找：" + looked +
                       "。请重新安装 jixiao 软件包，或用环境变量 JIXIAO_DATA 指定数据文件夹，"
                       "例如：JIXIAO_DATA=/usr/share/jixiao jixiao check 数据集文件夹");
}

}  // namespace jixiao::app
