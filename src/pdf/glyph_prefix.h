#pragma once

#include "pdf/flate.h"
#include "pdf/fonts.h"
#include "pdf/subsetter.h"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
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
    /// The zlib stream of `program` when it is the font program of a document that draws
    /// nothing but the prefix's characters in face `face` (a form's title face): compressed
    /// once here, as compressSubset would compress it. Null for any other program.
    const std::string* compressedProgram(int face, std::string_view program) const;

private:
    /// A face's subset of the prefix's characters alone, and its compression.
    struct WholeSubset {
        std::string program;
        std::string compressed;
    };
    std::vector<std::vector<char32_t>> chars_;
    std::vector<std::unique_ptr<const FlatePrefix>> outlines_;
    std::vector<WholeSubset> whole_;
};

/// The deflated glyph outlines of one document's subsets, by face, so that its PDF and its OFD
/// deflate them once: their subsets of a face differ only before the glyf table (the OFD's has
/// a cmap, subsetter.h), and glyf, the last table, is most of a subset's bytes. One per
/// document (render::PdfOptions::outlines), used by one thread at a time.
class OutlineCache {
public:
    /// `outlines` (the end of face `face`'s glyf table after `shared` bytes of prefix outlines)
    /// deflated: the kept result when the face's last request was for the same bytes, else
    /// deflated now (deflateTail) and kept.
    const DeflatedTail& deflated(int face, std::size_t shared, std::string_view outlines);
    /// How many requests were answered from the cache (for tests).
    int hits() const { return hits_; }

private:
    struct Entry {
        std::size_t shared = 0;
        std::string outlines;
        DeflatedTail tail;
    };
    std::map<int, Entry> entries_;
    int hits_ = 0;
};

/// The zlib stream of `subset`, a subset of face `face` made by subsetFont: its tables before
/// glyf, then its glyph outlines (glyf is the last table). When the outlines start with the
/// prefix's shared ones (its characters begin with prefix->chars(face)), those come
/// pre-compressed (FlatePrefix) and only the rest is deflated; otherwise, or without a prefix,
/// the whole glyf table. The outlines deflated are taken from and kept in `outlines` when given.
/// The PDF's FontFile2 streams and the OFD's font parts both come from here.
std::string compressSubset(const FontSubset& subset, int face, const GlyphPrefix* prefix, OutlineCache* outlines = nullptr);

}  // namespace jixiao::pdf
