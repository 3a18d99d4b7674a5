#include "model/name_pool.h"

#include "model/slot_registry.h"

#include <stdexcept>

namespace jixiao::model {

namespace {

/// The live pools by slot, so that a 4-byte Name finds its text without a pointer to its pool.
SlotRegistry<NamePool> gPools;

/// Block and position of a value's index: block k starts at index (64 << k) − 64.
std::pair<int, std::uint32_t> blockOf(std::uint32_t index, int firstBits) {
    const std::uint32_t shifted = index + (1u << firstBits);
    const int top = 31 - __builtin_clz(shifted);
    return {top - firstBits, shifted - (1u << top)};
}

}  // namespace

const std::string& Name::none() {
    static const std::string empty;
    return empty;
}

const std::string& Name::str() const {
    if (id_ == 0) return none();
    return gPools.at(id_ >> kIndexBits)->at((id_ & ((1u << kIndexBits) - 1)) - 1);
}

NamePool::NamePool() : slot_(gPools.claim(this, "name pools")) {}

NamePool::~NamePool() {
    gPools.release(slot_);
    for (auto& block : blocks_) delete[] block.load();
}

const std::string& NamePool::at(std::uint32_t index) const {
    auto [block, pos] = blockOf(index, kFirstBlockBits);
    return blocks_[static_cast<std::size_t>(block)].load(std::memory_order_acquire)[pos];
}

Name NamePool::intern(std::string text) {
    Name n;
    if (text.empty()) return n;
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(text);
    if (found == index_.end()) {
        if (count_ + 1 >= (1u << Name::kIndexBits)) throw std::length_error("a name pool holds at most 16,777,215 values");
        auto [block, pos] = blockOf(count_, kFirstBlockBits);
        auto& b = blocks_[static_cast<std::size_t>(block)];
        std::string* values = b.load(std::memory_order_relaxed);
        if (!values) {
            values = new std::string[std::size_t{1} << (block + kFirstBlockBits)];
            b.store(values, std::memory_order_release);
        }
        values[pos] = std::move(text);
        found = index_.emplace(values[pos], count_++).first;
    }
    n.id_ = slot_ << Name::kIndexBits | (found->second + 1);
    return n;
}

std::size_t NamePool::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
}

}  // namespace jixiao::model
