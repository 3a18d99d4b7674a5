#include "model/file_read.h"

#include "support.h"

#include <catch2/catch.hpp>

#include <cerrno>
#include <string>
#include <vector>

using namespace jixiao;

TEST_CASE("file read: whole files, parts, and the errno of what cannot be read", "[model]") {
    testing::TempDir dir;
    const std::string root = dir.path.string();
    const std::string big(200000, 'x');  // more than one 64 KiB part
    testing::write(root + "/a.bin", big + std::string("\0\xff", 2));

    std::string bytes = "left over";
    CHECK(model::readFile(root + "/a.bin", bytes) == 0);
    CHECK(bytes == big + std::string("\0\xff", 2));

    std::size_t parts = 0, total = 0;
    CHECK(model::readInParts(root + "/a.bin", [&](std::string_view part) {
              ++parts;
              total += part.size();
          }) == 0);
    CHECK(parts == 4);
    CHECK(total == big.size() + 2);

    // The pull form: each part as the reader asks, then nothing.
    model::FileParts file(root + "/a.bin");
    std::string pulled;
    std::vector<std::size_t> sizes;
    for (std::string_view part = file.next(); !part.empty(); part = file.next()) {
        sizes.push_back(part.size());
        pulled.append(part);
    }
    CHECK(sizes == std::vector<std::size_t>{65536, 65536, 65536, 3394});
    CHECK(pulled == big + std::string("\0\xff", 2));
    CHECK(file.error() == 0);
    CHECK(file.next().empty());
    model::FileParts missing(root + "/missing");
    CHECK(missing.next().empty());
    CHECK(missing.error() == ENOENT);
    model::FileParts folder(root);
    CHECK(folder.next().empty());
    CHECK(folder.error() == EISDIR);

    CHECK(model::readFile(root + "/missing", bytes) == ENOENT);
    CHECK(bytes.empty());
    CHECK(model::readFile(root, bytes) == EISDIR);
    CHECK(bytes.empty());
}
