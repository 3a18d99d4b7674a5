#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace jixiao::model {

// The one place that reads files (the only I/O in model): every stage reads its inputs —
// data files, templates, rule sets, fonts.json, the site's files — through it and words its
// own message from the errno it returns.

/// The one loop that reads a file: a buffer at a time (64 KiB, interrupted reads retried).
/// The reader asks for each part in turn, so that a large file (a CSV export of a province,
/// a scanned rectification report) never has to be held whole.
class FileParts {
public:
    explicit FileParts(const std::string& path);
    ~FileParts();
    FileParts(const FileParts&) = delete;
    FileParts& operator=(const FileParts&) = delete;

    /// The next part, valid until the next call; empty at the end of the file or after an error.
    std::string_view next();
    /// 0, or the errno of the open or read that failed.
    int error() const { return error_; }

private:
    int fd_ = -1;
    int error_ = 0;
    std::unique_ptr<char[]> buffer_;
};

/// Hands each part of the file at `path` to `part` (see FileParts). Returns 0, or the errno of
/// the open or read that failed.
int readInParts(const std::string& path, const std::function<void(std::string_view)>& part);

/// The whole file at `path` into `bytes` (replacing what was there). Returns 0, or the errno
/// of the open or read that failed — EISDIR for a folder; `bytes` is then empty unless a read
/// failed part way.
int readFile(const std::string& path, std::string& bytes);

}  // namespace jixiao::model
