#include "layout/grid_formula.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

namespace jixiao::layout {

namespace {

using model::Decimal;

bool isTokenChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

/// An A1 reference as written: `$C$5`.
struct A1 {
    int row = 0, column = 0;
    bool absRow = false, absColumn = false;

    std::string text() const { return (absColumn ? "$" : "") + columnLetters(column) + (absRow ? "$" : "") + std::to_string(row + 1); }
};

std::optional<A1> parseA1(const std::string& token) {
    A1 a;
    std::size_t i = 0;
    if (i < token.size() && token[i] == '$') {
        a.absColumn = true;
        ++i;
    }
    const std::size_t lettersAt = i;
    int column = 0;
    while (i < token.size() && std::isalpha(static_cast<unsigned char>(token[i]))) {
        column = column * 26 + (std::toupper(static_cast<unsigned char>(token[i])) - 'A' + 1);
        ++i;
    }
    if (i == lettersAt || i - lettersAt > 3 || column > 16384) return std::nullopt;
    if (i < token.size() && token[i] == '$') {
        a.absRow = true;
        ++i;
    }
    const std::size_t digitsAt = i;
    long row = 0;
    while (i < token.size() && std::isdigit(static_cast<unsigned char>(token[i]))) {
        row = row * 10 + (token[i] - '0');
        if (row > 1048576) return std::nullopt;
        ++i;
    }
    if (i == digitsAt || i != token.size() || row == 0) return std::nullopt;
    a.column = column - 1;
    a.row = int(row - 1);
    return a;
}

/// Calls `onRef(first, last)` (last empty for a lone cell) for every reference to this sheet
/// and builds the formula from what it returns; everything else is copied.
std::string rewrite(const std::string& f, const std::function<std::string(const A1&, const std::optional<A1>&)>& onRef) {
    std::string out;
    std::size_t i = 0;
    bool foreign = false;  // the next reference names another sheet
    while (i < f.size()) {
        const char c = f[i];
        if (c == '"') {
            std::size_t end = i + 1;
            while (end < f.size()) {
                if (f[end] == '"' && end + 1 < f.size() && f[end + 1] == '"') end += 2;
                else if (f[end] == '"') break;
                else ++end;
            }
            out.append(f, i, end + 1 - i);
            i = end + 1;
            continue;
        }
        if (c == '\'') {
            std::size_t end = f.find('\'', i + 1);
            while (end != std::string::npos && end + 1 < f.size() && f[end + 1] == '\'') end = f.find('\'', end + 2);
            if (end == std::string::npos) end = f.size() - 1;
            out.append(f, i, end + 1 - i);
            i = end + 1;
            if (i < f.size() && f[i] == '!') {
                out += '!';
                ++i;
                foreign = true;
            }
            continue;
        }
        if (!isTokenChar(c)) {
            out += c;
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < f.size() && isTokenChar(f[end])) ++end;
        const std::string token = f.substr(i, end - i);
        i = end;
        if (i < f.size() && f[i] == '!') {
            out += token + '!';
            ++i;
            foreign = true;
            continue;
        }
        const std::optional<A1> first = (i < f.size() && f[i] == '(') ? std::nullopt : parseA1(token);
        if (!first) {
            out += token;
            foreign = false;
            continue;
        }
        std::optional<A1> last;
        std::string lastToken;
        if (i < f.size() && f[i] == ':') {
            std::size_t e2 = i + 1;
            while (e2 < f.size() && isTokenChar(f[e2])) ++e2;
            lastToken = f.substr(i + 1, e2 - i - 1);
            last = parseA1(lastToken);
            if (last) i = e2;
        }
        if (foreign) out += token + (last ? ":" + lastToken : "");
        else out += onRef(*first, last);
        foreign = false;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

struct Val {
    enum class Kind { Empty, Number, Text, Bool, Error, Range };
    Kind kind = Kind::Empty;
    Decimal number;
    std::string text;
    bool flag = false;
    int r0 = 0, c0 = 0, r1 = 0, c1 = 0;

    static Val num(Decimal d) { return {Kind::Number, d, {}}; }
    static Val str(std::string s) { return {Kind::Text, {}, std::move(s)}; }
    static Val boolean(bool b) { return {Kind::Bool, {}, {}, b}; }
    static Val error(std::string e) { return {Kind::Error, {}, std::move(e)}; }
};

class Evaluator {
public:
    explicit Evaluator(const Grid& grid) : grid_(grid) {}

    Val cell(int row, int column) {
        if (row < 0 || column < 0 || row >= grid_.rowCount() || column >= grid_.columns) return {};
        const GridCell& c = grid_.rows[std::size_t(row)][std::size_t(column)];
        if (!c.formula.empty()) {
            const long key = long(row) * 20000 + column;
            auto it = memo_.find(key);
            if (it != memo_.end()) return it->second;
            if (!active_.insert(key).second) return Val::error("#REF!");
            Val v = evaluate(c.formula);
            if (v.kind == Val::Kind::Range) v = single(v);
            active_.erase(key);
            memo_[key] = v;
            return v;
        }
        switch (c.kind) {
        case GridCell::Kind::Number: return Val::num(c.number);
        case GridCell::Kind::Text: return Val::str(c.text);
        case GridCell::Kind::Boolean: return Val::boolean(c.text == "TRUE");
        case GridCell::Kind::Empty: break;
        }
        return {};
    }

    Val evaluate(const std::string& formula) {
        src_ = &formula;
        std::size_t saved = pos_;
        const std::string* savedSrc = src_;
        pos_ = 0;
        Val v;
        try {
            v = compare();
            skip();
            if (pos_ != formula.size()) v = Val::error("#NAME?");
        } catch (const std::domain_error&) {
            v = Val::error("#DIV/0!");
        } catch (const std::overflow_error&) {
            v = Val::error("#NUM!");
        }
        pos_ = saved;
        src_ = savedSrc;
        return v;
    }

    std::string unknown;  ///< first unknown function met

private:
    const std::string& s() const { return *src_; }
    void skip() {
        while (pos_ < s().size() && s()[pos_] == ' ') ++pos_;
    }
    bool eat(const char* op) {
        skip();
        const std::size_t n = std::char_traits<char>::length(op);
        if (s().compare(pos_, n, op) == 0) {
            pos_ += n;
            return true;
        }
        return false;
    }

    Val single(const Val& v) {
        if (v.kind != Val::Kind::Range) return v;
        if (v.r0 == v.r1 && v.c0 == v.c1) return cell(v.r0, v.c0);
        return Val::error("#VALUE!");
    }

    Val number(const Val& raw, bool& ok) {
        Val v = single(raw);
        ok = true;
        switch (v.kind) {
        case Val::Kind::Number: return v;
        case Val::Kind::Empty: return Val::num(Decimal());
        case Val::Kind::Bool: return Val::num(Decimal::fromInt(v.flag ? 1 : 0));
        case Val::Kind::Text: {
            if (auto d = Decimal::parse(v.text)) return Val::num(*d);
            ok = false;
            return Val::error("#VALUE!");
        }
        case Val::Kind::Error:
        case Val::Kind::Range: break;
        }
        ok = false;
        return v.kind == Val::Kind::Error ? v : Val::error("#VALUE!");
    }

    std::string textOf(const Val& raw) {
        Val v = single(raw);
        switch (v.kind) {
        case Val::Kind::Number: return v.number.toString();
        case Val::Kind::Text: return v.text;
        case Val::Kind::Bool: return v.flag ? "TRUE" : "FALSE";
        default: return {};
        }
    }

    Val compare() {
        Val a = concat();
        for (;;) {
            std::string op;
            for (const char* o : {"<=", ">=", "<>", "=", "<", ">"})
                if (eat(o)) {
                    op = o;
                    break;
                }
            if (op.empty()) return a;
            Val b = concat();
            Val x = single(a), y = single(b);
            if (x.kind == Val::Kind::Error) return x;
            if (y.kind == Val::Kind::Error) return y;
            int cmp;
            bool okx, oky;
            Val nx = number(x, okx), ny = number(y, oky);
            if (x.kind != Val::Kind::Text && y.kind != Val::Kind::Text && okx && oky)
                cmp = nx.number < ny.number ? -1 : (ny.number < nx.number ? 1 : 0);
            else cmp = textOf(x).compare(textOf(y)) < 0 ? -1 : (textOf(x) == textOf(y) ? 0 : 1);
            bool r = op == "="    ? cmp == 0
                     : op == "<>" ? cmp != 0
                     : op == "<"  ? cmp < 0
                     : op == ">"  ? cmp > 0
                     : op == "<=" ? cmp <= 0
                                  : cmp >= 0;
            a = Val::boolean(r);
        }
    }

    Val concat() {
        Val a = additive();
        while (eat("&")) {
            Val b = additive();
            Val x = single(a), y = single(b);
            if (x.kind == Val::Kind::Error) return x;
            if (y.kind == Val::Kind::Error) return y;
            a = Val::str(textOf(x) + textOf(y));
        }
        return a;
    }

    Val arithmetic(const Val& a, const Val& b, char op) {
        bool oka, okb;
        Val x = number(a, oka);
        if (!oka) return x;
        Val y = number(b, okb);
        if (!okb) return y;
        switch (op) {
        case '+': return Val::num(x.number + y.number);
        case '-': return Val::num(x.number - y.number);
        case '*': return Val::num(x.number * y.number);
        case '/': return Val::num(x.number / y.number);
        default: {
            const double p = std::pow(x.number.toDouble(), y.number.toDouble());
            if (!std::isfinite(p) || std::fabs(p) > 9e10) throw std::overflow_error("power");
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.8f", p);
            return Val::num(*Decimal::parse(buf));
        }
        }
    }

    Val additive() {
        Val a = term();
        for (;;) {
            skip();
            if (pos_ < s().size() && (s()[pos_] == '+' || s()[pos_] == '-')) {
                const char op = s()[pos_++];
                a = arithmetic(a, term(), op);
            } else {
                return a;
            }
        }
    }

    Val term() {
        Val a = power();
        for (;;) {
            skip();
            if (pos_ < s().size() && (s()[pos_] == '*' || s()[pos_] == '/')) {
                const char op = s()[pos_++];
                a = arithmetic(a, power(), op);
            } else {
                return a;
            }
        }
    }

    Val power() {
        Val a = unary();
        while (eat("^")) a = arithmetic(a, unary(), '^');
        return a;
    }

    Val unary() {
        if (eat("-")) return arithmetic(Val::num(Decimal()), unary(), '-');
        if (eat("+")) return unary();
        Val v = primary();
        while (eat("%")) v = arithmetic(v, Val::num(Decimal::fromInt(100)), '/');
        return v;
    }

    Val primary() {
        skip();
        if (pos_ >= s().size()) return Val::error("#NAME?");
        const char c = s()[pos_];
        if (c == '(') {
            ++pos_;
            Val v = compare();
            if (!eat(")")) return Val::error("#NAME?");
            return v;
        }
        if (c == '"') {
            std::string text;
            ++pos_;
            while (pos_ < s().size()) {
                if (s()[pos_] == '"' && pos_ + 1 < s().size() && s()[pos_ + 1] == '"') {
                    text += '"';
                    pos_ += 2;
                } else if (s()[pos_] == '"') {
                    ++pos_;
                    break;
                } else {
                    text += s()[pos_++];
                }
            }
            return Val::str(text);
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
            std::size_t end = pos_;
            while (end < s().size() && (std::isdigit(static_cast<unsigned char>(s()[end])) || s()[end] == '.')) ++end;
            if (end < s().size() && (s()[end] == 'E' || s()[end] == 'e')) {
                std::size_t e = end + 1;
                if (e < s().size() && (s()[e] == '+' || s()[e] == '-')) ++e;
                while (e < s().size() && std::isdigit(static_cast<unsigned char>(s()[e]))) ++e;
                end = e;
            }
            auto d = Decimal::parse(s().substr(pos_, end - pos_));
            pos_ = end;
            return d ? Val::num(*d) : Val::error("#NUM!");
        }
        std::size_t end = pos_;
        while (end < s().size() && isTokenChar(s()[end])) ++end;
        if (end == pos_) return Val::error("#NAME?");
        std::string token = s().substr(pos_, end - pos_);
        pos_ = end;
        skip();
        if (pos_ < s().size() && s()[pos_] == '(') {
            ++pos_;
            std::string name = token;
            for (char& ch : name) ch = char(std::toupper(static_cast<unsigned char>(ch)));
            if (name.rfind("_XLFN.", 0) == 0) name = name.substr(6);
            return call(name);
        }
        if (auto a = parseA1(token)) {
            Val v;
            v.kind = Val::Kind::Range;
            v.r0 = v.r1 = a->row;
            v.c0 = v.c1 = a->column;
            if (pos_ < s().size() && s()[pos_] == ':') {
                std::size_t e2 = pos_ + 1;
                while (e2 < s().size() && isTokenChar(s()[e2])) ++e2;
                if (auto b = parseA1(s().substr(pos_ + 1, e2 - pos_ - 1))) {
                    pos_ = e2;
                    v.r0 = std::min(a->row, b->row);
                    v.r1 = std::max(a->row, b->row);
                    v.c0 = std::min(a->column, b->column);
                    v.c1 = std::max(a->column, b->column);
                }
            }
            return v;
        }
        std::string upper = token;
        for (char& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        if (upper == "TRUE" || upper == "FALSE") return Val::boolean(upper == "TRUE");
        return Val::error("#NAME?");
    }

    std::vector<Val> arguments() {
        std::vector<Val> args;
        if (eat(")")) return args;
        for (;;) {
            args.push_back(compare());
            if (eat(",")) continue;
            if (eat(")")) break;
            throw std::domain_error("syntax");
        }
        return args;
    }

    /// Every value of the arguments, ranges expanded (for SUM, MIN …).
    template <class Fn>
    std::optional<Val> each(const std::vector<Val>& args, Fn&& fn) {
        for (const Val& a : args) {
            if (a.kind == Val::Kind::Range) {
                for (int r = a.r0; r <= a.r1; ++r)
                    for (int c = a.c0; c <= a.c1; ++c) {
                        Val v = cell(r, c);
                        if (v.kind == Val::Kind::Error) return v;
                        fn(v, true);
                    }
            } else {
                if (a.kind == Val::Kind::Error) return a;
                fn(a, false);
            }
        }
        return std::nullopt;
    }

    Val call(const std::string& name) {
        const std::vector<Val> args = arguments();
        auto argNumber = [&](std::size_t i, Val& out) {
            bool ok;
            out = number(i < args.size() ? args[i] : Val{}, ok);
            return ok;
        };
        if (name == "SUM" || name == "MIN" || name == "MAX" || name == "AVERAGE" || name == "COUNT" || name == "COUNTA") {
            Decimal sum;
            std::optional<Decimal> lo, hi;
            long count = 0, counta = 0;
            if (auto err = each(args, [&](const Val& v, bool fromRange) {
                    if (v.kind != Val::Kind::Empty) ++counta;
                    Decimal d;
                    if (v.kind == Val::Kind::Number) d = v.number;
                    else if (!fromRange && v.kind == Val::Kind::Bool) d = Decimal::fromInt(v.flag ? 1 : 0);
                    else if (!fromRange && v.kind == Val::Kind::Text && Decimal::parse(v.text)) d = *Decimal::parse(v.text);
                    else return;
                    sum += d;
                    lo = lo ? model::min(*lo, d) : d;
                    hi = hi ? model::max(*hi, d) : d;
                    ++count;
                }))
                return *err;
            if (name == "SUM") return Val::num(sum);
            if (name == "MIN") return Val::num(lo.value_or(Decimal()));
            if (name == "MAX") return Val::num(hi.value_or(Decimal()));
            if (name == "COUNT") return Val::num(Decimal::fromInt(count));
            if (name == "COUNTA") return Val::num(Decimal::fromInt(counta));
            if (count == 0) return Val::error("#DIV/0!");
            return Val::num(sum / Decimal::fromInt(count));
        }
        if (name == "ROUND" || name == "ROUNDUP" || name == "ROUNDDOWN") {
            Val x, p;
            if (!argNumber(0, x)) return x;
            if (!argNumber(1, p)) return p;
            const int places = std::clamp(int(p.number.toDouble()), 0, 8);
            if (name == "ROUND") return Val::num(x.number.rounded(places));
            const Decimal r = x.number.rounded(places);
            const Decimal step = Decimal::fromRaw(Decimal::kScale) / Decimal::fromInt(static_cast<std::int64_t>(std::pow(10, places)));
            const bool away = name == "ROUNDUP";
            const Decimal ax = x.number.isNegative() ? -x.number : x.number;
            Decimal ar = r.isNegative() ? -r : r;
            if (away && ar < ax) ar += step;
            if (!away && ar > ax) ar -= step;
            return Val::num(x.number.isNegative() ? -ar : ar);
        }
        if (name == "INT") {
            Val x;
            if (!argNumber(0, x)) return x;
            Decimal t = Decimal::fromRaw(x.number.raw() / Decimal::kScale * Decimal::kScale);
            if (t > x.number) t -= Decimal::fromInt(1);
            return Val::num(t);
        }
        if (name == "ABS") {
            Val x;
            if (!argNumber(0, x)) return x;
            return Val::num(x.number.isNegative() ? -x.number : x.number);
        }
        if (name == "IF") {
            Val c = single(args.empty() ? Val{} : args[0]);
            if (c.kind == Val::Kind::Error) return c;
            bool ok;
            Val n = number(c, ok);
            const bool truth = ok ? !n.number.isZero() : !c.text.empty();
            const std::size_t pick = truth ? 1 : 2;
            if (pick < args.size()) return single(args[pick]);
            return Val::boolean(truth);
        }
        if (name == "IFERROR") {
            Val v = single(args.empty() ? Val{} : args[0]);
            if (v.kind == Val::Kind::Error) return single(args.size() > 1 ? args[1] : Val{});
            return v;
        }
        if (name == "AND" || name == "OR") {
            bool all = true, any = false;
            if (auto err = each(args, [&](const Val& v, bool) {
                    bool ok;
                    Val n = number(v, ok);
                    const bool t = ok && !n.number.isZero();
                    all = all && t;
                    any = any || t;
                }))
                return *err;
            return Val::boolean(name == "AND" ? all : any);
        }
        if (name == "NOT") {
            Val x;
            if (!argNumber(0, x)) return x;
            return Val::boolean(x.number.isZero());
        }
        if (unknown.empty()) unknown = name;
        return Val::error("#NAME?");
    }

    const Grid& grid_;
    const std::string* src_ = nullptr;
    std::size_t pos_ = 0;
    std::map<long, Val> memo_;
    std::set<long> active_;
};

FormulaValue toFormulaValue(const Val& v) {
    FormulaValue out;
    switch (v.kind) {
    case Val::Kind::Number: out.number = v.number; break;
    case Val::Kind::Empty: break;
    case Val::Kind::Bool:
        out.kind = FormulaValue::Kind::Text;
        out.text = v.flag ? "TRUE" : "FALSE";
        break;
    case Val::Kind::Text:
        out.kind = FormulaValue::Kind::Text;
        out.text = v.text;
        break;
    case Val::Kind::Error:
        out.kind = FormulaValue::Kind::Error;
        out.text = v.text;
        break;
    case Val::Kind::Range:
        out.kind = FormulaValue::Kind::Error;
        out.text = "#VALUE!";
        break;
    }
    return out;
}

}  // namespace

std::string rewriteRows(const std::string& formula, const std::function<std::optional<int>(int, RefEnd)>& mapRow) {
    return rewrite(formula, [&](const A1& first, const std::optional<A1>& last) -> std::string {
        if (!last) {
            const std::optional<int> r = mapRow(first.row, RefEnd::Single);
            if (!r) return "0";
            A1 a = first;
            a.row = *r;
            return a.text();
        }
        const bool down = first.row <= last->row;
        const std::optional<int> r0 = mapRow(down ? first.row : last->row, RefEnd::First);
        const std::optional<int> r1 = mapRow(down ? last->row : first.row, RefEnd::Last);
        if (!r0 || !r1 || *r0 > *r1) return "0";
        A1 a = first, b = *last;
        (down ? a : b).row = *r0;
        (down ? b : a).row = *r1;
        return a.text() + ":" + b.text();
    });
}

std::string shiftReferences(const std::string& formula, int rows, int columns) {
    auto move = [&](A1 a) {
        if (!a.absRow) a.row = std::max(0, a.row + rows);
        if (!a.absColumn) a.column = std::max(0, a.column + columns);
        return a.text();
    };
    return rewrite(formula,
                   [&](const A1& first, const std::optional<A1>& last) { return last ? move(first) + ":" + move(*last) : move(first); });
}

FormulaValue evaluateFormula(const Grid& grid, int row, int column) {
    Evaluator e(grid);
    return toFormulaValue(e.cell(row, column));
}

void computeFormulas(Grid& grid) {
    Evaluator e(grid);
    std::vector<std::pair<std::pair<int, int>, FormulaValue>> values;
    for (int r = 0; r < grid.rowCount(); ++r)
        for (int c = 0; c < grid.columns; ++c)
            if (!grid.rows[std::size_t(r)][std::size_t(c)].formula.empty()) values.push_back({{r, c}, toFormulaValue(e.cell(r, c))});
    for (const auto& [at, v] : values) {
        GridCell& cell = grid.rows[std::size_t(at.first)][std::size_t(at.second)];
        if (v.kind == FormulaValue::Kind::Number) {
            cell.kind = GridCell::Kind::Number;
            cell.number = v.number;
            cell.text.clear();
        } else {
            cell.kind = GridCell::Kind::Text;
            cell.text = v.text;
        }
    }
}

std::string unknownFunction(const std::string& formula) {
    Grid empty;
    Evaluator e(empty);
    e.evaluate(formula);
    return e.unknown;
}

}  // namespace jixiao::layout
