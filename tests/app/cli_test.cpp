#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

struct Outcome {
    int code = -1;
    std::string out;
    std::string err;
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Runs the real binary, as a user would, capturing both streams.
Outcome jixiao(const std::string& args) {
    Poco::TemporaryFile out, err;
    std::string cmd = std::string(JIXIAO_BINARY) + " " + args + " >" + out.path() + " 2>" + err.path();
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out.path()), slurp(err.path())};
}

void write(const std::string& path, const std::string& text) {
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

} // namespace

TEST_CASE("help and version exit 0", "[app]") {
    auto help = jixiao("--help");
    CHECK(help.code == 0);
    CHECK(help.out.find("用法：jixiao <命令>") == 0);
    auto version = jixiao("--version");
    CHECK(version.code == 0);
    CHECK(version.out == "jixiao 0.1.0\n");
}

TEST_CASE("usage errors exit 64 with a Chinese message", "[app]") {
    auto none = jixiao("");
    CHECK(none.code == 64);
    CHECK(none.err.find("jixiao：缺少命令。\n") == 0);
    auto unknown = jixiao("chek x");
    CHECK(unknown.code == 64);
    CHECK(unknown.err.find("jixiao：未知命令“chek”。\n") == 0);
    auto badOption = jixiao("check --frobnicate x");
    CHECK(badOption.code == 64);
    CHECK(badOption.err.find("jixiao：选项有误") == 0);
    auto noOutput = jixiao("run somewhere");
    CHECK(noOutput.code == 64);
    CHECK(noOutput.err.find("jixiao：run 需要用 -o 指定输出文件夹。\n") == 0);
}

TEST_CASE("a missing dataset exits 66", "[app]") {
    auto r = jixiao("check /nonexistent/dataset");
    CHECK(r.code == 66);
    CHECK(r.err == "错误：/nonexistent/dataset：数据集文件夹不存在。\n");
    Poco::TemporaryFile empty;
    empty.createDirectories();
    auto noJson = jixiao("check " + empty.path());
    CHECK(noJson.code == 66);
    CHECK(noJson.err == "错误：" + empty.path() +
                            "：找不到 dataset.json。每个数据集文件夹都需要一个 dataset.json，至少写明“年度”和“发文机关”。\n");
}

TEST_CASE("a dataset.json that is not JSON exits 78", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/dataset.json", "{\"年度\": 2024,");
    auto r = jixiao("check " + ds.path());
    CHECK(r.code == 78);
    CHECK(r.err.find("错误：dataset.json：不是有效的 JSON（") == 0);
}

TEST_CASE("check prints a summary and exits 0 on a clean dataset", "[app]") {
    TinyDataset ds;
    auto r = jixiao("check " + ds.path());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.out.find("单位 1 个（其中部门 1 个），项目 1 个（其中涉密 0 个），绩效指标 3 条（其中部门整体指标 0 条）\n") !=
          std::string::npos);
    CHECK(r.out.find("错误 0 条") != std::string::npos);
}

TEST_CASE("check reports a bad number with its position and exits 65", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,约30万,37.24\n");
    auto r = jixiao("check " + ds.path());
    CHECK(r.code == 65);
    CHECK(r.err.find("预算执行.csv[C2] 错误：第2行“全年预算数”应为数字，实际为“约30万”。"
                     "提示：请只填写数字，如 1234.50；可以带千分位逗号或百分号。\n") != std::string::npos);
}
