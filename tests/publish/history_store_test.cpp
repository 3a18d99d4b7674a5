#include <catch2/catch.hpp>

#include "model/date.h"
#include "publish/letter_register.h"
#include "publish/run_store.h"
#include "publish/store_db.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/File.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace jixiao::publish;
using namespace Poco::Data::Keywords;

namespace {

/// A fresh folder under /tmp, removed with everything in it at the end of the test.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/jixiao-store-XXXXXX";
        char* made = ::mkdtemp(tmpl);
        REQUIRE(made != nullptr);
        path_ = made;
    }
    ~TempDir() {
        try {
            Poco::File(path_).remove(true);
        } catch (...) {
        }
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// A raw connection, for what the store's API deliberately cannot do (tamper with the schema).
Poco::Data::Session rawSession(const std::string& path) {
    Poco::Data::SQLite::Connector::registerConnector();
    return Poco::Data::Session(Poco::Data::SQLite::Connector::KEY, path, 1);
}

/// The store's file with both of its parts, as the app opens them.
struct Store {
    StoreDb db;
    RunStore run{db};
    LetterRegister letters{db};
    explicit Store(const std::string& path) : db(StoreDb::open(path)) {}
};

RunInfo runInfo(int year) { return {"samples/county", year, "某某县财政局", "2025-03-05T09:00:00+08:00", "national-2020"}; }

LetterRequest letterFor(const std::string& unit, int year = 2025, const std::string& issuedOn = "2025-03-05") {
    return {year, "某财绩函", unit, "2024/" + unit, issuedOn, jixiao::model::Date::parse(issuedOn)->plusDays(30)->iso(), std::nullopt};
}

ProjectYear project(const std::string& code, const std::string& adjusted, const std::string& executed) {
    return {code, "101", "1", "项目" + code, adjusted, executed, std::nullopt, std::nullopt, std::nullopt};
}

/// Saves `projects` as a run hands them over: one at a time, made as they are inserted.
void saveResults(RunStore& store, std::int64_t run, int year, const std::vector<ProjectYear>& projects) {
    store.saveResults(run, year, projects.size(), [&](std::size_t i) { return projects[i]; });
}

/// Runs `child` in a forked process and returns its exit status. The child must not touch
/// SQLite connections of the parent, so callers open none before forking.
template <class F>
int inChild(F&& child) {
    std::fflush(nullptr);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int code = 1;
        try {
            code = child();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child: %s\n", e.what());
        }
        std::_Exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("history store: a new store is created and migrated to the current schema", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("out/nested/history.db");
    {
        Store store(path);
        CHECK(store.db.schemaVersion() == StoreDb::kSchemaVersion);
        CHECK(store.db.path() == path);
        CHECK(store.run.runs().empty());
        CHECK(store.letters.issuedLetters(2025).empty());
    }
    CHECK(Poco::File(path).exists());
    auto again = StoreDb::open(path);
    CHECK(again.schemaVersion() == StoreDb::kSchemaVersion);
    auto raw = rawSession(path);
    int version = 0;
    std::string mode;
    raw << "PRAGMA user_version", into(version), now;
    raw << "PRAGMA journal_mode", into(mode), now;
    CHECK(version == StoreDb::kSchemaVersion);
    CHECK(mode == "wal");
}

TEST_CASE("history store: a store written by a newer jixiao is refused", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    { StoreDb::open(path); }
    {
        auto raw = rawSession(path);
        raw << "PRAGMA user_version = " + std::to_string(StoreDb::kSchemaVersion + 1), now;
    }
    const std::string expected = "历史库 " + path + " 由较新版本的 jixiao 写入（格式版本 " + std::to_string(StoreDb::kSchemaVersion + 1) +
                                 "，本程序最高支持 " + std::to_string(StoreDb::kSchemaVersion) +
                                 "）。为免损坏，不予打开；请升级 jixiao 后再运行。";
    CHECK_THROWS_WITH(StoreDb::open(path), expected);
    // Refusing must not have changed the file.
    auto raw = rawSession(path);
    int version = 0;
    raw << "PRAGMA user_version", into(version), now;
    CHECK(version == StoreDb::kSchemaVersion + 1);
}

TEST_CASE("history store: other files are refused, not written to", "[publish]") {
    TempDir dir;
    SECTION("another application's SQLite database") {
        const std::string path = dir.file("other.db");
        {
            auto raw = rawSession(path);
            raw << "CREATE TABLE customers (name TEXT)", now;
        }
        CHECK_THROWS_WITH(StoreDb::open(path), path + " 不是 jixiao 历史库（文件中已有其他数据）。请用 --db 指定另一个文件。");
    }
    SECTION("a file that is not a database") {
        const std::string path = dir.file("notes.db");
        std::ofstream(path) << std::string(4096, 'x');
        CHECK_THROWS_WITH(StoreDb::open(path), "无法打开历史库 " + path + "（文件已损坏或不是 jixiao 的历史库）。");
    }
    SECTION("an empty path") { CHECK_THROWS_WITH(StoreDb::open(""), "历史库路径不能为空。"); }
}

TEST_CASE("history store: runs are recorded and finished", "[publish]") {
    TempDir dir;
    Store store(dir.file("history.db"));
    auto first = store.run.beginRun(runInfo(2024));
    auto second = store.run.beginRun(runInfo(2024));
    CHECK(first == 1);
    CHECK(second == 2);
    store.run.finishRun(first, RunStatus::Completed, "2025-03-05T09:10:00+08:00");
    auto runs = store.run.runs();
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].id == 1);
    CHECK(runs[0].info.dataset == "samples/county");
    CHECK(runs[0].info.year == 2024);
    CHECK(runs[0].info.authority == "某某县财政局");
    CHECK(runs[0].info.startedAt == "2025-03-05T09:00:00+08:00");
    CHECK(runs[0].info.ruleSet == "national-2020");
    CHECK(runs[0].status == RunStatus::Completed);
    CHECK(runs[0].finishedAt == std::optional<std::string>("2025-03-05T09:10:00+08:00"));
    CHECK(runs[1].status == RunStatus::Running);
    CHECK_FALSE(runs[1].finishedAt);
    CHECK(runStatusLabel(RunStatus::Interrupted) == "已中断");

    CHECK_THROWS_WITH(store.run.finishRun(99, RunStatus::Failed, "x"), "历史库中没有编号为 99 的运行记录。");
    CHECK_THROWS_WITH(store.run.finishRun(first, RunStatus::Running, "x"), "结束运行时的状态不能是“进行中”。");
    CHECK_THROWS_WITH(store.run.beginRun(runInfo(24)), "年度 24 无效，应为四位年份。");
}

TEST_CASE("history store: a second run on the same store is refused", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    const std::string busy = "已有另一个 jixiao 正在使用历史库 " + path + "（进程 " + std::to_string(::getpid()) +
                             "，开始于 2025-03-05T09:00:00+08:00）。请等它结束后再运行。";

    SECTION("in the same process, through another descriptor") {
        Store store(path);
        auto lock = store.run.lockForRun("2025-03-05T09:00:00+08:00");
        CHECK(lock.held());
        CHECK_THROWS_AS(store.run.lockForRun("2025-03-05T09:30:00+08:00"), StoreBusyError);
        CHECK_THROWS_WITH(lockStore(path, "2025-03-05T09:30:00+08:00"), busy);
        lock.release();
        CHECK_FALSE(lock.held());
        auto next = lockStore(path, "2025-03-05T09:30:00+08:00");
        CHECK(next.held());
    }
    SECTION("from another process, and free again once released") {
        { StoreDb::open(path); }  // no connection may be open across fork
        auto lock = lockStore(path, "2025-03-05T09:00:00+08:00");
        int refused = inChild([&] {
            try {
                lockStore(path, "2025-03-05T09:30:00+08:00");
            } catch (const StoreBusyError& e) {
                if (e.what() == busy) return 0;
                std::fprintf(stderr, "child: unexpected message %s\n", e.what());
                return 2;
            }
            return 3;
        });
        CHECK(refused == 0);
        // Moving the lock keeps it held; destroying the moved-to object releases it.
        {
            FileLock moved = std::move(lock);
            CHECK_FALSE(lock.held());
            CHECK(moved.held());
        }
        int taken = inChild([&] { return lockStore(path, "2025-03-05T09:30:00+08:00").held() ? 0 : 4; });
        CHECK(taken == 0);
    }
    SECTION("a run left running by a dead process is marked interrupted by the next lock") {
        Store store(path);
        auto id = store.run.beginRun(runInfo(2024));  // never finished: the process "died"
        auto lock = store.run.lockForRun("2025-03-06T09:00:00+08:00");
        auto runs = store.run.runs();
        REQUIRE(runs.size() == 1);
        CHECK(runs[0].id == id);
        CHECK(runs[0].status == RunStatus::Interrupted);
    }
}

TEST_CASE("history store: letter numbers are assigned once, in order, per year", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    CHECK(formatLetterNumber("某财绩函", 2025, 12) == "某财绩函〔2025〕12号");
    {
        Store store(path);
        auto a = store.letters.issueLetter(letterFor("101"));
        auto b = store.letters.issueLetter(letterFor("102"));
        auto c = store.letters.issueLetter(letterFor("103"));
        CHECK(a.number.seq == 1);
        CHECK(a.number.year == 2025);
        CHECK(a.number.text == "某财绩函〔2025〕1号");
        CHECK(a.newlyIssued);
        CHECK(a.deadline == "2025-04-04");
        CHECK(b.number.text == "某财绩函〔2025〕2号");
        CHECK(c.number.text == "某财绩函〔2025〕3号");

        // Re-running the batch a week later: same number, original date and deadline.
        auto again = store.letters.issueLetter(letterFor("102", 2025, "2025-03-12"));
        CHECK(again.number.text == "某财绩函〔2025〕2号");
        CHECK(again.issuedOn == "2025-03-05");
        CHECK(again.deadline == "2025-04-04");
        CHECK_FALSE(again.newlyIssued);
    }
    Store store(path);
    CHECK(store.letters.issueLetter(letterFor("102")).number.seq == 2);
    CHECK(store.letters.issueLetter(letterFor("101")).number.seq == 1);
    auto d = store.letters.issueLetter(letterFor("104"));
    CHECK(d.number.text == "某财绩函〔2025〕4号");
    auto nextEvaluation = letterFor("101", 2026, "2026-03-02");
    nextEvaluation.evaluationKey = "2025/101";
    auto nextYear = store.letters.issueLetter(nextEvaluation);
    CHECK(nextYear.number.text == "某财绩函〔2026〕1号");
    CHECK(nextYear.newlyIssued);

    auto issued = store.letters.issuedLetters(2025);
    REQUIRE(issued.size() == 4);
    CHECK(issued[0].unitCode == "101");
    CHECK(issued[1].unitCode == "102");
    CHECK(issued[3].number.text == "某财绩函〔2025〕4号");
    CHECK(issued[3].evaluationKey == "2024/104");
    CHECK(issued[3].issuedOn == "2025-03-05");
    CHECK(store.letters.issuedLetters(2026).size() == 1);

    auto late = letterFor("105");
    late.deadline = "2025-03-01";
    CHECK_THROWS_WITH(store.letters.issueLetter(late), "整改期限 2025-03-01 早于发文日期 2025-03-05。");
    auto noPrefix = letterFor("105");
    noPrefix.prefix = "";
    CHECK_THROWS_WITH(store.letters.issueLetter(noPrefix), "发文字号前缀不能为空。");
    auto badDate = letterFor("105");
    badDate.issuedOn = "2025-3-5";
    CHECK_THROWS_WITH(store.letters.issueLetter(badDate), "发文日期“2025-3-5”无效，应为 YYYY-MM-DD 格式的日期，如 2025-03-05。");
    CHECK(store.letters.issuedLetters(2025).size() == 4);
}

TEST_CASE("history store: two processes issuing at once never share a number", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    { StoreDb::open(path); }
    constexpr int kEach = 20;
    auto issueMany = [&](const std::string& prefix) {
        return [&path, prefix] {
            Store store(path);
            for (int i = 0; i < kEach; ++i) store.letters.issueLetter(letterFor(prefix + std::to_string(i)));
            return 0;
        };
    };
    std::fflush(nullptr);
    pid_t first = ::fork();
    REQUIRE(first >= 0);
    if (first == 0) {
        int code = 1;
        try {
            code = issueMany("A")();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "child A: %s\n", e.what());
        }
        std::_Exit(code);
    }
    int second = inChild(issueMany("B"));
    int status = 0;
    REQUIRE(::waitpid(first, &status, 0) == first);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(second == 0);

    Store store(path);
    auto issued = store.letters.issuedLetters(2025);
    REQUIRE(issued.size() == 2 * kEach);
    for (std::size_t i = 0; i < issued.size(); ++i) CHECK(issued[i].number.seq == int(i) + 1);
}

TEST_CASE("history store: rectification from letter to 销号, and overdue items", "[publish]") {
    TempDir dir;
    Store store(dir.file("history.db"));
    store.letters.issueLetter(letterFor("101"));
    store.letters.issueLetter(letterFor("102"));
    const std::string report = dir.file("整改报告.pdf");
    std::ofstream(report, std::ios::binary) << "abc";

    auto open = store.letters.rectifications(2025, std::nullopt);
    REQUIRE(open.size() == 2);
    CHECK(open[0].status == RectificationStatus::Open);
    CHECK(open[0].letter.text == "某财绩函〔2025〕1号");
    CHECK(open[0].unitCode == "101");
    CHECK(open[0].issuedOn == "2025-03-05");
    CHECK(open[0].deadline == "2025-04-04");
    CHECK(open[0].reports.empty());
    CHECK(rectificationStatusLabel(open[0].status) == "待整改");

    CHECK(store.letters.overdue("2025-04-04").empty());  // the deadline day itself is in time
    CHECK(store.letters.overdue("2025-04-05").size() == 2);

    // The number as a user types it: half-width brackets, a space.
    auto reported = store.letters.recordReport(LetterRef::byNumber("某财绩函[2025] 1号"), "2025-03-20", "已收回违规资金", report);
    CHECK(reported.status == RectificationStatus::Reported);
    CHECK(rectificationStatusLabel(reported.status) == "已报送");
    REQUIRE(reported.reports.size() == 1);
    CHECK(reported.reports[0].date == "2025-03-20");
    CHECK(reported.reports[0].summary == "已收回违规资金");
    CHECK(reported.reports[0].file == std::optional<std::string>(report));
    CHECK(reported.reports[0].fileSha256 == std::optional<std::string>("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));

    // Reported items are the bureau's move, not overdue.
    auto overdue = store.letters.overdue("2025-04-05");
    REQUIRE(overdue.size() == 1);
    CHECK(overdue[0].unitCode == "102");

    CHECK_THROWS_WITH(store.letters.closeRectification(LetterRef::byNumber("某财绩函〔2025〕2号"), "2025-04-10", ""),
                      "反馈函 某财绩函〔2025〕2号 尚未报送整改情况，不能销号。请先登记整改报告（jixiao rectify record）。");
    CHECK_THROWS_WITH(store.letters.closeRectification(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-03-19", ""),
                      "销号日期 2025-03-19 早于最近一次整改报告日期 2025-03-20。");
    CHECK_THROWS_WITH(store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕2号"), "2025-03-01", "已整改", std::nullopt),
                      "整改报告日期 2025-03-01 早于反馈函 某财绩函〔2025〕2号 的发文日期 2025-03-05。");

    auto second = store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-03-28", "补充材料", std::nullopt);
    REQUIRE(second.reports.size() == 2);
    CHECK(second.reports[1].date == "2025-03-28");
    CHECK_FALSE(second.reports[1].file);

    auto closed = store.letters.closeRectification(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-04-02", "经核查已整改到位");
    CHECK(closed.status == RectificationStatus::Closed);
    CHECK(rectificationStatusLabel(closed.status) == "已销号");
    CHECK(closed.closedOn == std::optional<std::string>("2025-04-02"));
    CHECK(closed.closeNote == std::optional<std::string>("经核查已整改到位"));

    CHECK_THROWS_WITH(store.letters.closeRectification(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-04-03", ""),
                      "反馈函 某财绩函〔2025〕1号 的整改已于 2025-04-02 销号，不能重复销号。");
    CHECK_THROWS_WITH(store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-04-03", "再报", std::nullopt),
                      "反馈函 某财绩函〔2025〕1号 的整改已于 2025-04-02 销号，不能再报送整改情况。");
    CHECK_THROWS_WITH(store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕9号"), "2025-04-03", "x", std::nullopt),
                      "历史库中没有文号为“某财绩函〔2025〕9号”的反馈函。");
    CHECK_THROWS_WITH(store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕2号"), "2025-04-03", "  ", std::nullopt),
                      "整改情况摘要不能为空。");
    CHECK_THROWS_WITH(store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕2号"), "2025-04-03", "x", dir.file("无.pdf")),
                      "无法读取整改报告文件 " + dir.file("无.pdf") + "（文件或文件夹不存在）。");
    CHECK_THROWS_WITH(store.letters.overdue("明天"), "当天日期“明天”无效，应为 YYYY-MM-DD 格式的日期，如 2025-03-05。");

    CHECK(store.letters.rectifications(2025, RectificationStatus::Closed).size() == 1);
    CHECK(store.letters.rectifications(2025, RectificationStatus::Open).size() == 1);
    CHECK(store.letters.rectifications(2026, std::nullopt).empty());
    CHECK(store.letters.rectifications(std::nullopt, std::nullopt).size() == 2);
    // The failed requests above changed nothing.
    auto unit102 = store.letters.rectifications(2025, RectificationStatus::Open);
    CHECK(unit102[0].reports.empty());
}

TEST_CASE("history store: last year's 部门整体 figures come from the latest run", "[publish]") {
    TempDir dir;
    Store store(dir.file("history.db"));
    auto first = store.run.beginRun(runInfo(2024));
    store.run.saveFigures(first, 2024, "101", {{"预算数", "1000.50"}, {"执行数", "930"}});
    store.run.saveFigures(first, 2024, "102", {{"预算数", "80"}});
    CHECK(store.run.lastYearFigures("101", 2025) == std::map<std::string, std::string>{{"预算数", "1000.50"}, {"执行数", "930"}});

    // A later run of 2024 corrects 101: its whole set wins, never a mix with the first run's.
    auto second = store.run.beginRun(runInfo(2024));
    store.run.saveFigures(second, 2024, "101", {{"预算数", "1000.5"}, {"人员经费", "12.3"}});
    CHECK(store.run.lastYearFigures("101", 2025) == std::map<std::string, std::string>{{"预算数", "1000.5"}, {"人员经费", "12.3"}});
    // Saving again in the same run replaces that run's set.
    store.run.saveFigures(second, 2024, "101", {{"预算数", "1001"}});
    CHECK(store.run.lastYearFigures("101", 2025) == std::map<std::string, std::string>{{"预算数", "1001"}});
    CHECK(store.run.lastYearFigures("102", 2025) == std::map<std::string, std::string>{{"预算数", "80"}});
    CHECK(store.run.lastYearFigures("101", 2024).empty());
    CHECK(store.run.lastYearFigures("103", 2025).empty());

    CHECK_THROWS_WITH(store.run.saveFigures(second, 2024, "101", {{"预算数", "1,001"}}),
                      "单位 101 的“预算数”应为精确小数文本（如 37.24），实际为“1,001”。");
    CHECK_THROWS_WITH(store.run.saveFigures(42, 2024, "101", {{"预算数", "1"}}), "历史库中没有编号为 42 的运行记录。");
    CHECK(store.run.lastYearFigures("101", 2025) == std::map<std::string, std::string>{{"预算数", "1001"}});
}

TEST_CASE("history store: results keep exact decimals and the latest run per year", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        Store store(path);
        auto run = store.run.beginRun(runInfo(2024));
        ProjectYear full{"P001", "101", "1", "农村义务教育营养改善计划", "43.20", "37.24", "0.86203704", "89.995", "良"};
        ProjectYear big = project("P002", "123456789012345678901234567890.12345678901", "-0.00000001");
        saveResults(store.run, run, 2024, {full, big});
    }
    Store store(path);
    auto p1 = store.run.projectHistory("P001");
    REQUIRE(p1.size() == 1);
    CHECK(p1[0].year == 2024);
    CHECK(p1[0].runId == 1);
    CHECK(p1[0].result.projectCode == "P001");
    CHECK(p1[0].result.unitCode == "101");
    CHECK(p1[0].result.departmentCode == "1");
    CHECK(p1[0].result.name == "农村义务教育营养改善计划");
    CHECK(p1[0].result.adjusted == "43.20");
    CHECK(p1[0].result.executed == "37.24");
    CHECK(p1[0].result.rate == std::optional<std::string>("0.86203704"));
    CHECK(p1[0].result.total == std::optional<std::string>("89.995"));
    CHECK(p1[0].result.grade == std::optional<std::string>("良"));
    auto p2 = store.run.projectHistory("P002");
    REQUIRE(p2.size() == 1);
    CHECK(p2[0].result.adjusted == "123456789012345678901234567890.12345678901");
    CHECK(p2[0].result.executed == "-0.00000001");
    CHECK_FALSE(p2[0].result.rate);
    CHECK_FALSE(p2[0].result.total);
    CHECK_FALSE(p2[0].result.grade);

    auto rerun = store.run.beginRun(runInfo(2024));
    saveResults(store.run, rerun, 2024, {project("P001", "43.2", "40")});
    auto next = store.run.beginRun(runInfo(2025));
    saveResults(store.run, next, 2025, {project("P001", "50", "50")});
    auto history = store.run.projectHistory("P001");
    REQUIRE(history.size() == 2);
    CHECK(history[0].year == 2024);
    CHECK(history[0].runId == rerun);
    CHECK(history[0].result.executed == "40");
    CHECK(history[1].year == 2025);
    CHECK(history[1].result.executed == "50");
    CHECK(store.run.projectHistory("P404").empty());

    CHECK_THROWS_WITH(saveResults(store.run, next, 2025, {project("P003", "1e3", "0")}),
                      "项目 P003 的全年预算数应为精确小数文本（如 37.24），实际为“1e3”。");
    auto noRate = project("P003", "1", "0");
    noRate.rate = "86.2%";
    CHECK_THROWS_WITH(saveResults(store.run, next, 2025, {noRate}), "项目 P003 的执行率应为精确小数文本（如 37.24），实际为“86.2%”。");
    // A project refused after others were inserted: none of them is saved.
    CHECK_THROWS_WITH(saveResults(store.run, next, 2025, {project("P004", "1", "1"), noRate}),
                      "项目 P003 的执行率应为精确小数文本（如 37.24），实际为“86.2%”。");
    CHECK(store.run.projectHistory("P004").empty());
}

TEST_CASE("history store: a change interrupted midway leaves nothing behind", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    SECTION("an exception in the middle of saving results") {
        {
            Store store(path);
            auto run = store.run.beginRun(runInfo(2024));
            // P001 is inserted, then its duplicate fails: the whole batch must roll back.
            CHECK_THROWS_WITH(
                saveResults(store.run, run, 2024, {project("P001", "1", "1"), project("P002", "2", "2"), project("P001", "3", "3")}),
                "运行 1 已保存过项目 P001 的 2024 年度结果，不能重复保存。");
            CHECK_THROWS_WITH(saveResults(store.run, 7, 2024, {project("P009", "1", "1")}), "历史库中没有编号为 7 的运行记录。");
        }
        Store store(path);
        CHECK(store.run.projectHistory("P001").empty());
        CHECK(store.run.projectHistory("P002").empty());
        // And the store is usable afterwards.
        saveResults(store.run, 1, 2024, {project("P001", "1", "1")});
        CHECK(store.run.projectHistory("P001").size() == 1);
    }
    SECTION("a process killed inside a transaction") {
        int code = inChild([&] {
            Store store(path);
            store.run.beginRun(runInfo(2024));
            auto raw = rawSession(path);
            raw << "BEGIN IMMEDIATE", now;
            raw << "INSERT INTO letters (year, seq, text, unit_code, evaluation_key, issued_on)"
                   " VALUES (2025, 1, '某财绩函〔2025〕1号', '101', 'k', '2025-03-05')",
                now;
            std::fflush(nullptr);
            ::_exit(0);  // dies holding the write lock, before COMMIT
            return 5;
        });
        CHECK(code == 0);
        auto raw = rawSession(path);
        std::string integrity;
        raw << "PRAGMA integrity_check", into(integrity), now;
        CHECK(integrity == "ok");
        Store store(path);
        CHECK(store.run.runs().size() == 1);
        CHECK(store.letters.issuedLetters(2025).empty());
        auto letter = store.letters.issueLetter(letterFor("102"));
        CHECK(letter.number.seq == 1);
    }
}

// Defect 5 of the red-team round: letters were unique per (calendar year, unit), so a 2023
// evaluation run in 2025 printed the number and date of the 2024 evaluation's letter.
TEST_CASE("history store: one number per letter, ever, whatever year the evaluation is run in", "[publish]") {
    TempDir dir;
    Store store(dir.file("history.db"));
    auto on2024 = store.letters.issueLetter(letterFor("101", 2025, "2025-03-05"));  // evaluation 2024/101
    CHECK(on2024.number.text == "某财绩函〔2025〕1号");
    auto request2023 = letterFor("101", 2025, "2025-06-02");
    request2023.evaluationKey = "2023/101";
    auto on2023 = store.letters.issueLetter(request2023);
    CHECK(on2023.number.text == "某财绩函〔2025〕2号");
    CHECK(on2023.newlyIssued);
    CHECK(on2023.issuedOn == "2025-06-02");
    CHECK(on2023.evaluationKey == "2023/101");
    // The 2024 evaluation run again in 2026 prints the letter it already has.
    auto again = store.letters.issueLetter(letterFor("101", 2026, "2026-03-02"));
    CHECK(again.number.text == "某财绩函〔2025〕1号");
    CHECK(again.number.year == 2025);
    CHECK(again.issuedOn == "2025-03-05");
    CHECK_FALSE(again.newlyIssued);
    CHECK(store.letters.issuedLetters(2025).size() == 2);
    CHECK(store.letters.issuedLetters(2026).empty());
    CHECK(store.letters.rectifications(2025, RectificationStatus::Open).size() == 2);
}

// Defect 18: `rectify record --file /dev/zero` (or a FIFO) hung reading it.
TEST_CASE("history store: a rectification report file must be a regular file of bounded size", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    { Store(path).letters.issueLetter(letterFor("101")); }
    const std::string fifo = dir.file("pipe");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const std::string big = dir.file("big.pdf");
    {
        std::ofstream(big) << "x";
        REQUIRE(::truncate(big.c_str(), 256 * 1024 * 1024 + 1) == 0);  // sparse: no disk used
    }
    struct Case {
        std::string file, message;
    };
    const Case cases[] = {
        {"/dev/zero", "整改报告文件 /dev/zero 不是普通文件，请指定要登记的文档（如 PDF 扫描件）。"},
        {fifo, "整改报告文件 " + fifo + " 不是普通文件，请指定要登记的文档（如 PDF 扫描件）。"},
        {dir.file(""), "整改报告文件 " + dir.file("") + " 不是普通文件，请指定要登记的文档（如 PDF 扫描件）。"},
        {big, "整改报告文件 " + big + " 有 256.0 MB，超过 256 MB 的上限。请压缩后再登记。"},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        // In a child with an alarm: before the fix the read never ended.
        int code = inChild([&] {
            ::alarm(20);
            Store store(path);
            try {
                store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-03-20", "已整改", c.file);
            } catch (const StoreRequestError& e) {
                if (e.what() == c.message) return 0;
                std::fprintf(stderr, "child: unexpected message %s\n", e.what());
                return 2;
            }
            return 3;
        });
        CHECK(code == 0);
    }
    Store store(path);
    CHECK(store.letters.rectifications(2025, RectificationStatus::Open).size() == 1);
}

// Defect 10: a mistyped --db silently created an empty store (and its folders).
TEST_CASE("history store: opening an existing store only never creates one", "[publish]") {
    TempDir dir;
    const std::string missing = dir.file("typo/history.db");
    CHECK_THROWS_AS(StoreDb::open(missing, StoreDb::Open::ExistingOnly), StoreMissingError);
    CHECK_THROWS_WITH(StoreDb::open(missing, StoreDb::Open::ExistingOnly),
                      "历史库 " + missing + " 不存在。请检查 --db 的路径；历史库由 jixiao run 创建。");
    CHECK_FALSE(Poco::File(dir.file("typo")).exists());
    { StoreDb::open(dir.file("history.db")); }
    CHECK(StoreDb::open(dir.file("history.db"), StoreDb::Open::ExistingOnly).schemaVersion() == StoreDb::kSchemaVersion);
}

TEST_CASE("history store: a version 2 store gains the void columns and keeps its letters", "[publish]") {
    TempDir dir;
    const std::string path = dir.file("history.db");
    {
        Store store(path);
        store.letters.issueLetter(letterFor("101"));
        store.letters.issueLetter(letterFor("102"));
    }
    {
        // The letters table as schema 2 had it.
        auto raw = rawSession(path);
        raw << "CREATE TABLE letters_v2 (year INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT NOT NULL UNIQUE,"
               " unit_code TEXT NOT NULL, evaluation_key TEXT NOT NULL, issued_on TEXT NOT NULL,"
               " run_id INTEGER REFERENCES runs(id), PRIMARY KEY (year, seq))",
            now;
        raw << "INSERT INTO letters_v2 SELECT year, seq, text, unit_code, evaluation_key, issued_on, run_id FROM letters", now;
        raw << "DROP TABLE letters", now;
        raw << "ALTER TABLE letters_v2 RENAME TO letters", now;
        raw << "PRAGMA user_version = 2", now;
    }
    Store store(path);
    CHECK(store.db.schemaVersion() == 3);
    auto letters = store.letters.issuedLetters(std::nullopt);
    REQUIRE(letters.size() == 2);
    CHECK(letters[1].number.text == "某财绩函〔2025〕2号");
    CHECK_FALSE(letters[1].voided());
    auto voided = store.letters.voidLetter(LetterRef::byNumber("某财绩函〔2025〕2号"), "2025-03-06", "重复发文");
    CHECK(voided.voidedOn == std::optional<std::string>("2025-03-06"));
    CHECK(voided.voidReason == std::optional<std::string>("重复发文"));
    // The evaluation keeps its voided letter: issuing again gives no new number.
    auto again = store.letters.issueLetter(letterFor("102"));
    CHECK_FALSE(again.newlyIssued);
    CHECK(again.voided());
    auto next = store.letters.reissueLetter(LetterRef::byNumber("某财绩函〔2025〕2号"), "2026-01-04");
    CHECK(next.number.text == "某财绩函〔2026〕1号");
    CHECK(next.deadline == "2026-02-03");
    CHECK(next.replaces == std::optional<std::string>("某财绩函〔2025〕2号"));
    CHECK(store.letters.issueLetter(letterFor("102")).number.text == "某财绩函〔2026〕1号");
    CHECK(store.letters.overdue("2026-12-31").size() == 2);  // 1号 and 2026-1号, not the voided 2号
    CHECK_THROWS_WITH(store.letters.voidLetter(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-03-04", "x"),
                      "作废日期 2025-03-04 早于反馈函 某财绩函〔2025〕1号 的发文日期 2025-03-05。");
    store.letters.recordReport(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-03-20", "已整改", std::nullopt);
    store.letters.closeRectification(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-04-01", "到位");
    CHECK_THROWS_WITH(store.letters.voidLetter(LetterRef::byNumber("某财绩函〔2025〕1号"), "2025-04-02", "x"),
                      "反馈函 某财绩函〔2025〕1号 的整改已于 2025-04-01 销号，不能作废。");
}
