#pragma once

// Internal to render/xlsx_*: writing one planned sheet with libxlsxwriter — cells, merges,
// formulas, print setup, views, charts.

#include "render/xlsx_plan.h"

#include <xlsxwriter.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace jixiao::render::xlsx {

/// The libxlsxwriter boundary: a failed call becomes a RenderError naming the operation.
void check(lxw_error err, const std::string& what);

/// The same, with the operation described only when the call failed: a sheet has thousands of
/// cells, and naming each (cell name, sheet) on success costs more than writing it.
template <class Describe, class = std::enable_if_t<std::is_invocable_r_v<std::string, Describe>>>
void check(lxw_error err, Describe&& describe) {
    if (err == LXW_NO_ERROR) return;
    const std::string what = describe();
    check(err, what);
}

/// One lxw_format per distinct look, created in first-use order (deterministic).
class FormatCache {
public:
    explicit FormatCache(lxw_workbook* book) : book_(book) {}

    lxw_format* get(const Style& style);

private:
    lxw_workbook* book_;
    std::map<Style, lxw_format*> formats_;
};

/// A sheet of the workbook: its final tab name, its flow, and what Sheet adds to it.
struct SheetInput {
    std::string name;  // final tab name
    const Document* flow = nullptr;
    bool autofilter = false;
    int freezeRows = -1;
    const std::vector<Chart>* charts = nullptr;
    /// The workbook is in constant_memory mode: cells are written in row order.
    bool rowByRow = false;
};

/// Plans and writes one sheet. C strings handed to libxlsxwriter are kept in `keep` until
/// the workbook is closed.
void writeSheet(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in);

/// One sheet written as its flow comes (layout::WorkbookSink's parts): `in.flow` gives the
/// page and header/footer (its blocks are not read), `tables` every table the flow will hold
/// (for the column grid); each block, and each run of a table's rows, is planned, written and
/// released before the next comes. The same cells as writeSheet of the whole flow; a formula
/// can only name cells above it. `in` (its pointers) must outlive the stream.
class SheetStream {
public:
    SheetStream(lxw_workbook* book, FormatCache& formats, std::deque<std::string>& keep, const SheetInput& in,
                const std::vector<Table>& tables);
    ~SheetStream();
    SheetStream(const SheetStream&) = delete;
    SheetStream& operator=(const SheetStream&) = delete;

    /// The next blocks of the flow.
    void blocks(const std::vector<layout::Block>& blocks);
    /// More rows of the table that ended the last blocks(). Throws RenderError when no table did.
    void tableRows(std::vector<layout::TableRow>&& rows);
    /// Print setup, views, charts: the flow is complete.
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jixiao::render::xlsx
