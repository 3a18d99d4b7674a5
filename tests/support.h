#pragma once

// Helpers the test files share: reading and writing files, running the program or a tool
// and capturing its output, golden files, a temporary folder, substring checks. Header only
// (inline), for the one test binary.

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <sys/wait.h>

namespace jixiao::testing {

/// The whole file, or "" when it cannot be read.
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Every part of a ZIP archive (an XLSX, a DOCX) by name, inflated by Poco::Zip.
inline std::map<std::string, std::string> unzipParts(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::Zip::ZipArchive archive(in);
    std::map<std::string, std::string> parts;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        Poco::Zip::ZipInputStream zin(in, it->second);
        Poco::StreamCopier::copyToString(zin, parts[it->first]);
    }
    return parts;
}

/// Writes `text` to `path`, creating the folders above it.
inline void write(const std::string& path, const std::string& text) {
    Poco::File(Poco::Path(path).parent()).createDirectories();
    std::ofstream(path, std::ios::binary) << text;
}

/// A copy of samples/county at `dest` (the folders above it created) whose dataset.json has
/// `settings` — JSON members such as R"("版头": "none")" — added first, on its first line.
inline void copyCounty(const std::string& dest, const std::string& settings = "") {
    std::filesystem::create_directories(std::filesystem::path(dest).parent_path());
    std::filesystem::copy(std::string(JIXIAO_SOURCE_DIR) + "/samples/county", dest, std::filesystem::copy_options::recursive);
    if (settings.empty()) return;
    std::string config = slurp(dest + "/dataset.json");
    config.replace(config.find('{'), 1, "{" + settings + ",");
    write(dest + "/dataset.json", config);
}

inline bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

/// `s` as one single-quoted shell word.
inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// What `command` (run by the shell) writes to stdout; its exit status goes to `status`
/// (-1 when it could not be started).
inline std::string capture(const std::string& command, int* status = nullptr) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        if (status != nullptr) *status = -1;
        return out;
    }
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int rc = ::pclose(pipe);
    if (status != nullptr) *status = rc;
    return out;
}

/// The one golden-file check: `actual` must equal tests/golden/<name>. With the environment
/// variable JIXIAO_UPDATE_GOLDEN set, the file is rewritten instead (review the diff).
inline void checkGolden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(JIXIAO_SOURCE_DIR) + "/tests/golden/" + name;
    if (std::getenv("JIXIAO_UPDATE_GOLDEN") != nullptr) {
        write(path, actual);
        WARN("rewrote " << path);
        return;
    }
    REQUIRE(Poco::File(path).exists());
    CHECK(actual == slurp(path));
}

/// A fresh folder under the system temporary directory, removed with everything in it when
/// the object goes.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "jixiao-test-") {
        std::random_device random;
        path = std::filesystem::temp_directory_path() / (prefix + std::to_string(random()) + std::to_string(random()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

/// Sets an environment variable for the life of the object and puts the old value (or its
/// absence) back when it goes.
struct ScopedEnv {
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        const char* old = std::getenv(name);
        had_ = old != nullptr;
        if (had_) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (had_) ::setenv(name_, old_.c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    bool had_ = false;
    std::string old_;
};

/// What a program run by the tests did: exit code (-1 when it did not exit normally) and
/// both streams.
struct Outcome {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs `program` as a user would, capturing both streams; `env` ("NAME=value ...", or
/// "env -u NAME") comes before it on the command line.
inline Outcome runProgram(const std::string& program, const std::string& args, const std::string& env) {
    Poco::TemporaryFile out, err;
    std::string cmd = env + (env.empty() ? "" : " ") + program + " " + args + " >" + out.path() + " 2>" + err.path();
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out.path()), slurp(err.path())};
}

/// Runs the real jixiao binary.
inline Outcome runJixiao(const std::string& args, const std::string& env = "") { return runProgram(JIXIAO_BINARY, args, env); }

/// A minimal valid dataset in a temporary folder.
struct TinyDataset {
    Poco::TemporaryFile dir;
    TinyDataset() {
        write(dir.path() + "/dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局"})");
        write(dir.path() + "/单位.csv", "单位编码,单位名称,主管部门编码\n101,测试局,\n");
        write(dir.path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,101,否\n");
        write(dir.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,43.2,37.24\n");
        write(dir.path() + "/绩效指标.csv",
              "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
              "P001,产出指标,数量指标,培训人次,≥,735,人次,50,700\n"
              "P001,效益指标,社会效益指标,技能提升,定性,明显提升,,30,达成\n"
              "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,95%\n");
    }
    std::string path() const { return dir.path(); }
};

}  // namespace jixiao::testing
