#include "web/zip_file.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cstdint>
#include <fstream>
#include <vector>

namespace jixiao::web {

namespace {

std::uint32_t le32(const std::vector<char>& b, std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}
std::uint16_t le16(const std::vector<char>& b, std::size_t at) {
    return std::uint16_t(std::uint8_t(b[at]) | std::uint8_t(b[at + 1]) << 8);
}

/// Sets bit 11 (names are UTF-8) in every central directory entry and its local header.
void markUtf8(const std::string& path) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::vector<char> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    // The end of central directory record: the last "PK\5\6" (no archive comment is written).
    if (b.size() < 22) throw Poco::DataFormatException("zip too short");
    std::size_t end = b.size() - 22;
    while (end > 0 && le32(b, end) != 0x06054b50) --end;
    if (le32(b, end) != 0x06054b50) throw Poco::DataFormatException("no end of central directory");
    std::size_t count = le16(b, end + 10);
    std::size_t at = le32(b, end + 16);
    for (std::size_t i = 0; i < count; ++i) {
        if (at + 46 > b.size() || le32(b, at) != 0x02014b50) throw Poco::DataFormatException("bad central directory");
        b[at + 9] = char(b[at + 9] | 0x08);
        std::size_t local = le32(b, at + 42);
        if (local + 30 > b.size() || le32(b, local) != 0x04034b50) throw Poco::DataFormatException("bad local header");
        b[local + 7] = char(b[local + 7] | 0x08);
        at += 46 + le16(b, at + 28) + le16(b, at + 30) + le16(b, at + 32);
    }
    f.seekp(0);
    f.write(b.data(), std::streamsize(b.size()));
    if (!f.flush()) throw Poco::WriteFileException(path);
}

} // namespace

void writeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        Poco::Zip::Compress zip(out, true);
        for (const auto& [name, disk] : entries) zip.addFile(Poco::Path(disk), Poco::Path(name, Poco::Path::PATH_UNIX));
        zip.close();
        if (!out.flush()) throw Poco::WriteFileException(path);
    }
    markUtf8(path);
}

} // namespace jixiao::web
