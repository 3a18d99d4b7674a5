// Regressions of the red-team round (issue 11) that need the real binary: exit codes, what
// commands refuse, what a run leaves on disk.

#include "app/cli_helpers.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

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
