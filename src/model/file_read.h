#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace jixiao::model {

// The one place that reads files (the only I/O in model): every stage reads its inputs —
// data files, templates, rule sets, fonts.json, the site's files — through it and words its
// own message from the errno it returns.

/// The one loop that reads a file: a buffer at a time (64 KiB, interrupted reads retried),
/// handing each part to `part`, so that a large file (a scanned rectification report) never
/// has to be held whole. Returns 0, or the errno of the open or read that failed.
int readInParts(const std::string& path, const std::function<void(std::string_view)>& part);

/// The whole file at `path` into `bytes` (replacing what was there). Returns 0, or the errno
/// of the open or read that failed — EISDIR for a folder; `bytes` is then empty unless a read
/// failed part way.
int readFile(const std::string& path, std::string& bytes);

}  // namespace jixiao::model
