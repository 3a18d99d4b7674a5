#include "publish/atomic_file.h"
#include "publish/output_tree.h"
#include "publish/sha256.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace jixiao;

namespace {

using jixiao::testing::slurp;
using jixiao::testing::TempDir;

}  // namespace

TEST_CASE("an output tree writes files without a flush each and then its manifest", "[publish]") {
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    std::ofstream(dir.path / "old.txt") << "from an earlier run";
    CHECK(tree.write("部门", "abc", ".txt", "abcd", "测试") == "部门/abc.txt");
    CHECK(tree.write("a/../b", "..", ".txt", "x", "测试") == "a_.._b/_.txt");  // never leaves the folder
    CHECK(tree.write("", "old", ".txt", "new", "测试") == "old.txt");          // replaced whole
    CHECK(slurp(dir.path / "部门/abc.txt") == "abcd");
    CHECK(slurp(dir.path / "old.txt") == "new");
    tree.writeManifest();
    const std::string manifest = slurp(dir.path / "manifest.json");
    CHECK(manifest.find("\"部门/abc.txt\"") != std::string::npos);
    CHECK(manifest.find(publish::sha256Hex("abcd")) != std::string::npos);
    CHECK(publish::sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (const auto& entry : fs::recursive_directory_iterator(dir.path)) {
        CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);  // no temporaries left
    }
}

TEST_CASE("writing to disk reports the folder it could not flush", "[publish]") {
    TempDir dir;
    publish::writeFileAtomic((dir.path / "x.txt").string(), "later", publish::Durability::Later);
    CHECK(slurp(dir.path / "x.txt") == "later");
    CHECK_NOTHROW(publish::syncFileSystem(dir.path.string()));
    const std::string missing = (dir.path / "没有这个文件夹").string();
    try {
        publish::syncFileSystem(missing);
        FAIL("no error");
    } catch (const publish::OutputError& e) {
        CHECK(std::string(e.what()).find(missing) != std::string::npos);
    }
}

TEST_CASE("the manifest lists every file sorted by path with its digest, kind and source rows", "[publish]") {
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    tree.write("", "b", ".txt", "yz", "评分结果");
    tree.write("", "a", ".txt", "x", "项目支出绩效自评表", {"项目.xlsx[项目清单!5]", ""});
    tree.write("", "c", ".txt", "", "项目支出绩效自评表", {"指标.csv[7]"});
    const std::string expected =
        "{\n  \"files\": [\n"
        "    {\n      \"path\": \"a.txt\",\n      \"bytes\": 1,\n      \"sha256\": \"" +
        publish::sha256Hex("x") +
        "\",\n      \"kind\": \"项目支出绩效自评表\",\n"
        "      \"sources\": [\n        \"项目.xlsx[项目清单!5]\",\n        \"\"\n      ]\n    },\n"
        "    {\n      \"path\": \"b.txt\",\n      \"bytes\": 2,\n      \"sha256\": \"" +
        publish::sha256Hex("yz") +
        "\",\n      \"kind\": \"评分结果\",\n      \"sources\": []\n    },\n"
        "    {\n      \"path\": \"c.txt\",\n      \"bytes\": 0,\n      \"sha256\": \"" +
        publish::sha256Hex("") +
        "\",\n      \"kind\": \"项目支出绩效自评表\",\n"
        "      \"sources\": [\n        \"指标.csv[7]\"\n      ]\n    }\n  ]\n}\n";
    CHECK(tree.manifestJson() == expected);
    tree.writeManifest();
    CHECK(slurp(dir.path / "manifest.json") == expected);
    CHECK(tree.fileCount() == 3);
    const auto entries = tree.entries();
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].sources == std::vector<std::string>{"项目.xlsx[项目清单!5]", ""});
    CHECK(entries[1].kind == "评分结果");
    CHECK(entries[1].sources.empty());
    CHECK(entries[2].sha256 == publish::sha256Hex(""));
}

TEST_CASE("a file streamed part by part is written and listed like one written whole", "[publish]") {
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    auto fill = [](const publish::ByteSink& sink) {
        sink("ab");
        sink("");
        sink("cd");
    };
    CHECK(tree.writeStreamed("", "streamed", ".txt", fill, "测试") == "streamed.txt");
    CHECK(slurp(dir.path / "streamed.txt") == "abcd");
    const auto entries = tree.entries();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].bytes == 4);
    CHECK(entries[0].sha256 == publish::sha256Hex("abcd"));

    // A fill that fails leaves neither the file nor a temporary behind.
    auto failing = [](const publish::ByteSink& sink) {
        sink("ab");
        throw std::runtime_error("stop");
    };
    CHECK_THROWS_WITH(tree.writeStreamed("", "failed", ".txt", failing, "测试"), "stop");
    for (const auto& entry : fs::directory_iterator(dir.path)) CHECK(entry.path().filename() == "streamed.txt");
}

TEST_CASE("the manifest of thousands of files written from two threads lists each path and its source rows", "[publish]") {
    // Paths and source rows are kept in blocks of 64 KB: these fill several, a source row of
    // 100 KB takes a block of its own, and a project's three files share their rows.
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    const std::string longSource(100 * 1024, 'x');
    auto sourcesOf = [&](int project) {
        return project == 7
                   ? std::vector<std::string>{longSource, "b"}
                   : std::vector<std::string>{"项目.csv[" + std::to_string(project) + "]", "预算.csv[" + std::to_string(project) + "]"};
    };
    auto work = [&](int first) {
        for (int project = first; project < 1200; project += 2)
            for (const char* doc : {"自评表", "自评报告", "表格"})
                tree.write("部门" + std::to_string(project % 7), "P" + std::to_string(100000 + project) + "_" + doc, ".txt",
                           std::to_string(project), "测试", sourcesOf(project));
    };
    std::thread other(work, 1);
    work(0);
    other.join();
    const auto entries = tree.entries();
    REQUIRE(entries.size() == 3600);
    CHECK(tree.fileCount() == 3600);
    CHECK(std::is_sorted(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; }));
    int checked = 0;
    for (const auto& e : entries) {
        const int project = std::stoi(e.path.substr(e.path.find("/P") + 2, 6)) - 100000;
        CHECK(e.path.rfind("部门" + std::to_string(project % 7) + "/P" + std::to_string(100000 + project) + "_", 0) == 0);
        CHECK(e.sha256 == publish::sha256Hex(std::to_string(project)));
        if (e.sources != sourcesOf(project)) FAIL("sources of " << e.path);
        ++checked;
    }
    CHECK(checked == 3600);
    // A path written before is still refused.
    CHECK_THROWS_WITH(tree.write("部门0", "P100014_表格", ".txt", "again", "测试"),
                      "两个文件要写到同一路径 部门0/P100014_表格.txt，后一个未写出。请检查项目或单位的编码与名称是否重复。");
}

TEST_CASE("checksums are computed on many threads at once", "[publish]") {
    // Each engine used to set OpenSSL up and tear it down again when it was the last one
    // alive; batch runs of 2,000 projects at --jobs 3 crashed in that tear-down about one
    // time in three. This does not reproduce that race reliably: it checks that digests
    // made on many threads at once stay right.
    const std::string expected = publish::sha256Hex("abc");
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int k = 0; k < 2000; ++k) {
                if (publish::sha256Hex("abc") != expected) ++wrong;
            }
        });
    }
    for (std::thread& th : threads) th.join();
    CHECK(wrong == 0);
}

// Defect 1 of the red-team round: stems cut to 120 bytes without de-duplication made a long
// project's 自评表 and 自评报告 one file, and `A/B` overwrote `A_B` (exit 0, manifest listing a
// path twice).
TEST_CASE("two documents never share a path: cut names keep their end and differ, duplicates are refused", "[publish]") {
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    const std::string name = "2024年中央财政衔接推进乡村振兴补助资金（巩固拓展脱贫攻坚成果同乡村振兴有效衔接）项目";
    const std::string table = tree.write("部门", "P001_" + name + "_项目支出绩效自评表", ".pdf", "table", "项目支出绩效自评表");
    const std::string report = tree.write("部门", "P001_" + name + "_绩效自评报告", ".pdf", "report", "绩效自评报告");
    CHECK(table != report);
    CHECK(table.rfind("_项目支出绩效自评表.pdf") == table.size() - std::string("_项目支出绩效自评表.pdf").size());
    CHECK(report.rfind("_绩效自评报告.pdf") == report.size() - std::string("_绩效自评报告.pdf").size());
    CHECK(table.size() <= std::string("部门/").size() + 120 + 4);
    CHECK(slurp(dir.path / table) == "table");
    CHECK(slurp(dir.path / report) == "report");

    CHECK(tree.write("部门", "A_B_培训", ".pdf", "underscore", "自评表") == "部门/A_B_培训.pdf");
    CHECK_THROWS_WITH(tree.write("部门", "A/B_培训", ".pdf", "slash", "自评表"),
                      "两个文件要写到同一路径 部门/A_B_培训.pdf（名称中的特殊字符已替换为“_”），后一个未写出。"
                      "请检查项目或单位的编码与名称是否重复。");
    CHECK(slurp(dir.path / "部门/A_B_培训.pdf") == "underscore");
    std::vector<std::string> paths;
    for (const auto& e : tree.entries()) paths.push_back(e.path);
    std::vector<std::string> expected{table, report, "部门/A_B_培训.pdf"};
    std::sort(expected.begin(), expected.end());
    CHECK(paths == expected);
}

// Defect 15: bidi controls (U+202E) were kept in output file names.
TEST_CASE("file names lose bidi and other invisible format controls", "[publish]") {
    CHECK(publish::safeName("补助\xE2\x80\xAE"
                            "TXT.exe") == "补助_TXT.exe");
    CHECK(publish::safeName("a\xE2\x80\x8E"
                            "b\xE2\x80\x8F"
                            "c\xE2\x80\xAA"
                            "d\xE2\x81\xA6"
                            "e\xE2\x81\xA9"
                            "f\xD8\x9C"
                            "g\xEF\xBB\xBF"
                            "h") == "a_b_c_d_e_f_g_h");
    CHECK(publish::safeName("项目\xE2\x80\x8B"
                            "名称") == "项目_名称");
}

namespace {

/// The id of a process that has ended (a child that exited and was reaped).
pid_t endedPid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

}  // namespace

// Defect 12: /dev/shm/jixiao-xlsx-* and the publish staging folders in $TMPDIR of killed runs
// were never removed. Only ours, of a process that is gone, may go: the folders are shared.
TEST_CASE("temporary files of killed processes are swept from shared folders, nothing else", "[publish]") {
    TempDir dir;
    const std::string dead = std::to_string(endedPid());
    const std::string alive = std::to_string(::getpid());
    const fs::path elsewhere = dir.path / "elsewhere";
    fs::create_directories(elsewhere);
    std::ofstream(elsewhere / "keep.txt") << "not ours to delete";

    std::ofstream(dir.path / ("jixiao-xlsx-" + dead + "-a1B2c3")) << "scratch of a killed run";
    std::ofstream(dir.path / ("jixiao-xlsx-" + alive + "-a1B2c3")) << "scratch of a running one";
    std::ofstream(dir.path / "jixiao-xlsx-notes.txt") << "no process id";
    fs::create_directories(dir.path / ("tmp" + dead + "aaaaaa-jixiao-publish/s/101"));
    std::ofstream(dir.path / ("tmp" + dead + "aaaaaa-jixiao-publish/s/101/index.html")) << "staged";
    fs::create_directories(dir.path / ("tmp" + alive + "baaaaa-jixiao-publish"));
    fs::create_directory_symlink(elsewhere, dir.path / ("tmp" + dead + "caaaaa-jixiao-publish"));
    fs::create_directories(dir.path / ("tmp" + dead + "daaaaa"));  // not a staging folder

    publish::sweepOrphans(dir.path.string());

    std::vector<std::string> left;
    for (const auto& e : fs::directory_iterator(dir.path)) left.push_back(e.path().filename().string());
    std::sort(left.begin(), left.end());
    CHECK(left == std::vector<std::string>{"elsewhere", "jixiao-xlsx-" + alive + "-a1B2c3", "jixiao-xlsx-notes.txt",
                                           "tmp" + alive + "baaaaa-jixiao-publish", "tmp" + dead + "caaaaa-jixiao-publish",
                                           "tmp" + dead + "daaaaa"});
    CHECK(slurp(elsewhere / "keep.txt") == "not ours to delete");
}

TEST_CASE("a run removes the files of the previous run it replaced, nothing else", "[publish]") {
    TempDir dir, outside;
    const std::string root = dir.path.string();
    auto run = [&](const std::function<void(publish::OutputTree&)>& write) {
        publish::OutputTree tree(root);
        tree.begin("2025-03-05T09:00:00");
        write(tree);
        const std::vector<std::string> removed = tree.removeReplaced();
        tree.writeManifest();
        return removed;
    };
    CHECK(run([](publish::OutputTree& t) {
              t.write("208", "208002_反馈函（草稿）", ".pdf", "draft", "反馈函");
              t.write("208", "208002_反馈函（草稿）", ".docx", "draft docx", "反馈函");
              t.write("301", "301001_自评表", ".pdf", "table", "自评表");
              t.write("302", "302001_自评表", ".pdf", "gone", "自评表");
              t.write("302", "302001_自评表", ".xlsx", "kept", "自评表");
              t.write("303", "303001_自评表", ".pdf", "edited", "自评表");
              t.write("", "results", ".json", "{}", "评分结果");
          }) == std::vector<std::string>{});
    CHECK(fs::exists(dir.path / ".jixiao-previous-manifest.json") == false);
    std::ofstream(dir.path / "303/303001_自评表.pdf") << "edited by hand";  // changed since: kept
    std::ofstream(dir.path / "mine.txt") << "the user's own";               // never listed: kept
    // A run killed half-way keeps the previous manifest aside for the next one.
    {
        publish::OutputTree killed(root);
        killed.begin("2025-03-05T09:10:00");
        killed.write("208", "208002_反馈函", ".pdf", "half", "反馈函");
    }
    CHECK(fs::exists(dir.path / "manifest.json") == false);
    CHECK(fs::exists(dir.path / ".jixiao-previous-manifest.json"));
    // The letter issued (its 草稿 goes, PDF and DOCX alike), 302001 left the data (its PDF goes
    // with its emptied folder; the XLSX stays, no XLSX of its kind was made), 301 is now a link
    // leading out of the output folder (nothing is removed through it).
    fs::rename(dir.path / "301", outside.path / "301");
    fs::create_directory_symlink(outside.path / "301", dir.path / "301");
    const std::vector<std::string> removed = run([](publish::OutputTree& t) {
        t.write("208", "208002_反馈函", ".pdf", "issued", "反馈函");
        t.write("208", "208002_反馈函", ".docx", "issued docx", "反馈函");
        t.write("304", "304001_自评表", ".pdf", "new", "自评表");
        t.write("", "results", ".json", "{}", "评分结果");
    });
    CHECK(removed == std::vector<std::string>{"208/208002_反馈函（草稿）.docx", "208/208002_反馈函（草稿）.pdf", "302/302001_自评表.pdf"});
    CHECK_FALSE(fs::exists(dir.path / "208/208002_反馈函（草稿）.pdf"));
    CHECK(slurp(dir.path / "208/208002_反馈函.pdf") == "issued");
    CHECK(slurp(dir.path / "302/302001_自评表.xlsx") == "kept");
    CHECK(slurp(outside.path / "301/301001_自评表.pdf") == "table");
    CHECK(slurp(dir.path / "303/303001_自评表.pdf") == "edited by hand");
    CHECK(slurp(dir.path / "mine.txt") == "the user's own");
    CHECK_FALSE(fs::exists(dir.path / ".jixiao-previous-manifest.json"));
    // A manifest naming paths outside the folder removes nothing there.
    std::ofstream(outside.path / "victim.pdf") << "x";
    const std::string victim = (outside.path / "victim.pdf").string();
    std::ofstream(dir.path / "manifest.json") << "{\"files\":[{\"path\":\"../" + outside.path.filename().string() +
                                                     "/victim.pdf\",\"sha256\":\"" + publish::sha256Hex("x") +
                                                     "\",\"kind\":\"自评表\"},{\"path\":\"" + victim + "\",\"sha256\":\"" +
                                                     publish::sha256Hex("x") + "\",\"kind\":\"自评表\"}]}";
    CHECK(run([](publish::OutputTree& t) { t.write("304", "304001_自评表", ".pdf", "new", "自评表"); }) == std::vector<std::string>{});
    CHECK(slurp(victim) == "x");
}
