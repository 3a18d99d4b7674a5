#include "layout/grid.h"

#include <algorithm>
#include <cmath>

namespace jixiao::layout {

namespace {

constexpr double kInchPt = 72.0;

/// A paper size in millimetres, by Excel's paper code.
struct Paper {
    int code;
    double widthMm, heightMm;
};

constexpr Paper kA4{9, 210.0, 297.0};

/// The paper sizes Chinese offices use; any other code is A4.
constexpr Paper kPapers[] = {
    {1, 215.9, 279.4},  // Letter
    {5, 215.9, 355.6},  // Legal
    {8, 297.0, 420.0},  // A3
    kA4,
    {11, 148.0, 210.0},  // A5
    {12, 257.0, 364.0},  // B4 (JIS)
    {13, 182.0, 257.0},  // B5 (JIS)
};

const Paper& paperOf(int code) {
    for (const Paper& p : kPapers)
        if (p.code == code) return p;
    return kA4;
}

/// One section of a number format, split into what goes before, the digits and after.
struct NumberPattern {
    std::string prefix, suffix;
    int integerZeros = 0;   ///< '0' before the point: minimum integer digits
    int decimalZeros = 0;   ///< '0' after the point: decimals always shown
    int decimalHashes = 0;  ///< '#' or '?' after the point: decimals shown when not zero
    bool thousands = false;
    bool percent = false;
    bool digits = false;  ///< the section has any digit placeholder
};

NumberPattern parsePattern(const std::string& section) {
    NumberPattern p;
    bool afterPoint = false;
    bool seenDigit = false;
    std::string literal;
    auto flushLiteral = [&] {
        (seenDigit ? p.suffix : p.prefix) += literal;
        literal.clear();
    };
    for (std::size_t i = 0; i < section.size(); ++i) {
        const char c = section[i];
        if (c == '"') {
            const std::size_t end = section.find('"', i + 1);
            literal += section.substr(i + 1, (end == std::string::npos ? section.size() : end) - i - 1);
            i = end == std::string::npos ? section.size() : end;
        } else if (c == '\\' && i + 1 < section.size()) {
            literal += section[++i];
        } else if (c == '_' && i + 1 < section.size()) {
            literal += ' ';
            ++i;
        } else if (c == '*' && i + 1 < section.size()) {
            ++i;
        } else if (c == '[') {
            const std::size_t end = section.find(']', i);
            i = end == std::string::npos ? section.size() : end;
        } else if (c == '0' || c == '#' || c == '?') {
            if (!seenDigit) flushLiteral();
            seenDigit = true;
            p.digits = true;
            if (afterPoint) (c == '0' ? p.decimalZeros : p.decimalHashes)++;
            else if (c == '0') ++p.integerZeros;
        } else if (c == '.' && (i + 1 < section.size()) && (section[i + 1] == '0' || section[i + 1] == '#' || section[i + 1] == '?')) {
            if (!seenDigit) flushLiteral();
            seenDigit = true;
            afterPoint = true;
        } else if (c == ',' && seenDigit && !afterPoint) {
            p.thousands = true;
        } else if (c == '%') {
            p.percent = true;
            literal += '%';
        } else {
            literal += c;
        }
    }
    flushLiteral();
    return p;
}

std::vector<std::string> sections(const std::string& format) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (std::size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (c == '"') quoted = !quoted;
        if (c == '\\' && i + 1 < format.size()) {
            out.back() += c;
            out.back() += format[++i];
            continue;
        }
        if (c == ';' && !quoted) out.emplace_back();
        else out.back() += c;
    }
    return out;
}

std::string groupThousands(const std::string& digits) {
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

/// Excel's General: up to 10 significant digits before switching; our values are exact
/// decimals with 8 places at most, so the shortest form is what Excel shows for them.
std::string general(const model::Decimal& v) { return v.toString(); }

}  // namespace

double GridPrint::paperWidthPt() const {
    const Paper& p = paperOf(paper);
    return mmToPt(landscape ? p.heightMm : p.widthMm);
}

double GridPrint::paperHeightPt() const {
    const Paper& p = paperOf(paper);
    return mmToPt(landscape ? p.widthMm : p.heightMm);
}

bool operator==(const GridFont& a, const GridFont& b) {
    return a.name == b.name && a.sizePt == b.sizePt && a.bold == b.bold && a.italic == b.italic && a.underline == b.underline &&
           a.color == b.color;
}

bool operator==(const GridEdge& a, const GridEdge& b) { return a.style == b.style && a.color == b.color; }

bool operator==(const GridStyle& a, const GridStyle& b) {
    return a.font == b.font && a.fill == b.fill && a.left == b.left && a.right == b.right && a.top == b.top && a.bottom == b.bottom &&
           a.halign == b.halign && a.valign == b.valign && a.wrap == b.wrap && a.indent == b.indent && a.numberFormat == b.numberFormat;
}

int Grid::addStyle(const GridStyle& style) {
    for (std::size_t i = 0; i < styles.size(); ++i)
        if (styles[i] == style) return int(i);
    styles.push_back(style);
    return int(styles.size() - 1);
}

const GridMerge* Grid::mergeAt(int row, int column) const {
    for (const GridMerge& m : merges)
        if (m.contains(row, column)) return &m;
    return nullptr;
}

double Grid::columnWidthPt(int column) const {
    const double chars = column < int(columnWidths.size()) ? columnWidths[std::size_t(column)] : 9.140625;
    // Excel: pixels = truncate(width × max digit width + 0.5), 7 px for the default 11 pt font.
    return std::floor(chars * 7.0 + 0.5) * 0.75;
}

std::string columnLetters(int column) {
    std::string name;
    for (int n = column + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), char('A' + (n - 1) % 26));
    return name;
}

std::string cellName(int row, int column) { return columnLetters(column) + std::to_string(row + 1); }

std::string formatGridNumber(const model::Decimal& value, const std::string& numberFormat) {
    if (numberFormat.empty() || numberFormat == "General" || numberFormat == "@") return general(value);
    const std::vector<std::string> parts = sections(numberFormat);
    const bool negative = value.isNegative();
    std::string section = parts[0];
    bool sign = negative;
    if (negative && parts.size() > 1) {
        section = parts[1];
        sign = false;
    } else if (value.isZero() && parts.size() > 2) {
        section = parts[2];
    }
    NumberPattern p = parsePattern(section);
    if (!p.digits) {
        // Dates, times and text-only sections: General keeps the value readable.
        if (section.find_first_of("ymdhsYMDHS") != std::string::npos || p.prefix.empty()) return general(value);
        return p.prefix;
    }
    model::Decimal v = negative ? -value : value;
    if (p.percent) v = v * model::Decimal::fromInt(100);
    const int places = std::min(8, p.decimalZeros + p.decimalHashes);
    std::string fixed = v.toFixed(places);
    std::string integer = fixed.substr(0, fixed.find('.'));
    std::string decimals = fixed.find('.') == std::string::npos ? std::string() : fixed.substr(fixed.find('.') + 1);
    while (int(decimals.size()) > p.decimalZeros && !decimals.empty() && decimals.back() == '0') decimals.pop_back();
    if (integer == "0" && p.integerZeros == 0) integer.clear();
    while (int(integer.size()) < p.integerZeros) integer.insert(integer.begin(), '0');
    if (p.thousands) integer = groupThousands(integer);
    std::string out = p.prefix;
    if (sign && (!integer.empty() || !decimals.empty()) && fixed.find_first_not_of("0.") != std::string::npos) out += '-';
    out += integer;
    if (!decimals.empty()) out += "." + decimals;
    return out + p.suffix;
}

FontRole fontRoleFor(const std::string& family) {
    if (family.find("小标宋") != std::string::npos || family.find("标宋") != std::string::npos) return FontRole::Title;
    if (family.find("黑") != std::string::npos) return FontRole::Heading;
    if (family.find("楷") != std::string::npos) return FontRole::Kai;
    if (family.find("仿宋") != std::string::npos) return FontRole::FangSong;
    return FontRole::Body;
}

}  // namespace jixiao::layout
