#include "render/ofd_writer.h"

#include "ofd/canvas.h"
#include "render/paged.h"

namespace jixiao::render {

std::string renderOfd(const layout::Document& doc, const pdf::FontSet& fonts) {
    const PagedDocument paged = paginate(doc, fonts);
    ofd::OfdCanvas canvas(fonts);
    canvas.setMetadata(paged.meta);
    drawPaged(paged, canvas);
    return canvas.save();
}

} // namespace jixiao::render
