#pragma once

#include "layout/document.h"
#include "layout/grid.h"
#include "pdf/fonts.h"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace jixiao::render {

/// A Document laid out on pages, before any output format: every line of text placed in a
/// face at a position, every border, every bookmark, in points with the origin at the
/// bottom left of the page (as PDF counts). paginate() makes it once; the fixed-layout
/// backends (PDF, OFD) only draw it, so both show the same pages.

/// A run of characters on one line in one face, size and weight, starting at (x, baseline).
/// Its characters are [begin, end) of its page's `text`; every one of them is covered by
/// `face` (fallback and replacement characters were chosen while shaping).
struct PagedText {
    int face = 0;  ///< FontSet face
    double sizePt = 0.0;
    double x = 0.0;
    double baseline = 0.0;
    double charSpacing = 0.0;        ///< added after each character (justification, letter grids)
    bool emboldenSynthetic = false;  ///< stroke the outlines too (no bold cut of the face)
    std::size_t begin = 0;
    std::size_t end = 0;
};

/// A stroked rectangle (a cell border) with its lower left corner at (x, y).
struct PagedRect {
    double x = 0.0;
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
    double lineWidth = 0.0;
};

/// An outline entry pointing at `top` on its page (a heading flagged for the outline).
struct PagedBookmark {
    int level = 1;
    std::string title;
    double top = 0.0;
};

/// A filled rectangle (the red rules of a letterhead) with its lower left corner at (x, y).
struct PagedFill {
    double x = 0.0;
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
    layout::Color color;
};

/// Until the next PagedColorEnd, text is filled in `color` and coordinates are mapped by
/// `matrix` (a PDF `cm`; a rotated watermark is placed at the origin).
struct PagedColor {
    layout::Color color;
    std::array<double, 6> matrix{1, 0, 0, 1, 0, 0};
};

/// Ends a PagedColor.
struct PagedColorEnd {};

using PagedItem = std::variant<PagedText, PagedRect, PagedBookmark, PagedFill, PagedColor, PagedColorEnd>;

/// Where a part of a table cell landed: which table (index into Document::blocks), which
/// rows the cell spans, and whether this part shows all of the cell's text. Kept so that
/// tests and checks can see how tables were cut without reading the drawing back.
struct PagedCell {
    std::size_t block = 0;
    int firstRow = 0;       ///< the cell's first row (0-based, header rows counted)
    int lastRow = 0;        ///< its last row (> firstRow for a merged cell)
    bool header = false;    ///< a (repeated) header cell
    bool wholeText = true;  ///< every line of the cell's text is on this page
};

struct PagedPage {
    double widthPt = 0.0;
    double heightPt = 0.0;
    std::u32string text;               ///< the characters of every PagedText, run after run
    std::vector<PagedItem> items;      ///< the page's body, in drawing order
    std::vector<PagedItem> furniture;  ///< running header and page number, drawn after all bodies
    std::vector<PagedCell> cells;      ///< the table cell parts of the body, in drawing order
};

struct PagedDocument {
    layout::Metadata meta;
    std::vector<PagedPage> pages;
    bool colophonPage = false;  ///< the 版记 starts a page (the last had no room for it)
};

/// No generated document is longer: a table of a thousand projects takes some forty pages,
/// so more pages mean a template whose loop repeats its content, and paginate stops there
/// rather than fill the disk.
constexpr std::size_t kMaxPages = 1000;

/// Lays out `doc` with the faces of `fonts`. Paragraphs wrap with the Chinese line breaking
/// rules (line_break.h); tables break across pages between rows, repeating their header rows
/// (a row taller than a quarter of the type area breaks where the page ends), and a merged
/// cell cut by a page break is drawn on both pages with its own borders (short text repeated,
/// long text continued); page numbers, bookmarks for flagged headings, per-character font
/// fallback. Throws RenderError when no face draws a character or its replacement or the
/// document would have more than kMaxPages pages, and
/// layout::LayoutError on malformed tables or margins.
PagedDocument paginate(const layout::Document& doc, const pdf::FontSet& fonts);

/// Lays out a filled Excel form (layout/excel_form.h) on the paper of its print setup, as a
/// spreadsheet prints: column widths and row heights in points (Excel's 7-pixel character
/// width), scaled by the print scale or to fit the pages asked for, centred when asked; rows
/// flow onto pages with the print-title rows repeated; per cell the fill, the text in the
/// face its font family maps to (layout::fontRoleFor) at its size, weight and colour,
/// aligned and, when wrapped, broken with the Chinese line breaking rules (line_break.h), and
/// each edge's border in its weight and colour. Merged cells are one box. Throws RenderError
/// when no face draws a character or its replacement.
PagedDocument paginateGrid(const layout::Grid& grid, const layout::Metadata& meta, const pdf::FontSet& fonts);

/// Grows the rows of `grid` whose wrapped cells need more height than they have (the last row
/// of a merged cell grows), as the PDF lays them out; run before rendering the XLSX and the
/// PDF so that both show the same rows (spreadsheets do not grow rows by themselves).
void fitGridRows(layout::Grid& grid, const pdf::FontSet& fonts);

/// Draws `paged` on a fixed-layout canvas (pdf::PdfCanvas, ofd::OfdCanvas: the same calls in
/// points): each page's body as the page is added, then every page's furniture (running
/// header, page number). The order of the calls fixes the order of the output's objects and of
/// each face's characters, so both formats draw the pages the same way.
template <class Canvas>
void drawPaged(const PagedDocument& paged, Canvas& canvas) {
    auto drawItems = [&canvas](const PagedPage& page, int index, const std::vector<PagedItem>& items) {
        const std::u32string_view text = page.text;
        for (const PagedItem& item : items) {
            if (const auto* t = std::get_if<PagedText>(&item)) {
                canvas.drawText(index, t->face, t->sizePt, t->x, t->baseline, text.substr(t->begin, t->end - t->begin), t->charSpacing,
                                t->emboldenSynthetic);
            } else if (const auto* r = std::get_if<PagedRect>(&item)) {
                canvas.strokeRect(index, r->x, r->y, r->width, r->height, r->lineWidth);
            } else if (const auto* b = std::get_if<PagedBookmark>(&item)) {
                canvas.addBookmark(b->level, b->title, index, b->top);
            } else if (const auto* f = std::get_if<PagedFill>(&item)) {
                canvas.fillRect(index, f->x, f->y, f->width, f->height, f->color);
            } else if (const auto* c = std::get_if<PagedColor>(&item)) {
                canvas.beginColor(index, c->color, c->matrix);
            } else if (std::holds_alternative<PagedColorEnd>(item)) {
                canvas.endColor(index);
            }
        }
    };
    for (const PagedPage& page : paged.pages) {
        const int index = canvas.addPage(page.widthPt, page.heightPt);
        drawItems(page, index, page.items);
    }
    for (size_t p = 0; p < paged.pages.size(); ++p) {
        drawItems(paged.pages[p], static_cast<int>(p), paged.pages[p].furniture);
    }
}

}  // namespace jixiao::render
