#pragma once

#include "layout/document.h"
#include "render/pdf_fonts.h"

#include <string>

namespace jixiao::render {

/// How to render a PDF.
struct PdfOptions {
    FontSet fonts;          ///< the faces; normally FontSet::bundled(<repo>/fonts)
    bool compress = true;   ///< Flate-compress page content, fonts and CMaps
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
/// header rows, and a merged cell cut by a page break is drawn on both pages with its own
/// borders (short text repeated, long text continued); page numbers, bookmarks for flagged
/// headings, embedded font subsets (only the glyphs drawn) with per-character fallback.
/// Throws RenderError on font or libharu failures and layout::LayoutError on malformed
/// tables.
std::string renderPdf(const layout::Document& doc, const PdfOptions& options,
                      PdfStats* stats = nullptr);

} // namespace jixiao::render
