#include <catch2/catch.hpp>

#include "model/scratch_file.h"
#include "support.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace jixiao;

TEST_CASE("scratch file: unlinked, and written whole at the offsets asked", "[model]") {
    const testing::TempDir dir;
    const int fd = model::openScratchFile(dir.path.string(), "jixiao-test-scratch-");
    REQUIRE(fd >= 0);
    CHECK(std::filesystem::is_empty(dir.path));
    const std::string big(300000, 'x');
    CHECK(model::writeAt(fd, big.data(), big.size(), 0) == 0);
    CHECK(model::writeAt(fd, "绩效", 6, 100) == 0);
    std::string back(big.size(), '\0');
    CHECK(::pread(fd, back.data(), back.size(), 0) == static_cast<ssize_t>(back.size()));
    CHECK(back.substr(98, 10) == "xx绩效xx");
    CHECK(back.size() - std::count(back.begin(), back.end(), 'x') == 6);
    ::close(fd);
}

TEST_CASE("scratch file: a folder that does not exist gives -1 and its errno", "[model]") {
    errno = 0;
    CHECK(model::openScratchFile("/nonexistent-jixiao-tmp", "jixiao-test-scratch-") == -1);
    CHECK(errno == ENOENT);
    CHECK(model::writeAt(-1, "a", 1, 0) == EBADF);
}
