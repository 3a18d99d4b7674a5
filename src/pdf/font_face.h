#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::pdf {

/// What the layout and the PDF subsetter need from a TrueType face: which characters it can
/// draw, how wide they are, and the raw tables and glyph outlines to copy into a subset.
/// Read from the font's own tables (cmap, hmtx, loca, head, hhea, maxp, OS/2, name) instead
/// of asking libharu, because libharu 2.3.0 silently draws .notdef (or nothing) for a
/// character its face lacks, and because measuring must not require embedding the face.
/// The file is memory-mapped read-only: a document touches a few hundred glyphs of a 15–20 MB
/// font, and reading them from the mapping is cheaper than reading the whole file. A face is
/// immutable after construction, so any number of threads may read it at once.
class FontFace {
public:
    /// Reads face `index` of a .ttf/.ttc file. Parsed faces are cached for the life of the
    /// process (thread-safe), so a batch parses each font once. Throws PdfError.
    static std::shared_ptr<const FontFace> load(const std::string& path, unsigned index = 0);

    /// True when the face has a glyph with an outline for `cp` (spaces need none). Only the
    /// BMP counts: only the face's BMP mapping is read (cmap format 4, or format 12 up to
    /// U+FFFE), as libharu 2.3.0 did when it embedded our fonts.
    bool covers(char32_t cp) const;

    /// Advance width of `cp` in 1/1000 em, truncated (advance × 1000 / unitsPerEm, integer
    /// division) exactly as the PDF /W array gets it, so our positions match the viewer's.
    int advance(char32_t cp) const;

    /// Glyph id of `cp`, 0 when unmapped.
    std::uint16_t glyphOf(char32_t cp) const;

    /// Every code point in [from, to] the face covers, ascending.
    std::vector<char32_t> coveredIn(char32_t from, char32_t to) const;

    /// hhea ascender and descender in 1/1000 em (descender negative).
    int ascender() const { return ascender_; }
    int descender() const { return descender_; }
    /// Number of glyphs (maxp).
    int glyphCount() const { return static_cast<int>(advances_.size()); }
    /// The file and face index it was read from.
    const std::string& path() const { return path_; }
    unsigned index() const { return index_; }
    /// True when the file is a TrueType collection (.ttc).
    bool collection() const { return collection_; }

    /// Design units per em (head).
    int unitsPerEm() const { return unitsPerEm_; }
    /// Advance width of glyph `glyph` in 1/1000 em, truncated like advance().
    int glyphAdvance(std::uint16_t glyph) const;
    /// Advance width (hmtx) of glyph `glyph` in design units.
    std::uint16_t advanceUnits(std::uint16_t glyph) const { return advances_.at(glyph); }
    /// Left side bearing (hmtx) of glyph `glyph` in design units.
    std::int16_t leftSideBearing(std::uint16_t glyph) const { return bearings_.at(glyph); }
    /// The bytes of glyph `glyph` in 'glyf' (empty for a glyph without outline, such as a
    /// space, and for a glyph whose 'loca' entry points outside 'glyf').
    std::string_view glyph(std::uint16_t glyph) const;
    /// The raw bytes of table `tag` ("OS/2", "head", "cvt " ...), empty when the face has none.
    std::string_view table(std::string_view tag) const;
    /// The PostScript name (name ID 6) reduced to the characters a PDF name may carry without
    /// escapes, or "" when the face has none.
    const std::string& postScriptName() const { return postScriptName_; }

    /// Parses a face; prefer load(), which caches.
    FontFace(const std::string& path, unsigned index);

private:
    struct Mapping;

    std::string path_;
    unsigned index_ = 0;
    bool collection_ = false;
    int unitsPerEm_ = 1000;
    int ascender_ = 880;
    int descender_ = -120;
    std::shared_ptr<const Mapping> file_;  // keeps the views below valid
    std::map<std::string, std::string_view, std::less<>> tables_;
    std::string_view glyf_;
    std::vector<std::uint16_t> glyphOfBmp_;  // 65536 entries
    std::vector<std::uint16_t> advances_;    // per glyph, font units
    std::vector<std::int16_t> bearings_;     // per glyph, font units
    std::vector<std::uint32_t> glyphStart_;  // per glyph + 1, offsets into 'glyf' (from loca)
    std::string postScriptName_;
};

}  // namespace jixiao::pdf
