#pragma once

// Helpers the test files share: reading and writing files, running the program or a tool
// and capturing its output, golden files, a temporary folder, substring checks. Header only
// (inline), for the one test binary.

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>

namespace jixiao::testing {

/// The whole file, or "" when it cannot be read.
inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Writes `text` to `path`, creating the folders above it.
inline void write(const std::string& path, const std::string& text) {
    Poco::File(Poco::Path(path).parent()).createDirectories();
    std::ofstream(path, std::ios::binary) << text;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// `s` as one single-quoted shell word.
inline std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// What `command` (run by the shell) writes to stdout; its exit status goes to `status`
/// (-1 when it could not be started).
inline std::string capture(const std::string& command, int* status = nullptr) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        if (status != nullptr) *status = -1;
        return out;
    }
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
    const int rc = ::pclose(pipe);
    if (status != nullptr) *status = rc;
    return out;
}

/// The one golden-file check: `actual` must equal tests/golden/<name>. With the environment
/// variable JIXIAO_UPDATE_GOLDEN set, the file is rewritten instead (review the diff).
inline void checkGolden(const std::string& name, const std::string& actual) {
    const std::string path = std::string(JIXIAO_SOURCE_DIR) + "/tests/golden/" + name;
    if (std::getenv("JIXIAO_UPDATE_GOLDEN") != nullptr) {
        write(path, actual);
        WARN("rewrote " << path);
        return;
    }
    REQUIRE(Poco::File(path).exists());
    CHECK(actual == slurp(path));
}

/// A fresh folder under the system temporary directory, removed with everything in it when
/// the object goes.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& prefix = "jixiao-test-") {
        std::random_device random;
        path = std::filesystem::temp_directory_path() / (prefix + std::to_string(random()) + std::to_string(random()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

} // namespace jixiao::testing
