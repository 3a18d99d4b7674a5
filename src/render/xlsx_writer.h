#pragma once

#include "layout/document.h"
#include "layout/grid.h"

#include <memory>
#include <string>

namespace jixiao::render {

/// How to render an XLSX workbook.
struct XlsxOptions {
    /// Directory for the private temporary files: a part of the workbook that outgrows memory
    /// and, for a workbook written as it is made (XlsxWorkbookWriter), the workbook itself
    /// (libxlsxwriter can only write to a path); a workbook renderXlsx makes whole is packed in
    /// memory. Empty = "/tmp". The files are removed before the workbook's bytes are returned.
    std::string tempDir;
    /// Tab name of the sheet in the single-Document form; empty = the document's title.
    std::string sheetName;
    /// libxlsxwriter's constant_memory mode: each row goes to the sheet's temporary file as
    /// soon as it is complete and strings are written inline (no shared-string table), so a
    /// sheet of 60,000 rows never holds its cells. Other bytes than without it; merges that
    /// span rows are registered on their last row.
    bool rowByRow = false;
};

/// Renders one Document as a one-sheet workbook and returns the XLSX bytes (publish writes
/// them atomically). See the Workbook form for how the flow becomes a sheet.
std::string renderXlsx(const layout::Document& doc, const XlsxOptions& options = {});

/// Renders a workbook and returns the XLSX bytes. The same Workbook always gives the same
/// bytes: core properties carry Metadata::created and libxlsxwriter 1.1.4 stamps every zip
/// entry 1980-01-01.
///
/// Each sheet's flow runs down the sheet. The column grid is the union of the column edges of
/// all tables in the flow (each table scaled to the type area as in the PDF), plus a filler
/// column when the tables are narrower than the type area; so every table keeps its own
/// widths, and a table column that covers several grid columns becomes a merged range.
/// Headings, paragraphs and signature lines are rows merged across the whole grid; spacers
/// are empty rows of their height; consecutive tables are separated by a row of their
/// spacing. Row heights are estimated from the text (CJK characters one em wide, others
/// about half) because neither Excel nor LibreOffice fits merged cells. Table cells are
/// bordered, wrapped and vertically centred; header rows bold, centred and grey. A cell with
/// `value` is a number cell with its number format (a percentage format expects the
/// fraction: 0.862 for 86.20%); a cell with `formula` is a formula whose `{id}` / `{prefix*}`
/// references are resolved to A1 references (a prefix range becomes "F10:F24" when its cells
/// are contiguous in one column or row, else a comma list), cached with `value`.
///
/// Print setup: A4, the flow's orientation and margins, one page wide with automatic height
/// (manual page breaks kept), footer page numbers ("第 &P 页 共 &N 页" or "— &P —"), the header
/// rows of the sheet's longest table repeated on every page unless a page break follows that
/// table (a sheet has one print-title range, and it would repeat over the rest of the flow).
/// Frozen rows: Sheet::freezeRows, by default below the header rows when the flow has exactly
/// one table. Charts go below the flow, one under the other, as wide as the grid.
///
/// Throws RenderError on libxlsxwriter failures, file errors, unknown or duplicate cell ids,
/// non-contiguous chart ranges, and on an empty workbook; layout::LayoutError on malformed
/// tables.
std::string renderXlsx(const layout::Workbook& book, const XlsxOptions& options = {});

/// Writes a workbook as layout builds it (layout::FormTemplate::buildWorkbook with a sink):
/// each sheet is planned, handed to libxlsxwriter and released before the next one is built,
/// a sheet that comes in parts (the summary's 全部项目, a row per project) block by block and
/// run of rows by run of rows, so that a province's summary is never held whole as layout. Same bytes as renderXlsx of
/// the same Workbook. Throws as renderXlsx does; finish() throws RenderError when no sheet
/// was written. A writer that is destroyed unfinished removes its temporary file.
class XlsxWorkbookWriter : public layout::WorkbookSink {
public:
    explicit XlsxWorkbookWriter(XlsxOptions options = {});
    ~XlsxWorkbookWriter() override;
    XlsxWorkbookWriter(const XlsxWorkbookWriter&) = delete;
    XlsxWorkbookWriter& operator=(const XlsxWorkbookWriter&) = delete;

    void properties(const layout::Metadata& meta) override;
    void sheet(layout::Sheet&& sheet) override;
    /// A sheet in parts: each block and each run of rows written and released as it comes.
    void beginSheet(layout::Sheet&& head, std::vector<layout::Table> tables) override;
    void blocks(std::vector<layout::Block>&& blocks) override;
    void tableRows(std::vector<layout::TableRow>&& rows) override;
    void endSheet() override;
    /// The XLSX bytes of the workbook.
    std::string finish();

    struct Impl;  ///< the open workbook (xlsx_writer.cpp)

private:
    XlsxOptions options_;
    std::unique_ptr<Impl> impl_;
};

/// Renders a filled Excel form (layout/excel_form.h) as a one-sheet workbook with the look of
/// its template: one format per grid style (font, size, bold, italic, underline, colour, solid
/// fill, the four borders, alignment, wrap, indent, number format), every column width and
/// row height as the grid says (so LibreOffice, Excel and WPS print the rows as the PDF does),
/// merges, number cells, formulas with their cached values, and the print setup (paper,
/// orientation, margins, scale or fit to pages, horizontal centring, print titles). Same grid,
/// same bytes. Throws RenderError on libxlsxwriter failures and file errors.
std::string renderXlsx(const layout::Grid& grid, const layout::Metadata& meta, const XlsxOptions& options = {});

/// The tab name a requested sheet name becomes: the characters []:*?/\ replaced by "_",
/// leading and trailing apostrophes dropped, at most 31 characters, "Sheet" when nothing is
/// left. Uniqueness among a workbook's tabs is settled by renderXlsx (suffixes "(2)", "(3)"…).
std::string sheetNameFor(const std::string& requested);

}  // namespace jixiao::render
