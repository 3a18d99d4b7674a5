#include "render/pdf_writer.h"

#include "pdf/canvas.h"

namespace jixiao::render {

std::string renderPdf(const PagedDocument& paged, const PdfOptions& options, PdfStats* stats) {
    pdf::PdfCanvas canvas(options.fonts, options.compress, options.prefix, options.profile, options.outlineCache);
    canvas.setMetadata(paged.meta);
    drawPaged(paged, canvas);
    if (stats != nullptr) {
        stats->pages = canvas.pageCount();
        stats->embeddedFaces = canvas.embeddedFaces();
    }
    return canvas.save();
}

std::string renderPdf(const layout::Document& doc, const PdfOptions& options, PdfStats* stats) {
    return renderPdf(paginate(doc, options.fonts), options, stats);
}

std::string renderPdf(const layout::Grid& grid, const layout::Metadata& meta, const PdfOptions& options, PdfStats* stats) {
    return renderPdf(paginateGrid(grid, meta, options.fonts), options, stats);
}

std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Document& blank, const PdfOptions& options) {
    pdf::PdfCanvas canvas(options.fonts, options.compress);
    drawPaged(paginate(blank, options.fonts), canvas);
    return std::make_shared<const pdf::GlyphPrefix>(options.fonts, canvas.charsByFace());
}

std::shared_ptr<const pdf::GlyphPrefix> prepareGlyphPrefix(const layout::Grid& blank, const PdfOptions& options) {
    pdf::PdfCanvas canvas(options.fonts, options.compress);
    drawPaged(paginateGrid(blank, {}, options.fonts), canvas);
    return std::make_shared<const pdf::GlyphPrefix>(options.fonts, canvas.charsByFace());
}

}  // namespace jixiao::render
