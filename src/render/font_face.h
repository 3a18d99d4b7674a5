#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace jixiao::render {

/// What the layout needs from a TrueType face: which characters it can draw and how wide
/// they are. Read from the font's own tables (cmap, hmtx, loca, head, hhea, maxp) instead of
/// asking libharu, because libharu 2.3.0 silently draws .notdef (or nothing) for a character
/// its face lacks, and because measuring must not require embedding the face in a PDF.
class FontFace {
public:
    /// Reads face `index` of a .ttf/.ttc file. Parsed faces are cached for the life of the
    /// process (thread-safe), so a batch parses each font once. Throws RenderError.
    static std::shared_ptr<const FontFace> load(const std::string& path, unsigned index = 0);

    /// True when the face has a glyph with an outline for `cp` (spaces need none). Only the
    /// BMP counts: libharu 2.3.0's UTF-8 path writes 2-byte codes, so it cannot reach
    /// characters beyond U+FFFF in any face.
    bool covers(char32_t cp) const;

    /// Advance width of `cp` in 1/1000 em, truncated as libharu 2.3.0 writes the /W array
    /// (advance × 1000 / unitsPerEm, integer division), so our positions match the viewer's.
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

    /// Parses a face; prefer load(), which caches.
    FontFace(const std::string& path, unsigned index);

private:
    std::string path_;
    unsigned index_ = 0;
    bool collection_ = false;
    int unitsPerEm_ = 1000;
    int ascender_ = 880;
    int descender_ = -120;
    std::vector<std::uint16_t> glyphOfBmp_;  // 65536 entries
    std::vector<std::uint16_t> advances_;    // per glyph, font units
    std::vector<bool> hasOutline_;           // per glyph
};

} // namespace jixiao::render
