#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace jixiao::publish {

/// The one loop that reads a file: a buffer at a time (64 KiB, interrupted reads retried),
/// handing each part to `part`, so that a large file (a scanned rectification report) never
/// has to be held whole. Returns 0, or the errno of the open or read that failed; callers word
/// their own messages.
int readInParts(const std::string& path, const std::function<void(std::string_view)>& part);

} // namespace jixiao::publish
