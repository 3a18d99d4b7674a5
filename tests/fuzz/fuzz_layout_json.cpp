// libFuzzer target: any bytes as a template's layout.json, loaded and then built with an empty
// record (as a run builds a template for a project whose optional values are all missing).
// TemplateError and LayoutError are correct refusals naming the problem; any other exception
// escapes and libFuzzer reports it as a crash, as it does sanitizer findings.

#include "layout/document.h"
#include "layout/form.h"
#include "layout/template_text.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <variant>

namespace {

/// A private templates folder holding the one template `fuzz`, made once per process.
const std::string& folder() {
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/jixiao-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr || ::mkdir((pattern + "/fuzz").c_str(), 0700) != 0) std::abort();
        return pattern;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(folder() + "/fuzz/layout.json", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    using namespace jixiao::layout;
    try {
        const FormTemplate form = FormTemplate::load(folder(), "fuzz");
        const Value record = Value::map();
        const FixedDate date = fixedDate("2025-03-05");
        if (form.isWorkbook()) {
            form.buildWorkbook(record, date);
        } else {
            // Every table is checked the way the renderers place its cells.
            for (const Block& block : form.build(record, date).blocks)
                if (const auto* table = std::get_if<Table>(&block)) placeCells(*table);
        }
    } catch (const TemplateError&) {
    } catch (const LayoutError&) {
    }
    return 0;
}
