#include "model/file_read.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace jixiao::model {

int readInParts(const std::string& path, const std::function<void(std::string_view)>& part) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            return err;
        }
        part(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    ::close(fd);
    return 0;
}

int readFile(const std::string& path, std::string& bytes) {
    bytes.clear();
    return readInParts(path, [&bytes](std::string_view part) { bytes.append(part); });
}

}  // namespace jixiao::model
