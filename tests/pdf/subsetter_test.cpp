#include "pdf/font_face.h"
#include "pdf/subsetter.h"
#include "pdf/fonts.h"
#include "pdf/pdf_error.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace jixiao;

namespace {

const std::string kFonts = std::string(JIXIAO_SOURCE_DIR) + "/fonts";

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("jixiao-subset-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    // Reads `bytes` back as a font file, bypassing FontFace::load's cache.
    pdf::FontFace face(const std::string& name, const std::string& bytes) const {
        std::ofstream(path / name, std::ios::binary) << bytes;
        return pdf::FontFace((path / name).string(), 0);
    }
};

std::uint16_t u16(std::string_view b, size_t at) {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

std::uint32_t u32(std::string_view b, size_t at) { return (static_cast<std::uint32_t>(u16(b, at)) << 16) | u16(b, at + 2); }

std::uint32_t checksum(std::string_view data) {
    std::string padded(data);
    padded.resize((padded.size() + 3) / 4 * 4, '\0');
    std::uint32_t sum = 0;
    for (size_t i = 0; i < padded.size(); i += 4) sum += u32(padded, i);
    return sum;
}

// The components of a composite glyph: (offset of the glyph index, glyph index).
std::vector<std::pair<size_t, std::uint16_t>> components(std::string_view glyph) {
    std::vector<std::pair<size_t, std::uint16_t>> out;
    if (glyph.size() < 10 || static_cast<std::int16_t>(u16(glyph, 0)) >= 0) return out;
    size_t at = 10;
    for (;;) {
        const std::uint16_t flags = u16(glyph, at);
        out.emplace_back(at + 2, u16(glyph, at + 2));
        at += 4 + ((flags & 0x0001) != 0 ? 4 : 2);
        if ((flags & 0x0008) != 0) at += 2;
        else if ((flags & 0x0040) != 0) at += 4;
        else if ((flags & 0x0080) != 0) at += 8;
        if ((flags & 0x0020) == 0) break;
    }
    return out;
}

// True when glyph `a` of `fa` draws what glyph `b` of `fb` draws: the same bytes once
// component ids are put aside, and components that match in turn.
bool sameOutline(const pdf::FontFace& fa, std::uint16_t a, const pdf::FontFace& fb, std::uint16_t b) {
    std::string ga(fa.glyph(a));
    std::string gb(fb.glyph(b));
    const auto ca = components(ga);
    const auto cb = components(gb);
    if (ca.size() != cb.size()) return false;
    for (size_t k = 0; k < ca.size(); ++k) {
        if (!sameOutline(fa, ca[k].second, fb, cb[k].second)) return false;
        ga[ca[k].first] = ga[ca[k].first + 1] = 0;
        gb[cb[k].first] = gb[cb[k].first + 1] = 0;
    }
    // Subset glyphs are padded to four bytes.
    gb.resize(ga.size() <= gb.size() ? ga.size() : gb.size());
    return ga == gb;
}

std::vector<char32_t> sampleText() {
    std::vector<char32_t> chars;
    for (char32_t cp : std::u32string(U"绩效自评表，项目支出（2024年度）ABCxyz 0123456789.%；“优”—□")) {
        if (std::find(chars.begin(), chars.end(), cp) == chars.end()) chars.push_back(cp);
    }
    return chars;
}

}  // namespace

TEST_CASE("a font subset is a valid TrueType font with the original glyphs and widths", "[pdf]") {
    TempDir dir;
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    for (int f = 0; f < fonts.faceCount(); ++f) {
        const pdf::FontFace& original = fonts.face(f);
        INFO(fonts.spec(f).name);
        std::vector<char32_t> chars;
        for (char32_t cp : sampleText()) {
            if (original.covers(cp)) chars.push_back(cp);
        }
        REQUIRE(chars.size() > 30);
        const pdf::FontSubset subset = pdf::subsetFont(original, chars);

        // The sfnt structure: every table's checksum, and the whole font sums to 0xB1B0AFBA.
        const std::string& p = subset.program;
        REQUIRE(u32(p, 0) == 0x00010000u);
        const size_t tables = u16(p, 4);
        std::vector<std::string> tags;
        for (size_t k = 0; k < tables; ++k) {
            const size_t rec = 12 + 16 * k;
            const std::string tag = p.substr(rec, 4);
            // Hinting programs and their table are copied whole from faces that have them.
            if (tag != "cvt " && tag != "fpgm" && tag != "prep") tags.push_back(tag);
            const std::string_view data = std::string_view(p).substr(u32(p, rec + 8), u32(p, rec + 12));
            INFO(tag);
            if (tag != "head") CHECK(checksum(data) == u32(p, rec + 4));
            CHECK(u32(p, rec + 8) % 4 == 0);
        }
        CHECK(tags == std::vector<std::string>{"OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"});
        CHECK(checksum(p) == 0xB1B0AFBAu);

        // The table data ends with glyf, glyph by glyph, up to the end of the program.
        size_t glyfRecord = 0;
        for (size_t k = 0; k < tables; ++k) {
            if (p.substr(12 + 16 * k, 4) == "glyf") glyfRecord = 12 + 16 * k;
        }
        REQUIRE(p.substr(glyfRecord, 4) == "glyf");
        CHECK(u32(p, glyfRecord + 8) == subset.glyfOffset);
        CHECK(subset.glyfOffset + u32(p, glyfRecord + 12) == p.size());
        for (size_t k = 0; k < tables; ++k) CHECK(u32(p, 12 + 16 * k + 8) <= subset.glyfOffset);
        REQUIRE(subset.glyphEnds.size() == subset.source.size());
        CHECK(subset.glyphEnds.back() == u32(p, glyfRecord + 12));
        CHECK(std::is_sorted(subset.glyphEnds.begin(), subset.glyphEnds.end()));
        // A subset of more characters with the same leading ones starts with the same bytes.
        std::vector<char32_t> lead(chars.begin(), chars.begin() + 20);
        const pdf::FontSubset shorter = pdf::subsetFont(original, lead);
        const size_t shared = shorter.glyfOffset + shorter.glyphEnds[20];
        CHECK(shorter.program.substr(shorter.glyfOffset, shared - shorter.glyfOffset) ==
              p.substr(subset.glyfOffset, shared - shorter.glyfOffset));

        // Parsed back: glyph k draws chars[k-1], with the original outline and width.
        const pdf::FontFace copy = dir.face("subset-" + std::to_string(f) + ".ttf", p);
        CHECK(copy.glyphCount() == static_cast<int>(subset.source.size()));
        CHECK(copy.unitsPerEm() == original.unitsPerEm());
        CHECK(copy.ascender() == original.ascender());
        CHECK(copy.descender() == original.descender());
        CHECK(copy.postScriptName() == original.postScriptName());
        CHECK(sameOutline(original, 0, copy, 0));  // .notdef
        for (size_t k = 0; k < chars.size(); ++k) {
            const char32_t cp = chars[k];
            INFO("U+" << std::hex << static_cast<unsigned>(cp));
            CHECK(copy.glyphOf(cp) == k + 1);
            CHECK(subset.source[k + 1] == original.glyphOf(cp));
            CHECK(copy.covers(cp));
            CHECK(copy.advance(cp) == original.advance(cp));
            CHECK(copy.advanceUnits(copy.glyphOf(cp)) == original.advanceUnits(original.glyphOf(cp)));
            CHECK(copy.leftSideBearing(copy.glyphOf(cp)) == original.leftSideBearing(original.glyphOf(cp)));
            CHECK(sameOutline(original, original.glyphOf(cp), copy, copy.glyphOf(cp)));
        }
        CHECK_FALSE(copy.covers(U'丐'));  // not asked for

        // Reproducible, and the tag follows the contents.
        const pdf::FontSubset again = pdf::subsetFont(original, chars);
        CHECK(again.program == subset.program);
        CHECK(again.tag == subset.tag);
        CHECK(std::all_of(subset.tag.begin(), subset.tag.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
        CHECK(subset.tag.size() == 6);
        std::vector<char32_t> fewer(chars.begin(), chars.end() - 1);
        CHECK(pdf::subsetFont(original, fewer).tag != subset.tag);

        // A subset of the subset keeps the outlines too.
        const pdf::FontSubset twice = pdf::subsetFont(copy, chars);
        const pdf::FontFace copy2 = dir.face("twice-" + std::to_string(f) + ".ttf", twice.program);
        for (char32_t cp : chars) CHECK(sameOutline(original, original.glyphOf(cp), copy2, copy2.glyphOf(cp)));
    }
}

TEST_CASE("a font subset keeps the components of composite glyphs", "[pdf]") {
    TempDir dir;
    // AR PL UMing builds accented letters, i and j, and the CJK compatibility ideographs
    // (U+F900..) from components.
    const auto ming = pdf::FontFace::load(kFonts + "/uming.ttc", 0);
    std::vector<char32_t> chars;
    for (char32_t cp : ming->coveredIn(0x20, 0xFFFD)) {
        if (!components(ming->glyph(ming->glyphOf(cp))).empty()) chars.push_back(cp);
        if (chars.size() == 40) break;
    }
    REQUIRE(chars.size() == 40);
    for (char32_t cp : ming->coveredIn(0xF900, 0xFAFF)) {
        if (!components(ming->glyph(ming->glyphOf(cp))).empty()) chars.push_back(cp);
        if (chars.size() == 60) break;
    }
    REQUIRE(chars.size() == 60);
    chars.push_back(U'中');
    const pdf::FontSubset subset = pdf::subsetFont(*ming, chars);
    const pdf::FontFace copy = dir.face("composite.ttf", subset.program);
    CHECK(subset.source.size() > chars.size() + 1);  // components were added
    CHECK(copy.glyphCount() == static_cast<int>(subset.source.size()));
    for (char32_t cp : chars) {
        INFO("U+" << std::hex << static_cast<unsigned>(cp));
        const std::uint16_t g = copy.glyphOf(cp);
        for (const auto& [offset, component] : components(copy.glyph(g))) {
            CHECK(component < copy.glyphCount());
            CHECK(subset.source[component] != 0);
        }
        CHECK(sameOutline(*ming, ming->glyphOf(cp), copy, g));
    }
}

// The tables of a font program by tag.
std::map<std::string, std::string_view> tablesOf(std::string_view p) {
    std::map<std::string, std::string_view> out;
    for (size_t k = 0; k < u16(p, 4); ++k) {
        const size_t rec = 12 + 16 * k;
        out[std::string(p.substr(rec, 4))] = p.substr(u32(p, rec + 8), u32(p, rec + 12));
    }
    return out;
}

TEST_CASE("a font subset for a PDF leaves out the cmap and keeps the rest", "[pdf]") {
    const pdf::FontSet fonts = pdf::FontSet::bundled(kFonts);
    const pdf::FontFace& original = fonts.face(0);
    std::vector<char32_t> chars;
    for (char32_t cp : sampleText()) {
        if (original.covers(cp)) chars.push_back(cp);
    }
    REQUIRE(chars.size() > 30);
    const pdf::FontSubset full = pdf::subsetFont(original, chars);
    const pdf::FontSubset lean = pdf::subsetFont(original, chars, pdf::CharMap::Omit);
    const auto fullTables = tablesOf(full.program);
    const auto leanTables = tablesOf(lean.program);
    REQUIRE(fullTables.count("cmap") == 1);
    CHECK(leanTables.count("cmap") == 0);
    CHECK(leanTables.size() + 1 == fullTables.size());
    for (const auto& [tag, data] : leanTables) {
        INFO(tag);
        REQUIRE(fullTables.count(tag) == 1);
        // head differs in checkSumAdjustment (bytes 8-11) only: the whole font differs.
        if (tag == "head") {
            CHECK(data.substr(0, 8) == fullTables.at(tag).substr(0, 8));
            CHECK(data.substr(12) == fullTables.at(tag).substr(12));
        } else {
            CHECK(data == fullTables.at(tag));
        }
    }
    CHECK(checksum(lean.program) == 0xB1B0AFBAu);
    CHECK(lean.glyphEnds == full.glyphEnds);
    // The glyf table ends both programs with the same bytes: a document's PDF and OFD share
    // its deflated outlines (glyph_prefix.h).
    CHECK(lean.program.substr(lean.glyfOffset) == full.program.substr(full.glyfOffset));
    CHECK(lean.glyfOffset == full.glyfOffset - 16 - (fullTables.at("cmap").size() + 3) / 4 * 4);  // one table fewer
}

TEST_CASE("a font subset too large for cmap format 4 gets format 12", "[pdf]") {
    TempDir dir;
    const auto ming = pdf::FontFace::load(kFonts + "/uming.ttc", 0);
    // Every other ideograph: no two code points adjacent, so format 4 needs a segment each.
    std::vector<char32_t> chars;
    const std::vector<char32_t> all = ming->coveredIn(0x4E00, 0x9FFF);
    for (size_t k = 0; k < all.size(); k += 2) {
        if (chars.empty() || all[k] > chars.back() + 1) chars.push_back(all[k]);
    }
    REQUIRE(chars.size() > 8200);
    const pdf::FontSubset subset = pdf::subsetFont(*ming, chars);
    const pdf::FontFace copy = dir.face("large.ttf", subset.program);
    const std::string_view cmap = copy.table("cmap");
    CHECK(u16(cmap, 4) == 3);
    CHECK(u16(cmap, 6) == 10);
    CHECK(u16(cmap, u32(cmap, 8)) == 12);
    for (size_t k = 0; k < chars.size(); ++k) REQUIRE(copy.glyphOf(chars[k]) == k + 1);
}

TEST_CASE("a font whose licence flags forbid embedding is refused", "[pdf]") {
    TempDir dir;
    const auto kai = pdf::FontFace::load(kFonts + "/LXGWWenKai-Regular.ttf", 0);
    std::string program = pdf::subsetFont(*kai, {U'绩', U'效'}).program;
    // Patch OS/2 fsType (offset 8 of the table) to 0x0002, Restricted License embedding.
    for (size_t k = 0; k < u16(program, 4); ++k) {
        if (program.compare(12 + 16 * k, 4, "OS/2") == 0) program[u32(program, 12 + 16 * k + 8) + 9] = 2;
    }
    const pdf::FontFace restricted = dir.face("restricted.ttf", program);
    CHECK_THROWS_WITH(pdf::subsetFont(restricted, {U'绩'}),
                      "字体 " + (dir.path / "restricted.ttf").string() + " 不能嵌入 PDF（字体的授权标志（OS/2 fsType）禁止嵌入）");
}
