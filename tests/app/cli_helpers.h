#pragma once

// What the app's tests share: running the real binary and writing small datasets.

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace apptest {

struct Outcome {
    int code = -1;
    std::string out;
    std::string err;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs `program` as a user would, capturing both streams; `env` ("NAME=value ...", or
/// "env -u NAME") comes before it on the command line.
inline Outcome runProgram(const std::string& program, const std::string& args, const std::string& env) {
    Poco::TemporaryFile out, err;
    std::string cmd = env + (env.empty() ? "" : " ") + program + " " + args + " >" + out.path() + " 2>" + err.path();
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out.path()), slurp(err.path())};
}

/// The standard output of a shell command (a tool reading a document back: pdftotext, …).
inline std::string capture(const std::string& cmd) {
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    return out;
}

/// Runs the real binary.
inline Outcome jixiao(const std::string& args, const std::string& env = "") { return runProgram(JIXIAO_BINARY, args, env); }

inline void write(const std::string& path, const std::string& text) {
    Poco::File(Poco::Path(path).parent()).createDirectories();
    std::ofstream(path, std::ios::binary) << text;
}

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

} // namespace apptest

using namespace apptest;
