#include "render/xlsx_grid.h"

#include "render/render_error.h"
#include "render/xlsx_plan.h"
#include "render/xlsx_sheet.h"

#include <cmath>
#include <vector>

namespace jixiao::render::xlsx {

namespace {

using layout::BorderStyle;
using layout::GridCell;
using layout::GridStyle;

uint8_t border(BorderStyle s) {
    switch (s) {
    case BorderStyle::None: return LXW_BORDER_NONE;
    case BorderStyle::Hair: return LXW_BORDER_HAIR;
    case BorderStyle::Thin: return LXW_BORDER_THIN;
    case BorderStyle::Dotted: return LXW_BORDER_DOTTED;
    case BorderStyle::Dashed: return LXW_BORDER_DASHED;
    case BorderStyle::Medium: return LXW_BORDER_MEDIUM;
    case BorderStyle::Double: return LXW_BORDER_DOUBLE;
    case BorderStyle::Thick: return LXW_BORDER_THICK;
    }
    return LXW_BORDER_NONE;
}

lxw_format* makeFormat(lxw_workbook* book, std::deque<std::string>& keep, const GridStyle& s) {
    lxw_format* f = workbook_add_format(book);
    if (f == nullptr) throw RenderError("生成 XLSX 时内存不足，无法创建单元格格式");
    keep.push_back(cleanText(s.font.name));
    format_set_font_name(f, keep.back().c_str());
    format_set_font_size(f, s.font.sizePt);
    if (s.font.bold) format_set_bold(f);
    if (s.font.italic) format_set_italic(f);
    if (s.font.underline) format_set_underline(f, LXW_UNDERLINE_SINGLE);
    if (s.font.color != 0) format_set_font_color(f, s.font.color);
    if (s.fill) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, *s.fill);
    }
    format_set_left(f, border(s.left.style));
    format_set_right(f, border(s.right.style));
    format_set_top(f, border(s.top.style));
    format_set_bottom(f, border(s.bottom.style));
    if (s.left.color != 0) format_set_left_color(f, s.left.color);
    if (s.right.color != 0) format_set_right_color(f, s.right.color);
    if (s.top.color != 0) format_set_top_color(f, s.top.color);
    if (s.bottom.color != 0) format_set_bottom_color(f, s.bottom.color);
    switch (s.halign) {
    case layout::HAlign::General: break;
    case layout::HAlign::Left: format_set_align(f, LXW_ALIGN_LEFT); break;
    case layout::HAlign::Center: format_set_align(f, LXW_ALIGN_CENTER); break;
    case layout::HAlign::Right: format_set_align(f, LXW_ALIGN_RIGHT); break;
    case layout::HAlign::Justify: format_set_align(f, LXW_ALIGN_JUSTIFY); break;
    case layout::HAlign::Distributed: format_set_align(f, LXW_ALIGN_DISTRIBUTED); break;
    }
    switch (s.valign) {
    case layout::VAlign::Top: format_set_align(f, LXW_ALIGN_VERTICAL_TOP); break;
    case layout::VAlign::Center: format_set_align(f, LXW_ALIGN_VERTICAL_CENTER); break;
    case layout::VAlign::Bottom: format_set_align(f, LXW_ALIGN_VERTICAL_BOTTOM); break;
    }
    if (s.wrap) format_set_text_wrap(f);
    if (s.indent > 0) format_set_indent(f, uint8_t(std::min(s.indent, 15)));
    if (!s.numberFormat.empty() && s.numberFormat != "General") {
        keep.push_back(cleanText(s.numberFormat));
        format_set_num_format(f, keep.back().c_str());
    }
    return f;
}

/// The width libxlsxwriter takes (what Excel's dialog shows) for a width as stored.
double shownWidth(double stored) {
    const double px = std::floor(stored * 7.0 + 0.5);
    return px < 12.0 ? px / 12.0 : (px - 5.0) / 7.0;
}

void writeCell(lxw_worksheet* ws, std::deque<std::string>& keep, int r, int c, const GridCell& cell, lxw_format* f) {
    const auto row = lxw_row_t(r);
    const auto col = lxw_col_t(c);
    if (!cell.formula.empty()) {
        keep.push_back("=" + cleanText(cell.formula));
        if (cell.kind == GridCell::Kind::Number) {
            check(worksheet_write_formula_num(ws, row, col, keep.back().c_str(), f, cell.number.toDouble()), "writing a formula");
        } else {
            const std::string formula = keep.back();
            keep.push_back(cleanText(cell.text));
            check(worksheet_write_formula_str(ws, row, col, formula.c_str(), f, keep.back().c_str()), "writing a formula");
        }
        return;
    }
    switch (cell.kind) {
    case GridCell::Kind::Number: check(worksheet_write_number(ws, row, col, cell.number.toDouble(), f), "writing a number"); break;
    case GridCell::Kind::Boolean: check(worksheet_write_boolean(ws, row, col, cell.text == "TRUE", f), "writing a boolean"); break;
    case GridCell::Kind::Text: check(worksheet_write_string(ws, row, col, cleanText(cell.text).c_str(), f), "writing a text cell"); break;
    case GridCell::Kind::Empty: check(worksheet_write_blank(ws, row, col, f), "writing a blank cell"); break;
    }
}

}  // namespace

void writeGridSheet(lxw_workbook* book, std::deque<std::string>& keep, const layout::Grid& grid, const std::string& name) {
    keep.push_back(name);
    lxw_worksheet* ws = workbook_add_worksheet(book, keep.back().c_str());
    if (ws == nullptr) throw RenderError("生成 XLSX 时无法添加工作表“" + name + "”（名称无效或内存不足）");

    std::vector<lxw_format*> formats;
    formats.reserve(grid.styles.size());
    for (const GridStyle& s : grid.styles) formats.push_back(makeFormat(book, keep, s));
    auto format = [&](int style) { return formats.at(std::size_t(style)); };

    for (int c = 0; c < grid.columns; ++c)
        check(worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), shownWidth(grid.columnWidths[std::size_t(c)]), nullptr),
              "setting a column width");
    for (int r = 0; r < grid.rowCount(); ++r)
        check(worksheet_set_row(ws, lxw_row_t(r), grid.rowHeights[std::size_t(r)], nullptr), "setting a row height");

    for (const layout::GridMerge& m : grid.merges) {
        const GridCell& top = grid.rows[std::size_t(m.row0)][std::size_t(m.col0)];
        check(worksheet_merge_range(ws, lxw_row_t(m.row0), lxw_col_t(m.col0), lxw_row_t(m.row1), lxw_col_t(m.col1), "", format(top.style)),
              "merging cells");
    }
    // Every cell with its own format (the edges of a merged range keep their own borders).
    for (int r = 0; r < grid.rowCount(); ++r)
        for (int c = 0; c < grid.columns; ++c) {
            const GridCell& cell = grid.rows[std::size_t(r)][std::size_t(c)];
            if (cell.empty() && cell.style == 0) continue;
            writeCell(ws, keep, r, c, cell, format(cell.style));
        }

    const layout::GridPrint& p = grid.print;
    worksheet_set_paper(ws, uint8_t(p.paper));
    if (p.landscape) worksheet_set_landscape(ws);
    else worksheet_set_portrait(ws);
    worksheet_set_margins(ws, p.left, p.right, p.top, p.bottom);
    if (p.fitToPage) worksheet_fit_to_pages(ws, uint16_t(p.fitWidth), uint16_t(p.fitHeight));
    else if (p.scale != 100) worksheet_set_print_scale(ws, uint16_t(p.scale));
    if (p.centerHorizontally) worksheet_center_horizontally(ws);
    if (p.titleRow0 >= 0) check(worksheet_repeat_rows(ws, lxw_row_t(p.titleRow0), lxw_row_t(p.titleRow1)), "setting the print titles");
}

}  // namespace jixiao::render::xlsx
