#include "publish/output_tree.h"

#include "model/file_read.h"
#include "model/json.h"
#include "model/text.h"
#include "publish/atomic_file.h"
#include "publish/interrupt.h"
#include "publish/json_writer.h"
#include "publish/sha256.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <csignal>
#include <dirent.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace jixiao::publish {

namespace {

/// A temporary file of ours: AtomicFile's `.<name>.tmp-XXXXXX`, libxlsxwriter's scratch
/// files `jixiao-xlsx-<pid>-XXXXXX`.
bool isTemporary(const std::string& name) {
    if (name.rfind("jixiao-xlsx-", 0) == 0) return true;
    const std::size_t tmp = name.rfind(".tmp-");
    return name.size() > 1 && name[0] == '.' && tmp != std::string::npos && name.size() - tmp == 11;
}

/// Removes our temporary files left in `dir` and its subfolders (to `depth` levels) by
/// killed runs. Symbolic links are neither followed nor removed.
void sweepTemporaries(const std::string& dir, int depth) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> folders;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        const std::string path = dir + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        if (S_ISREG(st.st_mode) && isTemporary(name)) ::unlink(path.c_str());
        else if (S_ISDIR(st.st_mode) && depth > 1) folders.push_back(path);
    }
    ::closedir(d);
    for (const auto& f : folders) sweepTemporaries(f, depth - 1);
}

/// The process id in `name` after `prefix` (digits up to the first other character, which
/// must be `next`), or 0.
pid_t pidAfter(const std::string& name, const std::string& prefix, char next) {
    if (name.rfind(prefix, 0) != 0) return 0;
    std::size_t end = prefix.size();
    while (end < name.size() && end - prefix.size() < 9 && name[end] >= '0' && name[end] <= '9') ++end;
    if (end == prefix.size() || end >= name.size() || (next != 0 && name[end] != next)) return 0;
    return pid_t(std::stol(name.substr(prefix.size(), end - prefix.size())));
}

/// The process that named a temporary entry: `jixiao-xlsx-<pid>-XXXXXX` (render's scratch
/// file) or `tmp<pid>xxxxxx-jixiao-publish` (Poco's temporary name, the publish staging).
pid_t ownerPid(const std::string& name, bool& folder) {
    const std::string staging = "-jixiao-publish";
    folder = name.size() > staging.size() && name.compare(name.size() - staging.size(), staging.size(), staging) == 0;
    if (folder) return pidAfter(name, "tmp", 0);
    return pidAfter(name, "jixiao-xlsx-", '-');
}

/// Where begin() keeps the previous run's manifest until a run completes.
const char* const kPreviousManifest = ".jixiao-previous-manifest.json";

/// The files a manifest lists (path, SHA-256, kind); nothing when it is missing or unreadable.
std::vector<ManifestEntry> manifestFiles(const std::string& path) {
    std::string text;
    if (model::readFile(path, text) != 0) return {};
    std::vector<ManifestEntry> out;
    try {
        const model::JsonValue root = model::parseJson(text);
        const model::JsonValue* files = root.find("files");
        if (!files || files->kind != model::JsonValue::Kind::Array) return {};
        for (const model::JsonValue& f : files->items) {
            const model::JsonValue* p = f.find("path");
            const model::JsonValue* sha = f.find("sha256");
            const model::JsonValue* kind = f.find("kind");
            if (!p || !sha || !kind || p->kind != model::JsonValue::Kind::String) continue;
            out.push_back(ManifestEntry{p->text, 0, sha->text, kind->text, {}});
        }
    } catch (const model::JsonSyntaxError&) {
        return {};
    }
    return out;
}

/// ".pdf" of "a/b.pdf"; empty without an extension.
std::string extensionOf(std::string_view path) {
    const std::size_t dot = path.rfind('.');
    const std::size_t slash = path.rfind('/');
    return dot == std::string::npos || (slash != std::string::npos && dot < slash) ? std::string() : std::string(path.substr(dot));
}

/// Whether relative `path` names a regular file inside `root` reached through real folders
/// only: no absolute path, no "." or ".." or empty segment, no symbolic link on the way.
bool insideWithoutLinks(const std::string& root, const std::string& path) {
    if (path.empty() || path.front() == '/') return false;
    std::string at = root;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        const std::string segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        at += "/" + segment;
        struct stat st {};
        if (::lstat(at.c_str(), &st) != 0) return false;
        if (slash == std::string::npos) return S_ISREG(st.st_mode);
        if (!S_ISDIR(st.st_mode)) return false;
        start = slash + 1;
    }
}

bool processGone(pid_t pid) { return pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

OutputTree::OutputTree(std::string root) : root_(std::move(root)) {}

void sweepOrphans(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
    ::closedir(d);
    for (const auto& name : names) {
        bool folder = false;
        if (!processGone(ownerPid(name, folder))) continue;
        const std::string path = dir + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || st.st_uid != ::getuid()) continue;
        std::error_code ignored;
        if (folder && S_ISDIR(st.st_mode)) std::filesystem::remove_all(path, ignored);  // does not follow symbolic links
        else if (!folder && S_ISREG(st.st_mode)) ::unlink(path.c_str());
    }
}

void OutputTree::begin(const std::string& startedAt) {
    if (const int err = makeFolders(root_)) throw OutputError("无法创建输出文件夹 " + root_ + "（" + model::systemReason(err) + "）。");
    const std::string lockPath = root_ + "/.jixiao-run.lock";
    LockHolder holder;
    try {
        if (!FileLock::tryAcquire(lockPath, startedAt, lock_, holder))
            throw OutputBusyError("另一个 jixiao run 正在向 " + root_ + " 输出（进程 " + holder.pid + "，开始于 " + holder.since +
                                  "）。请等它结束后再运行。");
    } catch (const FileLockError& e) {
        throw OutputError("无法锁定输出文件夹的锁文件 " + lockPath + "（" + e.what() + "）。");
    }
    const std::string manifest = root_ + "/manifest.json";
    const std::string previous = root_ + "/" + kPreviousManifest;
    // A manifest goes aside; without one (the last run was killed) the one set aside before stays.
    if (::rename(manifest.c_str(), previous.c_str()) != 0 && errno != ENOENT)
        throw OutputError("无法删除旧的 " + manifest + "（" + model::systemReason(errno) +
                          "）。为免它为本次未完成的输出作证，已停止运行。");
    syncFileSystem(root_);  // the removal is on disk before any file is replaced
    previous_ = manifestFiles(previous);
    sweepTemporaries(root_, 2);
    flush_ = std::make_unique<BackgroundFlush>(root_);
}

std::vector<std::string> OutputTree::removeReplaced() {
    std::vector<std::string> removed;
    if (previous_.empty()) {
        ::unlink((root_ + "/" + kPreviousManifest).c_str());
        return removed;
    }
    std::set<std::pair<std::string, std::string>> kinds;  // (kind, extension) written this run
    std::unordered_set<std::string_view> written;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const Written& w : written_) {
            kinds.insert({kinds_[w.kind], extensionOf(w.path)});
            written.insert(w.path);
        }
    }
    std::set<std::string> folders;
    for (const ManifestEntry& e : previous_) {
        if (written.count(e.path) || !kinds.count({e.kind, extensionOf(e.path)}) || !insideWithoutLinks(root_, e.path)) continue;
        const std::string path = root_ + "/" + e.path;
        Sha256 sha;
        if (model::readInParts(path, [&sha](std::string_view part) { sha.update(part); }) != 0 || sha.hex() != e.sha256) continue;
        if (::unlink(path.c_str()) != 0) continue;
        removed.push_back(e.path);
        const std::size_t slash = e.path.rfind('/');
        if (slash != std::string::npos) folders.insert(e.path.substr(0, slash));
    }
    // Deepest first; rmdir removes only an empty folder and never follows a link.
    for (auto it = folders.rbegin(); it != folders.rend(); ++it) ::rmdir((root_ + "/" + *it).c_str());
    previous_.clear();
    ::unlink((root_ + "/" + kPreviousManifest).c_str());
    std::sort(removed.begin(), removed.end());
    return removed;
}

void OutputTree::checkFolder(const std::string& folder) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (folders_.count(folder)) return;
    }
    const std::string path = root_ + "/" + folder;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
        throw OutputError("输出文件夹中的 " + path + " 是符号链接，为免写到输出文件夹之外，未写入其中。请删除该链接后重新运行。");
    std::lock_guard<std::mutex> lock(mutex_);
    folders_.insert(folder);
}

std::string OutputTree::write(const std::string& folder, const std::string& stem, const std::string& ext, const std::string& bytes,
                              const std::string& kind, std::vector<std::string> sources) {
    return writeStreamed(
        folder, stem, ext, [&bytes](const ByteSink& sink) { sink(bytes); }, kind, std::move(sources));
}

std::string OutputTree::writeStreamed(const std::string& folder, const std::string& stem, const std::string& ext,
                                      const std::function<void(const ByteSink&)>& fill, const std::string& kind,
                                      std::vector<std::string> sources) {
    throwIfStopRequested();  // a safe point: the files written so far are whole
    std::string rel = folder.empty() ? std::string() : safeName(folder) + "/";
    rel += safeName(stem) + ext;
    std::string_view path;
    {
        // Reserved before writing: a second document on the same path is refused, whichever
        // thread comes first, and never replaces the first one's file.
        std::lock_guard<std::mutex> lock(mutex_);
        if (paths_.count(rel)) {
            const bool changed = (folder.empty() ? std::string() : folder + "/") + stem + ext != rel;
            throw OutputError("两个文件要写到同一路径 " + rel + (changed ? "（名称中的特殊字符已替换为“_”）" : "") +
                              "，后一个未写出。请检查项目或单位的编码与名称是否重复。");
        }
        path = keep(rel);
        paths_.insert(path);
    }
    if (!folder.empty()) checkFolder(safeName(folder));
    AtomicFile file(root_ + "/" + rel, Durability::Later);
    Sha256 sha;
    std::size_t size = 0;
    fill([&](std::string_view part) {
        file.append(part);
        sha.update(part);
        size += part.size();
    });
    file.commit();
    if (flush_) flush_->written(size);
    std::string joined;
    for (const std::string& source : sources) (joined += source) += '\0';
    std::lock_guard<std::mutex> lock(mutex_);
    const auto known = std::find(kinds_.begin(), kinds_.end(), kind);
    const auto kindIndex = static_cast<std::uint32_t>(known - kinds_.begin());
    if (known == kinds_.end()) kinds_.push_back(kind);
    // A project's documents name the same source rows: the text is kept once for them (its
    // files come close together, even from several threads).
    std::string_view kept;
    for (auto it = written_.rbegin(); it != written_.rend() && it - written_.rbegin() < 8 && kept.empty(); ++it)
        if (it->sources == joined) kept = it->sources;
    if (kept.empty()) kept = keep(joined);
    written_.push_back({path, kept, size, sha.digest(), kindIndex});
    return rel;
}

std::string_view OutputTree::keep(std::string_view text) {
    constexpr std::size_t kBlock = 64 * 1024;
    if (text.size() > blockLeft_) {
        blockLeft_ = std::max(kBlock, text.size());
        blocks_.emplace_back(new char[blockLeft_]);
        blockFree_ = blocks_.back().get();
    }
    std::copy(text.begin(), text.end(), blockFree_);
    const std::string_view copy(blockFree_, text.size());
    blockFree_ += text.size();
    blockLeft_ -= text.size();
    return copy;
}

ManifestEntry OutputTree::entryOf(const Written& w, const std::vector<std::string>& kinds) {
    ManifestEntry e{std::string(w.path), w.bytes, digestHex(w.digest), kinds[w.kind], {}};
    for (std::size_t start = 0; start < w.sources.size();) {
        const std::size_t end = w.sources.find('\0', start);
        e.sources.emplace_back(w.sources.substr(start, end - start));
        start = end + 1;
    }
    return e;
}

std::vector<const OutputTree::Written*> OutputTree::sorted() const {
    std::vector<const Written*> out;
    out.reserve(written_.size());
    for (const Written& w : written_) out.push_back(&w);
    std::sort(out.begin(), out.end(), [](const Written* a, const Written* b) { return a->path < b->path; });
    return out;
}

std::vector<ManifestEntry> OutputTree::entries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<ManifestEntry> out;
    for (const Written* w : sorted()) out.push_back(entryOf(*w, kinds_));
    return out;
}

std::size_t OutputTree::fileCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_.size();
}

void OutputTree::writeManifestJson(const ByteSink& sink) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::vector<const Written*> files = sorted();
    JsonNode root = JsonNode::object();
    root.set("files", JsonNode::generated(files.size(), [&](std::size_t i) {
                 const ManifestEntry e = entryOf(*files[i], kinds_);
                 JsonNode f = JsonNode::object();
                 f.set("path", JsonNode::string(e.path));
                 f.set("bytes", JsonNode::integer(static_cast<long long>(e.bytes)));
                 f.set("sha256", JsonNode::string(e.sha256));
                 f.set("kind", JsonNode::string(e.kind));
                 JsonNode sources = JsonNode::array();
                 for (const auto& s : e.sources) sources.push(JsonNode::string(s));
                 f.set("sources", std::move(sources));
                 return f;
             }));
    writeJson(root, sink);
}

std::string OutputTree::manifestJson() const {
    std::string out;
    writeManifestJson([&out](std::string_view part) { out += part; });
    return out;
}

void OutputTree::writeManifest() const {
    if (flush_) flush_->finish();
    else syncFileSystem(root_);
    AtomicFile file(root_ + "/manifest.json");
    writeManifestJson([&file](std::string_view part) { file.append(part); });
    file.commit();
}

}  // namespace jixiao::publish
