#pragma once

#include "model/decimal.h"

#include <map>
#include <memory>
#include <string>
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

    Kind kind() const { return kind_; }
    bool isNull() const { return kind_ == Kind::Null; }
    bool asBool() const { return bool_; }
    const model::Decimal& asNumber() const { return number_; }
    const std::string& asText() const { return text_; }
    const std::vector<Value>& items() const { return list_; }
    const std::map<std::string, Value>& fields() const { return map_; }

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
    Kind kind_ = Kind::Null;
    bool bool_ = false;
    model::Decimal number_;
    std::string text_;
    std::vector<Value> list_;
    std::map<std::string, Value> map_;
};

} // namespace jixiao::layout
