// Regressions of the red-team round (issue 11) that need the real binary: exit codes, what
// commands refuse, what a run leaves on disk.

#include "app/cli_helpers.h"

#include <Poco/File.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace {

bool exists(const std::string& path) { return Poco::File(path).exists(); }

} // namespace

// Defect 10: a mistyped --db silently created an empty store (and its folders).
TEST_CASE("read-only rectify commands refuse a missing store with 66 and create nothing", "[app]") {
    Poco::TemporaryFile dir;
    dir.createDirectories();
    const std::string db = dir.path() + "/typo/history.db";
    for (const std::string action : {"list", "overdue --date 2025-04-05"}) {
        auto r = jixiao("rectify " + action + " --db " + db);
        CHECK(r.code == 66);
        CHECK(r.err == "错误：历史库 " + db + " 不存在。请检查 --db 的路径；历史库由 jixiao run 创建。\n");
        CHECK(r.out.empty());
    }
    auto record = jixiao("rectify record --db " + db + " --letter 某财绩函〔2025〕1号 --date 2025-04-01 --summary 已整改");
    CHECK(record.code == 66);
    CHECK_FALSE(exists(dir.path() + "/typo"));
}

// Defect 13: exit codes against their documented meaning.
TEST_CASE("a busy store exits 75 (try later), a wrong rectify request 65, an impossible --date 64", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile out, dir;
    dir.createDirectories();
    const std::string db = dir.path() + "/history.db";
    auto first = jixiao("run " + ds.path() + " -o " + out.path() + " --db " + db + " --date 2025-03-05");
    REQUIRE(first.code == 0);

    // Another process holds the run lock.
    int fd = ::open((db + ".lock").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto busy = jixiao("run " + ds.path() + " -o " + out.path() + " --db " + db + " --date 2025-03-05");
    ::close(fd);
    CHECK(busy.code == 75);
    CHECK(busy.err.find("错误：已有另一个 jixiao 正在使用历史库 " + db + "（进程 ") == 0);

    auto unknown = jixiao("rectify record --db " + db + " --letter 某财绩函〔2025〕9号 --date 2025-04-01 --summary 已整改");
    CHECK(unknown.code == 65);
    CHECK(unknown.err == "错误：历史库中没有文号为“某财绩函〔2025〕9号”的反馈函。\n");

    Poco::TemporaryFile out2;
    for (const std::string date : {"1969-12-31", "2100-01-01"}) {
        auto r = jixiao("run " + ds.path() + " -o " + out2.path() + " --date " + date);
        CHECK(r.code == 64);
        CHECK(r.err.find("jixiao：--date 应为 2000-01-01 至 2099-12-31 之间的日期，实际为“" + date + "”。\n") == 0);
        CHECK_FALSE(exists(out2.path()));
    }
}

namespace {

const std::string kTiny = std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny";
const std::string kTinyDepartment = "101_青山县民政局";

Outcome runTiny(const std::string& out, const std::string& extra = "") {
    return jixiao("run " + kTiny + " -o " + out + " --date 2025-03-05 " + extra);
}

} // namespace

// Defect 2: a failed re-run into a folder holding a complete run left the old manifest
// claiming completeness over files it had replaced.
TEST_CASE("a run that fails late leaves no manifest claiming the folder is complete", "[app]") {
    Poco::TemporaryFile out;
    REQUIRE(runTiny(out.path()).code == 0);
    REQUIRE(exists(out.path() + "/manifest.json"));
    // The summary workbook cannot be renamed into place: a folder holds its name.
    Poco::File(out.path() + "/2024年度绩效自评汇总表.xlsx").remove();
    Poco::File(out.path() + "/2024年度绩效自评汇总表.xlsx/x").createDirectories();
    auto failed = runTiny(out.path());
    CHECK(failed.code == 73);
    CHECK_FALSE(exists(out.path() + "/manifest.json"));
}

// Defect 6: run wrote outside the output folder through a symlinked department folder.
TEST_CASE("run never writes through a symbolic link inside the output folder", "[app]") {
    Poco::TemporaryFile out, elsewhere;
    elsewhere.createDirectories();
    Poco::File(out.path()).createDirectories();
    REQUIRE(::symlink(elsewhere.path().c_str(), (out.path() + "/" + kTinyDepartment).c_str()) == 0);
    auto r = runTiny(out.path());
    CHECK(r.code == 73);
    CHECK(r.err.find("输出文件夹中的 " + out.path() + "/" + kTinyDepartment +
                     " 是符号链接，为免写到输出文件夹之外，未写入其中。请删除该链接后重新运行。") != std::string::npos);
    std::vector<std::string> written;
    Poco::File(elsewhere.path()).list(written);
    CHECK(written.empty());
}

// Defect 9: two runs into one -o with different --db both exited 0 with a manifest that
// disagreed with most files.
TEST_CASE("a second run into the same output folder is refused with 75", "[app]") {
    Poco::TemporaryFile out, db;
    Poco::File(out.path()).createDirectories();
    const std::string lockPath = out.path() + "/.jixiao-run.lock";
    int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto r = runTiny(out.path(), "--db " + db.path());
    ::close(fd);
    CHECK(r.code == 75);
    CHECK(r.err.find("错误：另一个 jixiao run 正在向 " + out.path() + " 输出（进程 未知，开始于 未知）。请等它结束后再运行。\n") == 0);
    CHECK_FALSE(exists(out.path() + "/manifest.json"));
    CHECK_FALSE(exists(db.path()));
}

// Defect 12: temporary files of a killed run were never swept.
TEST_CASE("a run sweeps the temporary files a killed run left in its output folder", "[app]") {
    Poco::TemporaryFile out;
    const std::string dept = out.path() + "/" + kTinyDepartment;
    write(out.path() + "/.results.json.tmp-a1B2c3", "partial");
    write(dept + "/.T001_居家养老服务补助_绩效自评报告.pdf.tmp-Zz9Yy8", "partial");
    write(dept + "/jixiao-xlsx-q1w2e3", "partial");
    write(out.path() + "/备注.txt", "the user's own file");
    REQUIRE(runTiny(out.path()).code == 0);
    CHECK_FALSE(exists(out.path() + "/.results.json.tmp-a1B2c3"));
    CHECK_FALSE(exists(dept + "/.T001_居家养老服务补助_绩效自评报告.pdf.tmp-Zz9Yy8"));
    CHECK_FALSE(exists(dept + "/jixiao-xlsx-q1w2e3"));
    CHECK(slurp(out.path() + "/备注.txt") == "the user's own file");
}

// Defect 16: a configuration error (78) still created the output folder and the store and
// left a run marked running.
TEST_CASE("a configuration error creates neither the output folder nor the store", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile out, db, emptyTemplates;
    emptyTemplates.createDirectories();
    SECTION("dataset.json") {
        write(ds.path() + "/dataset.json", "{\"年度\": 2024,");
        auto r = jixiao("run " + ds.path() + " -o " + out.path() + " --date 2025-03-05");
        CHECK(r.code == 78);
    }
    SECTION("templates") {
        auto r = jixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --templates " +
                        emptyTemplates.path());
        CHECK(r.code == 78);
        CHECK_FALSE(exists(db.path()));
    }
    SECTION("rules") {
        write(ds.path() + "/rules.json", "{}");
        auto r = jixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --rules " +
                        ds.path() + "/rules.json");
        CHECK(r.code == 78);
        CHECK_FALSE(exists(db.path()));
    }
    CHECK_FALSE(exists(out.path()));
}

// Defect 8: fail-open classification — a blank 是否涉密 cell, or the column under another
// header (密级), published the project with no warning.
TEST_CASE("a project whose classification is unknown is an error, and 密级 is read as 是否涉密", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,101,\n");
    auto blank = jixiao("check " + ds.path());
    INFO(blank.err);
    CHECK(blank.code == 65);
    CHECK((blank.out + blank.err).find("项目.csv[D2] 错误：第2行“是否涉密”为空。提示：涉密项目不会出现在公开材料中，请对每个项目填写“是”或“否”。\n") !=
          std::string::npos);
    Poco::TemporaryFile site;
    auto publish = jixiao("publish " + ds.path() + " --to " + site.path() + " --force --date 2025-09-01");
    CHECK(publish.code == 65);
    CHECK_FALSE(exists(site.path() + "/manifest.json"));

    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码,密级\nP001,培训项目,101,秘密\n");
    auto secret = jixiao("check " + ds.path());
    CHECK(secret.code == 0);
    CHECK((secret.out + secret.err).find("项目 1 个（其中涉密 1 个）") != std::string::npos);
}
