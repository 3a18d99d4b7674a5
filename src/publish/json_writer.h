#pragma once

#include "model/decimal.h"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jixiao::publish {

/// Receives a text part by part, in order.
using ByteSink = std::function<void(std::string_view)>;

/// A JSON value being built for an output file. Numbers hold their final text, taken from
/// exact Decimals, so no double is ever involved; object members keep their insertion order,
/// so the bytes are the same from run to run.
struct JsonNode {
    enum class Kind { Null, Bool, Number, String, Array, Object, Generated };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;
    std::vector<JsonNode> items;
    std::vector<std::pair<std::string, JsonNode>> members;
    std::size_t count = 0;                      ///< Generated: how many items
    std::function<JsonNode(std::size_t)> item;  ///< Generated: makes item i

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
    /// An array whose `count` items are made one at a time while it is written, so that a large
    /// document (results.json: 200 MB at 20,000 projects) never holds more than one item's nodes.
    static JsonNode generated(std::size_t count, std::function<JsonNode(std::size_t)> item);
    /// Appends an object member.
    JsonNode& set(std::string key, JsonNode value);
    /// Appends an array item.
    JsonNode& push(JsonNode value);
};

/// Pretty-printed JSON (two-space indent, UTF-8 kept readable) with a final newline.
std::string toJson(const JsonNode& root);

/// The same text passed to `sink` in parts of about a megabyte, for documents too large to
/// hold in memory.
void writeJson(const JsonNode& root, const ByteSink& sink);

}  // namespace jixiao::publish
