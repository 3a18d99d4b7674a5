#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

namespace jixiao::model {

class TextStore;

/// A narrative (年度总体目标, 偏差原因分析, 改进措施 …) held out of memory: where it lies in its
/// run's TextStore, not what it says. 8 bytes however long the text; the store must outlive it
/// (the Dataset that holds the rows owns their store).
class Text {
public:
    Text() = default;
    bool empty() const { return size() == 0; }
    std::size_t size() const { return static_cast<std::size_t>(where_ & kSizeMask); }
    /// The text, read back from the store (thread-safe; empty for an empty Text).
    std::string str() const;

private:
    friend class TextStore;
    static constexpr int kSizeBits = 20;
    static constexpr int kOffsetBits = 36;
    static constexpr std::uint64_t kSizeMask = (std::uint64_t{1} << kSizeBits) - 1;
    static constexpr std::uint64_t kOffsetMask = (std::uint64_t{1} << kOffsetBits) - 1;
    /// The store's slot (1..255) << 56 | offset << 20 | size: a Text finds its store without a
    /// pointer to it.
    std::uint64_t where_ = 0;
};

/// The scratch file could not be created or written (disk full, TMPDIR not writable).
class TextStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A run's narratives. The first `resident` bytes (16 MiB: a county's texts) stay in memory, so
/// that reading one is a copy; the rest are spilled to an unlinked scratch file in TMPDIR (or
/// /tmp) as ingest reads them and read back with pread when a document needs one. Not
/// memory-mapped: their pages stay in the page cache, not in the process's resident set. The
/// file is made on the first text that does not fit in memory and vanishes with the store (or
/// the process). At most 255 stores live at once.
class TextStore {
public:
    static constexpr std::size_t kResident = std::size_t(16) << 20;

    explicit TextStore(std::size_t resident = kResident);
    TextStore(const TextStore&) = delete;
    TextStore& operator=(const TextStore&) = delete;
    ~TextStore();

    /// Appends `text` (at most 1 MiB − 1 bytes; a cell holds at most 128 KiB). Throws
    /// TextStoreError when the text is longer, the store past 64 GiB, or the file cannot be made
    /// or written.
    Text put(std::string_view text);
    /// Bytes stored so far, in memory and spilled.
    std::uint64_t bytes() const { return end_; }

private:
    friend class Text;
    std::string read(std::uint64_t offset, std::size_t size) const;
    void flushLocked() const;

    std::uint64_t slot_ = 0;
    mutable std::mutex mutex_;
    const std::size_t resident_;
    std::unique_ptr<char[]> head_;                   ///< the texts in memory: offsets [0, headEnd_)
    std::atomic<std::uint64_t> headEnd_{0};          ///< grows until a text does not fit, then stays
    int fd_ = -1;                                    ///< open once a text did not fit in memory: every later text goes to the file
    std::uint64_t end_ = 0;                          ///< offset of the next text
    mutable std::atomic<std::uint64_t> flushed_{0};  ///< bytes already in the file
    mutable std::string pending_;                    ///< appended to the file, not yet written
};

}  // namespace jixiao::model
