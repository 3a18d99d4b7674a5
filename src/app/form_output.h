#pragma once

#include "layout/document.h"
#include "layout/form_set.h"
#include "layout/grid.h"
#include "render/pdf_writer.h"

#include <string>
#include <variant>
#include <vector>

namespace jixiao::app {

/// A 表样.xlsx form filled for one record, with the properties of its files.
struct FilledGrid {
    layout::Grid grid;
    layout::Metadata meta;
};

/// A form built for one record, ready for its renderers: a layout.json form gives a Document
/// (blocks) or a Workbook (sheets), a 表样.xlsx form its filled grid.
using BuiltForm = std::variant<layout::Document, layout::Workbook, FilledGrid>;

/// One file of a form for one record: its extension (".pdf") and bytes.
struct FormFile {
    std::string extension;
    std::string bytes;
};

/// Builds `form` for the record `data`. Throws TemplateError.
BuiltForm buildForm(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created);

/// The files of a built form, one per format of `formats` (in that order). `pdf` carries the
/// fonts (and the form's glyph prefix); `tempDir` is libxlsxwriter's scratch folder. Throws
/// RenderError, PdfError, LayoutError.
std::vector<FormFile> renderForm(const layout::Form& form, const BuiltForm& built, const std::vector<layout::FormFormat>& formats,
                                 const render::PdfOptions& pdf, const std::string& tempDir);

/// The files of `form` for the record `data`: buildForm then renderForm, except that a
/// workbook form is built and written one sheet at a time (layout::WorkbookSink), so that a
/// summary is never held whole as layout. Throws what those two throw.
std::vector<FormFile> formFiles(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created,
                                const std::vector<layout::FormFormat>& formats, const render::PdfOptions& pdf, const std::string& tempDir);

/// The document of a layout.json form for `data` (what the glyph prefix and the disclosure
/// site need). Throws TemplateError for a workbook or a 表样.xlsx form.
layout::Document formDocument(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created);

/// What a layout.json form's PDF glyph prefix is made from: its document for `blank` (an empty
/// record), then, after a page break, its fixed text in every branch (FormTemplate::fixedText),
/// so that sentences a record shows only under a condition are in the prefix too. It depends on
/// the templates and `blank` only. Throws as formDocument.
layout::Document prefixDocument(const layout::Form& form, const layout::Value& blank, const layout::FixedDate& created);

}  // namespace jixiao::app
