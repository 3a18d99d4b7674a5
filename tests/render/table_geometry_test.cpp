// The PDF and the XLSX of one table agree on its geometry (render/table_geometry.h): the
// same columns, every merged cell over the same rows and columns in the same order, and the
// same rows grown for a merged cell's text.

#include "pdf/fonts.h"
#include "render/paged.h"
#include "render/table_geometry.h"
#include "render/xlsx_plan.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

using namespace jixiao;
using layout::Cell;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

// A cell's place: first and last row of its table, first and last column.
using Place = std::tuple<int, int, int, int>;

int edgeIndex(const std::vector<double>& edges, double x) {
    for (std::size_t i = 0; i < edges.size(); ++i)
        if (std::abs(edges[i] - x) < 0.01) return int(i);
    return -1;
}

// A header row over four columns (one label over two), then rows 1–3 under a three-row
// label in column 0 next to a two-row label in column 1 (rows 1–2), and plain rows below.
// The long texts make both merged cells need more than their rows have: which one is served
// first decides whether row 3 grows.
layout::Table mergedTable() {
    layout::Table t;
    t.columnWidths = {2, 2, 3, 3};
    t.headerRows = 1;
    t.rows.push_back({{Cell::label("一级指标"), Cell::label("二级指标"), Cell::label("指标值", 2)}});
    t.rows.push_back(
        {{Cell::label("一\n二\n三\n四\n五", 1, 3), Cell::label(std::string(20, '\n') + "长", 1, 2), Cell::label("甲"), Cell::label("乙")}});
    t.rows.push_back({{Cell::label("丙"), Cell::label("丁")}});
    t.rows.push_back({{Cell::label("产出"), Cell::label("戊"), Cell::label("己")}});
    t.rows.push_back({{Cell::label("效益"), Cell::label("庚"), Cell::label("辛"), Cell::label("壬")}});
    return t;
}

}  // namespace

TEST_CASE("table geometry: PDF and XLSX place merged cells alike and grow the same rows", "[render]") {
    layout::Document doc;
    doc.blocks.push_back(mergedTable());
    const layout::Table& table = std::get<layout::Table>(doc.blocks[0]);

    // PDF: every cell part is a border rectangle, recorded with its rows, in drawing order.
    const render::PagedDocument paged = render::paginate(doc, pdf::FontSet::bundled(kSource + "/fonts"));
    REQUIRE(paged.pages.size() == 1);
    const render::PagedPage& page = paged.pages[0];
    std::vector<render::PagedRect> rects;
    for (const auto& item : page.items)
        if (const auto* r = std::get_if<render::PagedRect>(&item)) rects.push_back(*r);
    REQUIRE(rects.size() == page.cells.size());
    double left = rects[0].x, right = 0.0;
    for (const auto& r : rects) left = std::min(left, r.x), right = std::max(right, r.x + r.width);
    const std::vector<double> pdfEdges = render::tableColumnEdges(table, right - left, layout::mmToPt(1.0));
    std::vector<Place> pdfPlaces;
    std::vector<double> pdfRowHeights(table.rows.size(), 0.0);
    for (std::size_t i = 0; i < rects.size(); ++i) {
        const render::PagedCell& c = page.cells[i];
        pdfPlaces.emplace_back(c.firstRow, c.lastRow, edgeIndex(pdfEdges, rects[i].x - left),
                               edgeIndex(pdfEdges, rects[i].x + rects[i].width - left) - 1);
        if (c.firstRow == c.lastRow) pdfRowHeights[std::size_t(c.firstRow)] = rects[i].height;
    }

    // XLSX: the sheet plan's items, in order, relative to the table's first row.
    const render::xlsx::SheetPlan plan = render::xlsx::planSheet(doc, "表");
    REQUIRE(plan.tables.size() == 1);
    const int firstRow = plan.tables[0].firstRow;
    std::vector<Place> xlsxPlaces;
    for (const auto& item : plan.items)
        if (item.cell) xlsxPlaces.emplace_back(item.area.row - firstRow, item.area.lastRow - firstRow, item.area.col, item.area.lastCol);

    const std::vector<Place> expected{
        {0, 0, 0, 0}, {0, 0, 1, 1}, {0, 0, 2, 3},                // header
        {1, 3, 0, 0}, {1, 2, 1, 1}, {1, 1, 2, 2}, {1, 1, 3, 3},  // the two merged labels
        {2, 2, 2, 2}, {2, 2, 3, 3},                              //
        {3, 3, 1, 1}, {3, 3, 2, 2}, {3, 3, 3, 3},                //
        {4, 4, 0, 0}, {4, 4, 1, 1}, {4, 4, 2, 2}, {4, 4, 3, 3},
    };
    CHECK(pdfPlaces == expected);
    CHECK(xlsxPlaces == expected);
    // The same column grid: the XLSX columns in millimetres are the PDF's in points.
    REQUIRE(plan.columnMm.size() == 4);
    for (std::size_t c = 0; c < 4; ++c) CHECK(layout::mmToPt(plan.columnMm[c]) == Approx(pdfEdges[c + 1] - pdfEdges[c]).margin(0.01));

    // Merged cells are served shortest first in both: the two-row label grows rows 1 and 2,
    // after which the three-row label has room, so row 3 stays as tall as a plain row (4).
    CHECK(pdfRowHeights[1] > 2 * pdfRowHeights[4]);
    CHECK(pdfRowHeights[3] == Approx(pdfRowHeights[4]));
    const auto sheetRow = [&](int r) { return plan.rowPt[std::size_t(firstRow + r)]; };
    CHECK(sheetRow(1) > 2 * sheetRow(4));
    CHECK(sheetRow(3) == Approx(sheetRow(4)));
}

TEST_CASE("table geometry: column edges and row heights", "[render]") {
    layout::Table t;
    t.columnWidths = {1, 3};
    CHECK(render::tableColumnEdges(t, 100.0, 2.0) == std::vector<double>{0.0, 25.0, 100.0});
    t.widthUnit = layout::WidthUnit::Mm;
    CHECK(render::tableColumnEdges(t, 100.0, 2.0) == std::vector<double>{0.0, 2.0, 8.0});  // kept
    CHECK(render::tableColumnEdges(t, 6.0, 2.0) == std::vector<double>{0.0, 1.5, 6.0});    // scaled down to the type area

    // A three-row need listed before a two-row one inside it: the two-row one is served first.
    std::vector<double> rows{10, 10, 10, 10};
    render::fitRowHeights(rows, {{0, 2, 36}, {0, 1, 40}, {3, 3, 12}, {3, 3, 11}});
    CHECK(rows == std::vector<double>{20, 20, 10, 12});
    // In the other order of the same needs the result is the same.
    rows = {10, 10, 10, 10};
    render::fitRowHeights(rows, {{0, 1, 40}, {0, 2, 36}, {3, 3, 11}, {3, 3, 12}});
    CHECK(rows == std::vector<double>{20, 20, 10, 12});
    // A need its rows already meet changes nothing.
    rows = {10, 10, 10, 10};
    render::fitRowHeights(rows, {{0, 3, 40}, {1, 2, 5}});
    CHECK(rows == std::vector<double>{10, 10, 10, 10});
}
