#include "layout/excel_form.h"

#include "layout/grid_formula.h"
#include "layout/grid_reader.h"
#include "layout/template_text.h"
#include "model/file_read.h"
#include "model/text.h"

#include <algorithm>
#include <deque>
#include <optional>

namespace jixiao::layout {

namespace {

std::string trim(const std::string& s) {
    const char* space = " \t\r\n";
    const std::size_t b = s.find_first_not_of(space);
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(space) - b + 1);
}

/// The block-begin marker at the start of `text` ("{{#each 指标}}"): its list name, and the
/// text after it; nothing when the text does not start with one.
std::optional<std::pair<std::string, std::string>> leadingEach(const std::string& text) {
    const std::string t = trim(text);
    if (t.rfind("{{", 0) != 0) return std::nullopt;
    const std::string inner = trim(t.substr(2, t.find("}}") == std::string::npos ? 0 : t.find("}}") - 2));
    if (inner.rfind("#each", 0) != 0 || t.find("}}") == std::string::npos) return std::nullopt;
    return std::make_pair(trim(inner.substr(5)), t.substr(t.find("}}") + 2));
}

/// The text before a block-end marker at the end of `text`; nothing when it has none.
std::optional<std::string> trailingEnd(const std::string& text) {
    const std::string t = trim(text);
    const std::size_t open = t.rfind("{{");
    if (open == std::string::npos || t.size() < 4 || t.compare(t.size() - 2, 2, "}}") != 0) return std::nullopt;
    if (trim(t.substr(open + 2, t.size() - 2 - open - 2)) != "/each") return std::nullopt;
    return t.substr(0, open);
}

struct CellSpec {
    std::optional<TextTemplate> text;  ///< the cell's text when it holds placeholders
    std::string onlyField;             ///< the one field the cell holds and nothing else
    bool merge = false;                ///< `|merge`: equal adjacent values merge vertically
};

struct BlockSpec {
    int row0 = 0, row1 = 0;
    std::string list;   ///< as written: "指标" or "project.indicators"
    std::string where;  ///< the cell of the begin marker
};

/// Where a row of the filled grid comes from.
struct OutRow {
    int templateRow = 0;
    int block = -1;  ///< index into Spec::blocks, -1 outside blocks
    int item = 0;    ///< the item's number within its block
    std::vector<const Value*> scopes;
};

}  // namespace

struct ExcelForm::Spec {
    std::string shown;
    Grid grid;
    std::vector<std::vector<CellSpec>> cells;
    std::vector<BlockSpec> blocks;

    std::string where(int row, int column) const { return shown + "[" + grid.sheetName + "!" + cellName(row, column) + "]"; }

    /// A TemplateError's "<where>:1: message" becomes "<where>：message".
    std::string tidy(const std::string& message) const {
        const std::size_t bracket = message.find("]:");
        if (message.rfind(shown + "[", 0) == 0 && bracket != std::string::npos) {
            const std::size_t colon = message.find(": ", bracket + 2);
            if (colon != std::string::npos) return message.substr(0, bracket + 1) + "：" + message.substr(colon + 2);
        }
        return message;
    }

    int blockAt(int row) const {
        for (std::size_t b = 0; b < blocks.size(); ++b)
            if (row >= blocks[b].row0 && row <= blocks[b].row1) return int(b);
        return -1;
    }
};

namespace {

using Spec = ExcelForm::Spec;

/// Takes `|merge` out of the placeholders of `text`; true when one had it.
bool takeMergeFilter(std::string& text) {
    bool found = false;
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        const std::size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 2);
        if (close == std::string::npos) {
            out += text.substr(pos);
            break;
        }
        out += text.substr(pos, open - pos);
        std::string inner = text.substr(open + 2, close - open - 2);
        std::string kept;
        std::size_t start = 0;
        for (;;) {
            const std::size_t bar = inner.find('|', start);
            const std::string part = inner.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
            if (start > 0 && trim(part) == "merge") found = true;
            else kept += (start > 0 ? "|" : "") + part;
            if (bar == std::string::npos) break;
            start = bar + 1;
        }
        out += "{{" + kept + "}}";
        pos = close + 2;
    }
    text = out;
    return found;
}

/// The field a cell holds when its whole text is one plain placeholder.
std::string onlyField(const std::string& text) {
    const std::string t = trim(text);
    if (t.size() < 5 || t.rfind("{{", 0) != 0 || t.compare(t.size() - 2, 2, "}}") != 0) return {};
    const std::string inner = trim(t.substr(2, t.size() - 4));
    if (inner.empty() || inner.find("{{") != std::string::npos || inner.find("}}") != std::string::npos ||
        inner.find_first_of("#/!| \"") != std::string::npos)
        return {};
    return inner;
}

Spec compile(Grid grid, const std::string& shown) {
    Spec spec;
    spec.shown = shown;
    spec.grid = std::move(grid);
    Grid& g = spec.grid;
    spec.cells.assign(std::size_t(g.rowCount()), std::vector<CellSpec>(std::size_t(g.columns)));

    // Blocks: markers found, checked and removed.
    std::optional<BlockSpec> open;
    for (int r = 0; r < g.rowCount(); ++r) {
        auto& row = g.rows[std::size_t(r)];
        int first = -1, last = -1;
        for (int c = 0; c < g.columns; ++c)
            if (row[std::size_t(c)].kind == GridCell::Kind::Text && !trim(row[std::size_t(c)].text).empty()) {
                if (first < 0) first = c;
                last = c;
            }
        if (first < 0) continue;
        if (auto each = leadingEach(row[std::size_t(first)].text)) {
            if (open)
                throw TemplateError(spec.where(r, first) + "：重复块不能嵌套：" + open->where.substr(shown.size()) + " 开始的 {{#each " +
                                    open->list + "}} 还没有用 {{/each}} 结束。");
            if (each->first.empty()) throw TemplateError(spec.where(r, first) + "：{{#each}} 缺少列表名，例如 {{#each 指标}}。");
            open = BlockSpec{r, r, each->first, spec.where(r, first)};
            row[std::size_t(first)].text = each->second;
        }
        for (int c = 0; c < g.columns; ++c) {
            const std::string& t = row[std::size_t(c)].text;
            if (row[std::size_t(c)].kind != GridCell::Kind::Text) continue;
            if (leadingEach(t) || t.find("{{#each") != std::string::npos) {
                if (t.find("{{/each}}") == std::string::npos)
                    throw TemplateError(spec.where(r, c) + "：{{#each …}} 要写在一行中第一个非空单元格的开头，" +
                                        "该行就是重复块的第一行。");
            }
        }
        if (auto before = trailingEnd(row[std::size_t(last)].text)) {
            if (!open)
                throw TemplateError(spec.where(r, last) + "：{{/each}} 前面没有对应的 {{#each 列表}}" +
                                    "（应写在重复块第一行第一个非空单元格的开头）。");
            row[std::size_t(last)].text = *before;
            open->row1 = r;
            spec.blocks.push_back(*open);
            open.reset();
        }
        for (int c = 0; c < g.columns; ++c) {
            const std::string& t = row[std::size_t(c)].text;
            if (row[std::size_t(c)].kind != GridCell::Kind::Text) continue;
            const std::size_t end = t.find("{{/each}}");
            if (end != std::string::npos && t.find("{{#each") == std::string::npos)
                throw TemplateError(spec.where(r, c) + "：{{/each}} 要写在重复块最后一行最后一个非空单元格的末尾。");
        }
    }
    if (open)
        throw TemplateError(open->where + "：{{#each " + open->list + "}} 没有对应的 {{/each}}" +
                            "（应写在重复块最后一行最后一个非空单元格的末尾）。");

    for (const BlockSpec& b : spec.blocks)
        for (const GridMerge& m : g.merges) {
            const bool inside = m.row0 >= b.row0 && m.row1 <= b.row1;
            const bool outside = m.row1 < b.row0 || m.row0 > b.row1;
            const bool around = m.row0 < b.row0 && m.row1 >= b.row1;  // grows with the block
            if (!inside && !outside && !around)
                throw TemplateError(spec.where(m.row0, m.col0) + "：合并单元格 " + cellName(m.row0, m.col0) + ":" +
                                    cellName(m.row1, m.col1) + " 跨越了重复块（第 " + std::to_string(b.row0 + 1) +
                                    (b.row1 > b.row0 ? "–" + std::to_string(b.row1 + 1) : std::string()) +
                                    " 行）的边界；请让合并区域完全在块内或完全在块外。");
        }

    for (int r = 0; r < g.rowCount(); ++r)
        for (int c = 0; c < g.columns; ++c) {
            GridCell& cell = g.rows[std::size_t(r)][std::size_t(c)];
            if (cell.kind != GridCell::Kind::Text || cell.text.find("{{") == std::string::npos) continue;
            CellSpec& cs = spec.cells[std::size_t(r)][std::size_t(c)];
            cs.merge = takeMergeFilter(cell.text);
            cs.onlyField = onlyField(cell.text);
            try {
                cs.text = TextTemplate::parse(cell.text, spec.where(r, c), 1);
            } catch (const TemplateError& e) {
                throw TemplateError(spec.tidy(e.what()));
            }
        }
    return spec;
}

class Filler {
public:
    Filler(const Spec& spec, const Value& data) : spec_(spec), data_(data) {}

    Grid run() {
        plan();
        const Grid& t = spec_.grid;
        Grid out;
        out.sheetName = t.sheetName;
        out.columns = t.columns;
        out.columnWidths = t.columnWidths;
        out.styles = t.styles;
        out.print = t.print;
        for (std::size_t o = 0; o < rows_.size(); ++o) {
            const OutRow& row = rows_[o];
            out.rows.push_back(t.rows[std::size_t(row.templateRow)]);
            out.rowHeights.push_back(t.rowHeights[std::size_t(row.templateRow)]);
            for (int c = 0; c < t.columns; ++c) fillCell(out.rows.back()[std::size_t(c)], int(o), c);
        }
        mapMerges(out);
        mergeEqual(out);
        if (t.print.titleRow0 >= 0) {
            const auto r0 = mapRow(t.print.titleRow0, RefEnd::First, -1, 0);
            const auto r1 = mapRow(t.print.titleRow1, RefEnd::Last, -1, 0);
            out.print.titleRow0 = r0 && r1 ? *r0 : -1;
            out.print.titleRow1 = r0 && r1 ? *r1 : -1;
        }
        computeFormulas(out);
        return out;
    }

private:
    void plan() {
        const Grid& t = spec_.grid;
        base_ = {&data_};
        firstOut_.assign(spec_.blocks.size(), 0);
        counts_.assign(spec_.blocks.size(), 0);
        for (int r = 0; r < t.rowCount();) {
            const int b = spec_.blockAt(r);
            if (b < 0) {
                rows_.push_back(OutRow{r, -1, 0, base_});
                ++r;
                continue;
            }
            const BlockSpec& block = spec_.blocks[std::size_t(b)];
            const Value& list = listOf(block);
            firstOut_[std::size_t(b)] = int(rows_.size());
            const auto& items = list.items();
            counts_[std::size_t(b)] = int(items.size());
            for (std::size_t i = 0; i < items.size(); ++i) {
                Value& loop = loops_.emplace_back(Value::map());
                loop.set("@index", Value(model::Decimal::fromInt(std::int64_t(i) + 1)));
                loop.set("@first", Value(i == 0));
                loop.set("@last", Value(i + 1 == items.size()));
                std::vector<const Value*> scopes = base_;
                scopes.push_back(&loop);
                scopes.push_back(&items[i]);
                for (int k = block.row0; k <= block.row1; ++k) rows_.push_back(OutRow{k, b, int(i), scopes});
            }
            r = block.row1 + 1;
        }
    }

    const Value& listOf(const BlockSpec& block) {
        static const Value empty = Value::list();
        const std::string where = block.where;
        const Value* v = nullptr;
        try {
            v = &resolvePath(base_, block.list, where, 1);
        } catch (const TemplateError& e) {
            throw TemplateError(spec_.tidy(e.what()));
        }
        if (v->isNull()) return empty;
        if (v->kind() != Value::Kind::List)
            throw TemplateError(where + "：" + model::quoted(block.list) + "不是列表，不能用于 {{#each}}。");
        return *v;
    }

    /// The row of the filled grid for template row `tr`, seen from a formula in block `fromBlock`'s
    /// item `fromItem`; nothing when the row's block was repeated zero times.
    std::optional<int> mapRow(int tr, RefEnd end, int fromBlock, int fromItem) const {
        int shift = 0;
        for (std::size_t b = 0; b < spec_.blocks.size(); ++b) {
            const BlockSpec& block = spec_.blocks[b];
            const int len = block.row1 - block.row0 + 1;
            const int n = counts_[b];
            if (tr > block.row1) {
                shift += (n - 1) * len;
                continue;
            }
            if (tr < block.row0) break;
            if (n == 0) return std::nullopt;
            const int item = int(b) == fromBlock && end == RefEnd::Single ? fromItem : end == RefEnd::Last ? n - 1 : 0;
            return firstOut_[b] + item * len + (tr - block.row0);
        }
        return tr + shift;
    }

    void fillCell(GridCell& cell, int outRow, int column) {
        const OutRow& row = rows_[std::size_t(outRow)];
        if (!cell.formula.empty()) {
            cell.formula = rewriteRows(cell.formula, [&](int tr, RefEnd end) { return mapRow(tr, end, row.block, row.item); });
            return;
        }
        const CellSpec& cs = spec_.cells[std::size_t(row.templateRow)][std::size_t(column)];
        if (!cs.text) return;
        try {
            if (!cs.onlyField.empty()) {
                const Value& v = resolvePath(row.scopes, cs.onlyField, spec_.where(row.templateRow, column), 1);
                if (v.kind() == Value::Kind::Number) {
                    cell.kind = GridCell::Kind::Number;
                    cell.number = v.asNumber();
                    cell.text.clear();
                    return;
                }
            }
            cell.text = cs.text->render(row.scopes);
        } catch (const TemplateError& e) {
            throw TemplateError(spec_.tidy(e.what()));
        }
        cell.kind = cell.text.empty() ? GridCell::Kind::Empty : GridCell::Kind::Text;
    }

    void mapMerges(Grid& out) const {
        for (const GridMerge& m : spec_.grid.merges) {
            const int b = spec_.blockAt(m.row0);
            if (b < 0) {
                const auto r0 = mapRow(m.row0, RefEnd::First, -1, 0);
                const auto r1 = mapRow(m.row1, RefEnd::Last, -1, 0);
                if (r0 && r1) out.merges.push_back(GridMerge{*r0, m.col0, *r1, m.col1});
                continue;
            }
            const BlockSpec& block = spec_.blocks[std::size_t(b)];
            const int len = block.row1 - block.row0 + 1;
            for (int i = 0; i < counts_[std::size_t(b)]; ++i) {
                const int r0 = firstOut_[std::size_t(b)] + i * len + (m.row0 - block.row0);
                out.merges.push_back(GridMerge{r0, m.col0, r0 + (m.row1 - m.row0), m.col1});
            }
        }
    }

    static std::string shownValue(const GridCell& c) {
        return c.kind == GridCell::Kind::Number ? c.number.toString() : c.kind == GridCell::Kind::Empty ? std::string() : c.text;
    }

    /// `|merge` columns: runs of equal values down a block's copies of one template row merge.
    void mergeEqual(Grid& out) const {
        for (std::size_t b = 0; b < spec_.blocks.size(); ++b) {
            const BlockSpec& block = spec_.blocks[b];
            const int len = block.row1 - block.row0 + 1;
            const int n = counts_[b];
            for (int k = block.row0; k <= block.row1; ++k) {
                // Runs are cut where a merged column to the left starts a new run.
                std::vector<char> cut(std::size_t(n), 0);
                for (int c = 0; c < out.columns; ++c) {
                    if (!spec_.cells[std::size_t(k)][std::size_t(c)].merge) continue;
                    int width = 1;
                    for (const GridMerge& m : spec_.grid.merges)
                        if (m.row0 == k && m.row1 == k && m.col0 == c) width = m.col1 - m.col0 + 1;
                    int start = 0;
                    for (int i = 1; i <= n; ++i) {
                        const int prev = firstOut_[b] + (i - 1) * len + (k - block.row0);
                        const int here = firstOut_[b] + i * len + (k - block.row0);
                        const bool same = i < n && !cut[std::size_t(i)] &&
                                          shownValue(out.rows[std::size_t(here)][std::size_t(c)]) ==
                                              shownValue(out.rows[std::size_t(prev)][std::size_t(c)]);
                        if (same) continue;
                        if (i - start > 1) mergeRun(out, firstOut_[b] + start * len + (k - block.row0), prev, c, c + width - 1, len);
                        if (i < n) cut[std::size_t(i)] = 1;
                        start = i;
                    }
                }
            }
        }
    }

    static void mergeRun(Grid& out, int top, int bottom, int c0, int c1, int step) {
        if (step != 1) return;  // copies of a multi-row block are not adjacent
        out.merges.erase(
            std::remove_if(out.merges.begin(), out.merges.end(),
                           [&](const GridMerge& m) { return m.row0 >= top && m.row1 <= bottom && m.col0 >= c0 && m.col1 <= c1; }),
            out.merges.end());
        for (int r = top + 1; r <= bottom; ++r)
            for (int c = c0; c <= c1; ++c) {
                GridCell& cell = out.rows[std::size_t(r)][std::size_t(c)];
                cell.kind = GridCell::Kind::Empty;
                cell.text.clear();
            }
        out.merges.push_back(GridMerge{top, c0, bottom, c1});
    }

    const Spec& spec_;
    const Value& data_;
    std::vector<const Value*> base_;
    std::deque<Value> loops_;
    std::vector<OutRow> rows_;
    std::vector<int> firstOut_;
    std::vector<int> counts_;
};

}  // namespace

ExcelForm ExcelForm::parse(const std::string& bytes, const std::string& shown) {
    Grid grid;
    try {
        grid = readGrid(bytes, shown);
    } catch (const GridReadError& e) {
        throw TemplateError(e.what());
    }
    ExcelForm form;
    form.spec_ = std::make_shared<const Spec>(compile(std::move(grid), shown));
    return form;
}

ExcelForm ExcelForm::load(const std::string& path, const std::string& shown) {
    std::string bytes;
    if (model::readFile(path, bytes) != 0) throw TemplateError(shown + "：无法打开文件，请确认它存在且可读。");
    return parse(bytes, shown);
}

Grid ExcelForm::fill(const Value& data) const { return Filler(*spec_, data).run(); }

std::vector<std::string> ExcelForm::check(const Value& data) const {
    std::vector<std::string> problems;
    try {
        fill(data);  // lists that are no lists, and every field on the path the data takes
    } catch (const TemplateError& e) {
        problems.push_back(e.what());
        return problems;
    }
    const Spec& spec = *spec_;
    const Grid& t = spec.grid;
    // Every branch of every cell, a block's cells against its list's first item.
    std::vector<std::vector<const Value*>> scopes(spec.blocks.size() + 1, std::vector<const Value*>{&data});
    std::deque<Value> loops;
    for (std::size_t b = 0; b < spec.blocks.size(); ++b) {
        const Value& list = resolvePath({&data}, spec.blocks[b].list, spec.blocks[b].where, 1);
        if (list.kind() != Value::Kind::List || list.items().empty()) continue;
        Value& loop = loops.emplace_back(Value::map());
        loop.set("@index", Value(model::Decimal::fromInt(1)));
        loop.set("@first", Value(true));
        loop.set("@last", Value(list.items().size() == 1));
        scopes[b + 1].push_back(&loop);
        scopes[b + 1].push_back(&list.items().front());
    }
    for (int r = 0; r < t.rowCount(); ++r)
        for (int c = 0; c < t.columns; ++c) {
            const CellSpec& cs = spec.cells[std::size_t(r)][std::size_t(c)];
            if (cs.text) {
                try {
                    cs.text->check(scopes[std::size_t(spec.blockAt(r) + 1)]);
                } catch (const TemplateError& e) {
                    problems.push_back(spec.tidy(e.what()));
                }
            }
            const std::string& f = t.rows[std::size_t(r)][std::size_t(c)].formula;
            if (f.empty()) continue;
            const std::string unknown = unknownFunction(f);
            if (!unknown.empty())
                problems.push_back(spec.where(r, c) + "：公式中的函数" + model::quoted(unknown) +
                                   "无法计算缓存值（支持 SUM、MIN、MAX、AVERAGE、COUNT、COUNTA、ROUND、ROUNDUP、"
                                   "ROUNDDOWN、INT、ABS、IF、IFERROR、AND、OR、NOT），请改用这些函数。");
        }
    return problems;
}

const Grid& ExcelForm::templateGrid() const { return spec_->grid; }

std::vector<std::string> checkExcelForm(const std::string& xlsxPath, const std::string& shown, const Value& sample) {
    try {
        return ExcelForm::load(xlsxPath, shown).check(sample);
    } catch (const TemplateError& e) {
        return {e.what()};
    }
}

}  // namespace jixiao::layout
