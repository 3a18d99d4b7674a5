#include "pdf/subsetter.h"

#include "pdf/pdf_error.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

namespace jixiao::pdf {

namespace {

constexpr std::uint16_t kUnassigned = 0xFFFF;

std::uint16_t u16(std::string_view b, size_t at) {
    if (at + 2 > b.size()) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

void put16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, v >> 16);
    put16(out, v & 0xFFFF);
}

void set16(std::string& out, size_t at, std::uint32_t v) {
    if (at + 2 > out.size()) return;
    out[at] = static_cast<char>((v >> 8) & 0xFF);
    out[at + 1] = static_cast<char>(v & 0xFF);
}

void set32(std::string& out, size_t at, std::uint32_t v) {
    set16(out, at, v >> 16);
    set16(out, at + 2, v & 0xFFFF);
}

void padTo4(std::string& out) {
    while (out.size() % 4 != 0) out.push_back('\0');
}

// The table checksum of the TrueType spec: the sum of the big-endian 32-bit words of the
// table, zero-padded to a multiple of four bytes.
std::uint32_t checksum(std::string_view data) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
    // Two big-endian words at a time, both added to a 64-bit sum whose low 32 bits are the 32-bit
    // sum of the words. The outlines of a table PDF's subsets are ~120 KB, summed once per
    // document.
    std::uint64_t sum = 0;
    size_t i = 0;
    for (; i + 8 <= data.size(); i += 8) {
        std::uint64_t pair;
        std::memcpy(&pair, bytes + i, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        pair = __builtin_bswap64(pair);
#endif
        sum += (pair >> 32) + (pair & 0xFFFFFFFFu);
    }
    for (; i < data.size(); i += 4) {
        std::uint32_t word = 0;
        for (size_t k = 0; k < 4; ++k) word = (word << 8) | (i + k < data.size() ? bytes[i + k] : 0u);
        sum += word;
    }
    return static_cast<std::uint32_t>(sum);
}

// Composite glyph component flags ('glyf' spec, "Composite glyph description").
constexpr std::uint16_t kArgsAreWords = 0x0001;
constexpr std::uint16_t kHaveScale = 0x0008;
constexpr std::uint16_t kMoreComponents = 0x0020;
constexpr std::uint16_t kHaveXYScale = 0x0040;
constexpr std::uint16_t kHaveTwoByTwo = 0x0080;

// Calls visit(offset, glyphId) for each component of a composite glyph, where offset is the
// position of the component's glyph index within `glyph`.
template <typename Visit>
void forEachComponent(std::string_view glyph, const FontFace& face, Visit visit) {
    size_t at = 10;
    for (;;) {
        if (at + 4 > glyph.size()) {
            throw PdfError("无法从字体 " + face.path() + " 中取出所用的字形（复合字形的数据不完整）");
        }
        const std::uint16_t flags = u16(glyph, at);
        visit(at + 2, u16(glyph, at + 2));
        at += 4 + ((flags & kArgsAreWords) != 0 ? 4 : 2);
        if ((flags & kHaveScale) != 0) at += 2;
        else if ((flags & kHaveXYScale) != 0) at += 4;
        else if ((flags & kHaveTwoByTwo) != 0) at += 8;
        if ((flags & kMoreComponents) == 0) break;
    }
}

// OS/2 fsType (OpenType spec): bits 0–3 are the embedding level, 0x0002 alone meaning
// "Restricted License embedding"; 0x0100 forbids subsetting and 0x0200 allows bitmaps only.
// We embed outline subsets, so any of these stops us, as HPDF_TTF_CANNOT_EMBEDDING_FONT
// stopped libharu 2.3.0.
void checkLicence(const FontFace& face) {
    const std::string_view os2 = face.table("OS/2");
    if (os2.size() < 10) return;
    const std::uint16_t fsType = u16(os2, 8);
    const char* why = nullptr;
    if ((fsType & 0x000F) == 0x0002) why = "字体的授权标志（OS/2 fsType）禁止嵌入";
    else if ((fsType & 0x0100) != 0) why = "字体的授权标志（OS/2 fsType）禁止只嵌入所用的字形";
    else if ((fsType & 0x0200) != 0) why = "字体的授权标志（OS/2 fsType）只允许嵌入点阵图";
    if (why != nullptr) throw PdfError("字体 " + face.path() + " 不能嵌入 PDF（" + why + "）");
}

// cmap format 4 for the sorted (code point, glyph) pairs, or "" when it would exceed the
// format's 16-bit length. A run of consecutive code points becomes either one segment per
// stretch of consecutive glyph ids (idDelta, 8 bytes each) or one segment with a glyphIdArray
// (8 bytes + 2 per code point), whichever is smaller.
std::string cmapFormat4(const std::vector<std::pair<char32_t, std::uint16_t>>& map) {
    struct Segment {
        std::uint16_t start = 0, end = 0, delta = 0;
        std::vector<std::uint16_t> glyphs;  // non-empty: an idRangeOffset segment
    };
    std::vector<Segment> segments;
    size_t i = 0;
    while (i < map.size()) {
        if (map[i].first >= 0xFFFF) break;
        size_t j = i + 1;
        while (j < map.size() && map[j].first == map[j - 1].first + 1 && map[j].first < 0xFFFF) ++j;
        size_t stretches = 1;
        for (size_t k = i + 1; k < j; ++k) stretches += map[k].second != map[k - 1].second + 1;
        if (8 * stretches <= 8 + 2 * (j - i)) {
            for (size_t k = i; k < j;) {
                size_t e = k + 1;
                while (e < j && map[e].second == map[e - 1].second + 1) ++e;
                segments.push_back(Segment{static_cast<std::uint16_t>(map[k].first),
                                           static_cast<std::uint16_t>(map[e - 1].first),
                                           static_cast<std::uint16_t>(map[k].second - map[k].first),
                                           {}});
                k = e;
            }
        } else {
            Segment s{static_cast<std::uint16_t>(map[i].first), static_cast<std::uint16_t>(map[j - 1].first), 0, {}};
            for (size_t k = i; k < j; ++k) s.glyphs.push_back(map[k].second);
            segments.push_back(std::move(s));
        }
        i = j;
    }
    segments.push_back(Segment{0xFFFF, 0xFFFF, 1, {}});  // the required final segment

    const size_t segCount = segments.size();
    size_t glyphIds = 0;
    for (const Segment& s : segments) glyphIds += s.glyphs.size();
    const size_t length = 16 + 8 * segCount + 2 * glyphIds;
    if (length > 0xFFFF) return {};
    size_t power = 1;
    size_t log2 = 0;
    while (power * 2 <= segCount) {
        power *= 2;
        ++log2;
    }
    std::string t;
    t.reserve(length);
    put16(t, 4);
    put16(t, static_cast<std::uint32_t>(length));
    put16(t, 0);  // language
    put16(t, static_cast<std::uint32_t>(2 * segCount));
    put16(t, static_cast<std::uint32_t>(2 * power));
    put16(t, static_cast<std::uint32_t>(log2));
    put16(t, static_cast<std::uint32_t>(2 * segCount - 2 * power));
    for (const Segment& s : segments) put16(t, s.end);
    put16(t, 0);  // reservedPad
    for (const Segment& s : segments) put16(t, s.start);
    for (const Segment& s : segments) put16(t, s.delta);
    // idRangeOffset counts bytes from the idRangeOffset entry itself to the segment's first
    // glyphIdArray element.
    size_t before = 0;
    for (size_t k = 0; k < segCount; ++k) {
        const Segment& s = segments[k];
        put16(t, s.glyphs.empty() ? 0u : static_cast<std::uint32_t>(2 * (segCount - k) + 2 * before));
        before += s.glyphs.size();
    }
    for (const Segment& s : segments) {
        for (std::uint16_t g : s.glyphs) put16(t, g);
    }
    return t;
}

// cmap format 12 (sequential map groups), for subsets too large for format 4.
std::string cmapFormat12(const std::vector<std::pair<char32_t, std::uint16_t>>& map) {
    std::vector<std::pair<size_t, size_t>> groups;  // [first, last] indices into map
    for (size_t i = 0; i < map.size();) {
        size_t j = i + 1;
        while (j < map.size() && map[j].first == map[j - 1].first + 1 && map[j].second == map[j - 1].second + 1) {
            ++j;
        }
        groups.emplace_back(i, j - 1);
        i = j;
    }
    std::string t;
    put16(t, 12);
    put16(t, 0);
    put32(t, static_cast<std::uint32_t>(16 + 12 * groups.size()));
    put32(t, 0);  // language
    put32(t, static_cast<std::uint32_t>(groups.size()));
    for (const auto& [first, last] : groups) {
        put32(t, map[first].first);
        put32(t, map[last].first);
        put32(t, map[first].second);
    }
    return t;
}

std::string cmapTable(const std::vector<char32_t>& chars) {
    std::vector<std::pair<char32_t, std::uint16_t>> map;
    map.reserve(chars.size());
    for (size_t k = 0; k < chars.size(); ++k) {
        map.emplace_back(chars[k], static_cast<std::uint16_t>(k + 1));
    }
    std::sort(map.begin(), map.end());
    // A character listed twice keeps its first glyph.
    map.erase(std::unique(map.begin(), map.end(), [](const auto& a, const auto& b) { return a.first == b.first; }), map.end());
    std::string sub = cmapFormat4(map);
    const bool format4 = !sub.empty();
    if (!format4) sub = cmapFormat12(map);
    std::string t;
    put16(t, 0);  // version
    put16(t, 1);  // one subtable: Windows Unicode, BMP (3,1) for format 4, full (3,10) for 12
    put16(t, 3);
    put16(t, format4 ? 1 : 10);
    put32(t, 12);
    return t + sub;
}

// Name IDs 0–6 (copyright, family, subfamily, unique ID, full name, version, PostScript
// name): what identifies the font and its licence, without the long licence text and
// descriptions some faces carry. Only the Windows (platform 3) records when there are any:
// the Macintosh records repeat them, and the font is only ever read from the PDF. Of those,
// one language: US English (0x0409) when the face has it, else the first one listed; the
// others repeat the copyright and translate the names (a face in three languages tripled the
// table, ~110 deflated bytes per PDF). A string that several records share (family and full
// name, often) is stored once.
std::string nameTable(std::string_view name) {
    const size_t count = u16(name, 2);
    const size_t strings = u16(name, 4);
    bool windows = false;
    for (size_t k = 0; k < count && 6 + 12 * k + 12 <= name.size(); ++k) windows |= u16(name, 6 + 12 * k) == 3;
    std::vector<std::pair<size_t, std::string_view>> kept;  // record offset, string
    for (size_t k = 0; k < count; ++k) {
        const size_t rec = 6 + 12 * k;
        if (rec + 12 > name.size()) break;
        const size_t length = u16(name, rec + 8);
        const size_t offset = strings + u16(name, rec + 10);
        if (windows && u16(name, rec) != 3) continue;
        // Language IDs from 0x8000 refer to format 1 language tags, which we do not keep.
        if (u16(name, rec + 6) > 6 || u16(name, rec + 4) >= 0x8000) continue;
        if (offset > name.size() || length > name.size() - offset) continue;
        kept.emplace_back(rec, name.substr(offset, length));
    }
    if (windows && !kept.empty()) {
        std::uint32_t language = u16(name, kept.front().first + 4);
        for (const auto& entry : kept) {
            if (u16(name, entry.first + 4) == 0x0409) language = 0x0409;
        }
        kept.erase(std::remove_if(kept.begin(), kept.end(),
                                  [&name, language](const auto& entry) { return u16(name, entry.first + 4) != language; }),
                   kept.end());
    }
    std::string t;
    put16(t, 0);
    put16(t, static_cast<std::uint32_t>(kept.size()));
    put16(t, static_cast<std::uint32_t>(6 + 12 * kept.size()));
    std::string storage;
    std::vector<std::pair<std::string_view, size_t>> stored;  // each distinct string and where it went
    for (const auto& [rec, text] : kept) {
        t.append(name.substr(rec, 8));  // platform, encoding, language, name ID
        put16(t, static_cast<std::uint32_t>(text.size()));
        auto same = std::find_if(stored.begin(), stored.end(), [&text = text](const auto& s) { return s.first == text; });
        if (same == stored.end()) {
            stored.emplace_back(text, storage.size());
            storage.append(text);
            same = stored.end() - 1;
        }
        put16(t, static_cast<std::uint32_t>(same->second));
    }
    return t + storage;
}

// post format 3: no glyph names (CID fonts are addressed by glyph id), with the original
// italic angle, underline metrics and fixed-pitch flag.
std::string postTable(std::string_view post) {
    std::string t(32, '\0');
    for (size_t k = 4; k < 32 && k < post.size(); ++k) t[k] = post[k];
    set32(t, 0, 0x00030000);
    for (size_t k = 16; k < 32; ++k) t[k] = '\0';  // memory hints describe the whole font
    return t;
}

std::string tagFor(const std::vector<std::uint16_t>& source, const std::vector<char32_t>& chars) {
    // FNV-1a over everything that decides the subset's bytes; the tag only has to tell
    // different subsets in one file apart (ISO 32000-1 9.6.4) and must be reproducible.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    auto mix = [&h](std::uint32_t v) {
        for (int k = 0; k < 4; ++k) {
            h ^= (v >> (8 * k)) & 0xFF;
            h *= 0x100000001b3ULL;
        }
    };
    for (std::uint16_t g : source) mix(g);
    mix(0xFFFFFFFF);
    for (char32_t cp : chars) mix(static_cast<std::uint32_t>(cp));
    std::string tag;
    for (int k = 0; k < 6; ++k) {
        tag.push_back(static_cast<char>('A' + h % 26));
        h /= 26;
    }
    return tag;
}

}  // namespace

bool isCompositeGlyph(std::string_view glyph) { return glyph.size() >= 10 && static_cast<std::int16_t>(u16(glyph, 0)) < 0; }

FontSubset subsetFont(const FontFace& face, const std::vector<char32_t>& chars, CharMap charMap) {
    checkLicence(face);
    const auto glyphCount = static_cast<size_t>(face.glyphCount());
    if (chars.size() + 1 > 0xFFFF) {
        throw PdfError("无法从字体 " + face.path() + " 中取出所用的字形（所需字形超过 65535 个）");
    }

    FontSubset subset;
    std::vector<std::uint16_t>& source = subset.source;
    source.reserve(chars.size() + 1);
    source.push_back(0);
    for (char32_t cp : chars) source.push_back(face.glyphOf(cp));

    // Composite glyphs draw other glyphs by id: keep those too (breadth first, to any depth;
    // each original glyph gets one subset id, the first that holds it).
    std::vector<std::uint16_t> newId(glyphCount, kUnassigned);
    for (size_t i = 0; i < source.size(); ++i) {
        if (newId[source[i]] == kUnassigned) newId[source[i]] = static_cast<std::uint16_t>(i);
    }
    for (size_t i = 0; i < source.size(); ++i) {
        const std::string_view data = face.glyph(source[i]);
        if (!isCompositeGlyph(data)) continue;
        forEachComponent(data, face, [&](size_t, std::uint16_t component) {
            if (component >= glyphCount) {
                throw PdfError("无法从字体 " + face.path() + " 中取出所用的字形（第 " + std::to_string(source[i]) +
                               " 号字形引用了不存在的第 " + std::to_string(component) + " 号字形）");
            }
            if (newId[component] != kUnassigned) return;
            if (source.size() >= 0xFFFF) {
                throw PdfError("无法从字体 " + face.path() + " 中取出所用的字形（所需字形超过 65535 个）");
            }
            newId[component] = static_cast<std::uint16_t>(source.size());
            source.push_back(component);
        });
    }
    const size_t n = source.size();

    // glyf and loca: glyphs copied as they are (outlines and instructions), component ids
    // rewritten; each glyph starts on a 4-byte boundary, as the 'loca' spec recommends.
    std::string glyf;
    std::vector<std::uint32_t> offsets;
    offsets.reserve(n + 1);
    for (size_t i = 0; i < n; ++i) {
        offsets.push_back(static_cast<std::uint32_t>(glyf.size()));
        const std::string_view data = face.glyph(source[i]);
        const size_t at = glyf.size();
        glyf.append(data);
        if (isCompositeGlyph(data)) {
            forEachComponent(data, face, [&](size_t offset, std::uint16_t component) { set16(glyf, at + offset, newId[component]); });
        }
        padTo4(glyf);
    }
    offsets.push_back(static_cast<std::uint32_t>(glyf.size()));
    subset.glyphEnds.assign(offsets.begin() + 1, offsets.end());
    // Short offsets store offset / 2 in 16 bits.
    const bool shortLoca = glyf.size() <= 2 * 0xFFFF;
    std::string loca;
    for (std::uint32_t o : offsets) {
        if (shortLoca) put16(loca, o / 2);
        else put32(loca, o);
    }

    // hmtx with one full (advance, lsb) record per glyph: the subset order is the order of
    // first use, so the trailing run of equal advances that the short form saves is rare.
    std::string hmtx;
    hmtx.reserve(4 * n);
    for (std::uint16_t g : source) {
        put16(hmtx, face.advanceUnits(g));
        put16(hmtx, static_cast<std::uint16_t>(face.leftSideBearing(g)));
    }

    // head, hhea and maxp keep the original's values except for the counts and formats that
    // changed; the maxima they record (advanceWidthMax, maxPoints ...) stay valid bounds.
    std::map<std::string, std::string> tables;  // sorted by tag, as the directory requires
    std::string head(face.table("head"));
    set32(head, 8, 0);  // checkSumAdjustment, set below once the whole font is known
    set16(head, 50, shortLoca ? 0 : 1);
    std::string hhea(face.table("hhea"));
    set16(hhea, 34, static_cast<std::uint32_t>(n));
    std::string maxp(face.table("maxp"));
    set16(maxp, 4, static_cast<std::uint32_t>(n));
    tables["head"] = std::move(head);
    tables["hhea"] = std::move(hhea);
    tables["maxp"] = std::move(maxp);
    tables["glyf"] = std::move(glyf);
    tables["loca"] = std::move(loca);
    tables["hmtx"] = std::move(hmtx);
    if (charMap == CharMap::Include) tables["cmap"] = cmapTable(chars);
    tables["post"] = postTable(face.table("post"));
    if (!face.table("name").empty()) tables["name"] = nameTable(face.table("name"));
    if (!face.table("OS/2").empty()) {
        std::string os2(face.table("OS/2"));
        if (!chars.empty()) {
            // usFirstCharIndex and usLastCharIndex describe the characters the font maps.
            const auto [lo, hi] = std::minmax_element(chars.begin(), chars.end());
            set16(os2, 64, std::min<char32_t>(*lo, 0xFFFF));
            set16(os2, 66, std::min<char32_t>(*hi, 0xFFFF));
        }
        tables["OS/2"] = std::move(os2);
    }
    // Glyph instructions call functions of fpgm and read the cvt: keep the hinting program.
    for (const char* tag : {"cvt ", "fpgm", "prep"}) {
        if (!face.table(tag).empty()) tables[tag] = std::string(face.table(tag));
    }

    // The sfnt: offset table, table directory (sorted by tag), then the tables on 4-byte
    // boundaries: glyf last (the spec allows any order of table data), so that the program
    // ends with the outlines of glyphs 0, 1, 2, ...: documents that draw the same leading
    // characters share those bytes, and a document's PDF and OFD subsets, which differ only
    // in the cmap, share the whole glyf table (glyph_prefix.h).
    const size_t count = tables.size();
    size_t power = 1;
    size_t log2 = 0;
    while (power * 2 <= count) {
        power *= 2;
        ++log2;
    }
    std::vector<const std::pair<const std::string, std::string>*> order;
    for (const auto& entry : tables) {
        if (entry.first != "glyf") order.push_back(&entry);
    }
    order.push_back(&*tables.find("glyf"));
    std::map<std::string, size_t> offsetOf;
    const size_t directoryEnd = 12 + 16 * count;
    size_t offset = directoryEnd;
    for (const auto* entry : order) {
        offsetOf[entry->first] = offset;
        offset += (entry->second.size() + 3) / 4 * 4;
    }
    std::string& out = subset.program;
    out.reserve(offset);
    put32(out, 0x00010000);
    put16(out, static_cast<std::uint32_t>(count));
    put16(out, static_cast<std::uint32_t>(16 * power));
    put16(out, static_cast<std::uint32_t>(log2));
    put16(out, static_cast<std::uint32_t>(16 * count - 16 * power));
    // The whole font's checksum is the sum of its parts' checksums: every table starts on a
    // 4-byte boundary and is padded with zeros.
    std::uint32_t fontSum = 0;
    for (const auto& [tag, data] : tables) {
        const std::uint32_t sum = checksum(data);
        fontSum += sum;
        out.append(tag);
        put32(out, sum);
        put32(out, static_cast<std::uint32_t>(offsetOf[tag]));
        put32(out, static_cast<std::uint32_t>(data.size()));
    }
    for (const auto* entry : order) {
        out.append(entry->second);
        padTo4(out);
    }
    subset.glyfOffset = offsetOf["glyf"];
    const size_t headAt = offsetOf["head"];
    // head.checkSumAdjustment makes the whole font sum to 0xB1B0AFBA ('head' spec).
    set32(out, headAt + 8, 0xB1B0AFBAu - (fontSum + checksum(std::string_view(out).substr(0, directoryEnd))));

    subset.tag = tagFor(source, chars);
    return subset;
}

}  // namespace jixiao::pdf
