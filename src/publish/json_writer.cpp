#include "publish/json_writer.h"

#include <cstdio>

namespace jixiao::publish {

JsonNode JsonNode::flag(bool b) {
    JsonNode n;
    n.kind = Kind::Bool;
    n.boolean = b;
    return n;
}

JsonNode JsonNode::number(const model::Decimal& d) {
    JsonNode n;
    n.kind = Kind::Number;
    n.text = d.toString();
    return n;
}

JsonNode JsonNode::integer(long long v) {
    JsonNode n;
    n.kind = Kind::Number;
    n.text = std::to_string(v);
    return n;
}

JsonNode JsonNode::string(std::string s) {
    JsonNode n;
    n.kind = Kind::String;
    n.text = std::move(s);
    return n;
}

JsonNode JsonNode::array() {
    JsonNode n;
    n.kind = Kind::Array;
    return n;
}

JsonNode JsonNode::object() {
    JsonNode n;
    n.kind = Kind::Object;
    return n;
}

JsonNode JsonNode::raw(std::string json) {
    JsonNode n;
    n.kind = Kind::Raw;
    n.text = std::move(json);
    return n;
}

JsonNode& JsonNode::set(std::string key, JsonNode value) {
    members.emplace_back(std::move(key), std::move(value));
    return *this;
}

JsonNode& JsonNode::push(JsonNode value) {
    items.push_back(std::move(value));
    return *this;
}

namespace {

void escape(std::string& out, const std::string& s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);  // UTF-8 passes through: Chinese stays readable
            }
        }
    }
    out += '"';
}

void write(std::string& out, const JsonNode& n, int depth) {
    const std::string pad(std::size_t(depth + 1) * 2, ' ');
    const std::string closePad(std::size_t(depth) * 2, ' ');
    switch (n.kind) {
    case JsonNode::Kind::Null: out += "null"; return;
    case JsonNode::Kind::Bool: out += n.boolean ? "true" : "false"; return;
    case JsonNode::Kind::Number:
    case JsonNode::Kind::Raw: out += n.text; return;
    case JsonNode::Kind::String: escape(out, n.text); return;
    case JsonNode::Kind::Array:
        if (n.items.empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < n.items.size(); ++i) {
            out += pad;
            write(out, n.items[i], depth + 1);
            out += i + 1 < n.items.size() ? ",\n" : "\n";
        }
        out += closePad + "]";
        return;
    case JsonNode::Kind::Object:
        if (n.members.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < n.members.size(); ++i) {
            out += pad;
            escape(out, n.members[i].first);
            out += ": ";
            write(out, n.members[i].second, depth + 1);
            out += i + 1 < n.members.size() ? ",\n" : "\n";
        }
        out += closePad + "}";
        return;
    }
}

} // namespace

std::string toJsonAt(const JsonNode& node, int depth) {
    std::string out;
    write(out, node, depth);
    return out;
}

std::string toJson(const JsonNode& root) {
    std::string out;
    write(out, root, 0);
    out += '\n';
    return out;
}

} // namespace jixiao::publish
