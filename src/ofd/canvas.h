#pragma once

#include "layout/document.h"
#include "pdf/fonts.h"
#include "pdf/glyph_prefix.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace jixiao::ofd {

/// An OFD package (GB/T 33190-2016 版式文档) drawn page by page, with the same calls and the
/// same coordinates as pdf::PdfCanvas (points, origin at the bottom left of the page), so that
/// one laid-out document draws on either. The canvas converts to OFD's millimetres with the
/// origin at the top left, and save() writes the package:
///
///     OFD.xml                     DocInfo (title, author, subject, keywords, dates, DocID)
///     Doc_0/Document.xml          CommonData (MaxUnitID, PageArea, PublicRes), Pages, Outlines
///     Doc_0/PublicRes.xml         Fonts, each with its embedded subset
///     Doc_0/Res/font_N.ttf        a TrueType subset of the characters drawn (pdf/subsetter.h)
///     Doc_0/Pages/Page_N/Content.xml  one Layer of TextObject and PathObject
///
/// zipped with Poco::Zip's records, each part deflated once by the PDF kit's compressor (the
/// font subsets with the glyph prefix's shared outlines, as the PDF's FontFile2 streams).
/// Every ID is given in drawing order and every date comes from the metadata, so the same
/// drawing calls give the same bytes. Text keeps each character's
/// advance (TextCode DeltaX, the face's widths as the PDF's /W has them plus the character
/// spacing), so lines end where the PDF's do.
class OfdCanvas {
public:
    /// `prefix` (may be null): the characters every document of the form draws
    /// (pdf/glyph_prefix.h); each face's subset starts with them, so that their outlines are
    /// compressed once per run. `outlineCache` (may be null): the document's deflated glyph
    /// outlines, shared with its PDF. Same drawing calls and prefix: same bytes.
    explicit OfdCanvas(const pdf::FontSet& fonts, std::shared_ptr<const pdf::GlyphPrefix> prefix = nullptr,
                       std::shared_ptr<pdf::OutlineCache> outlineCache = nullptr);
    ~OfdCanvas();
    OfdCanvas(const OfdCanvas&) = delete;
    OfdCanvas& operator=(const OfdCanvas&) = delete;

    /// Title, author, subject, keywords and the fixed creation/modification date.
    void setMetadata(const layout::Metadata& meta);

    /// Appends a page of the given size in points; returns its number (0-based).
    int addPage(double widthPt, double heightPt);
    /// Pages so far.
    int pageCount() const;

    /// A TextObject: `text` in `face` with its baseline starting at (x, baseline);
    /// `charSpacing` is added after each character; `emboldenSynthetic` (a face without a
    /// bold cut drawn bold; the PDF strokes its outlines) is written as Weight 700, which
    /// readers embolden as they do any bold text in a regular face. Spaces at either end are
    /// left out (XML readers may trim them); the other characters keep their positions.
    void drawText(int page, int face, double sizePt, double x, double baseline, std::u32string_view text, double charSpacing,
                  bool emboldenSynthetic);

    /// A stroked rectangular PathObject with its lower left corner at (x, y).
    void strokeRect(int page, double x, double y, double width, double height, double lineWidth);

    /// A filled rectangular PathObject in `color`.
    void fillRect(int page, double x, double y, double width, double height, const layout::Color& color);

    /// Until endColor, text is filled in `color` and placed through the matrix [a b c d e f]
    /// (a PDF `cm`), written as the TextObject's CTM. Pairs do not nest.
    void beginColor(int page, const layout::Color& color, const std::array<double, 6>& matrix = {1, 0, 0, 1, 0, 0});
    /// Ends beginColor.
    void endColor(int page);

    /// An outline entry (OutlineElem) under the last entry of a lower level, going to `top`
    /// on `page`.
    void addBookmark(int level, const std::string& title, int page, double top);

    /// Faces drawn with so far (each is embedded as a subset by save()).
    int embeddedFaces() const;

    /// Writes the package and returns its bytes; the canvas is finished afterwards. Throws
    /// pdf::PdfError when a face may not be embedded (pdf/subsetter.h).
    std::string save();

private:
    struct State;
    std::unique_ptr<State> s_;
};

}  // namespace jixiao::ofd
