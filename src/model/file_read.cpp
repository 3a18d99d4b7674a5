#include "model/file_read.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace jixiao::model {

namespace {
constexpr std::size_t kPartBytes = 65536;
}

FileParts::FileParts(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) error_ = errno;
    else buffer_ = std::make_unique<char[]>(kPartBytes);
}

FileParts::~FileParts() {
    if (fd_ >= 0) ::close(fd_);
}

std::string_view FileParts::next() {
    while (fd_ >= 0 && error_ == 0) {
        const ssize_t n = ::read(fd_, buffer_.get(), kPartBytes);
        if (n > 0) return std::string_view(buffer_.get(), static_cast<std::size_t>(n));
        if (n == 0) break;
        if (errno != EINTR) error_ = errno;
    }
    return {};
}

int readInParts(const std::string& path, const std::function<void(std::string_view)>& part) {
    FileParts file(path);
    for (std::string_view p = file.next(); !p.empty(); p = file.next()) part(p);
    return file.error();
}

int readFile(const std::string& path, std::string& bytes) {
    bytes.clear();
    return readInParts(path, [&bytes](std::string_view part) { bytes.append(part); });
}

}  // namespace jixiao::model
