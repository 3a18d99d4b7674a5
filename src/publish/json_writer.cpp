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

JsonNode JsonNode::generated(std::size_t count, std::function<JsonNode(std::size_t)> item) {
    JsonNode n;
    n.kind = Kind::Generated;
    n.count = count;
    n.item = std::move(item);
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
    std::size_t plain = 0;  // start of the bytes not yet copied, which need no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 passes through: Chinese stays readable
        out.append(s, plain, i - plain);
        plain = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default: {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        }
        }
    }
    out.append(s, plain, s.size() - plain);
    out += '"';
}

/// The text being written, passed to the sink whenever an array item leaves it above a megabyte.
struct Output {
    std::string text;
    const ByteSink& sink;
    void itemDone() {
        if (text.size() < (std::size_t(1) << 20)) return;
        sink(text);
        text.clear();
    }
};

void write(Output& o, const JsonNode& n, int depth) {
    std::string& out = o.text;
    const std::size_t pad = std::size_t(depth + 1) * 2;  // spaces before an item or member
    const std::size_t closePad = std::size_t(depth) * 2;
    switch (n.kind) {
    case JsonNode::Kind::Null: out += "null"; return;
    case JsonNode::Kind::Bool: out += n.boolean ? "true" : "false"; return;
    case JsonNode::Kind::Number: out += n.text; return;
    case JsonNode::Kind::String: escape(out, n.text); return;
    case JsonNode::Kind::Array:
    case JsonNode::Kind::Generated: {
        const bool generated = n.kind == JsonNode::Kind::Generated;
        const std::size_t count = generated ? n.count : n.items.size();
        if (count == 0) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < count; ++i) {
            out.append(pad, ' ');
            if (generated) write(o, n.item(i), depth + 1);
            else write(o, n.items[i], depth + 1);
            out += i + 1 < count ? ",\n" : "\n";
            o.itemDone();
        }
        out.append(closePad, ' ');
        out += ']';
        return;
    }
    case JsonNode::Kind::Object:
        if (n.members.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < n.members.size(); ++i) {
            out.append(pad, ' ');
            escape(out, n.members[i].first);
            out += ": ";
            write(o, n.members[i].second, depth + 1);
            out += i + 1 < n.members.size() ? ",\n" : "\n";
        }
        out.append(closePad, ' ');
        out += '}';
        return;
    }
}

}  // namespace

void writeJson(const JsonNode& root, const ByteSink& sink) {
    Output o{{}, sink};
    write(o, root, 0);
    o.text += '\n';
    sink(o.text);
}

std::string toJson(const JsonNode& root) {
    std::string out;
    writeJson(root, [&out](std::string_view part) { out += part; });
    return out;
}

}  // namespace jixiao::publish
