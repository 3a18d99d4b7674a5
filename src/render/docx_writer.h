#pragma once

#include "layout/document.h"

#include <string>

namespace jixiao::render {

struct PagedDocument;

/// Renders a Document to DOCX bytes (WordprocessingML, for editing in WPS文字 or Word):
/// fonts named by role (layout::officeFontName), sizes, spacing and page setup as the
/// Document sets them; GB/T 9704 letters get the 版头 (red mark and double rules) in the
/// first page's header and footer, the character grid as the section's docGrid (28 per line,
/// the exact line pitch), page numbers "— 1 —" on the outside edge, 附件说明 and 版记; a
/// watermark becomes a diagonal text shape behind every page. Word paginates the flow
/// itself; page breaks, repeated table header rows and merged cells are written as such, and
/// a table is cut into tables of their own where `paged` (the PDF's layout of `doc`,
/// paginate) starts a page with it, so that the pages break as in the PDF.
/// Parts are sorted and stamped with the document's date: the same Document gives the same
/// bytes. Throws layout::LayoutError on malformed tables.
std::string renderDocx(const layout::Document& doc, const PagedDocument& paged);

}  // namespace jixiao::render
