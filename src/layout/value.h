#pragma once

#include "model/decimal.h"

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace jixiao::layout {

/// The data a template sees: a tree of maps, lists, text, numbers and booleans, built from an
/// evaluation by layout/context. Maps keep their keys sorted, so iteration is deterministic.
class Value {
public:
    enum class Kind { Null, Bool, Number, Text, List, Map };

    Value() = default;
    Value(bool b);
    Value(model::Decimal d);
    Value(std::string s);
    Value(const char* s);
    static Value list();
    static Value map();
    /// A list of `count` items made one at a time by `item(i)` while a template walks it
    /// (forEachItem): a summary's lists of every project are never held whole. `item` must
    /// give the same value for the same i each time. items() makes them all once and keeps
    /// them, for a reader that needs them at once.
    static Value generated(std::size_t count, std::function<Value(std::size_t)> item);

    Kind kind() const { return data_.index() == kGenerated ? Kind::List : Kind(data_.index()); }
    bool isNull() const { return kind() == Kind::Null; }
    /// The scalar, list or map this holds; false, zero, empty for a value of another kind.
    bool asBool() const;
    const model::Decimal& asNumber() const;
    const std::string& asText() const;
    const std::vector<Value>& items() const;
    const std::map<std::string, Value>& fields() const;

    /// The number of items of a list; 0 for a value of another kind.
    std::size_t size() const;
    /// Calls `fn(item, i)` for each item of a list, in order; a generated item lives for its
    /// call only.
    void forEachItem(const std::function<void(const Value&, std::size_t)>& fn) const;
    /// A copy with every generated list made, for a value that must outlive what its
    /// generators read.
    Value resolved() const;

    /// Appends to a list.
    Value& push(Value v);
    /// Sets a field of a map; returns the stored value.
    Value& set(const std::string& key, Value v);
    /// The field, or nullptr when this is not a map or has no such key.
    const Value* get(const std::string& key) const;
    /// The field moved out (null when there is none), for a value that is not needed whole.
    Value take(const std::string& key);

    /// Truthiness in conditions: null, false, 0, "" and empty lists are false.
    bool truthy() const;
    /// Plain text of a scalar (numbers in their shortest exact form); lists and maps give "".
    std::string toText() const;

private:
    struct Generated;
    static constexpr std::size_t kGenerated = 6;
    /// One alternative per Kind, in its order, then a generated list. A summary holds hundreds
    /// of thousands of values: one member per kind made each node more than twice as large.
    std::variant<std::monostate, bool, model::Decimal, std::string, std::vector<Value>, std::map<std::string, Value>,
                 std::shared_ptr<Generated>>
        data_;
};

}  // namespace jixiao::layout
