#pragma once

#include "web/http.h"
#include "web/workspace.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace jixiao::web {

/// A multipart/form-data request read to disk: the file parts under generated names in
/// `dir`, the other fields as text.
struct Upload {
    std::vector<ReceivedFile> files;
    std::map<std::string, std::string> fields;

    Upload() = default;
    Upload(Upload&&) = default;
    Upload& operator=(Upload&&) = default;
    /// Removes the files not taken (renamed away) by the caller.
    ~Upload();
};

/// Reads the request body as multipart/form-data, writing each file to `dir` under a random
/// name. More than `limit` bytes → HttpError 413 naming the limit; anything but multipart →
/// 400. The client's file names are kept for display only (without any folder part).
Upload receiveUpload(Exchange& ex, const std::string& dir, std::int64_t limit);

/// "200 MB" style text of a byte count.
std::string megabytes(std::int64_t bytes);

}  // namespace jixiao::web
