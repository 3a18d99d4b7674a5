#include "layout/document.h"

#include <string>
#include <utility>

namespace jixiao::layout {

model::Date FixedDate::date() const {
    auto d = model::Date::fromParts(year, month, day);
    if (!d)
        throw LayoutError("文档日期 " + std::to_string(year) + "-" + std::to_string(month) + "-" + std::to_string(day) + " 不是有效的日期");
    return *d;
}

Paragraph Paragraph::plain(std::string text, TextStyle style, ParagraphFormat format) {
    Paragraph p;
    p.runs.push_back(Run{std::move(text), std::nullopt, std::nullopt, false});
    p.style = style;
    p.format = format;
    return p;
}

std::string Paragraph::text() const {
    std::string all;
    for (const Run& run : runs) all += run.text;
    return all;
}

Cell Cell::label(std::string text, int colspan, int rowspan) {
    Cell c;
    c.text = std::move(text);
    c.colspan = colspan;
    c.rowspan = rowspan;
    return c;
}

Cell Cell::figure(std::string text, std::optional<model::Decimal> value, std::string numberFormat) {
    Cell c;
    c.text = std::move(text);
    c.number = true;
    c.value = value;
    c.numberFormat = std::move(numberFormat);
    return c;
}

namespace {

std::string where(int row, int column) { return "表格第 " + std::to_string(row + 1) + " 行第 " + std::to_string(column + 1) + " 列"; }

}  // namespace

std::vector<PlacedCell> placeCells(const Table& table) {
    const int columns = static_cast<int>(table.columnWidths.size());
    const int rows = static_cast<int>(table.rows.size());
    if (columns == 0) throw LayoutError("表格没有列");
    if (table.headerRows < 0 || table.headerRows > rows) {
        throw LayoutError("表格有 " + std::to_string(table.headerRows) + " 行表头，却只有 " + std::to_string(rows) + " 行");
    }
    for (double w : table.columnWidths) {
        if (!(w > 0.0)) throw LayoutError("表格的列宽应大于 0");
    }

    // Row-major occupancy; a table of a few hundred rows by a dozen columns is tiny.
    std::vector<char> taken(static_cast<size_t>(rows) * static_cast<size_t>(columns), 0);
    auto at = [&](int r, int c) -> char& { return taken[static_cast<size_t>(r) * static_cast<size_t>(columns) + static_cast<size_t>(c)]; };

    std::vector<PlacedCell> placed;
    for (int r = 0; r < rows; ++r) {
        int c = 0;
        int index = -1;
        for (const Cell& cell : table.rows[static_cast<size_t>(r)].cells) {
            ++index;
            while (c < columns && at(r, c)) ++c;
            if (c >= columns) {
                throw TableShapeError(TableShapeError::Problem::TooManyCells, r, index, c,
                                      "表格第 " + std::to_string(r + 1) + " 行的单元格超出了 " + std::to_string(columns) + " 列");
            }
            if (cell.colspan < 1 || cell.rowspan < 1) {
                throw TableShapeError(TableShapeError::Problem::BadSpan, r, index, c,
                                      where(r, c) + "：合并的列数（colspan）和行数（rowspan）应至少为 1");
            }
            if (c + cell.colspan > columns) {
                throw TableShapeError(TableShapeError::Problem::ColspanPastEnd, r, index, c,
                                      where(r, c) + "：合并 " + std::to_string(cell.colspan) + " 列（colspan）超出了最后一列");
            }
            if (r + cell.rowspan > rows) {
                throw TableShapeError(TableShapeError::Problem::RowspanPastEnd, r, index, c,
                                      where(r, c) + "：合并 " + std::to_string(cell.rowspan) + " 行（rowspan）超出了最后一行");
            }
            if (r < table.headerRows && r + cell.rowspan > table.headerRows) {
                throw TableShapeError(TableShapeError::Problem::HeaderSpan, r, index, c, where(r, c) + "：表头单元格不能向下合并到表体");
            }
            for (int rr = r; rr < r + cell.rowspan; ++rr) {
                for (int cc = c; cc < c + cell.colspan; ++cc) {
                    if (at(rr, cc)) {
                        throw TableShapeError(TableShapeError::Problem::Overlap, r, index, c,
                                              where(r, c) + "：与覆盖" + where(rr, cc) + "的单元格重叠");
                    }
                    at(rr, cc) = 1;
                }
            }
            placed.push_back(PlacedCell{r, c, &cell});
            c += cell.colspan;
        }
        for (int cc = 0; cc < columns; ++cc) {
            if (!at(r, cc)) {
                throw TableShapeError(TableShapeError::Problem::Hole, r, -1, cc, where(r, cc) + "：没有单元格（缺一格）");
            }
        }
    }
    return placed;
}

std::vector<std::pair<std::string, std::string>> AttachmentNote::items() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out.emplace_back(names.size() > 1 ? std::to_string(i + 1) + "." : std::string(), names[i]);
    }
    return out;
}

const char* officeFontName(FontRole role) {
    switch (role) {
    case FontRole::Title: return "方正小标宋简体";
    case FontRole::Heading: return "黑体";
    case FontRole::Kai: return "楷体_GB2312";
    case FontRole::FangSong: return "仿宋_GB2312";
    case FontRole::Body: break;
    }
    return "宋体";
}

void WorkbookSink::beginSheet(Sheet&& head, std::vector<Table> /*tables*/) { pending_ = std::move(head); }

void WorkbookSink::blocks(std::vector<Block>&& blocks) {
    for (Block& b : blocks) pending_.flow.blocks.push_back(std::move(b));
}

void WorkbookSink::tableRows(std::vector<TableRow>&& rows) {
    auto& table = std::get<Table>(pending_.flow.blocks.back());
    for (TableRow& r : rows) table.rows.push_back(std::move(r));
}

void WorkbookSink::endSheet() {
    Sheet whole = std::move(pending_);
    pending_ = Sheet{};
    sheet(std::move(whole));
}

}  // namespace jixiao::layout
