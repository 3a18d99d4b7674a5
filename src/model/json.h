#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::model {

/// The one reader for every JSON file a user writes (rule files, layout.json, dataset.json).
///
/// A parsed JSON value that keeps what such files need and general parsers drop: numbers as
/// their literal text (so 0.9 stays exactly 0.9 instead of a binary double), object members in
/// file order (grades and bands are read top-down), and the line and column where every value
/// starts, so that a message can point at it. Callers check kinds themselves and word their own
/// messages; this header only parses.
struct JsonValue {
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;                                        ///< String: the decoded UTF-8; Number: the literal as written
    std::vector<JsonValue> items;                            ///< Array elements
    std::vector<std::pair<std::string, JsonValue>> members;  ///< Object members, file order
    int line = 0;                                            ///< 1-based line where the value starts
    int column = 0;                                          ///< 1-based column where the value starts (counts characters, not bytes)

    /// The member named `key`, or nullptr.
    const JsonValue* find(const std::string& key) const;

    /// True for a Number written without fraction or exponent ("12", "-3"; not "12.0", "1e2").
    bool isInteger() const;
};

/// A JSON text that does not parse; line and column are 1-based (column counts characters).
class JsonSyntaxError : public std::runtime_error {
public:
    JsonSyntaxError(int line, int column, const std::string& what) : std::runtime_error(what), line_(line), column_(column) {}
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

}  // namespace jixiao::model
