#include "publish/atomic_file.h"

#include "model/text.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jixiao::publish {

int makeFolders(const std::string& path) {
    if (path.empty()) return 0;
    for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
        const std::string prefix = path.substr(0, end);
        if (!prefix.empty() && ::mkdir(prefix.c_str(), 0777) != 0) {
            const int err = errno;
            struct stat st {};
            if (err != EEXIST || ::stat(prefix.c_str(), &st) != 0) return err;
            if (!S_ISDIR(st.st_mode)) return ENOTDIR;
        }
        if (end == std::string::npos) return 0;
    }
}

void writeFileAtomic(const std::string& path, const std::string& bytes, Durability durability) {
    AtomicFile file(path, durability);
    file.append(bytes);
    file.commit();
}

AtomicFile::AtomicFile(std::string path, Durability durability) : path_(std::move(path)), durability_(durability) {
    Poco::Path target(path_);
    const std::string folder = target.parent().toString();
    tmp_ = folder + "." + target.getFileName() + ".tmp-XXXXXX";
    fd_ = ::mkstemp(tmp_.data());
    // The folder is made only when it is missing: a run writes thousands of files into folders
    // that already exist.
    if (fd_ < 0 && errno == ENOENT) {
        if (const int err = makeFolders(folder)) throw OutputError("无法创建文件夹 " + folder + "（" + model::systemReason(err) + "）。");
        tmp_.replace(tmp_.size() - 6, 6, "XXXXXX");
        fd_ = ::mkstemp(tmp_.data());
    }
    if (fd_ < 0) throw OutputError("无法写入 " + path_ + "（" + model::systemReason(errno) + "）。");
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
    throw OutputError(what + "（" + model::systemReason(err) + "），原文件未改动。");
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
        throw syncError(path, err);
    }
    ::close(fd);
}

OutputError syncError(const std::string& path, int err) {
    return OutputError("无法将 " + path + " 中的文件写入磁盘（" + model::systemReason(err) + "）。");
}

namespace {

/// The length in bytes of an invisible format character starting at `i` (0 when there is
/// none): bidi marks, embeddings, overrides and isolates, which make a name read otherwise
/// than it is (`补助<U+202E>TXT.exe` shows as `补助exe.TXT`); zero-width characters; the BOM
/// and the noncharacters U+FFFE/U+FFFF.
std::size_t formatControlAt(const std::string& s, std::size_t i) {
    auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    const unsigned a = at(0), b = at(1), c = at(2);
    if (a == 0xD8 && b == 0x9C) return 2;                                                            // U+061C
    if (a == 0xE2 && b == 0x80 && ((c >= 0x8B && c <= 0x8F) || (c >= 0xAA && c <= 0xAE))) return 3;  // U+200B–200F, U+202A–202E
    if (a == 0xE2 && b == 0x81 && c >= 0xA0 && c <= 0xAF) return 3;                                  // U+2060–206F
    if (a == 0xEF && b == 0xBB && c == 0xBF) return 3;                                               // U+FEFF
    if (a == 0xEF && b == 0xBF && (c == 0xBE || c == 0xBF)) return 3;                                // U+FFFE, U+FFFF
    return 0;
}

/// 8 hex digits of the FNV-1a hash of `text`: tells apart names that a cut made equal.
std::string shortHash(const std::string& text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    char out[9];
    std::snprintf(out, sizeof out, "%08x", unsigned((h >> 32) ^ h));
    return out;
}

/// The largest n <= want where s[n] does not continue a UTF-8 sequence.
std::size_t utf8Boundary(const std::string& s, std::size_t want) {
    while (want > 0 && want < s.size() && (static_cast<unsigned char>(s[want]) & 0xC0) == 0x80) --want;
    return want;
}

}  // namespace

std::string safeName(const std::string& name, std::size_t maxBytes) {
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (std::size_t n = formatControlAt(name, i)) {
            out += '_';
            i += n;
            continue;
        }
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' ||
            c == '|')
            out += '_';
        else out += char(c);
        ++i;
    }
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    if (out.size() > maxBytes) {
        // Cut in the middle, where a hash of the whole name keeps two long names apart, and
        // keep the end when it is a short last part: the document's kind (…_项目支出绩效自评表)
        // survives and a project's table and report stay two files.
        const std::string tag = "~" + shortHash(name);
        std::size_t tail = out.rfind('_');
        tail = tail != std::string::npos && out.size() - tail <= maxBytes / 3 ? out.size() - tail : 0;
        const std::size_t head = utf8Boundary(out, maxBytes - tag.size() - tail);
        out = out.substr(0, head) + tag + out.substr(out.size() - tail);
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
    if (out.empty()) out = "_";
    return out;
}

}  // namespace jixiao::publish
