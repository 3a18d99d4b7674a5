#include "model/text_store.h"

#include "model/scratch_file.h"
#include "model/slot_registry.h"
#include "model/text.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace jixiao::model {

namespace {

constexpr std::size_t kFlushAt = 256u << 10;

std::string tempDir() {
    const char* dir = std::getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

[[noreturn]] void fail(const std::string& dir, int err) {
    throw TextStoreError("无法在临时文件夹 " + dir + " 中写入临时文件（" + systemReason(err) +
                         "）。请确认磁盘有空间、该文件夹可写，或用环境变量 TMPDIR 指定另一个临时文件夹");
}

int openScratch() {
    const std::string dir = tempDir();
    const int fd = openScratchFile(dir, "jixiao-text-");
    if (fd < 0) fail(dir, errno);
    return fd;
}

/// The live stores by slot, so that an 8-byte Text finds its store.
SlotRegistry<TextStore> gStores;

}  // namespace

std::string Text::str() const {
    if (empty()) return {};
    return gStores.at(static_cast<std::uint32_t>(where_ >> (kOffsetBits + kSizeBits)))->read(where_ >> kSizeBits & kOffsetMask, size());
}

TextStore::TextStore(std::size_t resident) : slot_(gStores.claim(this, "text stores")), resident_(resident) {}

TextStore::~TextStore() {
    gStores.release(static_cast<std::uint32_t>(slot_));
    if (fd_ >= 0) ::close(fd_);
}

Text TextStore::put(std::string_view text) {
    Text t;
    if (text.empty()) return t;
    if (text.size() > Text::kSizeMask) throw TextStoreError("一段文字超过 1 MB（" + std::to_string(text.size()) + " 字节），无法处理。");
    std::lock_guard<std::mutex> lock(mutex_);
    if (end_ + text.size() > Text::kOffsetMask)
        throw TextStoreError("临时文件中的文字超过 64 GB，无法处理。请分批处理数据（如按主管部门拆分数据文件夹）。");
    t.where_ = slot_ << (Text::kOffsetBits + Text::kSizeBits) | end_ << Text::kSizeBits | text.size();
    if (fd_ < 0 && end_ + text.size() <= resident_) {
        // Pages of head_ are touched only as texts arrive: a small run holds only its texts.
        if (!head_) head_.reset(new char[resident_]);
        std::copy(text.begin(), text.end(), head_.get() + end_);
        end_ += text.size();
        headEnd_.store(end_, std::memory_order_release);
        return t;
    }
    // The first text that does not fit opens the file; from then on every text goes there.
    if (fd_ < 0) fd_ = openScratch();
    pending_.append(text);
    end_ += text.size();
    if (pending_.size() >= kFlushAt) flushLocked();
    return t;
}

void TextStore::flushLocked() const {
    const std::uint64_t at = flushed_.load();
    if (const int err = writeAt(fd_, pending_.data(), pending_.size(), at)) fail(tempDir(), err);
    flushed_.store(at + pending_.size());
    pending_.clear();
}

std::string TextStore::read(std::uint64_t offset, std::size_t size) const {
    const std::uint64_t inMemory = headEnd_.load(std::memory_order_acquire);
    if (offset + size <= inMemory) return std::string(head_.get() + offset, size);
    // In the file, which starts where the memory stopped.
    offset -= inMemory;
    std::string out(size, '\0');
    if (offset + size > flushed_.load()) {
        // Still (partly) in the write buffer: flushed first, under the writers' lock.
        std::lock_guard<std::mutex> lock(mutex_);
        flushLocked();
    }
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::pread(fd_, out.data() + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw TextStoreError("无法读回临时文件夹 " + tempDir() + " 中的临时文件（" + systemReason(n < 0 ? errno : EIO) + "）");
        done += static_cast<std::size_t>(n);
    }
    return out;
}

}  // namespace jixiao::model
