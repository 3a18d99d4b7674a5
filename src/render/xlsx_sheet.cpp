#include "render/xlsx_sheet.h"

#include "render/render_error.h"
#include "render/xlsx_refs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <tuple>

namespace jixiao::render::xlsx {

void check(lxw_error err, const std::string& what) {
    if (err == LXW_NO_ERROR) return;
    // The step and libxlsxwriter's own words are for support; the sentence says what happened.
    const std::string detail = "错误码 " + std::to_string(static_cast<int>(err)) + "：" + lxw_strerror(err) + "，步骤 " + what;
    switch (err) {
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        throw ScratchFileError("无法写入 XLSX 的临时文件，多半是磁盘空间不足或临时文件夹没有写权限（" + detail + "）");
    case LXW_ERROR_MEMORY_MALLOC_FAILED: throw RenderError("生成 XLSX 时内存不足（" + detail + "）");
    default: throw RenderError("XLSX 库（libxlsxwriter）拒绝了模板中的内容（" + detail + "）");
    }
}

lxw_format* FormatCache::get(const Style& style) {
    auto it = formats_.find(style);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(book_);
    if (f == nullptr) throw RenderError("生成 XLSX 时内存不足，无法创建单元格格式");
    format_set_font_name(f, style.font.c_str());
    format_set_font_size(f, style.sizePt);
    if (style.bold) format_set_bold(f);
    format_set_align(f, style.align);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    // Text wraps; a number never does, and shrinks instead of showing "###" when the
    // template's column is a little too narrow for it.
    if (style.wrap) {
        format_set_text_wrap(f);
    } else {
        format_set_shrink(f);
    }
    if (style.border) format_set_border(f, LXW_BORDER_THIN);
    if (style.fill) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, kHeaderFill);
    }
    if (!style.numberFormat.empty()) format_set_num_format(f, style.numberFormat.c_str());
    formats_.emplace(style, f);
    return f;
}

namespace {

/// Header/footer text: "&" is Excel's control character and must be doubled.
std::string escapeHeaderText(const std::string& text) {
    std::string out;
    for (char ch : text) {
        out += ch;
        if (ch == '&') out += '&';
    }
    return out;
}

uint8_t chartType(ChartType type) {
    switch (type) {
    case ChartType::Bar: return LXW_CHART_BAR;
    case ChartType::Pie: return LXW_CHART_PIE;
    case ChartType::Column: break;
    }
    return LXW_CHART_COLUMN;
}

/// A range of sheet rows (0-based, inclusive).
struct Rows {
    int first = 0;
    int last = 0;
};

/// The cells of a chart's value range whose number format its value axis shows, when the
/// range is an explicit A1 one (an id's format is kept anyway).
std::vector<std::pair<int, int>> watchedCells(const SheetInput& in) {
    std::vector<std::pair<int, int>> cells;
    if (in.charts == nullptr) return cells;
    for (const Chart& c : *in.charts) {
        if (c.series.empty()) continue;
        if (std::optional<Area> a = parseA1Range(c.series[0].values)) cells.emplace_back(a->row, a->col);
    }
    return cells;
}

/// One sheet: its worksheet, its planner (whose plan holds the rows not yet written) and what
/// is settled once the flow is complete.
class SheetWriter {
public:
    SheetWriter(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in,
                const std::vector<const Table*>& tables)
        : book_(book),
          formats_(formats),
          keep_(keep),
          in_(in),
          where_("sheet \"" + in.name + "\""),
          planner_(in.flow->page, tables, in.name, watchedCells(in)),
          resolver_(planner_.plan(), in_.name) {
        ws_ = workbook_add_worksheet(book_, this->keep(in_.name));
        if (ws_ == nullptr) throw RenderError("生成 XLSX 时无法添加工作表“" + in_.name + "”（名称无效或内存不足）");
        const SheetPlan& plan = planner_.plan();
        for (size_t c = 0; c < plan.columnMm.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            check(worksheet_set_column(ws_, col, col, columnCharsFromMm(plan.columnMm[c]), nullptr),
                  "setting the column widths of " + where_);
        }
    }
    SheetWriter(const SheetWriter&) = delete;  // the resolver refers to the plan and the name
    SheetWriter& operator=(const SheetWriter&) = delete;

    /// The whole flow planned first (a formula may name a cell further down), then written.
    void writeWhole(const Document& doc) {
        planner_.addAll(doc.blocks);
        autofilter();
        writePlanned();
        finish();
    }

    /// The next blocks of a flow that comes in parts: each planned, written and released.
    void blocks(const std::vector<layout::Block>& blocks) {
        for (const layout::Block& block : blocks) {
            // A table is complete once the next block comes: its filter set before any later row
            // (constant_memory refuses a filter over rows already written out).
            autofilter();
            planner_.add(block);
            writePlanned();
        }
    }

    /// More rows of the table that came last.
    void rows(const Table& more) {
        planner_.addRows(more);
        writePlanned();
    }

    /// Views, print setup, charts and page breaks, once the flow is complete.
    void finish() {
        autofilter();
        const SheetPlan& plan = planner_.plan();
        int freeze = in_.freezeRows;
        if (freeze < 0) {
            freeze = 0;
            if (plan.tables.size() == 1 && plan.tables.front().headerRows > 0) {
                freeze = plan.tables.front().firstRow + plan.tables.front().headerRows;
            }
        }
        if (freeze > 0) worksheet_freeze_panes(ws_, static_cast<lxw_row_t>(freeze), 0);

        const std::optional<Rows> titles = printTitles(plan);
        printSetup(ws_, *in_.flow, titles, where_);
        std::vector<int> breaks = plan.pageBreaks;
        if (in_.charts != nullptr && !in_.charts->empty()) {
            const std::vector<int> more = charts(ws_, in_, plan, resolver_, titles);
            breaks.insert(breaks.end(), more.begin(), more.end());
        }
        pageBreaks(ws_, breaks, where_);
        if (in_.rowByRow) {
            // The last row out to the sheet's file, and the row buffer libxlsxwriter keeps per
            // sheet until the workbook closes (a pointer per Excel column, 128 KB: 300 MB for a
            // province's 2,400 department sheets) released. With the row written,
            // workbook_close's own flush of the last row has nothing to write and never reads
            // the buffer.
            lxw_worksheet_write_single_row(ws_);
            std::free(ws_->array);
            ws_->array = nullptr;
        }
    }

private:
    const char* keep(std::string s) {
        keep_.push_back(std::move(s));
        return keep_.back().c_str();
    }

    /// Writes the rows and items planned since the last call and releases them. constant_memory:
    /// libxlsxwriter writes a row out once a later row is touched, so every row is set and
    /// filled in order. A merge spanning rows writes its first cell and blanks row by row and
    /// is registered on its last row, where worksheet_merge_range's own writes to the rows
    /// already written out are refused (and ignored by it) and its blanks of the last row land.
    /// (No merge spans two parts: layout cuts a table's rows where no rowspan is open.)
    void writePlanned() {
        SheetPlan& plan = planner_.plan();
        lxw_worksheet* ws = ws_;
        const std::string& where = where_;
        const int first = plan.firstRow;
        const int rows = plan.rowCount();
        if (!in_.rowByRow) {
            for (int r = first; r < rows; ++r) {
                check(worksheet_set_row(ws, static_cast<lxw_row_t>(r), plan.rowHeight(r), nullptr), "setting the row heights of " + where);
            }
            for (const Item& item : plan.items) writeItem(ws, item, resolver_, where);
            plan.release();
            return;
        }
        std::vector<const Item*> order;
        order.reserve(plan.items.size());
        for (const Item& item : plan.items) order.push_back(&item);
        std::stable_sort(order.begin(), order.end(), [](const Item* a, const Item* b) {
            return std::tie(a->area.row, a->area.col) < std::tie(b->area.row, b->area.col);
        });
        std::vector<const Item*> open;  // merges spanning rows, first row written, last row not yet
        std::size_t next = 0;
        for (int r = first; r < rows || next < order.size() || !open.empty(); ++r) {
            if (r < rows) {
                check(worksheet_set_row(ws, static_cast<lxw_row_t>(r), plan.rowHeight(r), nullptr), "setting the row heights of " + where);
            }
            for (auto it = open.begin(); it != open.end();) {
                const Item& item = **it;
                const Area& a = item.area;
                lxw_format* f = formats_.get(item.style);
                if (a.lastRow == r) {
                    check(worksheet_merge_range(ws, static_cast<lxw_row_t>(a.row), static_cast<lxw_col_t>(a.col),
                                                static_cast<lxw_row_t>(a.lastRow), static_cast<lxw_col_t>(a.lastCol), "", f),
                          [&] { return "merging " + cellName(a.row, a.col) + ":" + cellName(a.lastRow, a.lastCol) + " of " + where; });
                    it = open.erase(it);
                } else {
                    blanks(ws, r, a.col, a.lastCol, f, where);
                    ++it;
                }
            }
            for (; next < order.size() && order[next]->area.row == r; ++next) {
                const Item& item = *order[next];
                if (item.area.lastRow == item.area.row) {
                    writeItem(ws, item, resolver_, where);
                    continue;
                }
                writeContent(ws, item, resolver_, where);
                blanks(ws, r, item.area.col + 1, item.area.lastCol, formats_.get(item.style), where);
                open.push_back(&item);
            }
        }
        plan.release();
    }

    /// The filter on the last header row of the sheet's first table, once that table is complete.
    void autofilter() {
        const SheetPlan& plan = planner_.plan();
        if (!in_.autofilter || filtered_ || plan.tables.empty()) return;
        filtered_ = true;
        const TablePlacement& t = plan.tables.front();
        const int headerRow = t.firstRow + std::max(0, t.headerRows - 1);
        check(worksheet_autofilter(ws_, static_cast<lxw_row_t>(headerRow), static_cast<lxw_col_t>(t.firstCol),
                                   static_cast<lxw_row_t>(t.firstRow + t.rows - 1), static_cast<lxw_col_t>(t.lastCol)),
              "setting the autofilter of " + where_);
    }

    void blanks(lxw_worksheet* ws, int row, int firstCol, int lastCol, lxw_format* f, const std::string& where) {
        for (int c = firstCol; c <= lastCol; ++c) {
            check(worksheet_write_blank(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(c), f),
                  [&] { return "writing the merged cell " + cellName(row, c) + " of " + where; });
        }
    }

    /// A cell's own content at the first cell of its area: formula, number or text.
    void writeContent(lxw_worksheet* ws, const Item& item, const Resolver& resolver, const std::string& where) {
        lxw_format* f = formats_.get(item.style);
        const auto row = static_cast<lxw_row_t>(item.area.row);
        const auto col = static_cast<lxw_col_t>(item.area.col);
        const auto at = [&] { return where + " cell " + cellName(item.area.row, item.area.col); };
        const Cell* cell = item.cell;
        if (cell != nullptr && !cell->formula.empty()) {
            const std::string resolved = resolver.formula(cell->formula);
            const double cached = cell->value ? cell->value->toDouble() : 0.0;
            check(worksheet_write_formula_num(ws, row, col, resolved.c_str(), f, cached), [&] { return "writing the formula of " + at(); });
        } else if (cell != nullptr && cell->value.has_value()) {
            check(worksheet_write_number(ws, row, col, cell->value->toDouble(), f), [&] { return "writing the number of " + at(); });
        } else {
            check(worksheet_write_string(ws, row, col, item.text.c_str(), f), [&] { return "writing the text of " + at(); });
        }
    }

    void writeItem(lxw_worksheet* ws, const Item& item, const Resolver& resolver, const std::string& where) {
        const Area& a = item.area;
        const Cell* cell = item.cell;
        const bool content = cell != nullptr && (!cell->formula.empty() || cell->value.has_value());
        const bool merged = a.lastRow > a.row || a.lastCol > a.col;
        if (merged) {
            // A merge writes its first cell as a string; numbers and formulas overwrite it with
            // the same format, as libxlsxwriter's documentation prescribes.
            check(worksheet_merge_range(ws, static_cast<lxw_row_t>(a.row), static_cast<lxw_col_t>(a.col), static_cast<lxw_row_t>(a.lastRow),
                                        static_cast<lxw_col_t>(a.lastCol), content ? "" : item.text.c_str(), formats_.get(item.style)),
                  [&] { return "merging " + cellName(a.row, a.col) + ":" + cellName(a.lastRow, a.lastCol) + " of " + where; });
        }
        if (content || !merged) writeContent(ws, item, resolver, where);
    }

    /// Print titles: the header rows of the longest table, the one that runs over pages. A
    /// sheet has one print-title range and it repeats on every later page, so a table
    /// followed by a page break (more document after it) gets none.
    static std::optional<Rows> printTitles(const SheetPlan& plan) {
        const TablePlacement* longest = nullptr;
        for (const TablePlacement& t : plan.tables) {
            if (t.headerRows > 0 && (longest == nullptr || t.rows > longest->rows)) longest = &t;
        }
        if (longest == nullptr) return std::nullopt;
        if (!plan.pageBreaks.empty() && plan.pageBreaks.back() >= longest->firstRow + longest->rows) {
            return std::nullopt;
        }
        return Rows{longest->firstRow, longest->firstRow + longest->headerRows - 1};
    }

    void printSetup(lxw_worksheet* ws, const Document& doc, const std::optional<Rows>& titles, const std::string& where) {
        worksheet_set_paper(ws, 9);  // A4
        if (doc.page.orientation == layout::Orientation::Landscape) {
            worksheet_set_landscape(ws);
        } else {
            worksheet_set_portrait(ws);
        }
        const layout::Margins& m = doc.page.marginsMm;
        worksheet_set_margins(ws, m.left / 25.4, m.right / 25.4, m.top / 25.4, m.bottom / 25.4);

        // One page wide, height automatic (fitToHeight 0). The grid matches the type area in
        // Excel's metrics already, but LibreOffice measures columns with its own default font
        // (without Carlito, about 1.3 times wider). LibreOffice 7.4 keeps manual row breaks
        // under this setting; a fixed page count in both directions would drop them.
        worksheet_fit_to_pages(ws, 1, 0);
        if (titles) {
            check(worksheet_repeat_rows(ws, static_cast<lxw_row_t>(titles->first), static_cast<lxw_row_t>(titles->last)),
                  "setting the print titles of " + where);
        }

        const layout::HeaderFooter& hf = doc.headerFooter;
        lxw_header_footer_options header{};
        header.margin = std::max(0.1, (m.top / 2.0) / 25.4);
        if (!hf.headerText.empty()) {
            check(worksheet_set_header_opt(ws, keep("&C" + escapeHeaderText(cleanText(hf.headerText))), &header),
                  "setting the page header of " + where);
        }
        std::string footer;
        switch (hf.pageNumbers) {
        case layout::PageNumberStyle::OfTotal: footer = "&C第 &P 页 共 &N 页"; break;
        case layout::PageNumberStyle::Dashed: footer = "&C— &P —"; break;
        case layout::PageNumberStyle::None: break;
        }
        if (!footer.empty()) {
            lxw_header_footer_options opt{};
            // The number line sits `distanceMm` below the type area, as in the PDF.
            opt.margin = std::max(0.1, (m.bottom - hf.distanceMm - 4.0) / 25.4);
            check(worksheet_set_footer_opt(ws, keep(footer), &opt), "setting the page footer of " + where);
        }
    }

    void pageBreaks(lxw_worksheet* ws, std::vector<int> rows, const std::string& where) {
        if (rows.empty()) return;
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
        std::vector<lxw_row_t> breaks;
        for (int r : rows) {
            if (static_cast<int>(breaks.size()) == kMaxPageBreaks) break;
            breaks.push_back(static_cast<lxw_row_t>(r));
        }
        breaks.push_back(0);  // terminator
        check(worksheet_set_h_pagebreaks(ws, breaks.data()), "setting the page breaks of " + where);
    }

    /// Inserts the charts below the flow and returns the page breaks that keep each chart on
    /// one printed page (a chart that does not fit the rest of a page starts a new one).
    std::vector<int> charts(lxw_worksheet* ws, const SheetInput& in, const SheetPlan& plan, const Resolver& resolver,
                            const std::optional<Rows>& titles) {
        const double pagePt = typeAreaHeightPt(in.flow->page);
        const double titlesPt = titles ? plan.fill.titlesPt(titles->first) : 0.0;
        double used = plan.fill.usedOnLastPage(titles ? titles->first : -1);
        std::vector<int> breaks;
        int row = plan.rowCount();
        double gridMm = 0.0;
        for (double w : plan.columnMm) gridMm += w;
        const double gridPx = gridMm * kPxPerMm;
        int index = 0;
        for (const Chart& spec : *in.charts) {
            ++index;
            const std::string context = "第 " + std::to_string(index) + " 个图表“" + spec.title + "”";
            if (spec.series.empty()) {
                throw RenderError("工作表“" + in.name + "”中的" + context + "没有数据系列");
            }
            lxw_chart* chart = workbook_add_chart(book_, chartType(spec.type));
            if (chart == nullptr) throw RenderError("生成 XLSX 时内存不足，无法创建" + context);
            if (!spec.title.empty()) chart_title_set_name(chart, keep(cleanText(spec.title)));

            const Area categories = resolver.range(spec.categories, context);
            const int points = std::max(categories.lastRow - categories.row, categories.lastCol - categories.col) + 1;
            const size_t seriesCount = spec.type == ChartType::Pie ? 1 : spec.series.size();
            for (size_t s = 0; s < seriesCount; ++s) {
                const layout::ChartSeries& cs = spec.series[s];
                const Area values = resolver.range(cs.values, context);
                lxw_chart_series* series = chart_add_series(chart, nullptr, nullptr);
                if (series == nullptr) throw RenderError("生成 XLSX 时内存不足，无法为" + context + "添加数据系列");
                chart_series_set_categories(series, keep(in.name), static_cast<lxw_row_t>(categories.row),
                                            static_cast<lxw_col_t>(categories.col), static_cast<lxw_row_t>(categories.lastRow),
                                            static_cast<lxw_col_t>(categories.lastCol));
                chart_series_set_values(series, keep(in.name), static_cast<lxw_row_t>(values.row), static_cast<lxw_col_t>(values.col),
                                        static_cast<lxw_row_t>(values.lastRow), static_cast<lxw_col_t>(values.lastCol));
                if (!cs.name.empty()) chart_series_set_name(series, keep(cleanText(cs.name)));
                chart_series_set_labels(series);
                if (spec.type == ChartType::Pie) chart_series_set_labels_percentage(series);
            }
            if (spec.type != ChartType::Pie) {
                if (seriesCount == 1) chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
                // The value axis shows numbers as the cells do (LibreOffice 7.4 ignores the
                // axis' link to the source format and would print 0.862 for 86.20%).
                const std::string format = numberFormatAt(plan, resolver.range(spec.series[0].values, context));
                // libxlsxwriter 1.1.4 swaps the axes of a bar chart: there y_axis is the
                // (vertical) category axis and x_axis the value axis.
                lxw_chart_axis* valueAxis = spec.type == ChartType::Bar ? chart->x_axis : chart->y_axis;
                if (!format.empty()) chart_axis_set_num_format(valueAxis, keep(format));
                if (spec.type == ChartType::Bar) {
                    // Bars read top to bottom in the order of the cells, as in the table; the
                    // value axis stays at the bottom.
                    chart_axis_set_reverse(chart->y_axis);
                    chart_axis_set_crossing_max(chart->y_axis);
                }
            }

            // libxlsxwriter's default chart is 480 × 288 px; as wide as the grid, and a bar chart
            // tall enough for one readable bar per category.
            lxw_chart_options opt{};
            opt.x_scale = std::clamp(gridPx / 480.0, 0.75, 2.5);
            double heightPx = 288.0;
            if (spec.type == ChartType::Bar) heightPx = std::max(heightPx, 80.0 + 24.0 * points * static_cast<double>(seriesCount));
            opt.y_scale = heightPx / 288.0;
            opt.object_position = LXW_OBJECT_MOVE_DONT_SIZE;

            // One empty row above each chart; rows below the flow keep the default height.
            row += 1;
            used += kDefaultRowHeightPt;
            const int rows = static_cast<int>(std::ceil(heightPx / kDefaultRowHeightPx));
            const double chartPt = rows * kDefaultRowHeightPt;
            if (used + chartPt > pagePt && used > titlesPt + kDefaultRowHeightPt) {
                // Break above the empty row: a chart anchored on the first row of a page gets
                // its top border drawn at the foot of the previous page by LibreOffice 7.4.
                breaks.push_back(row - 1);
                used = titlesPt + kDefaultRowHeightPt;
            }
            check(worksheet_insert_chart_opt(ws, static_cast<lxw_row_t>(row), 0, chart, &opt),
                  "inserting " + context + " into sheet \"" + in.name + "\"");
            row += rows;
            used += chartPt;
        }
        return breaks;
    }

    static std::string numberFormatAt(const SheetPlan& plan, const Area& area) {
        auto it = plan.numberFormats.find({area.row, area.col});
        return it == plan.numberFormats.end() ? std::string() : it->second;
    }

    lxw_workbook* book_;
    FormatCache& formats_;
    std::deque<std::string>& keep_;
    const SheetInput in_;
    const std::string where_;
    SheetPlanner planner_;
    const Resolver resolver_;
    lxw_worksheet* ws_ = nullptr;
    bool filtered_ = false;
};

}  // namespace

struct SheetStream::Impl {
    Impl(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in,
         const std::vector<const Table*>& tables)
        : writer(book, formats, keep, in, tables) {}
    SheetWriter writer;
    std::optional<Table> open;  // the settings of the table that came last, for its further rows
};

void writeSheet(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in) {
    std::vector<const Table*> tables;
    for (const layout::Block& block : in.flow->blocks)
        if (const auto* t = std::get_if<Table>(&block)) tables.push_back(t);
    SheetWriter(book, formats, keep, in, tables).writeWhole(*in.flow);
}

SheetStream::SheetStream(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in,
                         const std::vector<Table>& tables) {
    std::vector<const Table*> shapes;
    for (const Table& t : tables) shapes.push_back(&t);
    impl_ = std::make_unique<Impl>(book, formats, keep, in, shapes);
}

SheetStream::~SheetStream() = default;

void SheetStream::blocks(const std::vector<layout::Block>& blocks) {
    impl_->writer.blocks(blocks);
    for (const layout::Block& block : blocks) {
        if (const auto* t = std::get_if<Table>(&block)) {
            impl_->open = *t;
            impl_->open->rows.clear();
            impl_->open->headerRows = 0;
        } else {
            impl_->open.reset();
        }
    }
}

void SheetStream::tableRows(std::vector<layout::TableRow>&& rows) {
    if (!impl_->open) throw RenderError("工作表的表格行应紧跟在表格之后");
    impl_->open->rows = std::move(rows);
    impl_->writer.rows(*impl_->open);
    impl_->open->rows.clear();
}

void SheetStream::finish() { impl_->writer.finish(); }

}  // namespace jixiao::render::xlsx
