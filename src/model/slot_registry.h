#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace jixiao::model {

/// The live owners of one kind by slot (1 to 255; 0 names none), so that a compact handle can
/// name its owner in a few bits and find it from any thread without holding a pointer.
template <class Owner>
class SlotRegistry {
public:
    /// Takes a free slot for `owner`; `kind` names the owners in the error when none is free.
    std::uint32_t claim(const Owner* owner, const char* kind) {
        for (std::uint32_t s = 1; s < slots_.size(); ++s) {
            const Owner* free = nullptr;
            if (slots_[s].compare_exchange_strong(free, owner)) return s;
        }
        throw std::length_error(std::string("too many ") + kind + " alive at once (255)");
    }

    void release(std::uint32_t slot) { slots_[slot].store(nullptr); }

    const Owner* at(std::uint32_t slot) const { return slots_[slot].load(std::memory_order_acquire); }

private:
    std::array<std::atomic<const Owner*>, 256> slots_{};
};

}  // namespace jixiao::model
