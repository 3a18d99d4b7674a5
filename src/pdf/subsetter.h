#pragma once

#include "pdf/font_face.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::pdf {

/// A TrueType font holding only the glyphs a document draws, ready to embed as a PDF
/// FontFile2 (ISO 32000-1 9.9).
struct FontSubset {
    std::string program;                   ///< the sfnt bytes: a complete, valid TrueType font
    std::vector<std::uint16_t> source;     ///< per subset glyph, its glyph id in the original face
    std::string tag;                       ///< six capitals for the "ABCDEF+Name" subset font name
    std::size_t glyfOffset = 0;            ///< where glyf starts in program: the last table, to the program's end
    std::vector<std::uint32_t> glyphEnds;  ///< per subset glyph, where its data ends within glyf
};

/// True when `glyph` (its bytes in 'glyf') is a composite glyph, drawn from other glyphs.
bool isCompositeGlyph(std::string_view glyph);

/// Whether a subset has a 'cmap' table. An OFD reader finds a character's glyph through it;
/// a PDF's CIDFontType2 names glyphs by id (/CIDToGIDMap /Identity, ToUnicode for the text),
/// so its font program needs none (ISO 32000-1 9.7.4.2), and leaving it out saves ~1 KB of
/// deflated bytes per PDF.
enum class CharMap { Include, Omit };

/// Builds the subset of `face` that draws `chars` (distinct BMP code points). Glyph 0 is
/// .notdef and glyph k (1 ≤ k ≤ chars.size()) draws chars[k-1], so a PDF can use glyph ids
/// as CIDs (/CIDToGIDMap /Identity) and map CID k back to exactly chars[k-1] in ToUnicode,
/// even where the face draws two characters with one glyph. The components of composite
/// glyphs follow, renumbered. Kept: glyf, loca, hmtx, hhea, maxp, head, a cmap of `chars`
/// (unless `charMap` is CharMap::Omit), OS/2, post (format 3), name (IDs 0–6, Windows
/// records of one language) and the hinting tables (cvt, fpgm, prep) that the glyphs'
/// instructions refer to. The tag is derived from a hash of the subset's contents, so the same
/// characters give the same bytes. Throws PdfError when the face's licence flags (OS/2
/// fsType) forbid embedding or subsetting, when a composite glyph names a glyph the face
/// lacks, or when the subset would need more than 65535 glyphs.
FontSubset subsetFont(const FontFace& face, const std::vector<char32_t>& chars, CharMap charMap = CharMap::Include);

}  // namespace jixiao::pdf
