#include "ingest/values.h"

#include "model/text.h"

#include <array>
#include <cstddef>
#include <utility>

namespace jixiao::ingest {

namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

/// Decodes the code point at `i` and advances past it; a byte that does not start a valid
/// sequence comes back as kInvalid and is skipped alone, so callers can copy it unchanged.
char32_t nextCodePoint(std::string_view s, std::size_t& i) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (len == 0 || i + len > s.size()) {
        ++i;
        return len == 1 ? b : kInvalid;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) {
            ++i;
            return kInvalid;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalid;
    }
    i += len;
    return cp;
}

/// White space as it arrives from Excel and web forms: ASCII, NBSP, the en/em/thin spaces and
/// zero-width space of U+2000–U+200B, the ideographic space and a stray BOM.
bool isSpace(char32_t cp) {
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000 || cp == 0xFEFF;
}

/// Full-width ASCII → ASCII, ideographic space → space; anything else unchanged.
char32_t foldWidth(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
    if (cp == 0x3000) return ' ';
    return cp;
}

std::string foldText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        std::size_t start = i;
        char32_t cp = nextCodePoint(text, i);
        if (cp == kInvalid) out.append(text.substr(start, i - start));
        else model::appendUtf8(out, foldWidth(cp));
    }
    return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// Reads the longest number at the start of `s` (already folded to ASCII where it matters):
/// sign, digits with optional groups of three, point, exponent, then an optional % after
/// optional spaces. Returns the ASCII literal Decimal::parse takes, and sets `end`.
std::optional<std::pair<std::string, bool>> scanNumber(std::string_view s, std::size_t& end) {
    std::string literal;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) literal += s[i++];
    std::size_t intStart = i;
    while (i < s.size() && isDigit(s[i])) literal += s[i++];
    std::size_t intDigits = i - intStart;
    // Thousands separators only between groups of three, after a first group of one to
    // three digits that does not start with 0 ("0,123" reads as a European decimal comma).
    if (intDigits >= 1 && intDigits <= 3 && s[intStart] != '0') {
        while (i + 3 < s.size() && s[i] == ',' && isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3]) &&
               (i + 4 >= s.size() || !isDigit(s[i + 4]))) {
            literal.append(s.substr(i + 1, 3));
            intDigits += 3;
            i += 4;
        }
    }
    std::size_t fracDigits = 0;
    if (i < s.size() && s[i] == '.') {
        std::size_t j = i + 1;
        while (j < s.size() && isDigit(s[j])) ++j;
        fracDigits = j - i - 1;
        if (intDigits + fracDigits > 0) {
            literal.append(s.substr(i, j - i));
            i = j;
        }
    }
    if (intDigits + fracDigits == 0) return std::nullopt;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        std::size_t digitsStart = j;
        while (j < s.size() && isDigit(s[j])) ++j;
        if (j > digitsStart) {
            literal.append(s.substr(i, j - i));
            i = j;
        }
    }
    bool percent = false;
    std::size_t j = i;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j < s.size() && s[j] == '%') {
        percent = true;
        i = j + 1;
    }
    end = i;
    return std::make_pair(literal, percent);
}

/// normalizeText plus the minus sign U+2212, which Word and some web forms put in numbers.
std::string numberText(std::string_view text) {
    std::string s = normalizeText(text);
    for (std::size_t pos; (pos = s.find("\xE2\x88\x92")) != std::string::npos;) s.replace(pos, 3, "-");
    return s;
}

struct OperatorWord {
    std::u32string_view word;
    model::Operator op;
};

using model::Operator;

/// Operators that may lead a target ("≥95%", "不少于735人次"), compared after folding width.
/// Longer words come before their prefixes (大于等于 before 大于, 不低于 before 低于).
constexpr OperatorWord kLeadingOperators[] = {
    {U"大于或等于", Operator::Ge}, {U"小于或等于", Operator::Le}, {U"大于等于", Operator::Ge}, {U"小于等于", Operator::Le},
    {U"不低于", Operator::Ge},     {U"不少于", Operator::Ge},     {U"不小于", Operator::Ge},   {U"不高于", Operator::Le},
    {U"不超过", Operator::Le},     {U"不多于", Operator::Le},     {U"不大于", Operator::Le},   {U"大于", Operator::Gt},
    {U"高于", Operator::Gt},       {U"多于", Operator::Gt},       {U"超过", Operator::Gt},     {U"小于", Operator::Lt},
    {U"低于", Operator::Lt},       {U"少于", Operator::Lt},       {U"等于", Operator::Eq},     {U">=", Operator::Ge},
    {U"<=", Operator::Le},         {U"==", Operator::Eq},         {U"\u2265", Operator::Ge},  // ≥
    {U"\u2267", Operator::Ge},                                                                // ≧
    {U"\u2A7E", Operator::Ge},                                                                // ⩾, common in Chinese fonts
    {U"\u226E", Operator::Ge},                                                                // ≮ not less than
    {U"\u2264", Operator::Le},                                                                // ≤
    {U"\u2266", Operator::Le},                                                                // ≦
    {U"\u2A7D", Operator::Le},                                                                // ⩽
    {U"\u226F", Operator::Le},                                                                // ≯ not greater than
    {U">", Operator::Gt},          {U"<", Operator::Lt},          {U"=", Operator::Eq},        {U"\u2550", Operator::Eq},  // ═
    {U"\uFE66", Operator::Eq},                                                                                             // ﹦
};

/// Words that only fill the 指标性质 column, never lead a value.
constexpr OperatorWord kColumnOperators[] = {
    {U"定性", Operator::Qualitative}, {U"定性指标", Operator::Qualitative}, {U"正向", Operator::Ge}, {U"正向指标", Operator::Ge},
    {U"反向", Operator::Le},          {U"反向指标", Operator::Le},
};

/// Bytes of `text` that `word` matches at its start, comparing width-folded code points; 0 if
/// it does not match.
std::size_t matchPrefix(std::string_view text, std::u32string_view word) {
    std::size_t i = 0;
    for (char32_t want : word) {
        if (i >= text.size()) return 0;
        char32_t cp = nextCodePoint(text, i);
        if (cp == kInvalid || foldWidth(cp) != want) return 0;
    }
    return i;
}

struct Suffix {
    std::string_view word;
    Operator op;
};

/// "95%以上", "3天以内": longer first so that 及以上 is removed whole.
constexpr Suffix kSuffixes[] = {
    {"及以上", Operator::Ge}, {"及以下", Operator::Le}, {"及以内", Operator::Le},
    {"以上", Operator::Ge},   {"以下", Operator::Le},   {"以内", Operator::Le},
};

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// A unit word after a number ("人次", "天", "万元", "km") has no digits and does not continue
/// the number ("3-5天", "1/2", "1,23", "3.5.1").
bool isUnitWord(std::string_view rest) {
    if (rest.empty()) return true;
    for (char c : rest) {
        if (isDigit(c)) return false;
    }
    static constexpr std::string_view kContinuations = ".,+-/:~*^%";
    return kContinuations.find(rest.front()) == std::string_view::npos;
}

}  // namespace

std::string trimText(std::string_view text) {
    // Only the ends are read (a cell may hold pages of narrative): forwards to the first
    // character that is not a space, backwards to the last. A character never spans a byte
    // that is not a continuation byte, so stepping back over at most three continuation
    // bytes finds where the last one starts; bytes that do not decode to exactly that end
    // are kept, as the forward reading keeps invalid bytes.
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t next = begin;
        const char32_t cp = nextCodePoint(text, next);
        if (cp == kInvalid || !isSpace(cp)) break;
        begin = next;
    }
    std::size_t end = text.size();
    while (end > begin) {
        std::size_t start = end - 1;
        while (start > begin && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        std::size_t next = start;
        const char32_t cp = nextCodePoint(text, next);
        if (next != end || cp == kInvalid || !isSpace(cp)) break;
        end = start;
    }
    return std::string(text.substr(begin, end - begin));
}

std::string normalizeText(std::string_view text) { return trimText(foldText(text)); }

model::Decimal ParsedNumber::fraction() const { return percent ? value / model::Decimal::fromInt(100) : value; }

std::optional<ParsedNumber> parseNumber(std::string_view text) {
    std::string s = numberText(text);
    std::size_t end = 0;
    auto scanned = scanNumber(s, end);
    if (!scanned || end != s.size()) return std::nullopt;
    auto value = model::Decimal::parse(scanned->first);
    if (!value) return std::nullopt;
    return ParsedNumber{*value, scanned->second};
}

bool numberTooLarge(const Cell& cell) {
    if (cell.kind != CellKind::Number && cell.kind != CellKind::Text) return false;
    if (parseNumber(cell)) return false;
    const std::string s = numberText(cell.text);
    std::size_t end = 0;
    return scanNumber(s, end).has_value() && end == s.size();
}

std::optional<ParsedNumber> parseNumber(const Cell& cell) {
    switch (cell.kind) {
    case CellKind::Number:
        if (auto value = model::Decimal::parse(cell.text)) return ParsedNumber{*value, false};
        return parseNumber(std::string_view(cell.text));
    case CellKind::Text: return parseNumber(std::string_view(cell.text));
    case CellKind::Empty:
    case CellKind::Boolean:
    case CellKind::Error: break;
    }
    return std::nullopt;
}

std::optional<model::Operator> parseOperator(std::string_view text) {
    // Spaces inside are dropped too: "> =" and "大于 等于" occur in hand-typed sheets.
    std::string s;
    for (char c : normalizeText(text)) {
        if (c != ' ') s += c;
    }
    if (s.empty()) return std::nullopt;
    for (const OperatorWord& w : kLeadingOperators) {
        if (matchPrefix(s, w.word) == s.size()) return w.op;
    }
    for (const OperatorWord& w : kColumnOperators) {
        if (matchPrefix(s, w.word) == s.size()) return w.op;
    }
    return std::nullopt;
}

namespace {

/// The number of a quantity's text, when it is one, optionally followed by a unit word.
void readValue(SplitQuantity::Rest& quantity) {
    std::string s = numberText(quantity.text);
    std::size_t end = 0;
    auto scanned = scanNumber(s, end);
    if (!scanned || !isUnitWord(trimText(std::string_view(s).substr(end)))) return;
    quantity.value = model::Decimal::parse(scanned->first);
    quantity.percentSign = quantity.value && scanned->second;
}

}  // namespace

SplitQuantity splitQuantity(std::string_view text) {
    SplitQuantity result;
    result.quantity.text = trimText(text);
    readValue(result.quantity);

    // A symbol always splits off. A word (高于, 以上) only does when a number remains, so that
    // qualitative text such as "高于全省平均水平" or "超过预期" reaches scoring whole.
    SplitQuantity candidate;
    bool word = false;
    const std::string& whole = result.quantity.text;
    for (const OperatorWord& w : kLeadingOperators) {
        if (std::size_t n = matchPrefix(whole, w.word)) {
            candidate.op = w.op;
            candidate.quantity.text = trimText(std::string_view(whole).substr(n));
            word = w.word.front() >= 0x4E00;
            break;
        }
    }
    if (!candidate.op) {
        for (const Suffix& s : kSuffixes) {
            if (endsWith(whole, s.word)) {
                candidate.op = s.op;
                candidate.quantity.text = trimText(std::string_view(whole).substr(0, whole.size() - s.word.size()));
                word = true;
                break;
            }
        }
    }
    if (!candidate.op) return result;
    readValue(candidate.quantity);
    if (word && !candidate.quantity.value) return result;
    return candidate;
}

std::optional<bool> parseYesNo(std::string_view text) {
    std::string s = normalizeText(text);
    for (char& c : s) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    // Also the 密级 of a classification column: 秘密/机密/绝密 are classified, 公开 is not.
    static constexpr std::array<std::string_view, 9> kYes = {"是", "涉密", "秘密", "机密", "绝密", "Y", "YES", "TRUE", "1"};
    static constexpr std::array<std::string_view, 9> kNo = {"否", "非密", "不涉密", "非涉密", "公开", "N", "NO", "FALSE", "0"};
    for (std::string_view w : kYes) {
        if (s == w) return true;
    }
    for (std::string_view w : kNo) {
        if (s == w) return false;
    }
    return std::nullopt;
}

std::string cellText(const Cell& cell) {
    switch (cell.kind) {
    case CellKind::Empty: return {};
    case CellKind::Boolean:
        // XLSX stores booleans as 1/0; readers may hand over either spelling.
        if (cell.text == "TRUE" || cell.text == "1") return "是";
        if (cell.text == "FALSE" || cell.text == "0") return "否";
        return trimText(cell.text);
    case CellKind::Text:
    case CellKind::Number:
    case CellKind::Error: break;
    }
    return trimText(cell.text);
}

}  // namespace jixiao::ingest
