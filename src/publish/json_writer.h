#pragma once

#include "model/decimal.h"

#include <string>
#include <utility>
#include <vector>

namespace jixiao::publish {

/// A JSON value being built for an output file. Numbers hold their final text, taken from
/// exact Decimals, so no double is ever involved; object members keep their insertion order,
/// so the bytes are the same from run to run.
struct JsonNode {
    enum class Kind { Null, Bool, Number, String, Array, Object, Raw };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;
    std::vector<JsonNode> items;
    std::vector<std::pair<std::string, JsonNode>> members;

    /// null
    static JsonNode null() { return {}; }
    /// true / false
    static JsonNode flag(bool b);
    /// An exact decimal in its shortest form.
    static JsonNode number(const model::Decimal& d);
    /// A whole number.
    static JsonNode integer(long long v);
    /// A UTF-8 string.
    static JsonNode string(std::string s);
    /// An empty array.
    static JsonNode array();
    /// An empty object.
    static JsonNode object();
    /// Already serialised JSON (from toJsonAt at the depth it will stand at), so that a large
    /// document can be built part by part without holding every node at once.
    static JsonNode raw(std::string json);
    /// Appends an object member.
    JsonNode& set(std::string key, JsonNode value);
    /// Appends an array item.
    JsonNode& push(JsonNode value);
};

/// Pretty-printed JSON (two-space indent, UTF-8 kept readable) with a final newline.
std::string toJson(const JsonNode& root);

/// The same for a node that will stand `depth` levels deep, without the final newline.
std::string toJsonAt(const JsonNode& node, int depth);

} // namespace jixiao::publish
