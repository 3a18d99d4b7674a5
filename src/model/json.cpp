#include "model/json.h"

#include "model/text.h"

#include <cstdint>

namespace jixiao::model {

const JsonValue* JsonValue::find(const std::string& key) const {
    for (const auto& member : members)
        if (member.first == key) return &member.second;
    return nullptr;
}

bool JsonValue::isInteger() const { return kind == Kind::Number && text.find_first_of(".eE") == std::string::npos; }

namespace {

// JSON files users write are a few levels deep; the bound only keeps a hostile file from exhausting the stack.
constexpr int kMaxDepth = 64;

class Reader {
public:
    explicit Reader(const std::string& text) : text_(text) {
        if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    }

    JsonValue document() {
        skipSpace();
        JsonValue value = parseValue(0);
        skipSpace();
        if (pos_ < text_.size()) fail("JSON内容结束后还有多余的字符");
        return value;
    }

private:
    const std::string& text_;
    std::size_t pos_ = 0;
    int line_ = 1;
    std::size_t lineStart_ = 0;

    /// Columns count characters, not bytes, so that a position after Chinese text matches
    /// what an editor shows.
    int column() const {
        int column = 1;
        for (std::size_t i = lineStart_; i < pos_ && i < text_.size(); ++i)
            if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
        return column;
    }

    [[noreturn]] void fail(const std::string& message) const { throw JsonSyntaxError(line_, column(), message); }

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }

    void skipSpace() {
        while (!atEnd()) {
            char c = text_[pos_];
            if (c == '\n') {
                ++pos_;
                ++line_;
                lineStart_ = pos_;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                ++pos_;
            } else if (c == '/' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '/' || text_[pos_ + 1] == '*')) {
                fail("JSON不允许注释，说明文字请写在“说明”字段中");
            } else {
                break;
            }
        }
    }

    void expect(char c, const char* message) {
        if (peek() != c) fail(message);
        ++pos_;
    }

    JsonValue parseValue(int depth) {
        if (depth > kMaxDepth) fail("嵌套层数过多");
        JsonValue value;
        value.line = line_;
        value.column = column();
        char c = peek();
        if (c == '{') {
            parseObject(value, depth);
        } else if (c == '[') {
            parseArray(value, depth);
        } else if (c == '"') {
            value.kind = JsonValue::Kind::String;
            value.text = parseString();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            value.kind = JsonValue::Kind::Number;
            value.text = parseNumber();
        } else if (text_.compare(pos_, 4, "true") == 0) {
            value.kind = JsonValue::Kind::Bool;
            value.boolean = true;
            pos_ += 4;
        } else if (text_.compare(pos_, 5, "false") == 0) {
            value.kind = JsonValue::Kind::Bool;
            pos_ += 5;
        } else if (text_.compare(pos_, 4, "null") == 0) {
            pos_ += 4;
        } else if (atEnd()) {
            fail("JSON内容不完整");
        } else {
            fail("此处应为一个值（对象、数组、字符串、数字、true、false或null）");
        }
        return value;
    }

    void parseObject(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Object;
        ++pos_;
        skipSpace();
        if (peek() == '}') {
            ++pos_;
            return;
        }
        for (;;) {
            skipSpace();
            if (peek() != '"') fail(peek() == '}' ? "对象的最后一项后面不能有逗号" : "此处应为用双引号括起的键名");
            std::size_t keyPos = pos_;
            std::string key = parseString();
            if (value.find(key)) {
                pos_ = keyPos;
                fail("键“" + key + "”重复");
            }
            skipSpace();
            expect(':', "键名后面应为冒号“:”");
            skipSpace();
            JsonValue member = parseValue(depth + 1);
            value.members.emplace_back(std::move(key), std::move(member));
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect('}', "此处应为逗号“,”或右花括号“}”");
            return;
        }
    }

    void parseArray(JsonValue& value, int depth) {
        value.kind = JsonValue::Kind::Array;
        ++pos_;
        skipSpace();
        if (peek() == ']') {
            ++pos_;
            return;
        }
        for (;;) {
            skipSpace();
            if (peek() == ']') fail("数组的最后一项后面不能有逗号");
            value.items.push_back(parseValue(depth + 1));
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect(']', "此处应为逗号“,”或右方括号“]”");
            return;
        }
    }

    std::string parseNumber() {
        std::size_t start = pos_;
        if (peek() == '-') ++pos_;
        if (peek() == '0') {
            ++pos_;
        } else if (peek() >= '1' && peek() <= '9') {
            while (peek() >= '0' && peek() <= '9') ++pos_;
        } else {
            fail("数字格式不正确");
        }
        if (peek() == '.') {
            ++pos_;
            if (!(peek() >= '0' && peek() <= '9')) fail("数字的小数点后应有数字");
            while (peek() >= '0' && peek() <= '9') ++pos_;
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!(peek() >= '0' && peek() <= '9')) fail("数字的指数部分不正确");
            while (peek() >= '0' && peek() <= '9') ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }

    unsigned hex4() {
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            char c = peek();
            v <<= 4;
            if (c >= '0' && c <= '9') v |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
            else fail("\\u后面应为4位十六进制数字");
            ++pos_;
        }
        return v;
    }

    std::string parseString() {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (atEnd()) fail("字符串缺少结尾的双引号");
            char c = text_[pos_];
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) fail("字符串中不能直接换行或包含控制字符");
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            ++pos_;
            char e = peek();
            ++pos_;
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = hex4();
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (text_.compare(pos_, 2, "\\u") != 0) fail("不成对的UTF-16代理项");
                    pos_ += 2;
                    std::uint32_t low = hex4();
                    if (low < 0xDC00 || low > 0xDFFF) fail("不成对的UTF-16代理项");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    fail("不成对的UTF-16代理项");
                }
                model::appendUtf8(out, cp);
                break;
            }
            default: --pos_; fail("字符串中的转义字符不正确");
            }
        }
    }
};

}  // namespace

JsonValue parseJson(const std::string& text) { return Reader(text).document(); }

}  // namespace jixiao::model
