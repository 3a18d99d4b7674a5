#include "render/pdf_writer.h"

#include "pdf/canvas.h"
#include "render/paged.h"

#include <variant>

namespace jixiao::render {

namespace {

// Draws the pages on `canvas`: each page's body as the page is added, then every page's
// furniture (running header, page number). The order of the canvas calls fixes the order
// of the PDF's objects and of each face's characters (and so its CIDs), so it is kept as it
// was when pagination drew as it went.
void draw(const PagedDocument& paged, pdf::PdfCanvas& canvas) {
    auto drawItems = [&canvas](const PagedPage& page, int index, const std::vector<PagedItem>& items) {
        const std::u32string_view text = page.text;
        for (const PagedItem& item : items) {
            if (const auto* t = std::get_if<PagedText>(&item)) {
                canvas.drawText(index, t->face, t->sizePt, t->x, t->baseline, text.substr(t->begin, t->end - t->begin),
                                t->charSpacing, t->emboldenSynthetic);
            } else if (const auto* r = std::get_if<PagedRect>(&item)) {
                canvas.strokeRect(index, r->x, r->y, r->width, r->height, r->lineWidth);
            } else if (const auto* b = std::get_if<PagedBookmark>(&item)) {
                canvas.addBookmark(b->level, b->title, index, b->top);
            } else if (const auto* f = std::get_if<PagedFill>(&item)) {
                canvas.fillRect(index, f->x, f->y, f->width, f->height, f->color);
            } else if (const auto* c = std::get_if<PagedColor>(&item)) {
                canvas.beginColor(index, c->color, c->matrix);
            } else if (std::holds_alternative<PagedColorEnd>(item)) {
                canvas.endColor(index);
            }
        }
    };
    for (const PagedPage& page : paged.pages) {
        const int index = canvas.addPage(page.widthPt, page.heightPt);
        drawItems(page, index, page.items);
    }
    for (size_t p = 0; p < paged.pages.size(); ++p) {
        drawItems(paged.pages[p], static_cast<int>(p), paged.pages[p].furniture);
    }
}

std::string save(const PagedDocument& paged, const PdfOptions& options, PdfStats* stats) {
    pdf::PdfCanvas canvas(options.fonts, options.compress, options.prefix, options.profile);
    canvas.setMetadata(paged.meta);
    draw(paged, canvas);
    if (stats != nullptr) {
        stats->pages = canvas.pageCount();
        stats->embeddedFaces = canvas.embeddedFaces();
    }
    return canvas.save();
}

} // namespace

std::string renderPdf(const layout::Document& doc, const PdfOptions& options, PdfStats* stats) {
    return save(paginate(doc, options.fonts), options, stats);
}

std::string renderPdf(const layout::Grid& grid, const layout::Metadata& meta, const PdfOptions& options, PdfStats* stats) {
    return save(paginateGrid(grid, meta, options.fonts), options, stats);
}

std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Document& blank, const PdfOptions& options) {
    pdf::PdfCanvas canvas(options.fonts, options.compress);
    draw(paginate(blank, options.fonts), canvas);
    return std::make_shared<const pdf::GlyphPrefix>(options.fonts, canvas.charsByFace());
}

} // namespace jixiao::render
