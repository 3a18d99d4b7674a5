#include "layout/value.h"

#include <mutex>
#include <utility>

namespace jixiao::layout {

Value::Value(bool b) : data_(b) {}
Value::Value(model::Decimal d) : data_(d) {}
Value::Value(std::string s) : data_(std::move(s)) {}
Value::Value(const char* s) : data_(std::string(s)) {}

Value Value::list() {
    Value v;
    v.data_ = std::vector<Value>();
    return v;
}

Value Value::map() {
    Value v;
    v.data_ = std::map<std::string, Value>();
    return v;
}

struct Value::Generated {
    std::size_t count = 0;
    std::function<Value(std::size_t)> item;
    std::once_flag made;
    std::vector<Value> items;  ///< made by items() only
};

Value Value::generated(std::size_t count, std::function<Value(std::size_t)> item) {
    auto g = std::make_shared<Generated>();
    g->count = count;
    g->item = std::move(item);
    Value v;
    v.data_ = std::move(g);
    return v;
}

bool Value::asBool() const {
    const bool* b = std::get_if<bool>(&data_);
    return b && *b;
}

const model::Decimal& Value::asNumber() const {
    static const model::Decimal zero;
    const model::Decimal* d = std::get_if<model::Decimal>(&data_);
    return d ? *d : zero;
}

const std::string& Value::asText() const {
    static const std::string empty;
    const std::string* t = std::get_if<std::string>(&data_);
    return t ? *t : empty;
}

const std::vector<Value>& Value::items() const {
    static const std::vector<Value> empty;
    if (const auto* g = std::get_if<std::shared_ptr<Generated>>(&data_)) {
        Generated& gen = **g;
        std::call_once(gen.made, [&gen] {
            gen.items.reserve(gen.count);
            for (std::size_t i = 0; i < gen.count; ++i) gen.items.push_back(gen.item(i));
        });
        return gen.items;
    }
    const std::vector<Value>* l = std::get_if<std::vector<Value>>(&data_);
    return l ? *l : empty;
}

const std::map<std::string, Value>& Value::fields() const {
    static const std::map<std::string, Value> empty;
    const std::map<std::string, Value>* m = std::get_if<std::map<std::string, Value>>(&data_);
    return m ? *m : empty;
}

std::size_t Value::size() const {
    if (const auto* g = std::get_if<std::shared_ptr<Generated>>(&data_)) return (*g)->count;
    const std::vector<Value>* l = std::get_if<std::vector<Value>>(&data_);
    return l ? l->size() : 0;
}

void Value::forEachItem(const std::function<void(const Value&, std::size_t)>& fn) const {
    if (const auto* g = std::get_if<std::shared_ptr<Generated>>(&data_)) {
        for (std::size_t i = 0; i < (*g)->count; ++i) fn((*g)->item(i), i);
        return;
    }
    const std::vector<Value>& list = items();
    for (std::size_t i = 0; i < list.size(); ++i) fn(list[i], i);
}

Value Value::resolved() const {
    switch (kind()) {
    case Kind::List: {
        Value out = list();
        forEachItem([&out](const Value& item, std::size_t) { out.push(item.resolved()); });
        return out;
    }
    case Kind::Map: {
        Value out = map();
        for (const auto& [key, field] : fields()) out.set(key, field.resolved());
        return out;
    }
    default: return *this;
    }
}

Value& Value::push(Value v) {
    if (!std::holds_alternative<std::vector<Value>>(data_)) data_ = std::vector<Value>();
    auto& list = std::get<std::vector<Value>>(data_);
    list.push_back(std::move(v));
    return list.back();
}

Value& Value::set(const std::string& key, Value v) {
    if (kind() != Kind::Map) data_ = std::map<std::string, Value>();
    Value& slot = std::get<std::map<std::string, Value>>(data_)[key];
    slot = std::move(v);
    return slot;
}

const Value* Value::get(const std::string& key) const {
    const auto* m = std::get_if<std::map<std::string, Value>>(&data_);
    if (!m) return nullptr;
    auto it = m->find(key);
    return it == m->end() ? nullptr : &it->second;
}

Value Value::take(const std::string& key) {
    auto* m = std::get_if<std::map<std::string, Value>>(&data_);
    if (!m) return Value();
    auto it = m->find(key);
    return it == m->end() ? Value() : std::move(it->second);
}

bool Value::truthy() const {
    switch (kind()) {
    case Kind::Null: return false;
    case Kind::Bool: return asBool();
    case Kind::Number: return !asNumber().isZero();
    case Kind::Text: return !asText().empty();
    case Kind::List: return size() != 0;
    case Kind::Map: return !fields().empty();
    }
    return false;
}

std::string Value::toText() const {
    switch (kind()) {
    case Kind::Bool: return asBool() ? "是" : "否";
    case Kind::Number: return asNumber().toString();
    case Kind::Text: return asText();
    default: return {};
    }
}

}  // namespace jixiao::layout
