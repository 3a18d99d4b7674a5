#pragma once

#include "model/decimal.h"

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

    Kind kind() const { return Kind(data_.index()); }
    bool isNull() const { return kind() == Kind::Null; }
    /// The scalar, list or map this holds; false, zero, empty for a value of another kind.
    bool asBool() const;
    const model::Decimal& asNumber() const;
    const std::string& asText() const;
    const std::vector<Value>& items() const;
    const std::map<std::string, Value>& fields() const;

    /// Appends to a list.
    Value& push(Value v);
    /// Sets a field of a map; returns the stored value.
    Value& set(const std::string& key, Value v);
    /// The field, or nullptr when this is not a map or has no such key.
    const Value* get(const std::string& key) const;

    /// Truthiness in conditions: null, false, 0, "" and empty lists are false.
    bool truthy() const;
    /// Plain text of a scalar (numbers in their shortest exact form); lists and maps give "".
    std::string toText() const;

private:
    /// One alternative per Kind, in its order. A summary holds hundreds of thousands of
    /// values: one member per kind made each node more than twice as large.
    std::variant<std::monostate, bool, model::Decimal, std::string, std::vector<Value>, std::map<std::string, Value>> data_;
};

} // namespace jixiao::layout
