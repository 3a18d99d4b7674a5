#pragma once

#include "publish/background_flush.h"
#include "publish/file_lock.h"
#include "publish/json_writer.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace jixiao::publish {

/// One file of a run's output, as the manifest lists it.
struct ManifestEntry {
    std::string path;  ///< relative to the output root, "/" separated
    std::size_t bytes = 0;
    std::string sha256;                ///< lowercase hex
    std::string kind;                  ///< e.g. 项目支出绩效自评表
    std::vector<std::string> sources;  ///< source rows, e.g. "项目.xlsx[项目清单!5]"
};

/// Another run writes into the same output folder (exit 75: try later).
class OutputBusyError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Removes from a shared temporary folder (/dev/shm, $TMPDIR) what jixiao processes of this
/// user that no longer run left there when they were killed: XLSX scratch files
/// `jixiao-xlsx-<pid>-XXXXXX` and publish staging folders `tmp<pid>xxxxxx-jixiao-publish`.
/// An entry goes only when it is this user's, named with a process id, and no process with
/// that id exists; symbolic links are neither followed nor removed. Never throws.
void sweepOrphans(const std::string& dir);

/// The output folder of a run. Every file is written atomically under a name made safe
/// from user data (a project named "a/../b" can never leave the folder), and remembered for
/// the manifest. Safe to use from several worker threads.
class OutputTree {
public:
    explicit OutputTree(std::string root);

    /// Prepares the folder for a run, before anything is written: creates it, takes its
    /// lock (FileLock `<root>/.jixiao-run.lock`, or OutputBusyError naming the holder),
    /// moves `manifest.json` durably aside to `.jixiao-previous-manifest.json` (kept there
    /// until a run completes, also through a killed run), so that a run failing or killed
    /// half-way never leaves a manifest vouching for files it replaced, and sweeps the
    /// temporary files of killed runs (`.<name>.tmp-XXXXXX`, `jixiao-xlsx-*`). From then on the
    /// files written go to disk in the background (BackgroundFlush). Throws OutputError.
    void begin(const std::string& startedAt);

    /// After a run that wrote every document it meant to: removes the files of the previous
    /// run's manifest that this run replaced by others, i.e. that it did not write again
    /// although it wrote files of their kind and extension (a 草稿 letter once the letter is
    /// issued, the table of a project no longer in the data). A file is removed only when it
    /// is still the regular file that manifest listed (same SHA-256: an edited copy is kept),
    /// inside the output folder, reached without a symbolic link; a folder left empty goes
    /// too. Then forgets the previous manifest. Returns the removed paths, sorted.
    std::vector<std::string> removeReplaced();

    /// Writes `bytes` to `<root>/<folder>/<stem><ext>`; `folder` and `stem` are made safe
    /// (folder may be empty). Returns the relative path. Throws OutputError, also when an
    /// earlier call of this tree used the same path (the earlier file is kept) and when the
    /// folder is a symbolic link (which could lead outside the output folder).
    std::string write(const std::string& folder, const std::string& stem, const std::string& ext, const std::string& bytes,
                      const std::string& kind, std::vector<std::string> sources = {});

    /// The same for a file too large to hold in memory (results.json): `fill` passes its bytes
    /// to the sink in order, and they are written and hashed as they come.
    std::string writeStreamed(const std::string& folder, const std::string& stem, const std::string& ext,
                              const std::function<void(const ByteSink&)>& fill, const std::string& kind,
                              std::vector<std::string> sources = {});

    /// Everything written so far, sorted by path.
    std::vector<ManifestEntry> entries() const;
    /// How many files were written so far.
    std::size_t fileCount() const;

    /// The manifest: every file with bytes, SHA-256, kind and source rows, sorted by path.
    std::string manifestJson() const;
    /// The same text passed to `sink` in parts, made one file at a time (a province's run lists
    /// 300,000 files).
    void writeManifestJson(const ByteSink& sink) const;
    /// Flushes every file written so far to disk (the rest of what begin's background flush
    /// has not written yet), then writes `<root>/manifest.json`, flushed too. Files are written
    /// without a flush each (one disk flush per file costs more than rendering it), so the
    /// manifest is what records a run's files as complete: written last, it never lists a
    /// file a power cut could have lost. Throws OutputError.
    void writeManifest() const;

    const std::string& root() const { return root_; }

private:
    /// Throws OutputError when `<root>/<folder>` is a symbolic link.
    void checkFolder(const std::string& folder);

    /// A file written, as the tree keeps it until the manifest (a province's run writes 190,000):
    /// its path and its source rows (each ended by a NUL) as views of text kept in blocks_, the
    /// digest's bytes, the kind as an index into kinds_ — 80 bytes and the text, no allocation
    /// of its own.
    struct Written {
        std::string_view path;
        std::string_view sources;
        std::size_t bytes = 0;
        std::array<unsigned char, 32> digest{};
        std::uint32_t kind = 0;
    };
    static ManifestEntry entryOf(const Written& w, const std::vector<std::string>& kinds);
    /// The files written so far in path order (under the lock).
    std::vector<const Written*> sorted() const;
    /// A copy of `text` that lives as long as the tree, packed into blocks that never move
    /// (under the lock).
    std::string_view keep(std::string_view text);

    std::string root_;
    mutable std::mutex mutex_;
    std::deque<Written> written_;  ///< grows without moving (or doubling) what it holds
    std::vector<std::unique_ptr<char[]>> blocks_;
    char* blockFree_ = nullptr;                   ///< where the next text kept goes, in blocks_.back()
    std::size_t blockLeft_ = 0;                   ///< bytes free from there
    std::vector<std::string> kinds_;              ///< the kinds of the files, in first-written order
    std::unordered_set<std::string_view> paths_;  ///< every path written or being written (views of blocks_)
    std::set<std::string> folders_;               ///< subfolders checked not to be symbolic links
    std::vector<ManifestEntry> previous_;         ///< the previous manifest's files (begin)
    FileLock lock_;
    std::unique_ptr<BackgroundFlush> flush_;  ///< from begin() on
};

}  // namespace jixiao::publish
