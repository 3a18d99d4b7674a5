#include "render/batch_setup.h"

#include "layout/template_text.h"
#include "pdf/pdf_error.h"
#include "render/render_error.h"

#include <unistd.h>

namespace jixiao::render {

PdfOptions withGlyphPrefix(const PdfOptions& base, const std::function<layout::Document()>& blank) {
    try {
        PdfOptions options = base;
        options.prefix = prepareGlyphPrefix(blank(), base);
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

std::string smallWorkbookScratchDir(const std::string& fallback) {
    return ::access("/dev/shm", W_OK | X_OK) == 0 ? std::string("/dev/shm") : fallback;
}

} // namespace jixiao::render
