#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace jixiao::model {

/// A short value that repeats across rows (指标名称, 计量单位, the owner's code …): 8 bytes, the
/// text itself held once per distinct value in its NamePool. Reads as a `const std::string&`;
/// the pool must outlive it (the Dataset that holds the rows owns their pool).
class Name {
public:
    Name() = default;
    const std::string& str() const { return text_ ? *text_ : none(); }
    operator const std::string&() const { return str(); }
    bool empty() const { return !text_ || text_->empty(); }
    std::size_t size() const { return str().size(); }

    friend bool operator==(const Name& a, const Name& b) { return a.str() == b.str(); }
    friend bool operator!=(const Name& a, const Name& b) { return !(a == b); }
    friend bool operator<(const Name& a, const Name& b) { return a.str() < b.str(); }
    friend bool operator==(const Name& a, std::string_view b) { return a.str() == b; }
    friend bool operator!=(const Name& a, std::string_view b) { return a.str() != b; }
    friend bool operator==(std::string_view a, const Name& b) { return a == b.str(); }
    friend bool operator!=(std::string_view a, const Name& b) { return a != b.str(); }

private:
    friend class NamePool;
    static const std::string& none();
    const std::string* text_ = nullptr;
};

/// One copy of each distinct value of a run's short repeated fields (thread-safe).
class NamePool {
public:
    NamePool() = default;
    NamePool(const NamePool&) = delete;
    NamePool& operator=(const NamePool&) = delete;

    /// The Name of `text` (the one copy, made on its first use); an empty text is the empty Name.
    Name intern(std::string text);
    /// Distinct values held.
    std::size_t size() const;

private:
    mutable std::mutex mutex_;
    std::unordered_set<std::string> texts_;
};

}  // namespace jixiao::model
