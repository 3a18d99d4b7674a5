#include "app/cli.h"
#include "app/publish_command.h"
#include "publish/atomic_file.h"
#include "publish/output_tree.h"
#include "publish/sha256.h"
#include "publish/site.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

using namespace jixiao;
namespace fs = std::filesystem;

namespace {

using jixiao::testing::contains;
using jixiao::testing::slurp;
using jixiao::testing::write;

const std::string kSource = JIXIAO_SOURCE_DIR;

/// Every regular file under `dir`, relative, sorted.
std::vector<std::string> listFiles(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).generic_string());
    std::sort(out.begin(), out.end());
    return out;
}

struct Published {
    int code = -1;
    std::string out;
    std::string err;
};

/// Runs the publish command as the CLI would, with `today` pinned.
Published publishTo(const std::string& dataset, const std::string& dir, const std::string& today, bool force = false) {
    app::PublishRequest r;
    r.dataset = dataset;
    r.to = dir;
    r.templatesDir = kSource + "/templates";
    r.fontsDir = kSource + "/fonts";
    r.today = today;
    r.force = force;
    std::ostringstream out, err;
    Published p;
    p.code = app::runPublish(r, out, err);
    p.out = out.str();
    p.err = err.str();
    return p;
}

/// A copy of samples/tiny whose dataset.json and project list a test may change.
struct TinyCopy {
    Poco::TemporaryFile dir;
    TinyCopy() { fs::copy(kSource + "/samples/tiny", dir.path(), fs::copy_options::recursive); }
    std::string path() const { return dir.path(); }
    void replace(const std::string& file, const std::string& from, const std::string& to) const {
        std::string text = slurp(path() + "/" + file);
        auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        write(path() + "/" + file, text);
    }
};

}  // namespace

TEST_CASE("hrefFor percent-encodes everything but unreserved characters and slashes", "[publish]") {
    CHECK(publish::hrefFor("index.html") == "index.html");
    CHECK(publish::hrefFor("101_民政局/index.html") == "101_%E6%B0%91%E6%94%BF%E5%B1%80/index.html");
    CHECK(publish::hrefFor("a b#c?d%e&f\"g") == "a%20b%23c%3Fd%25e%26f%22g");
    CHECK(publish::hrefFor("A-z_0.9~/x") == "A-z_0.9~/x");
}

TEST_CASE("commitSite writes only what changed, removes what is gone and says when nothing changed", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string root = dir.path();
    std::string manifest1;
    {
        publish::SiteStaging staging;
        staging.add("a/one.pdf", "PDF-1", "项目支出绩效自评表");
        staging.add("a/index.html", "<p>a</p>", "网页");
        staging.add("b/two.pdf", "PDF-2", "项目支出绩效自评表");
        staging.add("index.html", "<p>index</p>", "网页");
        CHECK_THROWS_WITH(staging.add("index.html", "x", "网页"), "公开文件重名：index.html。");
        manifest1 = publish::siteManifestJson(staging.files(), 2024, "测试县财政局", "2025-08-20");
        auto first = publish::commitSite(staging, manifest1, root);
        CHECK(first.added == 4);
        CHECK(first.updated == 0);
        CHECK(first.removed == 0);
        CHECK(first.manifestWritten);
        CHECK_FALSE(first.nothingChanged());
        CHECK(slurp(root + "/a/one.pdf") == "PDF-1");
        CHECK(slurp(root + "/manifest.json") == manifest1);

        auto second = publish::commitSite(staging, manifest1, root);
        CHECK(second.nothingChanged());
        CHECK(second.unchanged == 4);
    }
    CHECK(contains(manifest1, "\"path\": \"a/index.html\",\n      \"bytes\": 8,\n      \"sha256\": \"" + publish::sha256Hex("<p>a</p>") +
                                  "\",\n      \"kind\": \"网页\"\n"));
    CHECK(manifest1.rfind("{\n  \"year\": 2024,\n  \"authority\": \"测试县财政局\",\n  \"publish_date\": \"2025-08-20\",\n", 0) == 0);

    // Files the staging does not hold are removed, whether a manifest listed them or not.
    write(root + "/b/readme.txt", "not ours");
    write(root + "/c/old.pdf", "stale");
    {
        publish::SiteStaging staging;
        staging.add("a/one.pdf", "PDF-1 changed", "项目支出绩效自评表");
        staging.add("a/index.html", "<p>a</p>", "网页");
        staging.add("index.html", "<p>index 2</p>", "网页");
        auto manifest2 = publish::siteManifestJson(staging.files(), 2024, "测试县财政局", "2025-08-20");
        auto third = publish::commitSite(staging, manifest2, root);
        CHECK(third.added == 0);
        CHECK(third.updated == 2);
        CHECK(third.removed == 3);  // b/two.pdf, and b/readme.txt and c/old.pdf that no manifest listed
        CHECK(third.unchanged == 1);
        CHECK_FALSE(fs::exists(root + "/b/two.pdf"));
        CHECK_FALSE(fs::exists(root + "/b"));
        CHECK_FALSE(fs::exists(root + "/c"));
        CHECK(slurp(root + "/manifest.json") == manifest2);
    }
}

TEST_CASE("commitSite removes emptied folders and never reaches outside through a hostile previous manifest", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string root = dir.path();
    write(root + "/x/y/gone.pdf", "old");
    write(root + "/keep.txt", "mine");
    Poco::TemporaryFile outside;
    write(outside.path(), "outside");
    const std::string rel = fs::relative(outside.path(), root).generic_string();
    write(root + "/manifest.json", "{\"files\": [{\"path\": \"x/y/gone.pdf\"}, {\"path\": \"" + rel +
                                       "\"}, {\"path\": \"/etc/hostname\"}, {\"path\": \"keep.txt/../keep.txt\"}, "
                                       "{\"path\": \"index.html\"}]}");
    publish::SiteStaging staging;
    staging.add("index.html", "i", "网页");
    auto r = publish::commitSite(staging, publish::siteManifestJson(staging.files(), 2024, "x", "2025-08-20"), root);
    CHECK(r.removed == 2);  // x/y/gone.pdf and keep.txt: the site holds what is published only
    CHECK_FALSE(fs::exists(root + "/x"));
    CHECK(fs::exists(outside.path()));
    CHECK_FALSE(fs::exists(root + "/keep.txt"));

    write(root + "/manifest.json", "not json");
    auto again = publish::commitSite(staging, "m", root);
    CHECK(again.manifestWritten);
}

TEST_CASE("the publish lock refuses a second holder until the first lets go", "[publish]") {
    Poco::TemporaryFile dir;
    {
        publish::PublishLock first(dir.path() + "/site");
        CHECK_THROWS_WITH(publish::PublishLock(dir.path() + "/site"),
                          "另一个 jixiao publish 正在向 " + dir.path() + "/site 公开，本次没有改动任何文件；请等它结束后再运行。");
    }
    CHECK_NOTHROW(publish::PublishLock(dir.path() + "/site"));
    // The lock is the folder's own: nothing is added to the public folder.
    CHECK(listFiles(dir.path() + "/site").empty());
}

TEST_CASE("publish builds the disclosure site of samples/tiny without the classified project", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string site = dir.path() + "/site";
    auto p = publishTo(kSource + "/samples/tiny", site, "2025-08-20");
    INFO(p.err);
    REQUIRE(p.code == 0);
    CHECK(p.out == "已公开到 " + site +
                       "：新增 12 个、更新 0 个、删除 0 个文件，0 个未变，已更新 manifest.json"
                       "（部门 1 个，公开项目 2 个，涉密项目 1 个不予公开）。\n");
    const std::string dept = "101_青山县民政局/";
    CHECK(listFiles(site) == std::vector<std::string>{
                                 dept + "101_青山县民政局_部门整体支出绩效自评表.pdf",
                                 dept + "101_青山县民政局_部门整体支出绩效自评表.xlsx",
                                 dept + "T001_居家养老服务补助_项目支出绩效自评表.html",
                                 dept + "T001_居家养老服务补助_项目支出绩效自评表.pdf",
                                 dept + "T001_居家养老服务补助_项目支出绩效自评表.xlsx",
                                 dept + "T002_特困人员供养服务设施改造_项目支出绩效自评表.html",
                                 dept + "T002_特困人员供养服务设施改造_项目支出绩效自评表.pdf",
                                 dept + "T002_特困人员供养服务设施改造_项目支出绩效自评表.xlsx",
                                 dept + "index.html",
                                 "filter.js",
                                 "index.html",
                                 "manifest.json",
                                 "projects.html",
                             });

    std::string index = slurp(site + "/index.html");
    CHECK(contains(index, "<h1>青山县财政局2024年度预算绩效自评结果公开</h1>"));
    CHECK(contains(index,
                   "<tr><td><a href=\"101_%E9%9D%92%E5%B1%B1%E5%8E%BF%E6%B0%91%E6%94%BF%E5%B1%80/index.html\">"
                   "青山县民政局</a></td><td class=\"r num\">2</td><td class=\"r num\">93.23</td>"
                   "<td>另有涉密项目1个，按规定不予公开</td></tr>"));
    CHECK(contains(index, "<footer>发布机关：青山县财政局　公开日期：2025年8月20日</footer>"));

    std::string page = slurp(site + "/" + dept + "index.html");
    CHECK(contains(page, "<nav><a href=\"../index.html\">公开目录</a></nav>"));
    CHECK(contains(page, "<p>另有涉密项目1个，按规定不予公开。</p>"));
    CHECK(contains(page, "<td class=\"c\"><a href=\"#table\">见下文</a></td>"));
    CHECK(contains(page, "<section id=\"table\">"));
    CHECK(contains(page, "<h2 class=\"c\">部门整体支出绩效自评表</h2>"));  // the form's title under the page's <h1>
    CHECK(contains(page, "T001_%E5%B1%85%E5%AE%B6"));
    // The department's totals would reveal T003's 50.00: withheld, while 基本支出 (315 + 62) stays.
    CHECK(contains(page,
                   "<td colspan=\"2\" class=\"l\">部门预算合计</td><td data-label=\"全年预算数\" class=\"c num\">—</td>"
                   "<td data-label=\"全年执行数\" class=\"c num\">—</td>"));
    CHECK(contains(page, "377.00"));
    CHECK_FALSE(contains(page, "900.00"));
    CHECK_FALSE(contains(page, "T003"));
    CHECK_FALSE(contains(page, "救助管理信息系统"));

    std::string project = slurp(site + "/" + dept + "T002_特困人员供养服务设施改造_项目支出绩效自评表.html");
    CHECK(contains(project,
                   "<nav><a href=\"../index.html\">公开目录</a> <a href=\"../projects.html\">全部项目</a> "
                   "<a href=\"index.html\">青山县民政局</a></nav>"));
    CHECK(contains(project, "<p class=\"downloads\">下载：<a href=\"T002_"));
    CHECK_FALSE(contains(project, "陈国庆"));  // 项目负责人

    // The project page states 索引号, 发布日期, 总分 and 等级 above its table (a phone scrolls the table).
    CHECK(contains(project, "<p class=\"meta\">索引号：2024-101-002　发布日期：2025年8月20日<br>总分：85.39　等级：良</p>"));

    // 全部公开项目: every public project with 索引号, 部门, 总分 and 等级; a filter that only its
    // own script (allowed by the CSP, no inline script) shows, the list complete without it.
    std::string all = slurp(site + "/projects.html");
    CHECK(contains(index, "<p><a href=\"projects.html\">全部公开项目（2 个，可按名称和等级查找）</a></p>"));
    CHECK(contains(all, "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'self'\""));
    CHECK(contains(all, "<script src=\"filter.js\" defer></script>"));
    CHECK(contains(all, "<p>共 2 个项目，发布日期：2025年8月20日。涉密项目按规定不予公开。</p>"));
    CHECK(contains(all, "<form id=\"filter\" class=\"filter\" hidden>"));
    CHECK(contains(all, "<select id=\"grade\"><option value=\"\">全部</option><option value=\"优\">优</option>"));
    CHECK(contains(all, "<tr data-grade=\"优\"><td class=\"num\">2024-101-001</td><td><a href=\"101_%E9%9D%92"));
    CHECK(
        contains(all, "\">T001 居家养老服务补助</a></td><td>青山县民政局</td><td class=\"r num\">99.50</td><td class=\"c\">优</td></tr>"));
    CHECK(contains(all, "<tr data-grade=\"良\"><td class=\"num\">2024-101-002</td>"));
    CHECK_FALSE(contains(all, "T003"));
    CHECK_FALSE(contains(all, "<script>"));
    CHECK(contains(slurp(site + "/filter.js"), "document.addEventListener('DOMContentLoaded'"));

    std::string manifest = slurp(site + "/manifest.json");
    CHECK(contains(manifest, "\"publish_date\": \"2025-08-20\""));
    CHECK_FALSE(contains(manifest, "sources"));
    CHECK_FALSE(contains(manifest, ".jixiao-publish.lock"));
}

TEST_CASE("publish twice: the second run changes nothing and says so", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string site = dir.path() + "/site";
    REQUIRE(publishTo(kSource + "/samples/tiny", site, "2025-08-20").code == 0);
    auto before = fs::last_write_time(site + "/index.html");
    std::string manifest = slurp(site + "/manifest.json");
    // A later day gives the same bytes: documents carry the 公开日期, not the day of the run.
    auto again = publishTo(kSource + "/samples/tiny", site, "2025-12-31");
    CHECK(again.code == 0);
    CHECK(again.out == "没有变化，未改动任何文件（" + site + "，共 13 个文件；部门 1 个，公开项目 2 个，涉密项目 1 个不予公开）。\n");
    CHECK(fs::last_write_time(site + "/index.html") == before);
    CHECK(slurp(site + "/manifest.json") == manifest);
}

TEST_CASE("publish updates and removes files when a project becomes classified", "[publish]") {
    TinyCopy data;
    Poco::TemporaryFile dir;
    const std::string site = dir.path() + "/site";
    REQUIRE(publishTo(data.path(), site, "2025-08-20").code == 0);
    data.replace("项目.csv", "一般公共预算,否,2024,改造社会福利中心", "一般公共预算,是,2024,改造社会福利中心");
    auto p = publishTo(data.path(), site, "2025-08-20");
    INFO(p.err);
    CHECK(p.code == 0);
    CHECK(p.out == "已公开到 " + site +
                       "：新增 0 个、更新 5 个、删除 3 个文件，4 个未变，已更新 manifest.json"
                       "（部门 1 个，公开项目 1 个，涉密项目 2 个不予公开）。\n");
    for (const auto& f : listFiles(site)) CHECK_FALSE(contains(f, "T002"));
    CHECK(contains(slurp(site + "/index.html"), "另有涉密项目2个，按规定不予公开"));
}

TEST_CASE("publish refuses before the 公开日期 unless forced", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string site = dir.path() + "/site";
    auto early = publishTo(kSource + "/samples/tiny", site, "2025-08-19");
    CHECK(early.code == app::kExitTempFail);
    CHECK(early.out.empty());
    CHECK(early.err ==
          "未到公开日期：本数据集的公开日期为2025年8月20日，今天是2025年8月19日，未公开任何文件。"
          "到期后再运行，或用 --force 提前公开。\n");
    CHECK_FALSE(fs::exists(site));

    auto forced = publishTo(kSource + "/samples/tiny", site, "2025-08-19", true);
    CHECK(forced.code == 0);
    CHECK(forced.err == "注意：公开日期为2025年8月20日，已按 --force 提前公开。\n");
    // The site says the day it was actually published, not the 公开日期 still to come.
    CHECK(contains(slurp(site + "/index.html"), "公开日期：2025年8月19日"));
    CHECK_FALSE(contains(slurp(site + "/index.html"), "2025年8月20日"));
}

TEST_CASE("publish refuses a dataset without 公开日期, with errors, or while another run holds the lock", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string site = dir.path() + "/site";

    TinyCopy noDate;
    noDate.replace("dataset.json", ",\n  \"公开日期\": \"2025-08-20\"", "");
    auto missing = publishTo(noDate.path(), site, "2025-09-01");
    CHECK(missing.code == 78);
    CHECK(missing.err ==
          "错误：dataset.json 没有填写“公开日期”，无法确定何时可以公开，未公开任何文件。"
          "请填写“公开日期”（例如 \"公开日期\": \"2025-08-20\"），或用 --force 立即公开。\n");
    CHECK_FALSE(fs::exists(site));

    // samples/broken's 公开日期 is not a date: a configuration error (78), before its data errors.
    auto broken = publishTo(kSource + "/samples/broken", site, "2030-01-01", true);
    CHECK(broken.code == 78);
    CHECK(contains(broken.err, "\n错误：dataset.json 有 1 处错误，未公开任何文件。请先改正 dataset.json（jixiao check 会列出）。\n"));
    CHECK_FALSE(fs::exists(site));

    publish::PublishLock held(site);
    auto locked = publishTo(kSource + "/samples/tiny", site, "2025-09-01");
    CHECK(locked.code == app::kExitTempFail);
    CHECK(locked.err == "错误：另一个 jixiao publish 正在向 " + site + " 公开，本次没有改动任何文件；请等它结束后再运行。\n");
    CHECK(listFiles(site).empty());
}

// Defect 3 of the red-team round: publish removed only files named in the previous
// manifest, so the files of a publish killed before its manifest stayed public for good,
// even once their project was marked 涉密. Defect 17: the same when the manifest was
// unreadable.
TEST_CASE("after a publish the site holds exactly the published files, whatever manifest was there", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string root = dir.path();
    // Left by a publish killed before its manifest, and by a damaged manifest.
    write(root + "/101_部门/P9_涉密项目_项目支出绩效自评表.pdf", "classified");
    write(root + "/101_部门/.P9.html.tmp-a1b2c3", "partial");
    for (const std::string previous : {"", "not json"}) {
        INFO("previous manifest: " << previous);
        if (!previous.empty()) write(root + "/manifest.json", previous);
        write(root + "/old/P8.html", "stale");
        publish::SiteStaging staging;
        staging.add("101_部门/index.html", "<p>101</p>", "网页");
        staging.add("index.html", "<p>index</p>", "网页");
        const std::string manifest = publish::siteManifestJson(staging.files(), 2024, "测试县财政局", "2025-08-20");
        publish::commitSite(staging, manifest, root);
        CHECK(listFiles(root) == std::vector<std::string>{"101_部门/index.html", "index.html", "manifest.json"});
        CHECK(slurp(root + "/manifest.json") == manifest);
    }
}

// Defect 11: an interrupted publish over an existing site left the old manifest listing
// files it had deleted or replaced.
TEST_CASE("a publish failing half-way leaves no manifest vouching for the site", "[publish]") {
    Poco::TemporaryFile dir;
    const std::string root = dir.path();
    {
        publish::SiteStaging staging;
        staging.add("a.pdf", "A1", "项目支出绩效自评表");
        staging.add("sub", "B1", "项目支出绩效自评表");
        publish::commitSite(staging, publish::siteManifestJson(staging.files(), 2024, "x", "2025-08-20"), root);
    }
    REQUIRE(fs::exists(root + "/manifest.json"));
    // sub/b.pdf cannot be written while the old file "sub" is still there: the publish stops
    // after replacing a.pdf.
    publish::SiteStaging staging;
    staging.add("a.pdf", "A2", "项目支出绩效自评表");
    staging.add("sub/b.pdf", "B2", "项目支出绩效自评表");
    CHECK_THROWS_AS(publish::commitSite(staging, publish::siteManifestJson(staging.files(), 2024, "x", "2025-08-21"), root),
                    publish::OutputError);
    CHECK(slurp(root + "/a.pdf") == "A2");
    CHECK_FALSE(fs::exists(root + "/manifest.json"));
}

// Defect 4: publish deleted files outside the site folder through symbolic links.
TEST_CASE("publish refuses a site folder holding symbolic links and changes nothing", "[publish]") {
    Poco::TemporaryFile dir, outside;
    const std::string root = dir.path();
    write(outside.path() + "/keep.txt", "not the site's");
    write(root + "/index.html", "old");
    write(root + "/manifest.json", "{\"files\": [{\"path\": \"assets/keep.txt\"}, {\"path\": \"index.html\"}]}");
    fs::create_directory_symlink(outside.path(), root + "/assets");
    publish::SiteStaging staging;
    staging.add("index.html", "new", "网页");
    CHECK_THROWS_WITH(publish::commitSite(staging, publish::siteManifestJson(staging.files(), 2024, "x", "2025-08-20"), root),
                      "公开文件夹中的 " + root +
                          "/assets 是符号链接，为免删除或写入公开文件夹之外的文件，本次没有改动任何文件。"
                          "请删除该链接后重新运行。");
    CHECK(slurp(outside.path() + "/keep.txt") == "not the site's");
    CHECK(slurp(root + "/index.html") == "old");
}
