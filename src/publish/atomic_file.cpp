#include "publish/atomic_file.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jixiao::publish {

void writeFileAtomic(const std::string& path, const std::string& bytes, Durability durability) {
    AtomicFile file(path, durability);
    file.append(bytes);
    file.commit();
}

AtomicFile::AtomicFile(std::string path, Durability durability) : path_(std::move(path)), durability_(durability) {
    Poco::Path target(path_);
    try {
        Poco::File(target.parent()).createDirectories();
    } catch (const Poco::Exception& e) {
        throw OutputError("无法创建输出文件夹 " + target.parent().toString() + "（" + e.message() + "）。");
    }
    tmp_ = target.parent().toString() + "." + target.getFileName() + ".tmp-XXXXXX";
    fd_ = ::mkstemp(tmp_.data());
    if (fd_ < 0) throw OutputError("无法写入 " + path_ + "（" + std::strerror(errno) + "）。");
}

AtomicFile::~AtomicFile() {
    if (fd_ < 0) return;
    ::close(fd_);
    ::unlink(tmp_.c_str());
}

void AtomicFile::fail(const std::string& what) {
    const int err = errno;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(tmp_.c_str());
    throw OutputError(what + "（" + std::strerror(err) + "），原文件未改动。");
}

void AtomicFile::append(std::string_view bytes) {
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        ssize_t n = ::write(fd_, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("写入 " + path_ + " 失败");
        }
        data += n;
        left -= std::size_t(n);
    }
}

void AtomicFile::commit() {
    // mkstemp creates 0600; outputs are meant to be read by others (e.g. a web server).
    ::fchmod(fd_, 0644);
    // Later: the disk write starts now, in the background, so that the caller's one flush at
    // the end has little left to wait for. Only a hint; that flush reports any failure.
    if (durability_ == Durability::Later) ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    if (durability_ == Durability::Now && ::fsync(fd_) != 0) fail("写入 " + path_ + " 失败");
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail("写入 " + path_ + " 失败");
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0) fail("无法将临时文件改名为 " + path_);
}

void syncFileSystem(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        throw OutputError("无法将 " + path + " 中的文件写入磁盘（" + std::strerror(err) + "）。");
    }
    ::close(fd);
}

std::string safeName(const std::string& name, std::size_t maxBytes) {
    std::string out;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' ||
            c == '<' || c == '>' || c == '|')
            out += '_';
        else
            out += char(c);
    }
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    if (out.size() > maxBytes) {
        std::size_t cut = maxBytes;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 continuation
        out.resize(cut);
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    if (out.empty()) out = "_";
    return out;
}

} // namespace jixiao::publish
