#include "ingest/encoding.h"

#include "model/text.h"

#include <Poco/Windows936Encoding.h>

#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

// GB18030 has three parts, and we handle each with the least machinery that is exact:
//  - two-byte codes (GBK, what Excel on Chinese Windows writes): Poco's Windows936Encoding
//    table, plus the few codes where GB18030 differs from or goes beyond code page 936:
//    A2E3 = €, A8BC = ḿ (GB18030-2005), and the three user-defined areas, which the standard
//    maps row by row onto the Private Use Area U+E000–U+E765;
//  - four-byte codes for U+10000–U+10FFFF: a plain linear formula;
//  - four-byte codes for the rest of the BMP (U+0080–U+FFFF not reachable by two bytes, e.g.
//    CJK Extension A, Tibetan, Uyghur): these follow a table of some two hundred ranges that
//    Poco 1.11 does not ship. Excel's "CSV" export on Chinese Windows is code page 936 and
//    never writes them, so they become U+FFFD (and such characters '?' when encoding, as Excel
//    does), except the GB18030 byte-order mark 84 31 95 33 = U+FEFF.
// Code page 936 also writes € as the single byte 0x80, which GB18030 lacks; we accept it.

namespace jixiao::ingest {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool inRange(unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; }

/// Length of the strictly valid UTF-8 sequence at `p` (overlongs, surrogates and code points
/// above U+10FFFF rejected), storing its code point; 0 when invalid or truncated.
std::size_t decodeUtf8(const unsigned char* p, std::size_t n, char32_t& cp) {
    unsigned char b = p[0];
    if (b < 0x80) {
        cp = b;
        return 1;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (inRange(b, 0xC2, 0xDF)) {
        len = 2;
        cp = b & 0x1F;
    } else if (inRange(b, 0xE0, 0xEF)) {
        len = 3;
        cp = b & 0x0F;
        if (b == 0xE0) lo = 0xA0;  // overlong
        if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (inRange(b, 0xF0, 0xF4)) {
        len = 4;
        cp = b & 0x07;
        if (b == 0xF0) lo = 0x90;  // overlong
        if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
        return 0;
    }
    if (n < len) return 0;
    if (!inRange(p[1], lo, hi)) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if (k > 1 && !inRange(p[k], 0x80, 0xBF)) return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    return len;
}

/// Length of the structurally valid GB18030 sequence at `p`: 1 (ASCII, or 0x80 which code
/// page 936 uses for €), 2 (lead 81–FE, trail 40–7E/80–FE) or 4 (81–FE 30–39 81–FE 30–39);
/// 0 when invalid or truncated.
std::size_t gbSequenceLength(const unsigned char* p, std::size_t n) {
    unsigned char b = p[0];
    if (b <= 0x80) return 1;
    if (b == 0xFF || n < 2) return 0;
    unsigned char t = p[1];
    if (inRange(t, 0x40, 0x7E) || inRange(t, 0x80, 0xFE)) return 2;
    if (inRange(t, 0x30, 0x39) && n >= 4 && inRange(p[2], 0x81, 0xFE) && inRange(p[3], 0x30, 0x39)) return 4;
    return 0;
}

/// Index of a four-byte sequence in the GB18030 linear order (81 30 81 30 = 0).
std::uint32_t fourByteIndex(const unsigned char* p) {
    return ((std::uint32_t(p[0] - 0x81) * 10 + (p[1] - 0x30)) * 126 + (p[2] - 0x81)) * 10 + (p[3] - 0x30);
}

constexpr std::uint32_t kSupplementaryBase = ((0x90 - 0x81) * 10 * 126) * 10;  // index of 90 30 81 30
constexpr std::uint32_t kBomIndex = ((0x84 - 0x81) * 10 + 1) * 1260 + (0x95 - 0x81) * 10 + 3;

void appendFourByte(std::string& out, std::uint32_t index) {
    char bytes[4];
    bytes[3] = static_cast<char>(0x30 + index % 10);
    index /= 10;
    bytes[2] = static_cast<char>(0x81 + index % 126);
    index /= 126;
    bytes[1] = static_cast<char>(0x30 + index % 10);
    index /= 10;
    bytes[0] = static_cast<char>(0x81 + index);
    out.append(bytes, 4);
}

// The user-defined areas of GB2312/GBK, which GB18030 maps in this order onto U+E000–U+E765.
struct UserArea {
    unsigned char leadFirst, leadLast, trailFirst, trailLast;
    char32_t first;
};
constexpr UserArea kUserAreas[] = {
    {0xAA, 0xAF, 0xA1, 0xFE, 0xE000}, {0xF8, 0xFE, 0xA1, 0xFE, 0xE234}, {0xA1, 0xA7, 0x40, 0xA0, 0xE4C6},  // trail skips 0x7F
};

int trailsPerRow(const UserArea& a) {
    int n = a.trailLast - a.trailFirst + 1;
    return a.trailFirst <= 0x7F && a.trailLast >= 0x7F ? n - 1 : n;
}

int trailOffset(const UserArea& a, unsigned char trail) {
    int k = trail - a.trailFirst;
    return a.trailFirst <= 0x7F && trail > 0x7F ? k - 1 : k;
}

char32_t decodeUserArea(unsigned char lead, unsigned char trail) {
    for (const UserArea& a : kUserAreas) {
        if (inRange(lead, a.leadFirst, a.leadLast) && inRange(trail, a.trailFirst, a.trailLast) && trail != 0x7F)
            return a.first + char32_t((lead - a.leadFirst) * trailsPerRow(a) + trailOffset(a, trail));
    }
    return kReplacement;
}

bool encodeUserArea(char32_t cp, std::string& out) {
    for (const UserArea& a : kUserAreas) {
        int perRow = trailsPerRow(a);
        int rows = a.leadLast - a.leadFirst + 1;
        if (cp < a.first || cp >= a.first + char32_t(perRow * rows)) continue;
        int k = int(cp - a.first);
        int trail = a.trailFirst + k % perRow;
        if (a.trailFirst <= 0x7F && trail >= 0x7F) ++trail;
        out += static_cast<char>(a.leadFirst + k / perRow);
        out += static_cast<char>(trail);
        return true;
    }
    return false;
}

const Poco::Windows936Encoding& cp936() {
    static const Poco::Windows936Encoding encoding;
    return encoding;
}

char32_t decodeTwoByte(const unsigned char* p) {
    int cp = cp936().queryConvert(p, 2);
    if (cp >= 0) return char32_t(cp);
    if (p[0] == 0xA2 && p[1] == 0xE3) return 0x20AC;
    if (p[0] == 0xA8 && p[1] == 0xBC) return 0x1E3F;
    return decodeUserArea(p[0], p[1]);
}

// ---- telling UTF-8 from GBK when the bytes are valid as both ----
//
// Strict UTF-8 rules out a GBK file almost always once it holds a few Chinese characters, but
// short GBK texts can pass: 元 (D4 AA) reads as U+052A, 未 (CE B4) as δ, 农业 as Ũҵ. And UTF-8
// Chinese is often valid GBK (中文 = E4 B8 AD E6 96 87 reads as 涓枃). So each reading gets a
// score for how much it looks like a Chinese export, and UTF-8 wins ties (e.g. pure ASCII).

/// +2 for what a Chinese export is made of, +1 for what it may contain, −2 for what GBK read as
/// UTF-8 tends to produce (C1 controls, Cyrillic, Hebrew, Arabic, Indic, Hangul, Private Use).
int utf8Weight(char32_t cp) {
    struct Range {
        char32_t lo, hi;
        int weight;
    };
    static constexpr Range kRanges[] = {
        {0x00A0, 0x00FF, 2},    // Latin-1 signs and letters: ² ° ± × · é
        {0x0100, 0x017F, 1},    // Latin Extended-A (pinyin ā ō)
        {0x01CD, 0x01DC, 1},    // pinyin ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ
        {0x0391, 0x03C9, 1},    // Greek letters in units and formulas
        {0x2000, 0x206F, 2},    // general punctuation: — … ‰ “ ”
        {0x2070, 0x27BF, 1},    // currency, letterlike, Ⅱ, arrows, ≥ ≤, ①, ■ ○, ✓
        {0x2E80, 0x2FDF, 1},    // CJK radicals
        {0x3000, 0x303F, 3},    // CJK punctuation
        {0x3040, 0x33FF, 1},    // kana, enclosed CJK, squared units (㎡)
        {0x3400, 0x4DBF, 3},    // CJK Extension A
        {0x4E00, 0x9FFF, 3},    // CJK
        {0xF900, 0xFAFF, 3},    // CJK compatibility
        {0xFE10, 0xFE6F, 1},    // vertical and small forms
        {0xFEFF, 0xFEFF, 1},    // stray BOM
        {0xFF00, 0xFFEF, 3},    // full-width forms
        {0x20000, 0x3FFFF, 3},  // CJK Extensions B and later
    };
    if (cp < 0x80) return 0;
    for (const Range& r : kRanges) {
        if (cp >= r.lo && cp <= r.hi) return r.weight;
    }
    return -2;
}

long long utf8Score(std::string_view bytes) {
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    long long score = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        char32_t cp = 0;
        std::size_t len = decodeUtf8(p + i, bytes.size() - i, cp);
        if (len == 0) return LLONG_MIN;
        score += utf8Weight(cp);
        i += len;
    }
    return score;
}

/// +2 for the 3,755 common hanzi of GB2312 level 1, +1 for level 2 and GB2312 symbols, −1 for
/// the rarer GBK extension, −2 for what maps to nothing useful.
long long gbScore(std::string_view bytes) {
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    long long score = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t len = gbSequenceLength(p + i, bytes.size() - i);
        if (len == 0) return LLONG_MIN;
        if (len == 1 && p[i] == 0x80) {
            score -= 1;
        } else if (len == 2) {
            unsigned char lead = p[i];
            bool gb2312Trail = inRange(p[i + 1], 0xA1, 0xFE);
            char32_t cp = decodeTwoByte(p + i);
            if (cp == kReplacement || (cp >= 0xE000 && cp <= 0xF8FF)) score -= 2;
            else if (gb2312Trail && inRange(lead, 0xB0, 0xD7)) score += 2;
            else if (gb2312Trail && (inRange(lead, 0xD8, 0xF7) || inRange(lead, 0xA1, 0xA9))) score += 1;
            else score -= 1;
        } else if (len == 4) {
            score -= 2;
        }
        i += len;
    }
    return score;
}

bool validUtf8(std::string_view bytes) {
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    for (std::size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        // The common case of Chinese text, a three-byte sequence whose lead byte puts no limit
        // on its second byte (E1–EC, EE, EF; E0 and ED do), checked inline.
        if (p[i] >= 0xE1 && p[i] <= 0xEF && p[i] != 0xED && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        char32_t cp = 0;
        std::size_t len = decodeUtf8(p + i, n - i, cp);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

bool validGb18030(std::string_view bytes) {
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t len = gbSequenceLength(p + i, bytes.size() - i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

void appendSanitizedUtf8(std::string& out, std::string_view bytes) {
    if (validUtf8(bytes)) {
        out.append(bytes);
        return;
    }
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size();) {
        char32_t cp = 0;
        std::size_t len = decodeUtf8(p + i, bytes.size() - i, cp);
        if (len == 0) {
            model::appendUtf8(out, kReplacement);
            ++i;
        } else {
            out.append(bytes.data() + i, len);
            i += len;
        }
    }
}

void appendGb18030AsUtf8(std::string& out, std::string_view bytes) {
    auto p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size();) {
        if (p[i] < 0x80) {
            out += static_cast<char>(p[i]);
            ++i;
            continue;
        }
        std::size_t len = gbSequenceLength(p + i, bytes.size() - i);
        if (len == 0) {
            model::appendUtf8(out, kReplacement);
            ++i;
            continue;
        }
        if (len == 1) {
            model::appendUtf8(out, char32_t(0x20AC));  // 0x80, code page 936's €
        } else if (len == 2) {
            model::appendUtf8(out, decodeTwoByte(p + i));
        } else {
            std::uint32_t index = fourByteIndex(p + i);
            if (index >= kSupplementaryBase && index - kSupplementaryBase <= 0x10FFFF - 0x10000)
                model::appendUtf8(out, 0x10000 + (index - kSupplementaryBase));
            else if (index == kBomIndex) model::appendUtf8(out, 0xFEFF);
            else model::appendUtf8(out, kReplacement);
        }
        i += len;
    }
}

/// True for a byte that is never inside a multi-byte character of UTF-8 or GB18030 (every
/// trail byte of both is 0x30 or above): a text cut after it cuts no character.
bool cutsNoCharacter(char c) { return static_cast<unsigned char>(c) < 0x30; }

}  // namespace

void EncodingSniffer::judge(std::string_view whole) {
    if (utf8_) utf8_ = validUtf8(whole);
    if (gb_) gb_ = validGb18030(whole);
    // The scores only decide between two valid readings.
    if (utf8_ && gb_) {
        utf8Score_ += utf8Score(whole);
        gbScore_ += gbScore(whole);
    }
}

void EncodingSniffer::feed(std::string_view part) {
    if (head_.size() < 4) head_.append(part.substr(0, 4 - head_.size()));
    if (head_.compare(0, 3, "\xEF\xBB\xBF") == 0) return;  // decided by its BOM
    std::size_t cut = part.size();
    while (cut > 0 && !cutsNoCharacter(part[cut - 1])) --cut;
    if (cut == 0) {
        carry_.append(part);
        return;
    }
    if (!carry_.empty()) {
        std::size_t first = 0;
        while (!cutsNoCharacter(part[first])) ++first;
        carry_.append(part.substr(0, first + 1));
        judge(carry_);
        carry_.clear();
        part.remove_prefix(first + 1);
        cut -= first + 1;
    }
    judge(part.substr(0, cut));
    carry_.assign(part.substr(cut));
}

TextEncoding EncodingSniffer::result() {
    if (head_.compare(0, 3, "\xEF\xBB\xBF") == 0) return TextEncoding::Utf8Bom;
    if (!carry_.empty()) {
        judge(carry_);
        carry_.clear();
    }
    if (head_.compare(0, 4, "\x84\x31\x95\x33") == 0 && gb_) return TextEncoding::Gb18030;
    if (utf8_ && gb_) return gbScore_ > utf8Score_ ? TextEncoding::Gb18030 : TextEncoding::Utf8;
    if (utf8_) return TextEncoding::Utf8;
    if (gb_) return TextEncoding::Gb18030;
    return TextEncoding::Unknown;
}

TextEncoding detectEncoding(const std::string& bytes) {
    EncodingSniffer sniffer;
    sniffer.feed(bytes);
    return sniffer.result();
}

bool mayHoldXmlForbidden(std::string_view bytes) {
    static constexpr unsigned char kControl = 1, kLast = 2;  // kLast: BE or BF, the end of U+FFFE/U+FFFF
    static constexpr std::array<unsigned char, 256> kKinds = [] {
        std::array<unsigned char, 256> kinds{};
        for (int b = 0; b < 0x20; ++b)
            if (b != '\t' && b != '\n' && b != '\r') kinds[std::size_t(b)] = kControl;
        kinds[0xBE] = kinds[0xBF] = kLast;
        return kinds;
    }();
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const unsigned char kind = kKinds[p[i]];
        if (kind == kControl || (kind == kLast && i >= 2 && p[i - 1] == 0xBF && p[i - 2] == 0xEF)) return true;
    }
    return false;
}

std::size_t byteOrderMarkLength(std::string_view start, TextEncoding encoding) {
    if (encoding == TextEncoding::Utf8Bom && start.compare(0, 3, "\xEF\xBB\xBF") == 0) return 3;
    if (encoding == TextEncoding::Gb18030 && start.compare(0, 4, "\x84\x31\x95\x33") == 0) return 4;
    return 0;
}

void appendAsUtf8(std::string& out, std::string_view bytes, TextEncoding encoding) {
    switch (encoding) {
    case TextEncoding::Utf8:
    case TextEncoding::Utf8Bom: appendSanitizedUtf8(out, bytes); return;
    case TextEncoding::Gb18030: appendGb18030AsUtf8(out, bytes); return;
    case TextEncoding::Unknown: break;
    }
    throw std::invalid_argument("appendAsUtf8: unknown text encoding");
}

std::string toUtf8(const std::string& bytes, TextEncoding encoding) {
    if (encoding == TextEncoding::Unknown) throw std::invalid_argument("toUtf8: unknown text encoding");
    std::string out;
    out.reserve(encoding == TextEncoding::Gb18030 ? bytes.size() * 3 / 2 : bytes.size());
    appendAsUtf8(out, std::string_view(bytes).substr(byteOrderMarkLength(bytes, encoding)), encoding);
    return out;
}

std::string utf8ToGb18030(const std::string& utf8) {
    std::string out;
    out.reserve(utf8.size());
    auto p = reinterpret_cast<const unsigned char*>(utf8.data());
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = 0;
        std::size_t len = decodeUtf8(p + i, utf8.size() - i, cp);
        if (len == 0) {
            out += '?';
            ++i;
            continue;
        }
        i += len;
        unsigned char bytes[2];
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp == 0x20AC) {
            out += "\xA2\xE3";  // GB18030's €; code page 936 uses the single byte 0x80 instead
        } else if (cp == 0x1E3F) {
            out += "\xA8\xBC";
        } else if (cp == 0xFEFF) {
            appendFourByte(out, kBomIndex);
        } else if (cp >= 0x10000) {
            appendFourByte(out, kSupplementaryBase + (cp - 0x10000));
        } else if (cp936().convert(int(cp), bytes, 2) == 2) {
            out += static_cast<char>(bytes[0]);
            out += static_cast<char>(bytes[1]);
        } else if (!encodeUserArea(cp, out)) {
            out += '?';  // a BMP four-byte code (see the top of this file), as Excel does
        }
    }
    return out;
}

}  // namespace jixiao::ingest
