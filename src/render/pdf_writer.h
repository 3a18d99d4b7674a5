#pragma once

#include "layout/document.h"
#include "pdf/glyph_prefix.h"
#include "pdf/fonts.h"

#include <memory>
#include <string>

namespace jixiao::render {

/// How to render a PDF.
struct PdfOptions {
    pdf::FontSet fonts;     ///< the faces; normally pdf::FontSet::bundled(<repo>/fonts)
    bool compress = true;   ///< Flate-compress page content, fonts and CMaps
    /// The glyphs every document of the form draws, prepared once (prepareGlyphPrefix);
    /// null renders without. Same document, options and prefix: same bytes.
    std::shared_ptr<const pdf::GlyphPrefix> prefix;
};

/// Statistics of one rendering, for benchmarks and tests.
struct PdfStats {
    int pages = 0;            ///< pages written
    int embeddedFaces = 0;    ///< faces embedded (only the faces actually drawn with)
};

/// Renders a Document to PDF bytes (publish writes them atomically). The same Document and
/// options always give the same bytes: dates come from Document::meta and libharu 2.3.0
/// writes no /ID for unencrypted documents. Layout: paragraphs wrap with the Chinese line
/// breaking rules (line_break.h); tables break across pages between rows, repeating their
/// header rows (a row taller than a quarter of the type area breaks where the page ends), and a merged cell cut by a page break is drawn on both pages with its own
/// borders (short text repeated, long text continued); page numbers, bookmarks for flagged
/// headings, embedded font subsets (only the glyphs drawn) with per-character fallback.
/// Throws RenderError on font or libharu failures and layout::LayoutError on malformed
/// tables.
std::string renderPdf(const layout::Document& doc, const PdfOptions& options,
                      PdfStats* stats = nullptr);

/// Lays out `blank` (the form built for an empty record: its labels and fixed text) and
/// prepares the glyph prefix of the characters it draws, per face in drawing order, for the
/// form's real documents (glyph_prefix.h). Throws like renderPdf.
std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Document& blank, const PdfOptions& options);

} // namespace jixiao::render
