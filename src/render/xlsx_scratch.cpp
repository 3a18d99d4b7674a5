#include "render/xlsx_scratch.h"

#include "model/scratch_file.h"
#include "model/text.h"

#include <xlsxwriter.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <vector>

namespace jixiao::render::xlsx {

namespace {

thread_local std::string scratchFailure;

/// One scratch stream: bytes in memory until they outgrow the limit, then an unlinked file.
struct Scratch {
    std::string dir;
    std::vector<char> bytes;
    std::size_t size = 0;  ///< logical length (`bytes` may be longer)
    std::size_t pos = 0;
    int fd = -1;

    /// Moves the bytes to an unlinked file in `dir`; false (with the reason recorded) when it
    /// cannot be made or written.
    bool spill() {
        fd = model::openScratchFile(folder(), "jixiao-xlsx-part-");
        if (fd < 0) return fail("无法在 " + folder() + " 中创建临时文件");
        if (const int err = model::writeAt(fd, bytes.data(), size, 0)) return fail("无法写入临时文件（" + folder() + "）", err);
        std::vector<char>().swap(bytes);
        return true;
    }

    std::string folder() const { return dir.empty() ? std::string("/tmp") : dir; }

    bool fail(const std::string& what, int err = errno) {
        scratchFailure = what + "（" + model::systemReason(err) + "）";
        errno = err;
        return false;
    }
};

ssize_t scratchRead(void* cookie, char* buf, std::size_t n) {
    auto* s = static_cast<Scratch*>(cookie);
    if (s->fd >= 0) {
        const ssize_t got = ::pread(s->fd, buf, n, static_cast<off_t>(s->pos));
        if (got > 0) s->pos += static_cast<std::size_t>(got);
        return got;
    }
    if (s->pos >= s->size) return 0;
    const std::size_t k = std::min(n, s->size - s->pos);
    std::memcpy(buf, s->bytes.data() + s->pos, k);
    s->pos += k;
    return static_cast<ssize_t>(k);
}

ssize_t scratchWrite(void* cookie, const char* buf, std::size_t n) {
    auto* s = static_cast<Scratch*>(cookie);
    const std::size_t end = s->pos + n;
    if (s->fd < 0 && end > kScratchInMemoryLimit && !s->spill()) return -1;
    if (s->fd >= 0) {
        if (const int err = model::writeAt(s->fd, buf, n, s->pos)) {
            s->fail("无法写入临时文件（" + s->folder() + "）", err);
            return -1;
        }
    } else {
        if (end > s->bytes.size()) s->bytes.resize(std::max(end, s->bytes.size() * 2));
        if (s->pos > s->size) std::memset(s->bytes.data() + s->size, 0, s->pos - s->size);
        std::memcpy(s->bytes.data() + s->pos, buf, n);
    }
    s->pos = end;
    s->size = std::max(s->size, end);
    return static_cast<ssize_t>(n);
}

int scratchSeek(void* cookie, off64_t* offset, int whence) {
    auto* s = static_cast<Scratch*>(cookie);
    const off64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? static_cast<off64_t>(s->pos) : static_cast<off64_t>(s->size);
    const off64_t to = base + *offset;
    if (to < 0) {
        errno = EINVAL;
        return -1;
    }
    s->pos = static_cast<std::size_t>(to);
    *offset = to;
    return 0;
}

int scratchClose(void* cookie) {
    auto* s = static_cast<Scratch*>(cookie);
    const int rc = s->fd >= 0 ? ::close(s->fd) : 0;
    delete s;
    return rc;
}

}  // namespace

std::string takeScratchFailure() {
    std::string failure;
    failure.swap(scratchFailure);
    return failure;
}

}  // namespace jixiao::render::xlsx

/// Replaces libxlsxwriter's own (declared in its utility.h), which creates a file in `tmpdir`
/// for every part of every workbook.
FILE* lxw_tmpfile(char* tmpdir) {
    using jixiao::render::xlsx::Scratch;
    auto* s = new (std::nothrow) Scratch;
    if (s == nullptr) return nullptr;
    if (tmpdir != nullptr) s->dir = tmpdir;
    const cookie_io_functions_t io{jixiao::render::xlsx::scratchRead, jixiao::render::xlsx::scratchWrite, jixiao::render::xlsx::scratchSeek,
                                   jixiao::render::xlsx::scratchClose};
    FILE* file = ::fopencookie(s, "w+", io);
    if (file == nullptr) delete s;
    return file;
}
