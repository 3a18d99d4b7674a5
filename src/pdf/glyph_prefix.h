#pragma once

#include "pdf/flate.h"
#include "pdf/fonts.h"
#include "pdf/subsetter.h"

#include <memory>
#include <vector>

namespace jixiao::pdf {

/// The characters every document of one form draws (its labels, headings, fixed sentences),
/// prepared once per run. A document rendered with it starts each face's subset with these
/// characters, in this order, whether it draws them all or not; so the outlines of their
/// glyphs stand at the same place in every subset (subsetter.h) and are compressed once
/// (FlatePrefix) instead of once per document: most of a short PDF's compression work.
/// Made by prepareGlyphPrefix (pdf_writer.h) from a document of the form for an empty record,
/// so a document's bytes depend on its own data, the templates and the fonts only.
/// Read-only once made: threads share it.
class GlyphPrefix {
public:
    /// Per face (FontSet order) the characters, in the order they are first drawn.
    GlyphPrefix(const FontSet& fonts, std::vector<std::vector<char32_t>> chars);

    /// The characters of face `face` (empty when the form draws nothing with it).
    const std::vector<char32_t>& chars(int face) const;
    /// The prepared compression of face `face`'s leading glyph outlines, or null.
    const FlatePrefix* outlines(int face) const;

private:
    std::vector<std::vector<char32_t>> chars_;
    std::vector<std::unique_ptr<const FlatePrefix>> outlines_;
};

/// The zlib stream of `subset`, a subset of face `face` made by subsetFont: when its glyph
/// outlines start with the prefix's shared ones (its characters begin with prefix->chars(face)),
/// only the bytes around them are compressed (FlatePrefix); otherwise, or without a prefix,
/// the whole program. The PDF's FontFile2 streams and the OFD's font parts both come from here.
std::string compressSubset(const FontSubset& subset, int face, const GlyphPrefix* prefix);

}  // namespace jixiao::pdf
