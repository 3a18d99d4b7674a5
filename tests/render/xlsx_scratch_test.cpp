#include "model/text.h"
#include "render/xlsx_scratch.h"
#include "support.h"

#include <xlsxwriter.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

// libxlsxwriter's temporary files (`lxw_tmpfile`) are streams in memory, spilled to an
// unlinked file past kScratchInMemoryLimit.

namespace fs = std::filesystem;
using jixiao::render::xlsx::kScratchInMemoryLimit;
using jixiao::render::xlsx::takeScratchFailure;

namespace {

std::string patterned(std::size_t n) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 977) % 26);
    return s;
}

/// Writes `text` the way libxlsxwriter does (stdio), then reads it back after a rewind.
std::string roundTrip(FILE* f, const std::string& text) {
    for (std::size_t at = 0; at < text.size(); at += 1000) {
        const std::size_t n = std::min<std::size_t>(1000, text.size() - at);
        REQUIRE(std::fwrite(text.data() + at, 1, n, f) == n);
    }
    REQUIRE(std::fflush(f) == 0);
    std::rewind(f);
    std::string back;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) back.append(buf, n);
    return back;
}

}  // namespace

TEST_CASE("libxlsxwriter's calls reach the scratch streams in memory", "[render][xlsx]") {
    // The library calls lxw_tmpfile through its symbol table: the program's definition wins.
    CHECK(::dlsym(RTLD_DEFAULT, "lxw_tmpfile") == reinterpret_cast<void*>(&lxw_tmpfile));
}

TEST_CASE("a small scratch stream stays in memory and reads back what was written", "[render][xlsx]") {
    const jixiao::testing::TempDir temp("jixiao-scratch-test-small-");
    const fs::path& dir = temp.path;
    std::string d = dir.string();
    FILE* f = lxw_tmpfile(d.data());
    REQUIRE(f != nullptr);
    CHECK(::fileno(f) == -1);  // no file descriptor: not a file
    const std::string text = "<?xml version=\"1.0\"?>\n" + patterned(50000);
    CHECK(roundTrip(f, text) == text);
    CHECK(fs::is_empty(dir));
    // Seeking past the end and writing leaves zeros in the gap, as a file does.
    REQUIRE(std::fseek(f, 10, SEEK_END) == 0);
    REQUIRE(std::fputs("end", f) >= 0);
    REQUIRE(std::fflush(f) == 0);
    REQUIRE(std::fseek(f, static_cast<long>(text.size()), SEEK_SET) == 0);
    char tail[13] = {};
    REQUIRE(std::fread(tail, 1, 13, f) == 13);
    CHECK(std::string(tail, 13) == std::string(10, '\0') + "end");
    CHECK(std::fclose(f) == 0);
    CHECK(takeScratchFailure().empty());
    fs::remove_all(dir);
}

TEST_CASE("a big scratch stream moves to an unlinked file in the library's folder", "[render][xlsx]") {
    const jixiao::testing::TempDir temp("jixiao-scratch-test-big-");
    const fs::path& dir = temp.path;
    std::string d = dir.string();
    FILE* f = lxw_tmpfile(d.data());
    REQUIRE(f != nullptr);
    const std::string text = patterned(kScratchInMemoryLimit + 12345);
    CHECK(roundTrip(f, text) == text);
    CHECK(fs::is_empty(dir));  // the file is unlinked as soon as it is made
    CHECK(std::fclose(f) == 0);
    CHECK(takeScratchFailure().empty());
    fs::remove_all(dir);
}

TEST_CASE("a big scratch stream that cannot move to disk fails and says why", "[render][xlsx]") {
    const jixiao::testing::TempDir temp("jixiao-scratch-test-gone-");
    const fs::path& dir = temp.path;
    fs::remove_all(dir);
    std::string d = dir.string();
    FILE* f = lxw_tmpfile(d.data());
    REQUIRE(f != nullptr);
    const std::string text = patterned(kScratchInMemoryLimit + 1);
    std::size_t written = 0;
    for (std::size_t at = 0; at < text.size(); at += 1000)
        written += std::fwrite(text.data() + at, 1, std::min<std::size_t>(1000, text.size() - at), f);
    const bool flushed = written == text.size() && std::fflush(f) == 0;
    CHECK_FALSE(flushed);
    std::fclose(f);
    CHECK(takeScratchFailure() == "无法在 " + d + " 中创建临时文件（" + jixiao::model::systemReason(ENOENT) + "）");
    CHECK(takeScratchFailure().empty());  // taken once
}
