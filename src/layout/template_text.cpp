#include "layout/template_text.h"

#include "layout/field_names.h"
#include "model/date.h"
#include "model/text.h"

#include <algorithm>
#include <functional>
#include <optional>

namespace jixiao::layout {

namespace {

std::string trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

struct Filter {
    std::string name;
    std::string arg;  // unquoted
};

/// A dotted path split into its parts once, when parsed.
std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 0;
    for (;;) {
        auto dot = path.find('.', start);
        parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return parts;
}

struct Operand {
    bool literal = false;
    Value value;                     // when literal
    std::string path;                // otherwise
    std::vector<std::string> parts;  // the path's parts
};

struct Comparison {
    bool negate = false;
    Operand left;
    std::string op;  // empty = truthiness
    Operand right;
};

/// Disjunction of conjunctions.
using Condition = std::vector<std::vector<Comparison>>;

}  // namespace

struct TextTemplate::Node {
    enum class Type { Text, Expr, If, Each } type = Type::Text;
    int line = 0;
    std::string text;                         // Text
    std::string path;                         // Expr, Each
    std::vector<std::string> parts;           // path split at its dots
    std::vector<Filter> filters;              // Expr
    std::vector<Condition> conditions;        // If: one per branch (else has none)
    std::vector<std::vector<Node>> branches;  // If: conditions.size() or +1 with else; Each: [0]
};

namespace {

using Node = TextTemplate::Node;

class Parser {
public:
    Parser(const std::string& src, const std::string& file, int firstLine) : src_(src), file_(file), line_(firstLine) {}

    std::vector<Node> parseAll() {
        std::string closer;
        auto nodes = parseUntil({}, closer);
        return nodes;
    }

private:
    [[noreturn]] void fail(int line, const std::string& message) const {
        throw TemplateError(file_ + ":" + std::to_string(line) + ": " + message);
    }

    /// Parses nodes until a tag in `stops` (returned in `stop`) or the end.
    std::vector<Node> parseUntil(const std::vector<std::string>& stops, std::string& stop) {
        std::vector<Node> out;
        while (pos_ < src_.size()) {
            auto open = src_.find("{{", pos_);
            if (open == std::string::npos) open = src_.size();
            if (open > pos_) {
                Node t;
                t.type = Node::Type::Text;
                t.line = line_;
                t.text = src_.substr(pos_, open - pos_);
                line_ += int(std::count(t.text.begin(), t.text.end(), '\n'));
                out.push_back(std::move(t));
            }
            if (open >= src_.size()) {
                pos_ = src_.size();
                break;
            }
            auto close = src_.find("}}", open + 2);
            int tagLine = line_;
            if (close == std::string::npos) fail(tagLine, "“{{”没有对应的“}}”。");
            std::string tag = trim(src_.substr(open + 2, close - open - 2));
            line_ += int(std::count(src_.begin() + long(open), src_.begin() + long(close), '\n'));
            pos_ = close + 2;
            if (tag.empty()) fail(tagLine, "空的 {{ }}。");
            if (tag[0] == '!') continue;
            std::string word = tag.substr(0, tag.find_first_of(" \t"));
            if (std::find(stops.begin(), stops.end(), word) != stops.end()) {
                stop = word;
                stopTag_ = tag;
                stopLine_ = tagLine;
                return out;
            }
            if (word == "#if") {
                out.push_back(parseIf(tag, tagLine));
            } else if (word == "#each") {
                Node n;
                n.type = Node::Type::Each;
                n.line = tagLine;
                n.path = trim(tag.substr(5));
                if (n.path.empty()) fail(tagLine, "{{#each}} 需要一个列表字段，如 {{#each indicators}}。");
                n.parts = splitPath(n.path);
                std::string s;
                n.branches.push_back(parseUntil({"/each"}, s));
                if (s != "/each") fail(tagLine, "{{#each " + n.path + "}} 没有对应的 {{/each}}。");
                out.push_back(std::move(n));
            } else if (word == "#elif" || word == "#else" || word == "/if" || word == "/each") {
                fail(tagLine, "多余的 {{" + word + "}}，前面没有对应的开始标记。");
            } else if (word[0] == '#' || word[0] == '/') {
                fail(tagLine, "未知的标记 {{" + word + "}}。可用：{{#if}}、{{#elif}}、{{#else}}、{{/if}}、{{#each}}、{{/each}}。");
            } else {
                out.push_back(parseExpr(tag, tagLine));
            }
        }
        stop.clear();
        return out;
    }

    Node parseIf(const std::string& tag, int tagLine) {
        Node n;
        n.type = Node::Type::If;
        n.line = tagLine;
        n.conditions.push_back(parseCondition(trim(tag.substr(3)), tagLine));
        for (;;) {
            std::string s;
            n.branches.push_back(parseUntil({"#elif", "#else", "/if"}, s));
            if (s.empty()) fail(tagLine, "{{#if}} 没有对应的 {{/if}}。");
            if (s == "/if") break;
            if (s == "#elif") {
                if (n.branches.size() > n.conditions.size()) fail(stopLine_, "{{#elif}} 不能出现在 {{#else}} 之后。");
                n.conditions.push_back(parseCondition(trim(stopTag_.substr(5)), stopLine_));
            } else if (n.branches.size() > n.conditions.size()) {
                fail(stopLine_, "一个 {{#if}} 只能有一个 {{#else}}。");
            }
        }
        return n;
    }

    Node parseExpr(const std::string& tag, int tagLine) {
        Node n;
        n.type = Node::Type::Expr;
        n.line = tagLine;
        std::vector<std::string> parts;
        std::string cur;
        bool quoted = false;
        for (char c : tag) {
            if (c == '"') quoted = !quoted;
            if (c == '|' && !quoted) {
                parts.push_back(trim(cur));
                cur.clear();
            } else {
                cur += c;
            }
        }
        parts.push_back(trim(cur));
        n.path = parts[0];
        checkPath(n.path, tagLine);
        n.parts = splitPath(n.path);
        for (size_t i = 1; i < parts.size(); ++i) {
            Filter f;
            auto colon = parts[i].find(':');
            f.name = trim(parts[i].substr(0, colon));
            if (colon != std::string::npos) {
                f.arg = trim(parts[i].substr(colon + 1));
                if (f.arg.size() >= 2 && f.arg.front() == '"' && f.arg.back() == '"') f.arg = f.arg.substr(1, f.arg.size() - 2);
            }
            static const std::vector<std::string> known = {"percent", "fixed", "money", "int", "default", "cn_date", "cn_num", "abs"};
            if (std::find(known.begin(), known.end(), f.name) == known.end())
                fail(tagLine, "未知的格式" + model::quoted(f.name) + "。可用：percent、fixed、money、int、default、cn_date、cn_num、abs。");
            n.filters.push_back(std::move(f));
        }
        return n;
    }

    void checkPath(const std::string& path, int tagLine) const {
        if (path.empty()) fail(tagLine, "{{ }} 中缺少字段名。");
        for (char c : path)
            if (c == ' ' || c == '"' || c == '{' || c == '}' || c == '<' || c == '>' || c == '=')
                fail(tagLine, "字段名" + model::quoted(path) + "中有不允许的字符。");
    }

    Operand parseOperand(const std::string& text, int tagLine) const {
        Operand o;
        std::string t = trim(text);
        if (t.size() >= 2 && t.front() == '"' && t.back() == '"') {
            o.literal = true;
            o.value = Value(t.substr(1, t.size() - 2));
        } else if (t.size() >= 6 && t.rfind("“", 0) == 0 && t.compare(t.size() - 3, 3, "”") == 0) {
            o.literal = true;
            o.value = Value(t.substr(3, t.size() - 6));
        } else if (auto d = model::Decimal::parse(t)) {
            o.literal = true;
            o.value = Value(*d);
        } else if (t == "true" || t == "false") {
            o.literal = true;
            o.value = Value(t == "true");
        } else {
            checkPath(t, tagLine);
            o.path = t;
            o.parts = splitPath(t);
        }
        return o;
    }

    static std::vector<std::string> splitWord(const std::string& s, const std::string& word) {
        std::vector<std::string> out;
        std::string sep = " " + word + " ";
        size_t start = 0;
        for (;;) {
            auto at = s.find(sep, start);
            if (at == std::string::npos) {
                out.push_back(s.substr(start));
                return out;
            }
            out.push_back(s.substr(start, at - start));
            start = at + sep.size();
        }
    }

    Condition parseCondition(const std::string& text, int tagLine) const {
        if (text.empty()) fail(tagLine, "{{#if}} 缺少条件。");
        Condition cond;
        for (const auto& alt : splitWord(text, "or")) {
            std::vector<Comparison> all;
            for (const auto& part : splitWord(alt, "and")) {
                Comparison c;
                std::string t = trim(part);
                if (t.rfind("not ", 0) == 0) {
                    c.negate = true;
                    t = trim(t.substr(4));
                }
                static const char* ops[] = {"<=", ">=", "==", "!=", "<", ">"};
                size_t at = std::string::npos;
                for (const char* op : ops) {
                    at = t.find(op);
                    if (at != std::string::npos) {
                        c.op = op;
                        break;
                    }
                }
                if (c.op.empty()) {
                    c.left = parseOperand(t, tagLine);
                } else {
                    c.left = parseOperand(t.substr(0, at), tagLine);
                    c.right = parseOperand(t.substr(at + c.op.size()), tagLine);
                }
                all.push_back(std::move(c));
            }
            cond.push_back(std::move(all));
        }
        return cond;
    }

    const std::string& src_;
    const std::string& file_;
    int line_;
    size_t pos_ = 0;
    std::string stopTag_;
    int stopLine_ = 0;
};

/// Evaluation state: the scope chain (innermost last) and loop variables.
class Renderer {
public:
    /// Starts from `scopes` (outermost first), with room for a few nested loops' two scopes
    /// each: one allocation per render rather than one per doubling.
    Renderer(const std::string& file, const std::vector<const Value*>& scopes) : file_(file) {
        scopes_.reserve(scopes.size() + 6);
        scopes_.assign(scopes.begin(), scopes.end());
    }

    void push(const Value* scope) { scopes_.push_back(scope); }
    void pop() { scopes_.pop_back(); }

    const Value& lookup(const std::string& path, int line) const { return lookup(path, splitPath(path), line); }

    /// `path` looked up by its parts (split when the template was parsed).
    const Value& lookup(const std::string& path, const std::vector<std::string>& parts, int line) const {
        for (auto s = scopes_.rbegin(); s != scopes_.rend(); ++s)
            if (const Value* v = walk(**s, path, parts, line)) return *v;
        if (const Value* v = chineseName(path, line)) return *v;
        unknownRoot(path, parts[0], line);
    }

    /// `parts` looked up in one scope: nullptr when the scope lacks the first part; a path
    /// through a null parent is null; a missing later part is a template mistake (`shown`
    /// is the path as the template wrote it).
    const Value* walk(const Value& scope, const std::string& shown, const std::vector<std::string>& parts, int line) const {
        static const Value null;
        const Value* v = scope.get(parts[0]);
        if (!v) return nullptr;
        for (size_t i = 1; i < parts.size(); ++i) {
            if (v->isNull()) return &null;  // a null parent makes the whole path null
            const Value* next = v->get(parts[i]);
            if (!next) unknown(shown, parts, i, *v, line);
            v = next;
        }
        return v;
    }

    /// A Chinese field name (layout/field_names.h), innermost scope first: a field of a list's
    /// items in a scope that is such an item (or its loop variables), a top-level path in any.
    const Value* chineseName(const std::string& name, int line) const {
        const auto candidates = fieldNamesCalled(name);
        if (candidates.empty()) return nullptr;
        for (size_t i = scopes_.size(); i-- > 0;) {
            const Value& scope = *scopes_[i];
            for (const FieldName* f : candidates) {
                if (*f->list) {
                    if (i == 0) continue;  // the record itself is no list item
                    if (f->path[0] != '@' && !scope.get(listKindMarker(f->list))) continue;
                }
                if (const Value* v = walk(scope, f->path, splitPath(f->path), line)) return v;
            }
        }
        return nullptr;
    }

    [[noreturn]] void unknown(const std::string& path, const std::vector<std::string>& parts, size_t i, const Value& parent,
                              int line) const {
        std::string hint = suggest(parts[i], parent);
        std::string prefix;
        for (size_t k = 0; k < i; ++k) prefix += parts[k] + ".";
        throw TemplateError(file_ + ":" + std::to_string(line) + ": 未知字段" + model::quoted(path) + "。" +
                            (hint.empty() ? "" : "是否指" + model::quoted(prefix + hint) + "？"));
    }

    [[noreturn]] void unknownRoot(const std::string& path, const std::string& root, int line) const {
        // A Chinese name used where its data is not: outside its list, or in a form of another kind.
        const auto named = fieldNamesCalled(path);
        if (!named.empty()) {
            const FieldName* f = named.front();
            const std::string where = file_ + ":" + std::to_string(line) + ": ";
            if (*f->list) {
                const std::string list = listNameOfKind(f->list);
                throw TemplateError(where + model::quoted(path) + "是列表“" + list + "”中每一项的字段，只能写在 {{#each " + list +
                                    "}} 与 {{/each}} 之间。");
            }
            throw TemplateError(where + "这张表的数据中没有" + model::quoted(path) + "（" + f->path +
                                "）：它属于另一种表（见 form.json 的 per）。");
        }
        // The fields in scope and the Chinese names, so that "项目名" gets "项目名称".
        std::vector<std::string> names;
        for (const Value* s : scopes_)
            for (const auto& [k, v] : s->fields()) names.push_back(k);
        if (root == path)
            for (const auto& f : fieldNames()) names.push_back(f.name);
        auto best = model::closestMatch(root, names);
        std::string rest = path.substr(root.size());
        throw TemplateError(file_ + ":" + std::to_string(line) + ": 未知字段" + model::quoted(path) + "。" +
                            (best ? "是否指" + model::quoted(*best + rest) + "？" : ""));
    }

    static std::string suggest(const std::string& key, const Value& parent) {
        std::vector<std::string> names;
        for (const auto& [k, v] : parent.fields()) names.push_back(k);
        return model::closestMatch(key, names).value_or(std::string());
    }

    const Value& operand(const Operand& o, int line) const { return o.literal ? o.value : lookup(o.path, o.parts, line); }

    bool test(const Condition& cond, int line) const {
        for (const auto& all : cond) {
            bool ok = true;
            for (const auto& c : all) {
                bool r;
                const Value& l = operand(c.left, line);
                if (c.op.empty()) {
                    r = l.truthy();
                } else {
                    const Value& rv = operand(c.right, line);
                    r = compare(l, c.op, rv);
                }
                if (c.negate) r = !r;
                if (!r) {
                    ok = false;
                    break;
                }
            }
            if (ok) return true;
        }
        return false;
    }

    static bool compare(const Value& l, const std::string& op, const Value& r) {
        if (l.isNull() || r.isNull()) return op == "!=" ? l.isNull() != r.isNull() : (op == "==" && l.isNull() && r.isNull());
        int c;
        if (l.kind() == Value::Kind::Number && r.kind() == Value::Kind::Number)
            c = l.asNumber() < r.asNumber() ? -1 : (r.asNumber() < l.asNumber() ? 1 : 0);
        else {
            std::string a = l.toText(), b = r.toText();
            c = a < b ? -1 : (b < a ? 1 : 0);
        }
        if (op == "==") return c == 0;
        if (op == "!=") return c != 0;
        if (op == "<") return c < 0;
        if (op == "<=") return c <= 0;
        if (op == ">") return c > 0;
        return c >= 0;
    }

    /// The list an {{#each}} walks; none for a missing value. A value that is no list is the
    /// template's error.
    const Value* eachList(const Node& n) const {
        const Value& list = lookup(n.path, n.parts, n.line);
        if (list.isNull()) return nullptr;
        if (list.kind() != Value::Kind::List)
            throw TemplateError(file_ + ":" + std::to_string(n.line) + ": " + model::quoted(n.path) + "不是列表，不能用于 {{#each}}。");
        return &list;
    }

    /// The loop's own names for item `i` of `count`: @index (from 1), @first, @last.
    static Value loopVariables(std::size_t i, std::size_t count) {
        LoopVariables loop;
        loop.at(i, count);
        return loop.scope;
    }

    void run(const std::vector<Node>& nodes, std::string& out) {
        for (const auto& n : nodes) {
            switch (n.type) {
            case Node::Type::Text: out += n.text; break;
            case Node::Type::Expr: out += format(lookup(n.path, n.parts, n.line), n.filters, n.line); break;
            case Node::Type::If: {
                size_t k = 0;
                for (; k < n.conditions.size(); ++k)
                    if (test(n.conditions[k], n.line)) break;
                if (k < n.branches.size()) run(n.branches[k], out);
                break;
            }
            case Node::Type::Each: {
                const Value* list = eachList(n);
                if (!list) break;
                const size_t count = list->size();
                LoopVariables loop;
                list->forEachItem([&](const Value& item, size_t i) {
                    loop.at(i, count);
                    push(&loop.scope);
                    push(&item);
                    run(n.branches[0], out);
                    pop();
                    pop();
                });
                break;
            }
            }
        }
    }

    /// Looks up every field of `nodes` in every branch; an each body against the list's
    /// first item (a list that is null or empty in the sample leaves its body unchecked).
    void check(const std::vector<Node>& nodes) {
        for (const auto& n : nodes) {
            switch (n.type) {
            case Node::Type::Text: break;
            case Node::Type::Expr: lookup(n.path, n.parts, n.line); break;
            case Node::Type::If:
                for (const auto& cond : n.conditions)
                    for (const auto& all : cond)
                        for (const auto& c : all) {
                            operand(c.left, n.line);
                            if (!c.op.empty()) operand(c.right, n.line);
                        }
                for (const auto& branch : n.branches) check(branch);
                break;
            case Node::Type::Each: {
                const Value* list = eachList(n);
                if (!list || list->size() == 0) break;
                const std::vector<Value>* items = &list->items();
                Value loop = loopVariables(0, 1);
                push(&loop);
                push(&items->front());
                check(n.branches[0]);
                pop();
                pop();
                break;
            }
            }
        }
    }

    std::string format(const Value& v, const std::vector<Filter>& filters, int line) const {
        std::string text = v.toText();
        bool isNumber = v.kind() == Value::Kind::Number;
        model::Decimal number = v.asNumber();
        for (const auto& f : filters) {
            if (f.name == "default") {
                if (text.empty()) text = f.arg;
                isNumber = false;
                continue;
            }
            if (f.name == "cn_date") {
                text = model::chineseDate(text);
                isNumber = false;
                continue;
            }
            if (!isNumber) {
                if (v.isNull()) continue;  // a null stays empty; `default` gives it a face
                throw TemplateError(file_ + ":" + std::to_string(line) + ": 格式" + model::quoted(f.name) + "只能用于数字，实际值为" +
                                    model::quoted(text) + "。");
            }
            int places = -1;
            if (!f.arg.empty()) {
                auto d = model::Decimal::parse(f.arg);
                if (!d || d->isNegative() || *d > model::Decimal::fromInt(8))
                    throw TemplateError(file_ + ":" + std::to_string(line) + ": 格式" + model::quoted(f.name) + "的位数应为0到8，实际为" +
                                        model::quoted(f.arg) + "。");
                places = int(d->raw() / model::Decimal::kScale);
            }
            if (f.name == "abs") {
                if (number.isNegative()) number = -number;
                text = number.toString();
                continue;
            }
            text = *formatNumber(number, f.name, places);
            isNumber = false;
        }
        return text;
    }

private:
    const std::string& file_;
    std::vector<const Value*> scopes_;
};

void appendFixedText(const std::vector<Node>& nodes, std::string& out) {
    for (const auto& n : nodes) {
        if (n.type == Node::Type::Text) out += n.text;
        for (const auto& branch : n.branches) appendFixedText(branch, out);
    }
}

std::string groupThousands(const std::string& fixed) {
    bool negative = !fixed.empty() && fixed[0] == '-';
    std::string body = negative ? fixed.substr(1) : fixed;
    auto point = body.find('.');
    std::string whole = body.substr(0, point);
    std::string frac = point == std::string::npos ? "" : body.substr(point);
    std::string grouped;
    for (size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + frac;
}

std::string chineseNumber(std::int64_t n) {
    static const char* digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 0 || n > 99) return std::to_string(n);
    if (n < 10) return digits[n];
    std::string out = n / 10 == 1 ? "" : digits[n / 10];
    out += "十";
    if (n % 10) out += digits[n % 10];
    return out;
}

}  // namespace

std::optional<std::string> formatNumber(const model::Decimal& value, const std::string& filter, int places) {
    if (filter == "percent") return (value * model::Decimal::fromInt(100)).toFixed(places < 0 ? 2 : places) + "%";
    if (filter == "fixed") return value.toFixed(places < 0 ? 2 : places);
    if (filter == "money") return groupThousands(value.toFixed(places < 0 ? 2 : places));
    if (filter == "int") return value.toFixed(0);
    if (filter == "cn_num") return chineseNumber(value.raw() / model::Decimal::kScale);
    return std::nullopt;
}

TextTemplate TextTemplate::parse(const std::string& source, const std::string& file, int firstLine) {
    TextTemplate t;
    t.file_ = file;
    t.nodes_ = std::make_shared<const std::vector<Node>>(Parser(source, file, firstLine).parseAll());
    return t;
}

std::string TextTemplate::render(const Value& data) const { return render(std::vector<const Value*>{&data}); }

std::string TextTemplate::render(const std::vector<const Value*>& scopes) const {
    Renderer r(file_, scopes);
    std::string out;
    if (nodes_) r.run(*nodes_, out);
    return model::tidyPunctuation(std::move(out));
}

void TextTemplate::check(const std::vector<const Value*>& scopes) const {
    Renderer r(file_, scopes);
    if (nodes_) r.check(*nodes_);
}

LoopVariables::LoopVariables()
    : scope(Value::map()),
      index_(&scope.set("@index", Value())),
      first_(&scope.set("@first", Value())),
      last_(&scope.set("@last", Value())) {}

void LoopVariables::at(std::size_t i, std::size_t count) {
    *index_ = Value(model::Decimal::fromInt(std::int64_t(i) + 1));
    *first_ = Value(i == 0);
    *last_ = Value(i + 1 == count);
}

std::string TextTemplate::fixedText() const {
    std::string out;
    if (nodes_) appendFixedText(*nodes_, out);
    return model::tidyPunctuation(std::move(out));
}

const Value& resolvePath(const std::vector<const Value*>& scopes, const std::string& path, const std::string& file, int line) {
    Renderer r(file, scopes);
    return r.lookup(path, line);
}

}  // namespace jixiao::layout
