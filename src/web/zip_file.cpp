#include "web/zip_file.h"

#include "model/text.h"
#include "web/http.h"

#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <vector>

namespace jixiao::web {

namespace {

std::uint32_t le32(const std::vector<char>& b, std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 | std::uint32_t(std::uint8_t(b[at + 2])) << 16 |
           std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}
std::uint16_t le16(const std::vector<char>& b, std::size_t at) { return std::uint16_t(std::uint8_t(b[at]) | std::uint8_t(b[at + 1]) << 8); }

/// The zip just written reads back wrong: the disk lost it or Poco wrote something else.
HttpError unreadable(const std::string& path, const char* what) {
    return HttpError(500, "内部错误：刚写出的 zip 文件 " + path + " 读回时" + what + "。请重试；仍然出错时，请把这条信息发给技术支持。");
}

HttpError cannotWrite(const std::string& path, int error) {
    return HttpError(507, "无法写出 zip 文件 " + path + "（" + model::systemReason(error) + "）。请确认服务器的磁盘有空间后重试。");
}

/// Sets bit 11 (names are UTF-8) in every central directory entry and its local header.
void markUtf8(const std::string& path) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::vector<char> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    // The end of central directory record: the last "PK\5\6" (no archive comment is written).
    if (b.size() < 22) throw unreadable(path, "不足 22 字节");
    std::size_t end = b.size() - 22;
    while (end > 0 && le32(b, end) != 0x06054b50) --end;
    if (le32(b, end) != 0x06054b50) throw unreadable(path, "没有中央目录的结尾");
    std::size_t count = le16(b, end + 10);
    std::size_t at = le32(b, end + 16);
    for (std::size_t i = 0; i < count; ++i) {
        if (at + 46 > b.size() || le32(b, at) != 0x02014b50) throw unreadable(path, "中央目录损坏");
        b[at + 9] = char(b[at + 9] | 0x08);
        std::size_t local = le32(b, at + 42);
        if (local + 30 > b.size() || le32(b, local) != 0x04034b50) throw unreadable(path, "文件头损坏");
        b[local + 7] = char(b[local + 7] | 0x08);
        at += 46 + le16(b, at + 28) + le16(b, at + 30) + le16(b, at + 32);
    }
    f.seekp(0);
    f.write(b.data(), std::streamsize(b.size()));
    if (!f.flush()) throw cannotWrite(path, errno);
}

}  // namespace

void writeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        Poco::Zip::Compress zip(out, true);
        for (const auto& [name, disk] : entries) zip.addFile(Poco::Path(disk), Poco::Path(name, Poco::Path::PATH_UNIX));
        zip.close();
        if (!out.flush()) throw cannotWrite(path, errno);
    }
    markUtf8(path);
}

}  // namespace jixiao::web
