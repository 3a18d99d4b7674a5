#include "publish/site.h"

#include "model/date.h"
#include "model/file_read.h"
#include "model/text.h"
#include "publish/atomic_file.h"
#include "publish/file_lock.h"
#include "publish/interrupt.h"
#include "publish/json_writer.h"
#include "publish/output_tree.h"
#include "publish/sha256.h"
#include "render/html_writer.h"
#include "render/xlsx_writer.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace jixiao::publish {

using model::Decimal;

namespace {

constexpr const char* kManifest = "manifest.json";
constexpr const char* kPageKind = "网页";

/// The whole file, or nothing when it does not exist. Throws OutputError when it exists but
/// cannot be read.
std::optional<std::string> readIfExists(const std::string& path) {
    std::string out;
    const int err = model::readFile(path, out);
    if (err == ENOENT || err == ENOTDIR) return std::nullopt;
    if (err != 0) throw OutputError("无法读取 " + path + "（" + model::systemReason(err) + "）。");
    return out;
}

/// The files in the site folder (relative paths), except the manifest and the lock; its
/// emptied-out candidates for removal. Throws OutputError, before anything is changed, when
/// the folder holds a symbolic link: deleting or writing through it could reach files
/// outside the site.
void siteFiles(const std::string& dir, const std::string& rel, std::vector<std::string>& out) {
    const std::string path = rel.empty() ? dir : dir + "/" + rel;
    DIR* d = ::opendir(path.c_str());
    if (!d) {
        if (errno == ENOENT && rel.empty()) return;
        throw OutputError("无法读取公开文件夹 " + path + "（" + model::systemReason(errno) + "）。");
    }
    std::vector<std::string> entries;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") entries.push_back(name);
    }
    ::closedir(d);
    std::sort(entries.begin(), entries.end());
    for (const auto& name : entries) {
        const std::string child = rel.empty() ? name : rel + "/" + name;
        if (child == kManifest) continue;
        struct stat st {};
        if (::lstat((dir + "/" + child).c_str(), &st) != 0) continue;
        if (S_ISLNK(st.st_mode))
            throw OutputError("公开文件夹中的 " + dir + "/" + child +
                              " 是符号链接，为免删除或写入公开文件夹之外的文件，本次没有改动任何文件。请删除该链接后重新运行。");
        if (S_ISDIR(st.st_mode)) siteFiles(dir, child, out);
        else out.push_back(child);
    }
}

render::HtmlLink link(std::string text, const std::string& relativePath) { return {std::move(text), hrefFor(relativePath)}; }

/// A file stem unique within its folder: "_2", "_3" … on a clash (two templates' names may
/// reduce to the same safe name).
std::string uniqueStem(const std::string& wanted, std::set<std::string>& used) {
    std::string stem = safeName(wanted);
    for (int n = 2; !used.insert(stem).second; ++n) stem = safeName(wanted) + "_" + std::to_string(n);
    return stem;
}

/// One document on a department's page: its HTML view (or an anchor) and print files.
struct DocumentRow {
    std::string title, page, pdf, xlsx;
};

/// One public project on the all-projects page (政府信息公开目录).
struct ProjectEntry {
    std::string indexNumber;  ///< 索引号
    std::string name;         ///< code and name
    std::string department;
    std::string page;   ///< relative to the root
    std::string total;  ///< "—" when unscored
    std::string grade;  ///< "—" when unscored
};

/// The all-projects page's filter (a file of the site: the CSP allows no inline script).
/// Without it the page lists every project; with it a search box and a 等级 choice narrow
/// the list, and `?q=…&grade=…` in the address pre-fills them (a link can name a filter).
constexpr const char* kFilterScript = R"js('use strict';
document.addEventListener('DOMContentLoaded', function () {
  var form = document.getElementById('filter');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#projects tbody tr'));
  var q = document.getElementById('q');
  var grade = document.getElementById('grade');
  var count = document.getElementById('count');
  if (!form || !q || !grade || !count) return;
  var params = new URLSearchParams(window.location.search);
  q.value = params.get('q') || '';
  grade.value = params.get('grade') || '';
  function apply() {
    var text = q.value.trim();
    var shown = 0;
    rows.forEach(function (row) {
      var match = (!text || row.textContent.indexOf(text) >= 0) && (!grade.value || row.getAttribute('data-grade') === grade.value);
      row.hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = '显示 ' + shown + ' / ' + rows.length + ' 个项目';
  }
  q.addEventListener('input', apply);
  grade.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  form.hidden = false;
  apply();
});
)js";

/// One department's entry on the index page.
struct DepartmentEntry {
    std::string name;
    std::string page;  ///< relative to the root
    int projects = 0;
    int classified = 0;
    std::optional<Decimal> weightedTotal;
};

class SiteBuilder {
public:
    SiteBuilder(const SiteInput& in, SiteStaging& staging) : in_(in), staging_(staging) {
        footer_ = "发布机关：" + in.facts.authority + "　公开日期：" + model::chineseDate(in.facts.today);
    }

    SiteSummary build() {
        SiteSummary summary;
        std::vector<DepartmentEntry> entries;
        for (const auto& d : in_.view.evaluation.departments) {
            entries.push_back(department(d, summary));
            ++summary.departments;
            summary.classified += in_.view.excludedIn(d.code);
        }
        staging_.add("filter.js", kFilterScript, "脚本");
        staging_.add("projects.html", projectsPage(), kPageKind);
        staging_.add("index.html", indexPage(entries), kPageKind);
        return summary;
    }

private:
    /// Both print formats of a document, at `base` + ".pdf" and ".xlsx".
    void printFiles(const layout::Document& doc, const std::string& base, const std::string& kind) {
        staging_.add(base + ".pdf", render::renderPdf(doc, in_.pdf), kind);
        render::XlsxOptions xo;
        xo.tempDir = staging_.folder();
        xo.sheetName = kind;
        staging_.add(base + ".xlsx", render::renderXlsx(doc, xo), kind);
    }

    DepartmentEntry department(const score::DepartmentResult& d, SiteSummary& summary) {
        const auto& view = in_.view;
        const std::string folder = safeName(d.code + "_" + d.name);
        std::set<std::string> used{"index"};
        const int excluded = view.excludedIn(d.code);

        // The department's documents, projects first so that its page is staged after
        // everything it links to.
        std::vector<DocumentRow> rows;
        for (const auto& p : view.evaluation.projects) {
            if (p.departmentCode != d.code) continue;
            layout::Value ctx = layout::projectContext(p, view.dataset, in_.facts);
            layout::Document doc = in_.projectForm.layout->build(ctx, in_.created);
            const std::string stem = uniqueStem(in_.projectForm.fileStem(ctx), used);
            printFiles(doc, folder + "/" + stem, "项目支出绩效自评表");
            // 索引号: year, department and the project's place among the department's public
            // projects, e.g. 2024-208-003; stable as long as the list is.
            char seq[16];
            std::snprintf(seq, sizeof seq, "%03d", int(rows.size()) + 1);
            const std::string rounding = p.total ? p.total->toFixed(view.evaluation.rounding.total) : std::string("—");
            const ProjectEntry entry{std::to_string(in_.facts.year) + "-" + d.code + "-" + seq,
                                     p.code + " " + p.name,
                                     d.name.empty() ? d.code : d.name,
                                     folder + "/" + stem + ".html",
                                     rounding,
                                     p.grade.value_or("—")};
            render::HtmlOptions ho;
            ho.nav = {link("公开目录", "../index.html"), link("全部项目", "../projects.html"),
                      link(d.name.empty() ? d.code : d.name, "index.html")};
            ho.downloads = {link("PDF", stem + ".pdf"), link("XLSX", stem + ".xlsx")};
            // On a phone the table scrolls sideways: its result is stated above it.
            ho.lead = "索引号：" + entry.indexNumber + "　发布日期：" + model::chineseDate(in_.facts.today) + "\n总分：" + entry.total +
                      "　等级：" + entry.grade;
            ho.footer = footer_;
            staging_.add(folder + "/" + stem + ".html", render::renderHtml(doc, ho), kPageKind);
            rows.push_back({p.code + " " + p.name, stem + ".html", stem + ".pdf", stem + ".xlsx"});
            projects_.push_back(entry);
            ++summary.projects;
        }

        layout::Value ctx = layout::departmentContext(d, view.evaluation, view.dataset, in_.facts, true);
        // The classified projects are no longer in the public evaluation, so the context
        // cannot count them itself; the public view kept their number.
        layout::Value dept = *ctx.get("department");
        dept.set("classified_excluded", layout::Value(Decimal::fromInt(excluded)));
        dept.set("totals_withheld", layout::Value(view.totalsWithheld(d.code)));
        ctx.set("department", std::move(dept));
        layout::Document doc = in_.departmentForm.layout->build(ctx, in_.created);
        const std::string stem = uniqueStem(in_.departmentForm.fileStem(ctx), used);
        printFiles(doc, folder + "/" + stem, "部门整体支出绩效自评表");
        rows.insert(rows.begin(), DocumentRow{"部门整体支出绩效自评表", "#table", stem + ".pdf", stem + ".xlsx"});

        staging_.add(folder + "/index.html", departmentPage(d, rows, stem, doc), kPageKind);

        return {d.name.empty() ? d.code : d.name, folder + "/index.html", d.projects, excluded, d.budgetWeightedTotal};
    }

    /// The department's page: its documents with links, then its table inline.
    std::string departmentPage(const score::DepartmentResult& d, const std::vector<DocumentRow>& rows, const std::string& stem,
                               const layout::Document& doc) const {
        const int excluded = in_.view.excludedIn(d.code);
        std::string body = "<h1>" + render::escapeHtml(d.name.empty() ? d.code : d.name) + "</h1>\n<p>" + std::to_string(in_.facts.year) +
                           "年度预算绩效自评结果公开</p>\n<h2>公开文件</h2>\n";
        body +=
            "<div class=\"tw\"><table style=\"min-width:20em\">\n<colgroup><col style=\"width:60%\">"
            "<col style=\"width:18%\"><col style=\"width:22%\"></colgroup>\n<thead><tr><th scope=\"col\">文件</th>"
            "<th scope=\"col\">在线查看</th><th scope=\"col\">下载</th></tr></thead>\n<tbody>\n";
        for (const auto& r : rows)
            body += "<tr><td>" + render::escapeHtml(r.title) + "</td><td class=\"c\"><a href=\"" +
                    render::escapeHtml(r.page.front() == '#' ? r.page : hrefFor(r.page)) + "\">" +
                    (r.page.front() == '#' ? "见下文" : "查看") + "</a></td><td class=\"c\"><a href=\"" +
                    render::escapeHtml(hrefFor(r.pdf)) + "\">PDF</a> <a href=\"" + render::escapeHtml(hrefFor(r.xlsx)) +
                    "\">XLSX</a></td></tr>\n";
        body += "</tbody>\n</table></div>\n";
        if (excluded > 0) body += "<p>另有涉密项目" + std::to_string(excluded) + "个，按规定不予公开。</p>\n";
        body += "<section id=\"table\">\n<p class=\"downloads\">下载：<a href=\"" + render::escapeHtml(hrefFor(stem + ".pdf")) +
                "\">PDF</a> <a href=\"" + render::escapeHtml(hrefFor(stem + ".xlsx")) + "\">XLSX</a></p>\n" +
                render::renderHtmlArticle(doc, 1) + "</section>\n";

        render::HtmlPage page =
            sitePage((d.name.empty() ? d.code : d.name) + std::to_string(in_.facts.year) + "年度预算绩效自评结果公开", std::move(body));
        page.nav = {link("公开目录", "../index.html")};
        return render::renderHtmlPage(page);
    }

    /// 全部公开项目: every public project with 索引号, 部门, 总分, 等级 and 发布日期, and a filter.
    std::string projectsPage() const {
        const auto& facts = in_.facts;
        const std::string title = facts.authority + std::to_string(facts.year) + "年度项目支出绩效自评结果（全部公开项目）";
        const std::string date = model::chineseDate(facts.today);
        std::string body = "<h1>" + render::escapeHtml(title) + "</h1>\n<p>共 " + std::to_string(projects_.size()) + " 个项目，发布日期：" +
                           date + "。涉密项目按规定不予公开。</p>\n";
        body +=
            "<form id=\"filter\" class=\"filter\" hidden><label>查找 <input id=\"q\" type=\"search\" "
            "placeholder=\"项目名称、编码或部门\"></label> <label>等级 <select id=\"grade\"><option value=\"\">全部</option>";
        for (const auto& g : in_.view.evaluation.gradeNames)
            body += "<option value=\"" + render::escapeHtml(g) + "\">" + render::escapeHtml(g) + "</option>";
        body += "</select></label> <output id=\"count\"></output></form>\n";
        body +=
            "<div class=\"tw\"><table id=\"projects\">\n<colgroup><col style=\"width:22%\"><col style=\"width:38%\">"
            "<col style=\"width:20%\"><col style=\"width:10%\"><col style=\"width:10%\"></colgroup>\n<thead><tr>"
            "<th scope=\"col\">索引号</th><th scope=\"col\">项目</th><th scope=\"col\">部门</th>"
            "<th scope=\"col\">总分</th><th scope=\"col\">等级</th></tr></thead>\n<tbody>\n";
        for (const auto& e : projects_)
            body += "<tr data-grade=\"" + render::escapeHtml(e.grade) + "\"><td class=\"num\">" + render::escapeHtml(e.indexNumber) +
                    "</td><td><a href=\"" + render::escapeHtml(hrefFor(e.page)) + "\">" + render::escapeHtml(e.name) + "</a></td><td>" +
                    render::escapeHtml(e.department) + "</td><td class=\"r num\">" + e.total + "</td><td class=\"c\">" +
                    render::escapeHtml(e.grade) + "</td></tr>\n";
        body += "</tbody>\n</table></div>\n";
        render::HtmlPage page = sitePage(title, std::move(body));
        page.description = title;
        page.nav = {link("公开目录", "index.html")};
        page.scripts = {"filter.js"};
        return render::renderHtmlPage(page);
    }

    /// The site's entry: every department with its public project count, mean and note.
    std::string indexPage(const std::vector<DepartmentEntry>& entries) const {
        const auto& facts = in_.facts;
        const std::string title = facts.authority + std::to_string(facts.year) + "年度预算绩效自评结果公开";
        std::string body = "<h1>" + render::escapeHtml(title) + "</h1>\n<p>现公开" + std::to_string(facts.year) +
                           "年度各部门的部门整体支出绩效自评表和项目支出绩效自评表（PDF、XLSX 格式，可在线查看）。"
                           "涉密项目按规定不予公开。</p>\n<p><a href=\"projects.html\">全部公开项目（" +
                           std::to_string(projects_.size()) + " 个，可按名称和等级查找）</a></p>\n";
        body +=
            "<div class=\"tw\"><table style=\"min-width:24em\">\n<colgroup><col style=\"width:34%\">"
            "<col style=\"width:16%\"><col style=\"width:20%\"><col style=\"width:30%\"></colgroup>\n"
            "<thead><tr><th scope=\"col\">部门</th>"
            "<th scope=\"col\">公开项目数</th><th scope=\"col\">按预算加权平均得分</th><th scope=\"col\">说明</th>"
            "</tr></thead>\n<tbody>\n";
        for (const auto& e : entries) {
            body += "<tr><td><a href=\"" + render::escapeHtml(hrefFor(e.page)) + "\">" + render::escapeHtml(e.name) +
                    "</a></td><td class=\"r num\">" + std::to_string(e.projects) + "</td><td class=\"r num\">" +
                    (e.weightedTotal ? e.weightedTotal->toFixed(in_.view.evaluation.rounding.total) : std::string("—")) + "</td><td>" +
                    (e.classified > 0 ? "另有涉密项目" + std::to_string(e.classified) + "个，按规定不予公开" : std::string()) +
                    "</td></tr>\n";
        }
        body += "</tbody>\n</table></div>\n";
        render::HtmlPage page = sitePage(title, std::move(body));
        page.description = title;
        return render::renderHtmlPage(page);
    }

    /// A page of the site with `title` and `body`: the run's authority and date, the footer.
    render::HtmlPage sitePage(std::string title, std::string body) const {
        render::HtmlPage page;
        page.title = std::move(title);
        page.author = in_.facts.authority;
        page.date = in_.facts.today;
        page.bodyHtml = std::move(body);
        page.footer = footer_;
        return page;
    }

    const SiteInput& in_;
    SiteStaging& staging_;
    std::string footer_;
    std::vector<ProjectEntry> projects_;
};

}  // namespace

SiteStaging::SiteStaging() {
    sweepOrphans(Poco::Path::temp());  // the staging folders of killed publishes
    folder_ = Poco::TemporaryFile::tempName() + "-jixiao-publish";
    if (const int err = makeFolders(folder_)) throw OutputError("无法创建临时文件夹 " + folder_ + "（" + model::systemReason(err) + "）。");
    ::chmod(folder_.c_str(), 0700);
}

SiteStaging::~SiteStaging() {
    std::error_code ignored;  // a leftover temporary folder is harmless; a destructor must not throw
    std::filesystem::remove_all(folder_, ignored);
}

void SiteStaging::add(const std::string& path, const std::string& bytes, const std::string& kind) {
    throwIfStopRequested();
    if (std::any_of(files_.begin(), files_.end(), [&](const SiteFile& f) { return f.path == path; }))
        throw OutputError("公开文件重名：" + path + "。");
    const std::string target = folder_ + "/s/" + path;
    if (const int err = makeFolders(Poco::Path(target).parent().toString()))
        throw OutputError("无法创建临时文件夹 " + Poco::Path(target).parent().toString() + "（" + model::systemReason(err) + "）。");
    std::ofstream out(target, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw OutputError("无法写入临时文件 " + target + "（" + model::systemReason(errno) + "）。");
    files_.push_back({path, bytes.size(), sha256Hex(bytes), kind});
}

std::string SiteStaging::read(const SiteFile& file) const {
    auto bytes = readIfExists(folder_ + "/s/" + file.path);
    if (!bytes || bytes->size() != file.bytes) throw OutputError("临时文件 " + file.path + " 已丢失或被改动。");
    return *bytes;
}

std::string siteManifestJson(const std::vector<SiteFile>& files, int year, const std::string& authority, const std::string& publishDate) {
    std::vector<SiteFile> sorted = files;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    JsonNode list = JsonNode::array();
    for (const auto& f : sorted) {
        JsonNode n = JsonNode::object();
        n.set("path", JsonNode::string(f.path));
        n.set("bytes", JsonNode::integer(static_cast<long long>(f.bytes)));
        n.set("sha256", JsonNode::string(f.sha256));
        n.set("kind", JsonNode::string(f.kind));
        list.push(std::move(n));
    }
    JsonNode root = JsonNode::object();
    root.set("year", JsonNode::integer(year));
    root.set("authority", JsonNode::string(authority));
    root.set("publish_date", JsonNode::string(publishDate));
    root.set("files", std::move(list));
    return toJson(root);
}

CommitReport commitSite(const SiteStaging& staging, const std::string& manifestBytes, const std::string& dir) {
    CommitReport report;
    const std::string manifestPath = dir + "/" + kManifest;
    std::vector<std::string> present;
    siteFiles(dir, "", present);  // refuses symbolic links before anything changes
    const auto oldManifest = readIfExists(manifestPath);

    // Planned first, so that a publish with nothing to change writes nothing at all.
    std::set<std::string> published;
    std::vector<const SiteFile*> changed;
    for (const auto& f : staging.files()) {
        published.insert(f.path);
        const auto current = readIfExists(dir + "/" + f.path);
        if (current && current->size() == f.bytes && sha256Hex(*current) == f.sha256) {
            ++report.unchanged;
            continue;
        }
        changed.push_back(&f);
        ++(current ? report.updated : report.added);
    }
    // Whatever is not published goes, whether a manifest lists it or not: files of a publish
    // killed before its manifest, of a project marked 涉密 since, temporary files.
    std::vector<std::string> gone;
    for (const auto& path : present)
        if (published.count(path) == 0) gone.push_back(path);
    report.manifestWritten = !oldManifest || *oldManifest != manifestBytes;
    if (changed.empty() && gone.empty() && !report.manifestWritten) return report;

    // The old manifest goes first, durably: until the new one is written, no manifest vouches
    // for a site that is half old, half new.
    if (oldManifest) {
        if (::unlink(manifestPath.c_str()) != 0 && errno != ENOENT)
            throw OutputError("无法删除旧的 " + manifestPath + "（" + model::systemReason(errno) + "）。");
        syncFileSystem(dir);
    }
    for (const SiteFile* f : changed) writeFileAtomic(dir + "/" + f->path, staging.read(*f));
    for (const auto& path : gone) {
        const std::string target = dir + "/" + path;
        if (::unlink(target.c_str()) != 0) {
            if (errno == ENOENT) continue;
            throw OutputError("无法删除不再公开的文件 " + target + "（" + model::systemReason(errno) + "）。");
        }
        ++report.removed;
        // Folders emptied by the removal go too (a department no longer published); rmdir
        // refuses a folder that still holds anything, which is what we want.
        for (Poco::Path parent = Poco::Path(path).parent(); parent.depth() > 0; parent = parent.parent())
            if (::rmdir((dir + "/" + parent.toString(Poco::Path::PATH_UNIX)).c_str()) != 0) break;
    }
    writeFileAtomic(manifestPath, manifestBytes);
    return report;
}

PublishLock::PublishLock(const std::string& dir) {
    if (const int err = makeFolders(dir)) throw OutputError("无法创建公开文件夹 " + dir + "（" + model::systemReason(err) + "）。");
    bool taken = false;
    try {
        taken = FileLock::tryAcquireFolder(dir, lock_);
    } catch (const FileLockError& e) {
        throw OutputError("无法锁定公开文件夹 " + dir + "（" + e.what() + "）。");
    }
    if (!taken) throw PublishLockedError("另一个 jixiao publish 正在向 " + dir + " 公开，本次没有改动任何文件；请等它结束后再运行。");
}

std::string hrefFor(const std::string& relativePath) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : relativePath) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
            c == '/') {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

SiteSummary buildSite(const SiteInput& input, SiteStaging& staging) { return SiteBuilder(input, staging).build(); }

}  // namespace jixiao::publish
