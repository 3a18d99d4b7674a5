#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace jixiao::publish {

/// An output that cannot be written (exit 73). The message is Chinese and names the path.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// When writeFileAtomic forces a file to disk.
enum class Durability {
    Now,    ///< before the rename: once the call returns, a power cut keeps the new content
    Later,  ///< not at all: the caller flushes once for many files (syncFileSystem,
            ///< BackgroundFlush) before it records them as done; a fsync per file costs a
            ///< disk flush per file
};

/// Writes `bytes` to `path` so that readers only ever see the old file or the complete new
/// one: a temporary file in the same folder, renamed over the target (flushed to disk first
/// with Durability::Now). Creates missing parent folders. Throws OutputError.
void writeFileAtomic(const std::string& path, const std::string& bytes, Durability durability = Durability::Now);

/// A file written part by part the same way, for files too large to hold in memory: nothing
/// is visible at `path` until commit(); destroyed uncommitted, it removes its temporary file.
/// Throws OutputError.
class AtomicFile {
public:
    explicit AtomicFile(std::string path, Durability durability = Durability::Now);
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    void append(std::string_view bytes);
    /// Renames the file over the target (flushed first with Durability::Now).
    void commit();

private:
    /// Removes the temporary file and throws "<what>（<errno text>），原文件未改动。".
    [[noreturn]] void fail(const std::string& what);

    std::string path_;
    Durability durability_;
    std::string tmp_;
    int fd_ = -1;
};

/// Creates `path` and its missing parents (like mkdir -p). Returns 0, or the errno of the
/// step that failed (ENOTDIR when a file holds the name of a folder), for the caller's message.
int makeFolders(const std::string& path);

/// Flushes everything written to the file system that holds `path` to disk (syncfs).
/// Throws OutputError.
void syncFileSystem(const std::string& path);
/// The error syncFileSystem throws: "无法将 <path> 中的文件写入磁盘（<errno text>）。".
OutputError syncError(const std::string& path, int err);

/// Makes a file or folder name from user data (project names may contain `/`, `..`, control
/// characters): path separators, characters Windows forbids and invisible format characters
/// (bidi overrides, zero-width characters) become "_", leading dots and trailing dots/spaces
/// are dropped. A name over `maxBytes` is cut in the middle on a UTF-8 boundary, with
/// "~" and 8 hex digits of a hash of the whole name, keeping a short last "_" part (the
/// document's kind): two long names differing only at their end never become one.
/// Never returns "", "." or "..".
std::string safeName(const std::string& name, std::size_t maxBytes = 120);

}  // namespace jixiao::publish
