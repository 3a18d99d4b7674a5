#include "render/line_break.h"

#include "model/text.h"

#include <algorithm>
#include <cstdint>

namespace jixiao::render {

using model::appendUtf8;
using model::decodeUtf8;
using model::encodeUtf8;

namespace {

/// The ASCII characters of a list as a bit set: figures and Latin words, most of a table's
/// characters after the ideographs, are looked up without a search.
struct AsciiSet {
    std::uint64_t bits[2] = {0, 0};
    constexpr bool has(char32_t cp) const { return ((bits[cp >> 6] >> (cp & 63)) & 1u) != 0; }
};

constexpr AsciiSet asciiOf(std::u32string_view list) {
    AsciiSet set;
    for (const char32_t cp : list)
        if (cp < 128) set.bits[cp >> 6] |= std::uint64_t{1} << (cp & 63);
    return set;
}

bool inList(char32_t cp, std::u32string_view list, const AsciiSet& ascii) {
    if (cp < 128) return ascii.has(cp);
    // No ideograph (U+3400..U+9FFF) is in any list: most characters skip the search.
    if (cp >= 0x3400 && cp <= 0x9FFF) return false;
    return list.find(cp) != std::u32string_view::npos;
}

// Closing marks, postfix signs and small kana (GB/T 15834-2011 4.x; JIS X 4051 classes 2-7).
constexpr std::u32string_view kNoStart =
    U"!),.:;?]}%\u00B0\u00B7\u00BB"
    U"\u2019\u201D\u2025\u2026\u2030\u2032\u2033\u203A\u203C\u2047\u2048\u2049\u2103\u2109"
    U"\u3001\u3002\u3003\u3005\u3009\u300B\u300D\u300F\u3011\u3015\u3017\u3019\u301B\u301E"
    U"\u301F\u303B\u309D\u309E\u30FB\u30FC\u30FD\u30FE"
    U"\u3041\u3043\u3045\u3047\u3049\u3063\u3083\u3085\u3087\u308E\u3095\u3096"
    U"\u30A1\u30A3\u30A5\u30A7\u30A9\u30C3\u30E3\u30E5\u30E7\u30EE\u30F5\u30F6"
    U"\uFF01\uFF05\uFF09\uFF0C\uFF0E\uFF1A\uFF1B\uFF1F\uFF3D\uFF5D\uFF60\uFF61\uFF63\uFF64"
    U"\uFFE0\uFE50\uFE51\uFE52\uFE54\uFE55\uFE56\uFE57\uFE5A\uFE5C\uFE5E";

// Opening marks and prefix currency signs.
constexpr std::u32string_view kNoEnd =
    U"([{$\u00A3\u00A5\u00AB\u2018\u201C\u2039\u20AC"
    U"\u3008\u300A\u300C\u300E\u3010\u3014\u3016\u3018\u301A\u301D"
    U"\uFF04\uFF08\uFF3B\uFF5B\uFF5F\uFF62\uFFE1\uFFE5\uFE59\uFE5B\uFE5D";

// Marks written doubled that must stay on one line: —— (破折号), …… (省略号), ⸺.
constexpr std::u32string_view kDoubled = U"\u2014\u2015\u2025\u2026\u2E3A\u2E3B";

constexpr AsciiSet kNoStartAscii = asciiOf(kNoStart);
constexpr AsciiSet kNoEndAscii = asciiOf(kNoEnd);
constexpr AsciiSet kDoubledAscii = asciiOf(kDoubled);

bool isSpace(char32_t cp) { return cp == U' ' || cp == U'\t'; }

// A cluster is a stretch that must not be broken: a Latin word, a figure, one ideograph,
// plus whatever punctuation the rules glue to it. Spaces between glued units stay inside.
struct Cluster {
    std::size_t begin;
    std::size_t end;
};

// The clusters of [begin, end) into `out` (cleared first): units found and glued in one pass.
void clustersOf(std::u32string_view text, std::size_t begin, std::size_t end, std::vector<Cluster>& out) {
    out.clear();
    std::size_t i = begin;
    while (i < end) {
        if (isSpace(text[i])) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        if (!isCjkBreakable(text[i])) {
            while (j < end && !isSpace(text[j]) && !isCjkBreakable(text[j])) ++j;
        }
        if (!out.empty()) {
            const char32_t last = text[out.back().end - 1];
            const char32_t first = text[i];
            const bool doubled = last == first && inList(first, kDoubled, kDoubledAscii);
            if (isNoLineStart(first) || isNoLineEnd(last) || doubled) {
                out.back().end = j;
                i = j;
                continue;
            }
        }
        out.push_back(Cluster{i, j});
        i = j;
    }
}

double sumOf(const double* advances, std::size_t begin, std::size_t end) {
    double w = 0.0;
    for (std::size_t k = begin; k < end; ++k) w += advances[k];
    return w;
}

// Greedy filling of one hard line [begin, end).
void breakHardLine(std::u32string_view text, const double* advances, std::size_t begin, std::size_t end, double maxWidth, double& avail,
                   std::vector<LineSpan>& out, std::vector<Cluster>& clusters) {
    // Rounding in width sums must not push a character that fits exactly to the next line.
    const double eps = 1e-9 * std::max(1.0, maxWidth);
    clustersOf(text, begin, end, clusters);
    if (clusters.empty()) {
        out.push_back(LineSpan{begin, begin, 0.0, true});
        avail = maxWidth;
        return;
    }

    bool open = false;  // a line is being filled
    LineSpan line;
    auto finish = [&](bool last) {
        line.endsParagraph = last;
        out.push_back(line);
        open = false;
        avail = maxWidth;
    };

    for (std::size_t k = 0; k < clusters.size(); ++k) {
        const Cluster& c = clusters[k];
        const double cw = sumOf(advances, c.begin, c.end);
        if (open) {
            const double gap = sumOf(advances, line.end, c.begin);  // spaces between
            if (line.width + gap + cw <= avail + eps) {
                line.width += gap + cw;
                line.end = c.end;
                continue;
            }
            finish(false);
        }
        // Leading spaces of a hard line are kept (the author indented on purpose).
        std::size_t start = k == 0 ? begin : c.begin;
        double width = sumOf(advances, start, c.begin);
        if (width + cw <= avail + eps) {
            line = LineSpan{start, c.end, width + cw, false};
            open = true;
            continue;
        }
        // Wider than a whole line: break it by characters, at least one per line.
        std::size_t pos = start;
        while (pos < c.end) {
            std::size_t stop = pos;
            double w = 0.0;
            while (stop < c.end && (stop == pos || w + advances[stop] <= avail + eps)) {
                w += advances[stop];
                ++stop;
            }
            line = LineSpan{pos, stop, w, false};
            open = true;
            if (stop < c.end) finish(false);
            pos = stop;
        }
    }
    if (open) finish(true);
}

}  // namespace

bool isNoLineStart(char32_t cp) { return inList(cp, kNoStart, kNoStartAscii); }

bool isNoLineEnd(char32_t cp) { return inList(cp, kNoEnd, kNoEndAscii); }

bool isCjkBreakable(char32_t cp) {
    if (cp < 0x00B7) return false;
    if (cp == 0x00B7) return true;  // 间隔号 in transliterated names
    if (cp >= 0x2014 && cp <= 0x2015) return true;
    if (cp >= 0x2018 && cp <= 0x201D) return true;
    if (cp >= 0x2025 && cp <= 0x2026) return true;
    if (cp == 0x2030) return true;
    if (cp >= 0x1100 && cp <= 0x11FF) return true;
    if (cp >= 0x2E80 && cp <= 0x2FFF) return true;
    if (cp >= 0x3000 && cp <= 0x33FF) return true;
    if (cp >= 0x3400 && cp <= 0x4DBF) return true;
    if (cp >= 0x4E00 && cp <= 0x9FFF) return true;
    if (cp >= 0xA960 && cp <= 0xA97F) return true;
    if (cp >= 0xAC00 && cp <= 0xD7AF) return true;
    if (cp >= 0xF900 && cp <= 0xFAFF) return true;
    if (cp >= 0xFE10 && cp <= 0xFE1F) return true;
    if (cp >= 0xFE30 && cp <= 0xFE6F) return true;
    if (cp >= 0xFF00 && cp <= 0xFF60) return true;
    if (cp >= 0xFFE0 && cp <= 0xFFE6) return true;
    if (cp >= 0x20000 && cp <= 0x3FFFF) return true;
    return false;
}

void appendLines(std::u32string_view text, const double* advances, std::size_t begin, std::size_t end, double maxWidth,
                 double firstLineWidth, std::vector<LineSpan>& out) {
    thread_local std::vector<Cluster> clusters;  // one hard line's, reused from call to call
    double avail = firstLineWidth;
    std::size_t from = begin;
    for (std::size_t i = begin; i <= end; ++i) {
        if (i == end || text[i] == U'\n') {
            breakHardLine(text, advances, from, i, maxWidth, avail, out, clusters);
            from = i + 1;
        }
    }
}

std::vector<LineSpan> breakLines(std::u32string_view text, const std::vector<double>& advances, double maxWidth, double firstLineWidth) {
    std::vector<LineSpan> lines;
    appendLines(text, advances.data(), 0, text.size(), maxWidth, firstLineWidth, lines);
    return lines;
}

std::vector<std::string> breakLines(std::string_view utf8, const std::function<double(char32_t)>& advance, double maxWidth) {
    const std::u32string text = decodeUtf8(utf8);
    std::vector<double> advances;
    advances.reserve(text.size());
    for (char32_t cp : text) advances.push_back(cp == U'\n' ? 0.0 : advance(cp));
    std::vector<std::string> out;
    for (const LineSpan& span : breakLines(text, advances, maxWidth, maxWidth)) {
        out.push_back(encodeUtf8(std::u32string_view(text).substr(span.begin, span.end - span.begin)));
    }
    return out;
}

std::vector<LineSpan> balanceLines(std::u32string_view text, const std::vector<double>& advances, const std::vector<std::size_t>& marks,
                                   double maxWidth) {
    const std::size_t n = text.size();
    double total = 0.0;
    for (std::size_t i = 0; i < n; ++i) total += advances[i];
    // Parts between marks; usable when each fits a line.
    std::vector<std::size_t> cuts{0};
    for (std::size_t m : marks) {
        if (m > cuts.back() && m < n) cuts.push_back(m);
    }
    cuts.push_back(n);
    std::vector<double> partWidth;
    bool partsFit = cuts.size() > 2;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        double w = 0.0;
        for (std::size_t i = cuts[k]; i < cuts[k + 1]; ++i) w += advances[i];
        partWidth.push_back(w);
        partsFit = partsFit && w <= maxWidth * (1.0 + 1e-9);
    }
    // Lines no wider than `w`: parts packed greedily, or the Chinese line breaker.
    auto breakAt = [&](double w) {
        if (!partsFit) return breakLines(text, advances, w, w);
        std::vector<LineSpan> lines;
        LineSpan cur{0, 0, 0.0, false};
        for (std::size_t k = 0; k < partWidth.size(); ++k) {
            if (cur.end > cur.begin && cur.width + partWidth[k] > w * (1.0 + 1e-9)) {
                lines.push_back(cur);
                cur = LineSpan{cuts[k], cuts[k], 0.0, false};
            }
            cur.end = cuts[k + 1];
            cur.width += partWidth[k];
        }
        cur.endsParagraph = true;
        lines.push_back(cur);
        return lines;
    };
    const std::vector<LineSpan> widest = breakAt(maxWidth);
    if (widest.size() <= 1) return widest;
    // The narrowest width that still needs no more lines: the longest line is then as short
    // as it can be, and the others are close to it.
    double lo = total / static_cast<double>(widest.size());
    double hi = maxWidth;
    for (int step = 0; step < 40 && hi - lo > 1e-6 * maxWidth; ++step) {
        const double mid = (lo + hi) / 2.0;
        if (breakAt(mid).size() <= widest.size()) hi = mid;
        else lo = mid;
    }
    return breakAt(hi);
}

}  // namespace jixiao::render
