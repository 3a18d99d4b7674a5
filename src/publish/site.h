#pragma once

#include "layout/context.h"
#include "layout/form_set.h"
#include "publish/file_lock.h"
#include "render/pdf_writer.h"
#include "score/public_view.h"

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::publish {

// The disclosure site (绩效信息公开, documents.md §5): every file is first rendered into a
// private staging folder; only when the whole site has been built is anything compared with
// and copied into the published folder, so a failure half-way leaves the site as it was.

/// One staged file, as the public manifest lists it. No source rows: their numbers would
/// show where classified rows sit in the input files.
struct SiteFile {
    std::string path;  ///< relative to the site root, "/" separated, made safe
    std::size_t bytes = 0;
    std::string sha256;  ///< lowercase hex
    std::string kind;    ///< e.g. 项目支出绩效自评表, 网页
};

/// The files of a site being built, kept in a private temporary folder (never the published
/// one) until commitSite copies them.
class SiteStaging {
public:
    /// Creates the private folder. Throws OutputError.
    SiteStaging();
    /// Removes the private folder and everything in it.
    ~SiteStaging();
    SiteStaging(const SiteStaging&) = delete;
    SiteStaging& operator=(const SiteStaging&) = delete;

    /// Stages `bytes` at `path` (relative, "/" separated, each segment already a safeName).
    /// Throws OutputError on a duplicate path or a write failure.
    void add(const std::string& path, const std::string& bytes, const std::string& kind);
    /// The staged files in the order they were added, which is the order they are published:
    /// a page is added after everything it links to.
    const std::vector<SiteFile>& files() const { return files_; }
    /// The bytes of a staged file.
    std::string read(const SiteFile& file) const;
    /// The private folder, also usable for a renderer's own temporary files.
    const std::string& folder() const { return folder_; }

private:
    std::string folder_;
    std::vector<SiteFile> files_;
};

/// The public manifest: what was published (year, authority, 公开日期) and every file with
/// size and SHA-256, sorted by path. It holds no time of the run, so an unchanged site gives
/// the same bytes on any day.
std::string siteManifestJson(const std::vector<SiteFile>& files, int year, const std::string& authority, const std::string& publishDate);

/// What commitSite did.
struct CommitReport {
    int added = 0;                 ///< files that did not exist
    int updated = 0;               ///< files whose bytes changed
    int removed = 0;               ///< files in the folder that are not published (any manifest or none)
    int unchanged = 0;             ///< files already identical
    bool manifestWritten = false;  ///< the manifest's bytes changed
    /// True when the published folder was not touched at all.
    bool nothingChanged() const { return added == 0 && updated == 0 && removed == 0 && !manifestWritten; }
};

/// Publishes the staged files to `dir`, which afterwards holds exactly them and the manifest:
/// each file whose bytes differ from the one on disk is written
/// atomically (temporary file + rename), in staging order; every other file in `dir` is
/// removed, listed by a previous manifest or not (files of an interrupted publish, of a
/// project classified since), and folders that this leaves empty. Before anything changes,
/// the old manifest is removed durably; the new one (`manifestBytes`) is written last. A
/// second run with the same input writes nothing. Throws OutputError, and changes nothing,
/// when `dir` holds a symbolic link.
CommitReport commitSite(const SiteStaging& staging, const std::string& manifestBytes, const std::string& dir);

/// The site's lock already held by another process.
class PublishLockedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// An exclusive advisory lock (flock) on the site folder `dir` itself, held for the lifetime
/// of the object, so that two scheduled runs never write the same site at once; no lock file
/// is added to the public folder. The kernel drops the lock when the process dies, so a
/// crashed run never blocks the next one.
class PublishLock {
public:
    /// Creates `dir` if needed and takes the lock without waiting. Throws PublishLockedError
    /// when another run holds it, OutputError when the folder cannot be opened.
    explicit PublishLock(const std::string& dir);

private:
    FileLock lock_;
};

/// A relative path as an href: every byte outside RFC 3986's unreserved set percent-encoded,
/// "/" kept, so Chinese file names work on any web server.
std::string hrefFor(const std::string& relativePath);

/// Everything the site is built from. The public view is the only data: the internal
/// evaluation never reaches a public renderer.
struct SiteInput {
    const score::PublicEvaluation& view;
    const layout::Form& departmentForm;  ///< the public department form (a layout.json document)
    const layout::Form& projectForm;     ///< the public project form (a layout.json document)
    const layout::RunFacts& facts;       ///< `today` = the 公开日期
    layout::FixedDate created;           ///< pinned document date (the 公开日期)
    const render::PdfOptions& pdf;
};

/// Counts of what buildSite staged.
struct SiteSummary {
    int departments = 0;
    int projects = 0;    ///< public projects with their own pages
    int classified = 0;  ///< classified projects left out, counted
};

/// Builds the whole site into `staging`: per department a folder with the 部门整体支出绩效自评表
/// and every public project's 项目支出绩效自评表 as PDF and XLSX, an HTML page per project table,
/// the department's page (its documents with links, its table inline), and the index of all
/// departments. Every page links back to the index. Throws RenderError, TemplateError,
/// LayoutError, OutputError.
SiteSummary buildSite(const SiteInput& input, SiteStaging& staging);

}  // namespace jixiao::publish
