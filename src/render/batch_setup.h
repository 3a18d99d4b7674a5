#pragma once

#include "layout/document.h"
#include "layout/grid.h"
#include "render/pdf_writer.h"

#include <functional>
#include <string>

namespace jixiao::render {

// What a batch sets up once before it renders many documents; the app only wires it in.

/// The PDF options for the documents of one form: `base` with the glyph prefix of the form's
/// document for an empty record (`blank`, built only here). The prefix only saves work, so
/// when the blank document cannot be built or laid out the options go without one: the
/// form's real documents then report their own errors, per project, as they would anyway.
PdfOptions withGlyphPrefix(const PdfOptions& base, const std::function<layout::Document()>& blank);

/// The same for a form drawn as a grid (表样.xlsx): `blank` is the grid filled for an empty record.
PdfOptions withGridGlyphPrefix(const PdfOptions& base, const std::function<layout::Grid()>& blank);

/// Where the many small workbooks of a batch keep libxlsxwriter's temporary files (about a
/// dozen per workbook, created and deleted at once): RAM-backed /dev/shm where the system
/// has it, as creating and deleting files on a journalling disk costs more system time than
/// rendering the workbook; otherwise `fallback`.
std::string smallWorkbookScratchDir(const std::string& fallback);

}  // namespace jixiao::render
