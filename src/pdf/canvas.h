#pragma once

#include "layout/document.h"
#include "pdf/glyph_prefix.h"
#include "pdf/fonts.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::pdf {

/// Which PDF flavour a canvas writes.
enum class Profile {
    Plain,   ///< PDF 1.3 as libharu writes it
    PdfA1b,  ///< PDF/A-1b (ISO 19005-1, level B): XMP metadata matching the information
             ///< dictionary, an sRGB OutputIntent, CIDSet for every subset font, a file ID
};

/// A thin, checked wrapper around one libharu document: pages, text in a given face, lines,
/// bookmarks, properties. Coordinates are PDF points with the origin at the bottom left.
/// Every libharu call is checked; a failure throws PdfError after the C call returned
/// (the error handler only records the code: no longjmp, no throw through C).
/// Fonts are subset per document: each face a page draws with is embedded in save() with
/// only the glyphs of the characters drawn (subsetter.h), as a Type0/CIDFontType2 font
/// with exact widths and a ToUnicode CMap, so text stays selectable and extractable.
class PdfCanvas {
public:
    /// A new empty document using `fonts`; `compress` Flate-compresses content and fonts.
    /// With a `prefix`, each face's subset starts with the prefix's characters; with an
    /// `outlineCache`, the subsets' glyph outlines are deflated through it (glyph_prefix.h).
    PdfCanvas(const FontSet& fonts, bool compress, std::shared_ptr<const GlyphPrefix> prefix = nullptr, Profile profile = Profile::Plain,
              std::shared_ptr<OutlineCache> outlineCache = nullptr);
    ~PdfCanvas();
    PdfCanvas(const PdfCanvas&) = delete;
    PdfCanvas& operator=(const PdfCanvas&) = delete;

    /// Title, author, subject, keywords and the fixed creation/modification date.
    void setMetadata(const layout::Metadata& meta);

    /// Appends a page of the given size; returns its number (0-based).
    int addPage(double widthPt, double heightPt);
    /// Pages so far.
    int pageCount() const;

    /// Draws `text` with its baseline starting at (x, baseline). Every code point should be
    /// covered by `face` (FontSet::faceFor; others draw the face's .notdef glyph);
    /// `charSpacing` is added after each character;
    /// `emboldenSynthetic` strokes the outlines too, for faces without a bold cut.
    void drawText(int page, int face, double sizePt, double x, double baseline, std::u32string_view text, double charSpacing,
                  bool emboldenSynthetic);

    /// Strokes a rectangle with its lower left corner at (x, y).
    void strokeRect(int page, double x, double y, double width, double height, double lineWidth);

    /// Fills a rectangle with its lower left corner at (x, y) in `color`.
    void fillRect(int page, double x, double y, double width, double height, const layout::Color& color);

    /// Until the matching endColor, text is filled (and, when emboldened, stroked) in `color`
    /// and coordinates are mapped by the matrix [a b c d e f] (a PDF `cm`: x' = a·x + c·y + e,
    /// y' = b·x + d·y + f), so a rotated watermark is drawn at the origin. Pairs may not nest;
    /// do not stroke rectangles inside one.
    void beginColor(int page, const layout::Color& color, const std::array<double, 6>& matrix = {1, 0, 0, 1, 0, 0});
    /// Ends beginColor: black again, coordinates as before.
    void endColor(int page);

    /// Adds an outline entry under the last entry of a lower level, pointing at `top` on `page`.
    void addBookmark(int level, const std::string& title, int page, double top);

    /// Per face, the characters drawn so far in the order first drawn (empty for faces not
    /// drawn with), as a glyph prefix takes them.
    std::vector<std::vector<char32_t>> charsByFace() const;
    /// Faces drawn with so far (each is embedded as a subset by save()).
    int embeddedFaces() const;

    /// Writes the document and returns the bytes; the canvas is finished afterwards.
    std::string save();

private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace jixiao::pdf
