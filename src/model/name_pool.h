#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace jixiao::model {

/// A short value that repeats across rows (指标名称, 计量单位, a figure's text …): 4 bytes, the
/// text itself held once per distinct value in its NamePool. Reads as a `const std::string&`;
/// the pool must outlive it (the Dataset that holds the rows owns their pool).
class Name {
public:
    Name() = default;
    const std::string& str() const;
    operator const std::string&() const { return str(); }
    bool empty() const { return id_ == 0; }
    std::size_t size() const { return str().size(); }

    /// The same pool holds each value once: equal ids are equal texts, and names of one pool
    /// with different ids differ.
    friend bool operator==(const Name& a, const Name& b) {
        return a.id_ == b.id_ || ((a.id_ ^ b.id_) >> kIndexBits != 0 && a.str() == b.str());
    }
    friend bool operator!=(const Name& a, const Name& b) { return !(a == b); }
    friend bool operator<(const Name& a, const Name& b) { return a.str() < b.str(); }
    friend bool operator==(const Name& a, std::string_view b) { return a.str() == b; }
    friend bool operator!=(const Name& a, std::string_view b) { return a.str() != b; }
    friend bool operator==(std::string_view a, const Name& b) { return a == b.str(); }
    friend bool operator!=(std::string_view a, const Name& b) { return a != b.str(); }

private:
    friend class NamePool;
    static constexpr int kIndexBits = 24;
    static const std::string& none();
    /// The pool's slot (1..255) << 24 | the value's index in it; 0 is the empty name.
    std::uint32_t id_ = 0;
};

/// One copy of each distinct value of a run's short repeated fields (thread-safe; reading a
/// Name takes no lock). At most 255 pools live at once and 16,777,215 values a pool.
class NamePool {
public:
    NamePool();
    NamePool(const NamePool&) = delete;
    NamePool& operator=(const NamePool&) = delete;
    ~NamePool();

    /// The Name of `text` (the one copy, made on its first use); an empty text is the empty Name.
    /// Throws std::length_error when the pool is full.
    Name intern(std::string text);
    /// Distinct values held.
    std::size_t size() const;

private:
    friend class Name;
    /// Values live in blocks that never move: block k holds 64 << k of them.
    static constexpr int kFirstBlockBits = 6;
    static constexpr int kBlocks = Name::kIndexBits - kFirstBlockBits + 1;
    const std::string& at(std::uint32_t index) const;

    std::uint32_t slot_ = 0;
    mutable std::mutex mutex_;
    std::unordered_map<std::string_view, std::uint32_t> index_;  ///< views of the held values
    std::array<std::atomic<std::string*>, kBlocks> blocks_{};
    std::uint32_t count_ = 0;
};

}  // namespace jixiao::model
