#include "render/batch_setup.h"

#include "layout/template_text.h"
#include "pdf/pdf_error.h"
#include "render/render_error.h"

#include <unistd.h>

namespace jixiao::render {

namespace {

/// `base` with the prefix `prepare` makes, or `base` alone when the blank cannot be built.
PdfOptions guarded(const PdfOptions& base, const std::function<std::shared_ptr<const pdf::GlyphPrefix>()>& prepare) {
    try {
        PdfOptions options = base;
        options.prefix = prepare();
        return options;
    } catch (const layout::TemplateError&) {
        return base;  // the template fails for every record; each document reports it
    } catch (const layout::LayoutError&) {
        return base;  // a malformed table: each document reports it
    } catch (const RenderError&) {
        return base;  // as above, at rendering
    } catch (const pdf::PdfError&) {
        return base;  // a font or libharu failure: each document reports it
    }
}

}  // namespace

PdfOptions withGlyphPrefix(const PdfOptions& base, const std::function<layout::Document()>& blank) {
    return guarded(base, [&] { return prepareGlyphPrefix(blank(), base); });
}

PdfOptions withGridGlyphPrefix(const PdfOptions& base, const std::function<layout::Grid()>& blank) {
    return guarded(base, [&] { return prepareGlyphPrefix(blank(), base); });
}

std::string smallWorkbookScratchDir(const std::string& fallback) {
    return ::access("/dev/shm", W_OK | X_OK) == 0 ? std::string("/dev/shm") : fallback;
}

}  // namespace jixiao::render
