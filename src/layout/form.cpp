#include "layout/form.h"

#include "layout/form_spec.h"
#include "model/text.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>
#include <sstream>

namespace jixiao::layout {

using Scopes = std::vector<const Value*>;

namespace {

/// A snippet's output: paragraphs split at blank lines; a paragraph starting with "#"
/// is a heading of that many levels ("## （一）资金情况").
void textFile(const std::string& text, const BlockSpec& b, std::vector<Block>& out) {
    std::vector<std::string> paragraphs;
    std::string cur;
    std::istringstream in(text);
    std::string line;
    auto flush = [&] {
        auto s = cur.find_first_not_of(" \n");
        if (s != std::string::npos) {
            auto e = cur.find_last_not_of(" \n");
            paragraphs.push_back(cur.substr(s, e - s + 1));
        }
        cur.clear();
    };
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) {
            flush();
            continue;
        }
        if (!line.empty() && line.back() == '\r') line.pop_back();
        cur += (cur.empty() ? "" : "\n") + line;
    }
    flush();
    for (auto& p : paragraphs) {
        if (p[0] == '#') {
            int level = int(p.find_first_not_of('#'));
            Heading h;
            h.level = level;
            h.text = p.substr(std::size_t(level));
            h.text.erase(0, h.text.find_first_not_of(' '));
            // As in official documents (GB/T 9704): headings keep the body size and indent,
            // 一、 in the heading (黑体-like) face, （一） in 楷体, deeper levels in the body face.
            h.style = TextStyle{level == 1 ? FontRole::Heading : level == 2 ? FontRole::Kai : b.style.role, b.style.sizePt, false};
            h.format = ParagraphFormat{Align::Left, b.format.firstLineIndentChars, b.format.lineSpacing, 0.0, 0.0};
            out.push_back(std::move(h));
        } else {
            // Line breaks inside a paragraph of a snippet are soft: the text reflows.
            p.erase(std::remove(p.begin(), p.end(), '\n'), p.end());
            out.push_back(Paragraph::plain(p, b.style, b.format));
        }
    }
}

/// Builds blocks and rows from specs for one data tree.
class Builder {
public:
    Builder(const FormTemplate::Spec& spec, Scopes scopes) : spec_(spec), scopes_(std::move(scopes)) {}

    void blocks(const std::vector<BlockSpec>& specs, std::vector<Block>& out) {
        for (const auto& b : specs) block(b, out);
    }

    /// The sheets of one sheet entry: one, or one per item of its `each` list. A sheet that
    /// can be handed over in parts (inParts) is, so that its rows are never held together.
    void sheets(const SheetSpec& s, const Document& page, WorkbookSink& out) {
        const bool parts = inParts(s.blocks);
        auto one = [&] {
            Sheet sheet;
            sheet.name = render(s.name);
            sheet.flow.page = page.page;
            sheet.flow.headerFooter = page.headerFooter;
            sheet.autofilter = s.autofilter;
            sheet.freezeRows = s.freezeRows;
            for (const auto& c : s.charts) {
                Chart chart;
                chart.type = c.type;
                chart.title = render(c.title);
                chart.categories = render(c.categories);
                for (const auto& [name, values] : c.series) chart.series.push_back({render(name), render(values)});
                sheet.charts.push_back(std::move(chart));
            }
            if (parts) {
                sheetInParts(s.blocks, std::move(sheet), out);
                return;
            }
            blocks(s.blocks, sheet.flow.blocks);
            out.sheet(std::move(sheet));
        };
        if (s.each.empty()) one();
        else forEach(s.each, spec_.file, s.line, one);
    }

private:
    /// Where each row and cell of a table being built came from, kept only to explain a
    /// table whose cells do not fit its columns.
    struct Tracking {
        std::vector<const RowSpec*> rows;
        std::vector<std::vector<const CellSpec*>> cells;
    };

    /// Rows of a table handed to the sink together (WorkbookSink::tableRows).
    static constexpr std::size_t kRowsPerPart = 256;

    /// True when a sheet of these blocks can be handed over in parts: its tables all at the
    /// top of the flow (their column widths, which make the sheet's grid, are known before any
    /// row), no formula (it may name a cell further down) and no merged column (equal
    /// neighbours are found only in the whole list).
    static bool inParts(const std::vector<BlockSpec>& specs) {
        for (const auto& b : specs) {
            if (b.kind == BlockSpec::Kind::Table ? !rowsInParts(b.rows) : holdsTable(b)) return false;
        }
        return true;
    }
    static bool holdsTable(const BlockSpec& b) {
        if (b.kind == BlockSpec::Kind::Table) return true;
        for (const auto* list : {&b.blocks, &b.elseBlocks})
            for (const auto& x : *list)
                if (holdsTable(x)) return true;
        if (b.include)
            for (const auto& x : b.include->blocks)
                if (holdsTable(x)) return true;
        return false;
    }
    static bool rowsInParts(const std::vector<RowSpec>& specs) {
        for (const auto& r : specs) {
            if (!r.merge.empty() || !rowsInParts(r.rows) || !rowsInParts(r.elseRows)) return false;
            for (const auto& c : r.cells)
                if (c.formula) return false;
        }
        return true;
    }

    /// A table being handed over in parts: the rows made since the last part, where each came
    /// from (for shape messages), and the last row a rowspan reaches.
    struct Part {
        const BlockSpec* spec = nullptr;
        WorkbookSink* out = nullptr;
        Table table;  // headerRows only in the first part
        bool first = true;
        int reach = -1;
        Tracking tracking;
    };

    /// One sheet in parts: the blocks before a table together, each table in runs of rows.
    void sheetInParts(const std::vector<BlockSpec>& specs, Sheet&& head, WorkbookSink& out) {
        std::vector<Table> tables;
        for (const auto& b : specs)
            if (b.kind == BlockSpec::Kind::Table) tables.push_back(b.table);
        out.beginSheet(std::move(head), std::move(tables));
        std::vector<Block> pending;
        for (const auto& b : specs) {
            if (b.kind != BlockSpec::Kind::Table) {
                block(b, pending);
                continue;
            }
            if (!pending.empty()) out.blocks(std::move(pending));
            pending.clear();
            Part part;
            part.spec = &b;
            part.out = &out;
            part.table = b.table;
            part_ = &part;
            track_ = &part.tracking;
            for (const auto& r : b.rows) rows(r, part.table.rows);
            track_ = nullptr;
            part_ = nullptr;
            if (part.first || !part.table.rows.empty()) handOver(part);
        }
        if (!pending.empty()) out.blocks(std::move(pending));
        out.endSheet();
    }

    /// After a row was added to the part: hands the part over once it is long enough and no
    /// rowspan reaches past its last row.
    void rowAdded() {
        Part& p = *part_;
        const int at = int(p.table.rows.size()) - 1;
        for (const Cell& c : p.table.rows.back().cells) p.reach = std::max(p.reach, at + c.rowspan - 1);
        if (p.table.rows.size() >= kRowsPerPart && p.reach <= at && at + 1 >= p.table.headerRows) handOver(p);
    }

    void handOver(Part& p) {
        try {
            placeCells(p.table);
        } catch (const TableShapeError& e) {
            throw TemplateError(shapeMessage(e, p.table, p.tracking));
        }
        if (p.first) {
            std::vector<Block> start;
            start.push_back(std::move(p.table));
            p.out->blocks(std::move(start));
        } else {
            p.out->tableRows(std::move(p.table.rows));
        }
        p.first = false;
        p.table = p.spec->table;
        p.table.headerRows = 0;
        p.reach = -1;
        p.tracking = Tracking{};
    }

    std::string render(const TextTemplate& t) const { return t.render(scopes_); }
    bool test(const TextTemplate& cond) const { return render(cond) == "1"; }

    template <class Fn>
    void forEach(const std::string& path, const std::string& file, int line, Fn&& fn) {
        const Value& list = resolvePath(scopes_, path, file, line);
        if (list.isNull()) return;
        if (list.kind() != Value::Kind::List)
            throw TemplateError(file + ":" + std::to_string(line) + ": " + model::quoted(path) + "不是列表，不能用于 each。");
        const std::size_t count = list.size();
        LoopVariables loop;
        list.forEachItem([&](const Value& item, std::size_t i) {
            loop.at(i, count);
            scopes_.push_back(&loop.scope);
            scopes_.push_back(&item);
            fn();
            scopes_.pop_back();
            scopes_.pop_back();
        });
    }

    void block(const BlockSpec& b, std::vector<Block>& out) {
        switch (b.kind) {
        case BlockSpec::Kind::Heading: {
            Heading h;
            h.level = b.level;
            h.text = render(b.text);
            h.bookmark = b.bookmark;
            h.balanced = b.balanced;
            h.style = b.style;
            h.format = b.format;
            if (!h.text.empty()) out.push_back(std::move(h));
            break;
        }
        case BlockSpec::Kind::Paragraph: out.push_back(Paragraph::plain(render(b.text), b.style, b.format)); break;
        case BlockSpec::Kind::TextFile: textFile(render(b.text), b, out); break;
        case BlockSpec::Kind::Table: {
            Table t = b.table;
            for (const auto& r : b.rows) rows(r, t.rows);
            checkShape(b, t);
            out.push_back(std::move(t));
            break;
        }
        case BlockSpec::Kind::Spacer: out.push_back(Spacer{b.spacer}); break;
        case BlockSpec::Kind::PageBreak: out.push_back(PageBreak{}); break;
        case BlockSpec::Kind::Signature: {
            Signature s;
            for (const auto& l : b.lines) s.lines.push_back(render(l));
            s.style = b.style;
            out.push_back(std::move(s));
            break;
        }
        case BlockSpec::Kind::Each: forEach(b.path, spec_.file, b.line, [&] { blocks(b.blocks, out); }); break;
        case BlockSpec::Kind::If: blocks(test(*b.condition) ? b.blocks : b.elseBlocks, out); break;
        case BlockSpec::Kind::Attachments: {
            AttachmentNote n;
            n.label = render(b.label);
            n.style = b.style;
            n.format = b.format;
            forEach(b.path, spec_.file, b.line, [&] { n.names.push_back(render(b.text)); });
            if (!n.names.empty()) out.push_back(std::move(n));
            break;
        }
        case BlockSpec::Kind::Include: {
            Builder inner(*b.include, scopes_);
            inner.blocks(b.include->blocks, out);
            break;
        }
        }
    }

    void rows(const RowSpec& r, std::vector<TableRow>& out) {
        switch (r.kind) {
        case RowSpec::Kind::Cells: {
            TableRow row;
            row.minHeightMm = r.minHeight;
            row.cells.reserve(r.cells.size());
            for (const auto& c : r.cells) row.cells.push_back(cell(c));
            out.push_back(std::move(row));
            if (track_) {
                track_->rows.push_back(&r);
                track_->cells.emplace_back();
                for (const auto& c : r.cells) track_->cells.back().push_back(&c);
            }
            if (part_) rowAdded();
            break;
        }
        case RowSpec::Kind::If:
            for (const auto& x : test(*r.condition) ? r.rows : r.elseRows) rows(x, out);
            break;
        case RowSpec::Kind::Each: {
            std::size_t first = out.size();
            forEach(r.path, spec_.file, r.line, [&] {
                for (const auto& x : r.rows) rows(x, out);
            });
            merge(out, first, r.merge, track_);
            break;
        }
        }
    }

    /// Merges equal neighbours down the listed columns of the rows from `first` on; a column's
    /// runs never cross the runs of the columns before it (二级 within 一级).
    static void merge(std::vector<TableRow>& rows, std::size_t first, const std::vector<int>& columns, Tracking* track) {
        if (columns.empty() || rows.size() <= first) return;
        std::vector<std::size_t> runStart(rows.size(), first);
        std::vector<bool> boundary(rows.size(), false);
        boundary[first] = true;
        std::vector<std::vector<bool>> removed(rows.size(), std::vector<bool>(columns.size(), false));
        for (std::size_t m = 0; m < columns.size(); ++m) {
            int col = columns[m];
            std::size_t start = first;
            for (std::size_t i = first + 1; i <= rows.size(); ++i) {
                bool end = i == rows.size() || boundary[i] || textAt(rows[i], col) != textAt(rows[start], col);
                if (!end) continue;
                if (i - start > 1) {
                    if (Cell* c = cellAt(rows[start], col)) c->rowspan = int(i - start);
                    for (std::size_t k = start + 1; k < i; ++k) removed[k][m] = true;
                }
                if (i < rows.size()) boundary[i] = true;
                start = i;
            }
        }
        for (std::size_t i = first; i < rows.size(); ++i)
            for (std::size_t m = columns.size(); m-- > 0;)
                if (removed[i][m] && std::size_t(columns[m]) < rows[i].cells.size()) {
                    rows[i].cells.erase(rows[i].cells.begin() + columns[m]);
                    if (track) track->cells[i].erase(track->cells[i].begin() + columns[m]);
                }
    }

    /// Throws TemplateError naming the layout.json line and column of the first cell that
    /// does not fit the table `b` built as `t` (too many cells, a span past the edge, a hole).
    void checkShape(const BlockSpec& b, const Table& t) {
        try {
            placeCells(t);
        } catch (const TableShapeError& e) {
            Tracking tracking;  // the table again, now noting where each cell came from
            Table again = b.table;
            track_ = &tracking;
            for (const auto& r : b.rows) rows(r, again.rows);
            track_ = nullptr;
            throw TemplateError(shapeMessage(e, t, tracking));
        }
    }

    std::string shapeMessage(const TableShapeError& e, const Table& t, const Tracking& tracking) const {
        using P = TableShapeError::Problem;
        const auto row = std::size_t(e.row);
        SourceAt at = row < tracking.rows.size() ? tracking.rows[row]->at : SourceAt{};
        const CellSpec* cell = nullptr;
        if (e.cell >= 0 && row < tracking.cells.size() && std::size_t(e.cell) < tracking.cells[row].size()) {
            cell = tracking.cells[row][std::size_t(e.cell)];
            at = cell->at;
        }
        const std::string columns = std::to_string(t.columnWidths.size());
        const std::string where = spec_.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
        const std::string tableSize = "表格共 " + columns + " 列（columns 中有 " + columns + " 个列宽）";
        const int left = int(t.columnWidths.size()) - e.column;
        const int rowsLeft = int(t.rows.size()) - e.row;
        switch (e.problem) {
        case P::TooManyCells:
            return where + "这一行的单元格超出了表格的列数：" + tableSize +
                   "，排到这个单元格时已没有空列。请删去多余的单元格或减小 colspan，或在 columns 中增加列宽。";
        case P::ColspanPastEnd:
            return where + "colspan 为 " + std::to_string(cell ? cell->colspan : 0) + "，从第 " + std::to_string(e.column + 1) +
                   " 列起超出了表格的最后一列：" + tableSize + "。请把 colspan 改为 " + std::to_string(left) + " 或更小。";
        case P::RowspanPastEnd:
            return where + "rowspan 为 " + std::to_string(cell ? cell->rowspan : 0) + "，超出了表格的最后一行（从这一行起只有 " +
                   std::to_string(rowsLeft) + " 行）。请把 rowspan 改为 " + std::to_string(rowsLeft) + " 或更小。";
        case P::HeaderSpan:
            return where + "表头行（header_rows 为 " + std::to_string(t.headerRows) + "）的单元格不能用 rowspan 向下合并到表体。";
        case P::Overlap:
            return where +
                   "这个单元格与上面的行中用 rowspan 向下合并的单元格重叠。请删去这一行中被合并占用位置的单元格，或减小上面的 rowspan。";
        case P::Hole:
            return where + "这一行没有占满表格的列：第 " + std::to_string(e.column + 1) + " 列没有单元格（" + tableSize +
                   "）。请补一个单元格（空白可写 \"\"）或加大 colspan。";
        case P::BadSpan: break;
        }
        return where + "colspan 和 rowspan 应至少为 1。";
    }
    static Cell* cellAt(TableRow& row, int col) { return std::size_t(col) < row.cells.size() ? &row.cells[std::size_t(col)] : nullptr; }
    static std::string textAt(TableRow& row, int col) {
        Cell* c = cellAt(row, col);
        return c ? c->text : std::string();
    }

    Cell cell(const CellSpec& s) {
        Cell c;
        c.colspan = s.colspan;
        c.rowspan = s.rowspan;
        c.align = s.align;
        c.bold = s.bold;
        c.role = s.role;
        c.sizePt = s.size;
        if (!s.valuePath.empty()) {
            const Value& v = resolvePath(scopes_, s.valuePath, spec_.file, s.line);
            c.number = true;
            if (v.kind() == Value::Kind::Number) {
                c.value = v.asNumber();
                c.text = *formatNumber(v.asNumber(), s.format.filter, s.format.places);
                c.numberFormat = s.format.xlsx();
            } else if (v.isNull()) {
                c.text = s.empty;
                c.align = c.align == Align::Auto ? Align::Center : c.align;
            } else {
                throw TemplateError(spec_.file + ":" + std::to_string(s.line) + ": " + model::quoted(s.valuePath) + "不是数字，实际为" +
                                    model::quoted(v.toText()) + "；文字请用 text。");
            }
        }
        if (s.hasText) c.text = render(s.text);
        if (s.formula && c.value) c.formula = render(*s.formula);
        if (s.id) c.id = render(*s.id);
        return c;
    }

    const FormTemplate::Spec& spec_;
    Scopes scopes_;
    Tracking* track_ = nullptr;
    Part* part_ = nullptr;  // the table being handed over in parts
};

}  // namespace

std::string TemplateFolders::find(const std::string& relative) const {
    for (const std::string* dir : {&user, &bundled})
        if (!dir->empty() && Poco::File(Poco::Path(*dir).append(relative)).exists()) return Poco::Path(*dir).append(relative).toString();
    return Poco::Path(user.empty() ? bundled : user).append(relative).toString();
}

FormTemplate FormTemplate::load(const std::string& templatesDir, const std::string& name) {
    return load(TemplateFolders{templatesDir, ""}, name);
}

FormTemplate FormTemplate::load(const TemplateFolders& folders, const std::string& name) {
    FormTemplate t;
    t.spec_ = readSpec(folders, name);
    return t;
}

namespace {

/// Names every field a template uses against a sample record, in every branch: the text of
/// each block, row and cell, each lists (their bodies against the first item), if conditions.
class Checker {
public:
    Checker(Scopes scopes, std::string file) : scopes_(std::move(scopes)), file_(std::move(file)) {}

    void frame(const FormTemplate::Spec& s) {
        for (const TextTemplate* t : {&s.title, &s.subject, &s.keywords, &s.headerText, &s.watermark, &s.colophonFormat}) text(*t);
        if (s.letterheadText) {
            text(s.letterheadText->first);
            text(s.letterheadText->second);
        }
        for (const auto& [left, right] : s.colophon) {
            text(left);
            text(right);
        }
        blocks(s.blocks);
        for (const auto& sheet : s.sheets) {
            eachOrOnce(sheet.each, s.file, sheet.line, [&] {
                text(sheet.name);
                blocks(sheet.blocks);
                for (const auto& c : sheet.charts) {
                    text(c.title);
                    text(c.categories);
                    for (const auto& [name, values] : c.series) {
                        text(name);
                        text(values);
                    }
                }
            });
        }
    }

private:
    void text(const TextTemplate& t) { t.check(scopes_); }

    /// Runs `fn` with the first item of `path` in scope (once without one when `path` is
    /// empty; not at all when the sample's list is empty).
    template <class Fn>
    void eachOrOnce(const std::string& path, const std::string& file, int line, Fn&& fn) {
        if (path.empty()) {
            fn();
            return;
        }
        const Value& list = resolvePath(scopes_, path, file, line);
        if (list.isNull()) return;
        if (list.kind() != Value::Kind::List)
            throw TemplateError(file + ":" + std::to_string(line) + ": " + model::quoted(path) + "不是列表，不能用于 each。");
        if (list.items().empty()) return;
        Value loop = Value::map();
        loop.set("@index", Value(model::Decimal::fromInt(1)));
        loop.set("@first", Value(true));
        loop.set("@last", Value(true));
        scopes_.push_back(&loop);
        scopes_.push_back(&list.items().front());
        fn();
        scopes_.pop_back();
        scopes_.pop_back();
    }

    void blocks(const std::vector<BlockSpec>& specs) {
        for (const auto& b : specs) block(b);
    }

    void block(const BlockSpec& b) {
        text(b.label);
        for (const auto& l : b.lines) text(l);
        if (b.condition) text(*b.condition);
        auto body = [&] {
            text(b.text);
            blocks(b.blocks);
            for (const auto& r : b.rows) row(r);
        };
        if (b.kind == BlockSpec::Kind::Each || b.kind == BlockSpec::Kind::Attachments) eachOrOnce(b.path, file_, b.line, body);
        else body();
        blocks(b.elseBlocks);
        if (b.include) Checker(scopes_, b.include->file).blocks(b.include->blocks);
    }

    void row(const RowSpec& r) {
        if (r.condition) text(*r.condition);
        auto body = [&] {
            for (const auto& c : r.cells) cell(c);
            for (const auto& x : r.rows) row(x);
        };
        if (r.kind == RowSpec::Kind::Each) eachOrOnce(r.path, file_, r.line, body);
        else body();
        for (const auto& x : r.elseRows) row(x);
    }

    void cell(const CellSpec& c) {
        text(c.text);
        if (!c.valuePath.empty()) resolvePath(scopes_, c.valuePath, file_, c.line);
        if (c.formula) text(*c.formula);
        if (c.id) text(*c.id);
    }

    Scopes scopes_;
    std::string file_;
};

}  // namespace

void FormTemplate::check(const Value& sample) const {
    Checker(Scopes{&sample}, spec_->file).frame(*spec_);
    // The sample built as a real record would be: each list once, the shape of every table.
    if (isWorkbook()) buildWorkbook(sample, FixedDate{});
    else build(sample, FixedDate{});
}

namespace {
Document frame(const FormTemplate::Spec& spec, const Scopes& scopes, const Value& data, const FixedDate& created) {
    Document doc;
    doc.meta.title = spec.title.render(scopes);
    doc.meta.subject = spec.subject.render(scopes);
    doc.meta.keywords = spec.keywords.render(scopes);
    if (const Value* a = data.get("authority")) doc.meta.author = a->toText();
    doc.meta.created = created;
    doc.page = spec.page;
    doc.headerFooter = spec.headerFooter;
    doc.headerFooter.headerText = spec.headerText.render(scopes);
    doc.watermark = spec.watermark.render(scopes);
    if (spec.letterheadText) {
        Letterhead lh = spec.letterhead;
        lh.mark = spec.letterheadText->first.render(scopes);
        lh.printed = lh.mark != "none";
        if (!lh.printed) lh.mark.clear();
        lh.number = spec.letterheadText->second.render(scopes);
        doc.letterhead = std::move(lh);
    }
    Colophon colophon;
    for (const auto& [left, right] : spec.colophon) {
        ColophonLine line{left.render(scopes), right.render(scopes)};
        if (!line.left.empty() || !line.right.empty()) colophon.lines.push_back(std::move(line));
    }
    colophon.rules = spec.colophonFormat.render(scopes) != "信函";
    if (!colophon.lines.empty()) doc.colophon = std::move(colophon);
    return doc;
}
}  // namespace

namespace {

/// The fixed running text of blocks in every branch (FormTemplate::fixedText).
class FixedText {
public:
    explicit FixedText(std::vector<Block>& out) : out_(out) {}

    void blocks(const std::vector<BlockSpec>& specs) {
        for (const auto& b : specs) block(b);
    }

private:
    void block(const BlockSpec& b) {
        switch (b.kind) {
        case BlockSpec::Kind::Paragraph: {
            std::string text = b.text.fixedText();
            if (!text.empty()) out_.push_back(Paragraph::plain(std::move(text), b.style));
            break;
        }
        case BlockSpec::Kind::TextFile: textFile(b.text.fixedText(), b, out_); break;
        case BlockSpec::Kind::Each: blocks(b.blocks); break;
        case BlockSpec::Kind::Include: blocks(b.include->blocks); break;
        default: break;  // whole blocks under a condition (notes few records have), headings, tables, signatures
        }
    }

    std::vector<Block>& out_;
};

}  // namespace

std::vector<Block> FormTemplate::fixedText() const {
    if (isWorkbook()) throw TemplateError(spec_->file + ": 这是工作簿模板（sheets），不是文档模板（blocks）。");
    std::vector<Block> out;
    FixedText(out).blocks(spec_->blocks);
    return out;
}

bool FormTemplate::isWorkbook() const { return !spec_->sheets.empty(); }

Workbook FormTemplate::buildWorkbook(const Value& data, const FixedDate& created) const {
    struct Collect : WorkbookSink {
        Workbook book;
        void properties(const Metadata& meta) override { book.meta = meta; }
        void sheet(Sheet&& sheet) override { book.sheets.push_back(std::move(sheet)); }
    } collect;
    buildWorkbook(data, created, collect);
    return std::move(collect.book);
}

void FormTemplate::buildWorkbook(const Value& data, const FixedDate& created, WorkbookSink& sink) const {
    if (!isWorkbook()) throw TemplateError(spec_->file + ": 这是文档模板（blocks），不是工作簿模板（sheets）。");
    Scopes scopes{&data};
    Document page = frame(*spec_, scopes, data, created);
    sink.properties(page.meta);
    Builder builder(*spec_, scopes);
    for (const auto& s : spec_->sheets) builder.sheets(s, page, sink);
}

Document FormTemplate::build(const Value& data, const FixedDate& created) const {
    if (isWorkbook()) throw TemplateError(spec_->file + ": 这是工作簿模板（sheets），不是文档模板（blocks）。");
    Scopes scopes{&data};
    Document doc = frame(*spec_, scopes, data, created);
    Builder(*spec_, scopes).blocks(spec_->blocks, doc.blocks);
    return doc;
}

const std::string& FormTemplate::name() const { return spec_->name; }

FixedDate fixedDate(const std::string& iso) {
    auto date = model::Date::parse(iso);
    if (!date) throw TemplateError("日期应为 YYYY-MM-DD，实际为" + model::quoted(iso) + "。");
    FixedDate d;
    d.year = date->year();
    d.month = date->month();
    d.day = date->day();
    return d;
}

}  // namespace jixiao::layout
