#pragma once

#include "layout/document.h"
#include "pdf/fonts.h"

#include <string>

namespace jixiao::render {

/// Renders a Document to an OFD package (GB/T 33190-2016; ofd/canvas.h): the same pages as
/// renderPdf — paginate() lays it out once, then the pages are drawn on an OFD canvas — with
/// the same text, faces (embedded as TrueType subsets), borders, rules, colours and page
/// count. The same Document and fonts always give the same bytes. Throws like renderPdf.
std::string renderOfd(const layout::Document& doc, const pdf::FontSet& fonts);

} // namespace jixiao::render
