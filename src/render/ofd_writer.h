#pragma once

#include "layout/document.h"
#include "render/paged.h"
#include "render/pdf_writer.h"

#include <string>

namespace jixiao::render {

/// Renders laid-out pages (paginate or paginateGrid, paged.h) to an OFD package (GB/T
/// 33190-2016; ofd/canvas.h) with the fonts and glyph prefix of `options`: the same text, faces
/// (embedded as TrueType subsets), borders, rules, colours and page count as renderPdf of the
/// same pages, which a batch lays out once for both. The same pages and options always give
/// the same bytes. Throws pdf::PdfError when a face may not be embedded.
std::string renderOfd(const PagedDocument& paged, const PdfOptions& options);

/// Lays `doc` out (paginate) and renders it as above. Throws like renderPdf.
std::string renderOfd(const layout::Document& doc, const PdfOptions& options);

}  // namespace jixiao::render
