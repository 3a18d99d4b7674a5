#pragma once

#include "layout/document.h"
#include "layout/grid.h"
#include "pdf/glyph_prefix.h"
#include "pdf/canvas.h"
#include "pdf/fonts.h"
#include "render/paged.h"

#include <memory>
#include <string>

namespace jixiao::render {

/// How to render a PDF.
struct PdfOptions {
    pdf::FontSet fonts;    ///< the faces; normally pdf::FontSet::bundled(<repo>/fonts)
    bool compress = true;  ///< Flate-compress page content, fonts and CMaps
    /// The glyphs every document of the form draws, prepared once (prepareGlyphPrefix);
    /// null renders without. Same document, options and prefix: same bytes.
    std::shared_ptr<const pdf::GlyphPrefix> prefix;
    /// PDF/A-1b unless asked otherwise (`--pdf-profile plain`); see docs/formats.md.
    pdf::Profile profile = pdf::Profile::PdfA1b;
    /// One document's deflated glyph outlines, set by a batch for the renderings of one
    /// document (its PDF and its OFD deflate them once); null: each rendering deflates its
    /// own. Does not change the bytes.
    std::shared_ptr<pdf::OutlineCache> outlineCache = nullptr;
};

/// Statistics of one rendering, for benchmarks and tests.
struct PdfStats {
    int pages = 0;          ///< pages written
    int embeddedFaces = 0;  ///< faces embedded (only the faces actually drawn with)
};

/// Renders a Document to PDF bytes (publish writes them atomically): lays it out (paginate,
/// paged.h), then draws the pages with the PDF kit, fonts embedded as subsets of the glyphs
/// drawn. The same Document and options always give the same bytes: dates come from
/// Document::meta and libharu 2.3.0 writes no /ID for unencrypted documents. Throws
/// pdf::PdfError on font or libharu failures, RenderError when no face draws a character and
/// layout::LayoutError on malformed tables.
std::string renderPdf(const layout::Document& doc, const PdfOptions& options, PdfStats* stats = nullptr);

/// Renders pages already laid out (paginate or paginateGrid, paged.h; a batch lays a document
/// out once for its PDF and its OFD); like renderPdf(Document) otherwise.
std::string renderPdf(const PagedDocument& paged, const PdfOptions& options, PdfStats* stats = nullptr);

/// Renders a filled Excel form (paginateGrid, paged.h) to PDF bytes with `meta` as its
/// properties; like renderPdf(Document) otherwise.
std::string renderPdf(const layout::Grid& grid, const layout::Metadata& meta, const PdfOptions& options, PdfStats* stats = nullptr);

/// Lays out `blank` (the form built for an empty record: its labels and fixed text) and
/// prepares the glyph prefix of the characters it draws, per face in drawing order, for the
/// form's real documents (glyph_prefix.h). Throws like renderPdf.
std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Document& blank, const PdfOptions& options);

/// The same for a 表样.xlsx form: `blank` is its grid filled for an empty record.
std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Grid& blank, const PdfOptions& options);

}  // namespace jixiao::render
