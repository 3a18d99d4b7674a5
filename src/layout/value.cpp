#include "layout/value.h"

#include <utility>

namespace jixiao::layout {

Value::Value(bool b) : kind_(Kind::Bool), bool_(b) {}
Value::Value(model::Decimal d) : kind_(Kind::Number), number_(d) {}
Value::Value(std::string s) : kind_(Kind::Text), text_(std::move(s)) {}
Value::Value(const char* s) : kind_(Kind::Text), text_(s) {}

Value Value::list() {
    Value v;
    v.kind_ = Kind::List;
    return v;
}

Value Value::map() {
    Value v;
    v.kind_ = Kind::Map;
    return v;
}

Value& Value::push(Value v) {
    list_.push_back(std::move(v));
    return list_.back();
}

Value& Value::set(const std::string& key, Value v) {
    Value& slot = map_[key];
    slot = std::move(v);
    return slot;
}

const Value* Value::get(const std::string& key) const {
    if (kind_ != Kind::Map) return nullptr;
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
}

bool Value::truthy() const {
    switch (kind_) {
    case Kind::Null: return false;
    case Kind::Bool: return bool_;
    case Kind::Number: return !number_.isZero();
    case Kind::Text: return !text_.empty();
    case Kind::List: return !list_.empty();
    case Kind::Map: return !map_.empty();
    }
    return false;
}

std::string Value::toText() const {
    switch (kind_) {
    case Kind::Bool: return bool_ ? "是" : "否";
    case Kind::Number: return number_.toString();
    case Kind::Text: return text_;
    default: return {};
    }
}

} // namespace jixiao::layout
