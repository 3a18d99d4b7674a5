#include "model/name_pool.h"

namespace jixiao::model {

const std::string& Name::none() {
    static const std::string empty;
    return empty;
}

Name NamePool::intern(std::string text) {
    Name n;
    if (text.empty()) return n;
    std::lock_guard<std::mutex> lock(mutex_);
    n.text_ = &*texts_.insert(std::move(text)).first;
    return n;
}

std::size_t NamePool::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return texts_.size();
}

}  // namespace jixiao::model
