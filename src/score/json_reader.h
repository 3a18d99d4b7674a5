#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::score {

/// A parsed JSON value that keeps what a rule file needs and general parsers drop: numbers as
/// their literal text (so 0.9 stays exactly 0.9 instead of a binary double), object members in
/// file order (grades and bands are read top-down), and the line of every value for messages.
struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;  ///< String: the decoded UTF-8; Number: the literal as written
    std::vector<JsonValue> items;                          ///< Array elements
    std::vector<std::pair<std::string, JsonValue>> members;  ///< Object members, file order
    int line = 0;      ///< 1-based line where the value starts

    /// The member named `key`, or nullptr.
    const JsonValue* find(const std::string& key) const;
};

/// A JSON text that does not parse; line and column are 1-based (column counts characters).
class JsonSyntaxError : public std::runtime_error {
public:
    JsonSyntaxError(int line, int column, const std::string& what)
        : std::runtime_error(what), line_(line), column_(column) {}
    int line() const { return line_; }
    int column() const { return column_; }

private:
    int line_;
    int column_;
};

/// Parses strict JSON (RFC 8259: no comments, no trailing commas). A UTF-8 BOM is skipped.
/// Duplicate keys in one object are refused, since the second would silently win.
/// Throws JsonSyntaxError with a Chinese message.
JsonValue parseJson(const std::string& text);

} // namespace jixiao::score
