#include "render/ofd_writer.h"

#include "ofd/canvas.h"

namespace jixiao::render {

std::string renderOfd(const PagedDocument& paged, const PdfOptions& options) {
    ofd::OfdCanvas canvas(options.fonts, options.prefix, options.outlineCache);
    canvas.setMetadata(paged.meta);
    drawPaged(paged, canvas);
    return canvas.save();
}

std::string renderOfd(const layout::Document& doc, const PdfOptions& options) { return renderOfd(paginate(doc, options.fonts), options); }

}  // namespace jixiao::render
