#include "app/form_output.h"

#include "layout/excel_form.h"
#include "render/docx_writer.h"
#include "render/ofd_writer.h"
#include "render/paged.h"
#include "render/xlsx_writer.h"

#include <algorithm>
#include <iterator>
#include <optional>

namespace jixiao::app {

namespace {

/// A workbook form's options: its sheets (a province's summary runs to 60,000 rows) are written
/// row by row, never held as cells.
render::XlsxOptions workbookOptions(render::XlsxOptions options) {
    options.rowByRow = true;
    return options;
}

}  // namespace

BuiltForm buildForm(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created) {
    if (form.kind == layout::FormKind::Excel) {
        FilledGrid filled{form.excel->fill(data), {}};
        filled.meta.title = form.title;
        if (const layout::Value* a = data.get("authority")) filled.meta.author = a->toText();
        filled.meta.created = created;
        return filled;
    }
    if (form.layout->isWorkbook()) return form.layout->buildWorkbook(data, created);
    return form.layout->build(data, created);
}

layout::Document prefixDocument(const layout::Form& form, const layout::Value& blank, const layout::FixedDate& created) {
    layout::Document doc = formDocument(form, blank, created);
    std::vector<layout::Block> fixed = form.layout->fixedText();
    doc.blocks.push_back(layout::PageBreak{});
    doc.blocks.insert(doc.blocks.end(), std::make_move_iterator(fixed.begin()), std::make_move_iterator(fixed.end()));
    return doc;
}

std::vector<FormFile> renderForm(const layout::Form& form, const BuiltForm& built, const std::vector<layout::FormFormat>& formats,
                                 const render::PdfOptions& options, const std::string& tempDir) {
    // The PDF and the OFD embed subsets of the same glyphs: their outlines are deflated once.
    const auto makes = [&formats](layout::FormFormat f) { return std::find(formats.begin(), formats.end(), f) != formats.end(); };
    std::optional<render::PdfOptions> shared;
    if (makes(layout::FormFormat::Pdf) && makes(layout::FormFormat::Ofd)) {
        shared = options;
        shared->outlineCache = std::make_shared<pdf::OutlineCache>();
    }
    const render::PdfOptions& pdf = shared ? *shared : options;
    std::vector<FormFile> files;
    render::XlsxOptions xo;
    xo.tempDir = tempDir;
    xo.sheetName = form.title;
    // The PDF and the OFD draw the same pages: laid out once, when the first of them is made.
    std::optional<render::PagedDocument> paged;
    auto pages = [&](auto layOut) -> const render::PagedDocument& {
        if (!paged) paged = layOut();
        return *paged;
    };
    for (auto format : formats) {
        if (const auto* doc = std::get_if<layout::Document>(&built)) {
            auto layOut = [&] { return render::paginate(*doc, pdf.fonts); };
            if (format == layout::FormFormat::Pdf) files.push_back({".pdf", render::renderPdf(pages(layOut), pdf)});
            if (format == layout::FormFormat::Xlsx) files.push_back({".xlsx", render::renderXlsx(*doc, xo)});
            if (format == layout::FormFormat::Docx) files.push_back({".docx", render::renderDocx(*doc, pages(layOut))});
            if (format == layout::FormFormat::Ofd) files.push_back({".ofd", render::renderOfd(pages(layOut), pdf)});
        } else if (const auto* book = std::get_if<layout::Workbook>(&built)) {
            // form_set refuses "pdf" for a workbook form
            if (format == layout::FormFormat::Xlsx) files.push_back({".xlsx", render::renderXlsx(*book, workbookOptions(xo))});
        }
    }
    if (const auto* filled = std::get_if<FilledGrid>(&built)) {
        // Rows grow where wrapped text needs it, once, so that the XLSX, the PDF and the OFD match.
        layout::Grid grid = filled->grid;
        render::fitGridRows(grid, pdf.fonts);
        auto layOut = [&] { return render::paginateGrid(grid, filled->meta, pdf.fonts); };
        for (auto format : formats) {
            if (format == layout::FormFormat::Pdf) files.push_back({".pdf", render::renderPdf(pages(layOut), pdf)});
            if (format == layout::FormFormat::Xlsx) files.push_back({".xlsx", render::renderXlsx(grid, filled->meta, xo)});
            if (format == layout::FormFormat::Ofd) files.push_back({".ofd", render::renderOfd(pages(layOut), pdf)});
        }
    }
    return files;
}

std::vector<FormFile> formFiles(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created,
                                const std::vector<layout::FormFormat>& formats, const render::PdfOptions& pdf, const std::string& tempDir) {
    if (form.kind != layout::FormKind::Layout || !form.layout->isWorkbook())
        return renderForm(form, buildForm(form, data, created), formats, pdf, tempDir);
    std::vector<FormFile> files;
    // form_set refuses every format but XLSX for a workbook form
    if (std::find(formats.begin(), formats.end(), layout::FormFormat::Xlsx) == formats.end()) return files;
    render::XlsxOptions xo;
    xo.tempDir = tempDir;
    xo.sheetName = form.title;
    render::XlsxWorkbookWriter writer(workbookOptions(xo));
    form.layout->buildWorkbook(data, created, writer);
    files.push_back({".xlsx", writer.finish()});
    return files;
}

layout::Document formDocument(const layout::Form& form, const layout::Value& data, const layout::FixedDate& created) {
    if (form.kind != layout::FormKind::Layout || form.layout->isWorkbook())
        throw layout::TemplateError("templates/" + form.name + ": 这张表不是 layout.json 描述的文档（blocks），不能用在这里。");
    return form.layout->build(data, created);
}

}  // namespace jixiao::app
