// Regressions of the red-team round (issue 11) that need the real binary: exit codes, what
// commands refuse, what a run leaves on disk.

#include "support.h"

#include <Poco/File.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <map>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

using namespace jixiao::testing;

namespace {

bool exists(const std::string& path) { return Poco::File(path).exists(); }

}  // namespace

// Defect 10: a mistyped --db silently created an empty store (and its folders).
TEST_CASE("read-only rectify commands refuse a missing store with 66 and create nothing", "[app]") {
    Poco::TemporaryFile dir;
    dir.createDirectories();
    const std::string db = dir.path() + "/typo/history.db";
    for (const std::string action : {"list", "overdue --date 2025-04-05"}) {
        auto r = runJixiao("rectify " + action + " --db " + db);
        CHECK(r.code == 66);
        CHECK(r.err == "错误：历史库 " + db + " 不存在。请检查 --db 的路径；历史库由 jixiao run 创建。\n");
        CHECK(r.out.empty());
    }
    auto record = runJixiao("rectify record --db " + db + " --letter 某财绩函〔2025〕1号 --date 2025-04-01 --summary 已整改");
    CHECK(record.code == 66);
    CHECK_FALSE(exists(dir.path() + "/typo"));
}

// Defect 13: exit codes against their documented meaning.
TEST_CASE("a busy store exits 75 (try later), a wrong rectify request 65, an impossible --date 64", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile out, dir;
    dir.createDirectories();
    const std::string db = dir.path() + "/history.db";
    auto first = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db + " --date 2025-03-05");
    REQUIRE(first.code == 0);

    // Another process holds the run lock.
    int fd = ::open((db + ".lock").c_str(), O_RDWR);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto busy = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db + " --date 2025-03-05");
    ::close(fd);
    CHECK(busy.code == 75);
    CHECK(busy.err.find("错误：已有另一个 jixiao 正在使用历史库 " + db + "（进程 ") == 0);

    auto unknown = runJixiao("rectify record --db " + db + " --letter 某财绩函〔2025〕9号 --date 2025-04-01 --summary 已整改");
    CHECK(unknown.code == 65);
    CHECK(unknown.err == "错误：历史库中没有文号为“某财绩函〔2025〕9号”的反馈函。\n");

    Poco::TemporaryFile out2;
    for (const std::string date : {"1969-12-31", "2100-01-01"}) {
        auto r = runJixiao("run " + ds.path() + " -o " + out2.path() + " --date " + date);
        CHECK(r.code == 64);
        CHECK(r.err.find("jixiao：--date 应为 2000-01-01 至 2099-12-31 之间的日期，实际为“" + date + "”。\n") == 0);
        CHECK_FALSE(exists(out2.path()));
    }
}

namespace {

const std::string kTiny = std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny";
const std::string kTinyDepartment = "101_青山县民政局";

Outcome runTiny(const std::string& out, const std::string& extra = "") {
    return runJixiao("run " + kTiny + " -o " + out + " --date 2025-03-05 " + extra);
}

}  // namespace

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
        auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --date 2025-03-05");
        CHECK(r.code == 78);
    }
    SECTION("templates") {
        // A user's folder replaces the bundled project-table with a broken one.
        write(emptyTemplates.path() + "/project-table/layout.json", "{ \"blocks\": [ ");
        auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --templates " +
                           emptyTemplates.path());
        CHECK(r.code == 78);
        CHECK_FALSE(exists(db.path()));
    }
    SECTION("rules") {
        write(ds.path() + "/rules.json", "{}");
        auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --rules " + ds.path() +
                           "/rules.json");
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
    auto blank = runJixiao("check " + ds.path());
    INFO(blank.err);
    CHECK(blank.code == 65);
    CHECK((blank.out + blank.err)
              .find("项目.csv[D2] 错误：第2行“是否涉密”为空。提示：涉密项目不会出现在公开材料中，请对每个项目填写“是”或“否”。\n") !=
          std::string::npos);
    Poco::TemporaryFile site;
    auto publish = runJixiao("publish " + ds.path() + " --to " + site.path() + " --force --date 2025-09-01");
    CHECK(publish.code == 65);
    CHECK_FALSE(exists(site.path() + "/manifest.json"));

    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码,密级\nP001,培训项目,101,秘密\n");
    auto secret = runJixiao("check " + ds.path());
    CHECK(secret.code == 0);
    CHECK((secret.out + secret.err).find("项目 1 个（其中涉密 1 个）") != std::string::npos);
}

namespace {

/// The XML parts of every workbook under `dir`, by "workbook!part".
std::map<std::string, std::string> workbookParts(const std::string& dir) {
    std::map<std::string, std::string> parts;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.path().extension() != ".xlsx") continue;
        std::ifstream in(e.path(), std::ios::binary);
        Poco::Zip::ZipArchive archive(in);
        for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
            Poco::Zip::ZipInputStream zin(in, it->second);
            std::string part;
            Poco::StreamCopier::copyToString(zin, part);
            parts[e.path().filename().string() + "!" + it->first] = part;
        }
    }
    return parts;
}

/// Whether an XML parser reads `xml` to its end.
bool wellFormed(const std::string& xml) {
    try {
        Poco::XML::SAXParser parser;
        Poco::XML::DefaultHandler handler;
        parser.setContentHandler(&handler);
        parser.parseString(xml);
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

// Defect 7: a U+FFFE (or a control character) in a name made every XLSX part that showed it
// not well-formed: LibreOffice showed the county summary workbook with no text at all.
TEST_CASE("characters XML cannot carry are removed at ingest with a warning and never written", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训\xEF\xBF\xBE项目\x01,101,否\n");
    write(ds.path() + "/dataset.json", R"({"年度": 2024, "发文机关": "测试县\u0002财政局\uffff", "公开日期": "2025-08-20"})");
    Poco::TemporaryFile out, site;
    auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --date 2025-03-05");
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.err.find("项目.csv[B2] 警告：第2行第B列的“培训〔U+FFFE〕项目〔U+0001〕”含有文件中不能保存的字符（U+FFFE、U+0001），"
                     "已删除。提示：这类不可见字符多由复制粘贴带入，请在原表中删除。\n") != std::string::npos);
    const auto parts = workbookParts(out.path());
    REQUIRE(parts.size() > 10);
    std::string text;
    for (const auto& [name, xml] : parts) {
        INFO(name);
        CHECK(wellFormed(xml));
        text += xml;
    }
    CHECK(text.find("培训项目") != std::string::npos);
    CHECK(text.find("测试县财政局") != std::string::npos);  // dataset.json's text: the writers drop them too

    auto published = runJixiao("publish " + ds.path() + " --to " + site.path() + " --date 2025-09-01");
    REQUIRE(published.code == 0);
    std::string html;
    for (const auto& e : std::filesystem::recursive_directory_iterator(site.path()))
        if (e.path().extension() == ".html") html += slurp(e.path().string());
    CHECK(html.find("培训项目") != std::string::npos);
    CHECK(html.find("\xEF\xBF\xBF") == std::string::npos);
    CHECK(html.find("\xEF\xBF\xBE") == std::string::npos);
    CHECK(html.find('\x01') == std::string::npos);
    CHECK(html.find('\x02') == std::string::npos);
    for (const auto& [name, xml] : workbookParts(site.path())) {
        INFO(name);
        CHECK(wellFormed(xml));
    }
}

// Defect 8: a projects file with no classification column published every project.
TEST_CASE("a projects table without a classification column is an error: nothing is published", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码\nP001,培训项目,101\n");
    const std::string expected =
        "项目.csv 错误：“项目”表没有“是否涉密”列，无法判断哪些项目涉密，不能公开任何项目。"
        "提示：请在 项目.csv 中增加“是否涉密”列（也可写作“密级”），对每个项目填写“是”或“否”。\n";
    auto check = runJixiao("check " + ds.path());
    CHECK(check.code == 65);
    CHECK(check.out == expected);
    Poco::TemporaryFile site;
    auto publish = runJixiao("publish " + ds.path() + " --to " + site.path() + " --force --date 2025-09-01");
    CHECK(publish.code == 65);
    CHECK(publish.err == expected + "错误：数据集有 1 条错误，未公开任何文件。请先用 jixiao check 检查并修正。\n");
    CHECK_FALSE(exists(site.path()));
}

// Defect 13: errors in dataset.json's values exited 65 (data) although README documents
// configuration errors as 78; a run went ahead with them.
TEST_CASE("errors in dataset.json are configuration errors (78): a run creates nothing", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/dataset.json", R"({"年度": "二〇二四", "发文机关": "测试县财政局"})");
    const std::string diag = "dataset.json[1] 错误：“年度”应为四位年份，实际为“二〇二四”。提示：例如 \"年度\": 2024\n";
    auto check = runJixiao("check " + ds.path());
    CHECK(check.code == 78);
    CHECK(check.out.find(diag) == 0);
    CHECK(check.err.find("其中 1 条在 dataset.json 中（配置错误），请先改正 dataset.json。\n") != std::string::npos);

    Poco::TemporaryFile out, db;
    auto run = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05");
    CHECK(run.code == 78);
    CHECK(run.err.find(diag + "错误：dataset.json 有 1 处错误（见上），未生成任何文件。请改正 dataset.json 后重新运行。\n") !=
          std::string::npos);
    CHECK_FALSE(exists(out.path()));
    CHECK_FALSE(exists(db.path()));

    Poco::TemporaryFile site;
    auto publish = runJixiao("publish " + ds.path() + " --to " + site.path() + " --force --date 2025-09-01");
    CHECK(publish.code == 78);
    CHECK(publish.err == diag + "错误：dataset.json 有 1 处错误，未公开任何文件。请先改正 dataset.json（jixiao check 会列出）。\n");
    CHECK_FALSE(exists(site.path()));
}

namespace {

/// Starts the real binary with `args`, TMPDIR set to `tmpdir`, stderr into `errPath`.
pid_t spawnJixiao(const std::vector<std::string>& args, const std::string& tmpdir, const std::string& errPath) {
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    ::setenv("TMPDIR", tmpdir.c_str(), 1);
    const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(JIXIAO_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(JIXIAO_BINARY, argv.data());
    ::_exit(127);
}

/// The regular files under `dir`, relative, or an empty list while it does not exist.
std::vector<std::string> filesUnder(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec)) out.push_back(std::filesystem::relative(it->path(), dir, ec).string());
    return out;
}

/// Waits (up to a minute) until `ready()` holds; false when `pid` ended first or time ran out.
bool waitUntil(pid_t pid, const std::function<bool()>& ready) {
    for (int i = 0; i < 6000; ++i) {
        if (ready()) return true;
        if (::waitpid(pid, nullptr, WNOHANG) == pid) return false;
        ::usleep(10000);
    }
    return false;
}

/// Stops `pid` with SIGTERM, reaps it, and checks that `started` (it had reached the moment
/// the test stops it at) and that the signal ended it.
void stopWithSigterm(pid_t pid, bool started) {
    ::kill(pid, SIGTERM);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(started);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGTERM);
}

const std::string kCounty = std::string(JIXIAO_SOURCE_DIR) + "/samples/county";

}  // namespace

// Defect 12: a run or publish stopped by SIGTERM (systemd, kill) or SIGINT (Ctrl-C) left
// temporary files behind. Now it stops at its next file: every file written is whole.
TEST_CASE("SIGTERM stops a run at a file boundary: whole files, no temporary files, no manifest", "[app]") {
    Poco::TemporaryFile out, tmp, errFile;
    tmp.createDirectories();
    const pid_t pid = spawnJixiao({"run", kCounty, "-o", out.path(), "--date", "2025-03-05", "--jobs", "1"}, tmp.path(), errFile.path());
    const bool started = waitUntil(pid, [&] {
        for (const auto& f : filesUnder(out.path()))
            if (f.size() > 4 && f.compare(f.size() - 4, 4, ".pdf") == 0) return true;
        return false;
    });
    stopWithSigterm(pid, started);
    CHECK(slurp(errFile.path())
              .find("收到终止信号（SIGTERM），已停止：已写出的文件都是完整的，临时文件已删除；"
                    "输出文件夹中没有 manifest.json，表示本次输出不完整，重新运行即可补齐。\n") != std::string::npos);
    CHECK_FALSE(exists(out.path() + "/manifest.json"));
    for (const auto& f : filesUnder(out.path())) {
        INFO(f);
        CHECK(f.find(".tmp-") == std::string::npos);
        CHECK(f.find("jixiao-xlsx-") == std::string::npos);
        const std::string bytes = slurp(out.path() + "/" + f);
        if (f.size() > 4 && f.compare(f.size() - 4, 4, ".pdf") == 0) CHECK(bytes.rfind("%%EOF") + 8 >= bytes.size());
        if (f.size() > 5 && f.compare(f.size() - 5, 5, ".xlsx") == 0) CHECK(bytes.rfind(std::string("PK\x05\x06", 4)) != std::string::npos);
    }
    for (const auto& f : filesUnder("/dev/shm")) CHECK(f.rfind("jixiao-xlsx-" + std::to_string(pid) + "-", 0) != 0);
    CHECK(filesUnder(tmp.path()).empty());
    CHECK(runTiny(out.path()).code == 0);  // the folder is free again
}

TEST_CASE("SIGTERM stops a publish before it touches the site — its staging folder is removed", "[app]") {
    Poco::TemporaryFile site, tmp, errFile;
    tmp.createDirectories();
    const pid_t pid = spawnJixiao({"publish", kCounty, "--to", site.path(), "--force", "--date", "2025-09-01"}, tmp.path(), errFile.path());
    const bool started = waitUntil(pid, [&] { return filesUnder(tmp.path()).size() > 3; });
    stopWithSigterm(pid, started);
    CHECK(slurp(errFile.path()).find("收到终止信号（SIGTERM），已停止：公开文件夹没有改动，临时文件已删除。重新运行即可公开。\n") !=
          std::string::npos);
    CHECK(filesUnder(site.path()).empty());
    std::vector<std::string> left;
    Poco::File(tmp.path()).list(left);
    CHECK(left.empty());
}

// Defect 13: a 发文机关 too long for the letter's 版头 stopped every letter late in the run
// (73, after other files were written). It is a setting: refused with 78 before anything is made.
TEST_CASE("an oversized 发文机关 is a configuration error (78): nothing is written", "[app]") {
    TinyDataset ds;
    std::string authority;
    for (int i = 0; i < 9; ++i) authority += "某某县人民政府";  // 63 characters
    write(ds.path() + "/dataset.json", "{\"年度\": 2024,\n \"发文机关\": \"" + authority + "\"}");
    const std::string diag =
        "dataset.json[2] 错误：“发文机关”有 63 个字（“某某县人民政府某某县人民…”），超过了 40 "
        "个字的上限：它印在反馈函的版头，只有一行。提示：请写机关的全称或规范简称，例如 \"发文机关\": "
        "\"某某县财政局\"。\n";
    auto check = runJixiao("check " + ds.path());
    CHECK(check.code == 78);
    CHECK(check.out.find(diag) == 0);

    Poco::TemporaryFile out, db;
    auto run = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --issue");
    CHECK(run.code == 78);
    CHECK(run.err == diag + "错误：dataset.json 有 1 处错误（见上），未生成任何文件。请改正 dataset.json 后重新运行。\n");
    CHECK_FALSE(exists(out.path()));
    CHECK_FALSE(exists(db.path()));

    // 40 characters is a long but possible name: the letters are made.
    write(ds.path() + "/dataset.json", "{\"年度\": 2024, \"发文机关\": \"" + authority.substr(0, 40 * 3) + "\"}");
    auto fits = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --issue");
    CHECK(fits.code == 0);
    CHECK(fits.err.find("错误") == std::string::npos);
}

// Defect 14: a font file that cannot be read is said in Chinese, with its path and the cause,
// before the run writes anything.
TEST_CASE("a font file that cannot be read stops the run before it writes anything (78)", "[app]") {
    const std::string fonts = std::string(JIXIAO_SOURCE_DIR) + "/fonts";
    Poco::TemporaryFile folder;
    folder.createDirectories();
    for (const char* f : {"fonts.json", "gbsn00lp.ttf", "gkai00mp.ttf", "LXGWWenKai-Regular.ttf", "LXGWWenKai-Bold.ttf"})
        std::filesystem::create_symlink(fonts + "/" + f, folder.path() + "/" + f);
    const std::string uming = folder.path() + "/uming.ttc";
    const std::string advice =
        "。请确认字体文件夹完整（重新安装 jixiao 软件包，或用 --fonts 指定字体文件夹），"
        "输出文件夹和临时文件夹所在的磁盘有空间；仍然出错时，请把这条信息发给技术支持。\n";
    std::string message;
    SECTION("missing") { message = "生成 PDF 出错：无法读取字体文件 " + uming + "（文件或文件夹不存在）" + advice; }
    SECTION("not a font") {
        write(uming, "not a font");
        message = "生成 PDF 出错：字体文件 " + uming + " 已损坏或不是 TrueType 字体（文件不完整，像是被截断了）" + advice;
    }
    TinyDataset ds;
    Poco::TemporaryFile out, db;
    auto run = runJixiao("run " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --fonts " + folder.path());
    CHECK(run.code == 78);
    CHECK(run.err == message);
    CHECK_FALSE(exists(out.path()));
    CHECK_FALSE(exists(db.path()));
}

// Defect 14: an OFD is written like every other file: one that cannot be written stops the run
// with 73 and a Chinese message naming the file and the cause; no manifest vouches for the folder.
TEST_CASE("an OFD that cannot be written stops the run with 73, naming the file and the cause", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile out;
    const std::string ofd = out.path() + "/101_测试局/P001_培训项目_项目支出绩效自评表.ofd";
    Poco::File(ofd).createDirectories();  // a folder where the OFD goes
    auto run = runJixiao("run " + ds.path() + " -o " + out.path() + " --date 2025-03-05 --formats pdf,ofd --jobs 1");
    CHECK(run.code == 73);
    const std::string message = "无法写出文件：无法将临时文件改名为 " + ofd + "（同名的是一个文件夹），原文件未改动。\n";
    CHECK(run.err.size() >= message.size());
    CHECK(run.err.substr(run.err.size() - std::min(run.err.size(), message.size())) == message);
    CHECK_FALSE(exists(out.path() + "/manifest.json"));
}
