#include "layout/form_spec.h"

#include "model/file_read.h"
#include "model/json.h"
#include "model/text.h"

#include <Poco/NumberParser.h>
#include <Poco/Path.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace jixiao::layout {

using model::JsonValue;
using Members = std::vector<std::pair<std::string, JsonValue>>;

namespace {

std::string readFile(const std::string& path, const std::string& shown) {
    std::string text;
    if (model::readFile(path, text) != 0) throw TemplateError(shown + ": 找不到模板文件。");
    return text;
}

/// Walks a layout.json in document order, naming the line of each value in messages and
/// reporting keys it does not know.
class Reader {
public:
    Reader(std::string file, TemplateFolders folders, std::set<std::string>& loading)
        : file_(std::move(file)), folders_(std::move(folders)), loading_(loading) {}

    [[noreturn]] void fail(int line, const std::string& message) const {
        throw TemplateError(file_ + ":" + std::to_string(line) + ": " + message);
    }

    /// The members of an object in file order, each key checked against `known`.
    const Members& keys(const JsonValue& obj, const std::vector<std::string>& known) const {
        for (const auto& [k, v] : obj.members) {
            if (std::find(known.begin(), known.end(), k) != known.end()) continue;
            auto best = model::closestMatch(k, known);
            fail(v.line,
                 "未知的设置" + model::quoted(k) + "。" + (best ? "是否指" + model::quoted(*best) + "？" : "可用：" + join(known) + "。"));
        }
        return obj.members;
    }

    static std::string join(const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
        return s;
    }

    /// "file" and "formats" describe the form, not its body: they live in form.json only. A
    /// layout.json that still has one is refused (in runs and in check --templates alike) with
    /// the line to write into form.json, rather than read or silently dropped.
    [[noreturn]] void movedToFormJson(const std::string& key, const JsonValue& v) const {
        auto quotedJson = [](const std::string& text) {
            std::string out = "\"";
            for (char c : text) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
            return out + "\"";
        };
        std::string value = "…";
        if (v.kind == JsonValue::Kind::String) value = quotedJson(v.text);
        if (v.kind == JsonValue::Kind::Array) {
            value.clear();
            for (const auto& item : v.items)
                value += (value.empty() ? "" : ", ") + (item.kind == JsonValue::Kind::String ? quotedJson(item.text) : item.text);
            value = "[" + value + "]";
        }
        const std::string formJson = file_.substr(0, file_.rfind('/') + 1) + "form.json";
        throw TemplateError(file_ + ":" + std::to_string(v.line) + ":" + std::to_string(v.column) + ": " + model::quoted(key) + "（" +
                            (key == "file" ? "输出文件名" : "输出格式") +
                            "）已改在 form.json 中设置，layout.json 中的不再生效：请删去这一项，在 " + formJson + " 中写 \"" + key +
                            "\": " + value + "（form.json 已有" + model::quoted(key) + "时改那一行）。");
    }

    std::string text(const JsonValue& v, const std::string& key) const {
        if (v.kind != JsonValue::Kind::String) fail(v.line, model::quoted(key) + "应为文字（用双引号括起来）。");
        return v.text;
    }
    double number(const JsonValue& v, const std::string& key, double lo, double hi) const {
        if (v.kind != JsonValue::Kind::Number) fail(v.line, model::quoted(key) + "应为数字。");
        double d = toDouble(v);
        if (d < lo || d > hi) fail(v.line, model::quoted(key) + "应在" + trimmed(lo) + "到" + trimmed(hi) + "之间。");
        return d;
    }
    static double toDouble(const JsonValue& v) { return Poco::NumberParser::parseFloat(v.text); }
    static std::string trimmed(double d) {
        std::ostringstream s;
        s << d;
        return s.str();
    }
    bool flag(const JsonValue& v, const std::string& key) const {
        if (v.kind != JsonValue::Kind::Bool) fail(v.line, model::quoted(key) + "应为 true 或 false。");
        return v.boolean;
    }
    TextTemplate tmpl(const std::string& source, int line) const { return TextTemplate::parse(source, file_, line); }
    TextTemplate tmpl(const JsonValue& v, const std::string& key) const { return tmpl(text(v, key), v.line); }
    TextTemplate condition(const JsonValue& v, const std::string& key) const {
        return TextTemplate::parse("{{#if " + text(v, key) + "}}1{{/if}}", file_, v.line);
    }

    Align align(const JsonValue& v, const std::string& key) const {
        static const std::map<std::string, Align> m = {
            {"auto", Align::Auto}, {"left", Align::Left}, {"center", Align::Center}, {"right", Align::Right}, {"justify", Align::Justify}};
        std::string s = text(v, key);
        auto it = m.find(s);
        if (it == m.end()) fail(v.line, "对齐方式" + model::quoted(s) + "无法识别。可用：auto、left、center、right、justify。");
        return it->second;
    }
    FontRole role(const JsonValue& v, const std::string& key) const {
        static const std::map<std::string, FontRole> m = {
            {"xiaobiaosong", FontRole::Title}, {"hei", FontRole::Heading}, {"song", FontRole::Body},       {"kai", FontRole::Kai},
            {"fangsong", FontRole::FangSong},  {"title", FontRole::Title}, {"heading", FontRole::Heading}, {"body", FontRole::Body}};
        std::string s = text(v, key);
        auto it = m.find(s);
        if (it == m.end())
            fail(v.line, "字体角色" + model::quoted(s) +
                             "无法识别。可用：song（宋体）、fangsong（仿宋）、xiaobiaosong（小标宋）、hei（黑体）、kai（楷体）。");
        return it->second;
    }
    NumberFormat numberFormat(const JsonValue& v, const std::string& key) const {
        std::string s = text(v, key);
        NumberFormat f;
        auto colon = s.find(':');
        f.filter = s.substr(0, colon);
        if (f.filter != "percent" && f.filter != "money" && f.filter != "fixed" && f.filter != "int")
            fail(v.line, "数字格式" + model::quoted(s) + "无法识别。可用：percent、money、fixed、int，可加小数位数如 percent:2。");
        if (colon != std::string::npos) {
            std::string p = s.substr(colon + 1);
            if (p.size() != 1 || p[0] < '0' || p[0] > '8') fail(v.line, "数字格式" + model::quoted(s) + "的小数位数应为0到8。");
            f.places = p[0] - '0';
        }
        return f;
    }

    const JsonValue& object(const JsonValue& v, const std::string& what) const {
        if (v.kind != JsonValue::Kind::Object) fail(v.line, what + "应为 { … } 对象。");
        return v;
    }
    const std::vector<JsonValue>& array(const JsonValue& v, const std::string& what) const {
        if (v.kind != JsonValue::Kind::Array) fail(v.line, what + "应为 [ … ] 列表。");
        return v.items;
    }

    void styleKey(const std::string& k, const JsonValue& v, TextStyle& style) const {
        if (k == "size") style.sizePt = number(v, k, 5, 72);
        if (k == "role") style.role = role(v, k);
        if (k == "bold") style.bold = flag(v, k);
    }
    void formatKey(const std::string& k, const JsonValue& v, ParagraphFormat& format) const {
        if (k == "align") format.align = align(v, k);
        if (k == "indent") format.firstLineIndentChars = number(v, k, 0, 10);
        if (k == "line_spacing") format.lineSpacing = {LineSpacing::Mode::Multiple, number(v, k, 0.8, 4)};
        if (k == "line_spacing_pt") format.lineSpacing = {LineSpacing::Mode::Exact, number(v, k, 6, 100)};
        if (k == "space_before") format.spaceBeforePt = number(v, k, 0, 200);
        if (k == "space_after") format.spaceAfterPt = number(v, k, 0, 200);
        if (k == "grid_chars") format.gridChars = int(number(v, k, 0, 60));
    }

    std::vector<BlockSpec> blocks(const JsonValue& v, const std::string& what) {
        std::vector<BlockSpec> out;
        for (const auto& item : array(v, what)) out.push_back(block(object(item, "blocks 中的每一项")));
        return out;
    }

    BlockSpec block(const JsonValue& o) {
        static const std::vector<std::string> known = {
            "heading",      "paragraph",   "text_file",  "table",    "spacer",      "page_break",   "signature",
            "each",         "if",          "include",    "blocks",   "else",        "level",        "bookmark",
            "size",         "role",        "bold",       "align",    "indent",      "line_spacing", "line_spacing_pt",
            "space_before", "space_after", "grid_chars", "balanced", "attachments", "name"};
        BlockSpec b;
        b.kind = BlockSpec::Kind::Paragraph;
        b.line = o.line;
        bool kindSet = false;
        auto setKind = [&](BlockSpec::Kind k, int line) {
            if (kindSet)
                fail(line,
                     "一个块只能是 heading、paragraph、text_file、table、spacer、page_break、signature、each、if、include 中的一种。");
            kindSet = true;
            b.kind = k;
            b.line = line;
        };
        b.style = TextStyle{FontRole::Body, 12.0, false};
        for (const auto& [k, v] : keys(o, known)) {
            int line = v.line;
            if (k == "heading") {
                setKind(BlockSpec::Kind::Heading, line);
                b.text = tmpl(v, k);
                b.style = TextStyle{FontRole::Heading, 16.0, false};
                b.format = ParagraphFormat{Align::Left, 0.0, {}, 6.0, 6.0};
            } else if (k == "paragraph") {
                setKind(BlockSpec::Kind::Paragraph, line);
                b.text = tmpl(v, k);
            } else if (k == "text_file") {
                setKind(BlockSpec::Kind::TextFile, line);
                std::string name = text(v, k);
                if (name.find("..") != std::string::npos || name.empty() || name[0] == '/')
                    fail(line, "text_file 应为 templates 文件夹内的相对路径，实际为" + model::quoted(name) + "。");
                std::string shown = "templates/" + name;
                b.text = TextTemplate::parse(readFile(folders_.find(name), shown), shown, 1);
                b.format.firstLineIndentChars = 2;
            } else if (k == "table") {
                setKind(BlockSpec::Kind::Table, line);
                table(object(v, "table"), b);
            } else if (k == "spacer") {
                setKind(BlockSpec::Kind::Spacer, line);
                b.spacer = number(v, k, 0, 200);
            } else if (k == "page_break") {
                setKind(BlockSpec::Kind::PageBreak, line);
            } else if (k == "signature") {
                setKind(BlockSpec::Kind::Signature, line);
                for (const auto& item : array(v, "signature")) {
                    if (item.kind != JsonValue::Kind::String) fail(item.line, "signature 的每一行应为文字。");
                    b.lines.push_back(tmpl(item.text, item.line));
                }
            } else if (k == "each") {
                setKind(BlockSpec::Kind::Each, line);
                b.path = text(v, k);
            } else if (k == "if") {
                setKind(BlockSpec::Kind::If, line);
                b.condition = condition(v, k);
            } else if (k == "include") {
                setKind(BlockSpec::Kind::Include, line);
                std::string name = text(v, k);
                if (loading_.count(name)) fail(line, "include " + model::quoted(name) + "形成了循环引用。");
                try {
                    b.include = loadSpec(folders_, name, loading_);
                } catch (const TemplateError& e) {
                    fail(line, "include " + model::quoted(name) + "失败：" + e.what());
                }
            } else if (k == "blocks") {
                b.blocks = blocks(v, "blocks");
            } else if (k == "else") {
                b.elseBlocks = blocks(v, "else");
            } else if (k == "level") {
                b.level = int(number(v, k, 1, 6));
            } else if (k == "bookmark") {
                b.bookmark = flag(v, k);
            } else if (k == "balanced") {
                b.balanced = flag(v, k);
            } else if (k == "attachments") {
                setKind(BlockSpec::Kind::Attachments, line);
                b.path = text(v, k);
                b.label = tmpl("附件：", line);
                b.style = TextStyle{FontRole::FangSong, 16.0, false};
                b.format.firstLineIndentChars = 2;
            } else if (k == "name") {
                b.text = tmpl(v, k);
            } else {
                styleKey(k, v, b.style);
                formatKey(k, v, b.format);
            }
        }
        if (!kindSet)
            fail(o.line, "块缺少类型：应包含 heading、paragraph、text_file、table、spacer、page_break、signature、each、if 或 include。");
        if ((b.kind == BlockSpec::Kind::Each || b.kind == BlockSpec::Kind::If) && b.blocks.empty())
            fail(b.line, "each / if 块需要 blocks 列表。");
        return b;
    }

    void table(const JsonValue& o, BlockSpec& b) {
        static const std::vector<std::string> known = {"columns", "unit",         "header_rows", "rows",         "size",
                                                       "role",    "line_spacing", "padding",     "space_before", "space_after"};
        bool hasColumns = false;
        for (const auto& [k, v] : keys(o, known)) {
            int line = v.line;
            if (k == "columns") {
                for (const auto& item : array(v, "columns")) {
                    if (item.kind != JsonValue::Kind::Number) fail(item.line, "columns 的每一项应为正数（列宽）。");
                    double w = toDouble(item);
                    if (w <= 0) fail(item.line, "columns 的每一项应为正数（列宽）。");
                    b.table.columnWidths.push_back(w);
                }
                hasColumns = !b.table.columnWidths.empty();
            } else if (k == "unit") {
                std::string u = text(v, k);
                if (u != "mm" && u != "relative") fail(line, "unit 应为 mm 或 relative。");
                b.table.widthUnit = u == "mm" ? WidthUnit::Mm : WidthUnit::Relative;
            } else if (k == "header_rows") {
                b.table.headerRows = int(number(v, k, 0, 20));
            } else if (k == "rows") {
                b.rows = rows(v, "rows");
            } else if (k == "size") {
                b.table.style.sizePt = number(v, k, 5, 36);
            } else if (k == "role") {
                b.table.style.role = role(v, k);
            } else if (k == "line_spacing") {
                b.table.lineSpacing = number(v, k, 0.8, 4);
            } else if (k == "padding") {
                b.table.cellPaddingMm = number(v, k, 0, 10);
            } else if (k == "space_before") {
                b.table.spaceBeforePt = number(v, k, 0, 200);
            } else if (k == "space_after") {
                b.table.spaceAfterPt = number(v, k, 0, 200);
            }
        }
        if (!hasColumns) fail(b.line, "table 需要 columns（各列宽度）。");
    }

    std::vector<RowSpec> rows(const JsonValue& v, const std::string& what) {
        std::vector<RowSpec> out;
        for (const auto& item : array(v, what)) out.push_back(row(item));
        return out;
    }

    RowSpec row(const JsonValue& v) {
        RowSpec r;
        r.line = v.line;
        r.at = {v.line, v.column};
        if (v.kind == JsonValue::Kind::Array) {
            for (const auto& item : v.items) r.cells.push_back(cell(item));
            return r;
        }
        const JsonValue& o = object(v, "rows 中的每一项");
        static const std::vector<std::string> known = {"cells", "min_height", "each", "rows", "merge", "if", "else"};
        bool hasRows = false;
        for (const auto& [k, kv] : keys(o, known)) {
            r.line = kv.line;
            if (k == "cells") {
                for (const auto& item : array(kv, "cells")) r.cells.push_back(cell(item));
            } else if (k == "min_height") {
                r.minHeight = number(kv, k, 0, 200);
            } else if (k == "each") {
                r.kind = RowSpec::Kind::Each;
                r.path = text(kv, k);
            } else if (k == "if") {
                r.kind = RowSpec::Kind::If;
                r.condition = condition(kv, k);
            } else if (k == "rows") {
                r.rows = rows(kv, "rows");
                hasRows = true;
            } else if (k == "else") {
                r.elseRows = rows(kv, "else");
            } else if (k == "merge") {
                for (const auto& item : array(kv, "merge")) {
                    if (!item.isInteger() || item.text.size() > 4) fail(item.line, "merge 应为列序号的列表，如 [0, 1]。");
                    r.merge.push_back(std::stoi(item.text));
                }
                std::sort(r.merge.begin(), r.merge.end());
            }
        }
        if (r.kind != RowSpec::Kind::Cells && !hasRows) fail(r.line, "each / if 行需要 rows 列表。");
        return r;
    }

    CellSpec cell(const JsonValue& v) {
        CellSpec c;
        c.line = v.line;
        c.at = {v.line, v.column};
        if (v.kind == JsonValue::Kind::String) {
            c.text = tmpl(v.text, v.line);
            c.hasText = true;
            return c;
        }
        const JsonValue& o = object(v, "单元格");
        static const std::vector<std::string> known = {"text", "colspan", "rowspan", "align", "bold",    "role",
                                                       "size", "value",   "format",  "empty", "formula", "id"};
        for (const auto& [k, kv] : keys(o, known)) {
            c.line = kv.line;
            if (k == "text") {
                c.text = tmpl(kv, k);
                c.hasText = true;
            } else if (k == "colspan") {
                c.colspan = int(number(kv, k, 1, 100));
            } else if (k == "rowspan") {
                c.rowspan = int(number(kv, k, 1, 1000));
            } else if (k == "align") {
                c.align = align(kv, k);
            } else if (k == "bold") {
                c.bold = flag(kv, k);
            } else if (k == "role") {
                c.role = role(kv, k);
            } else if (k == "size") {
                c.size = number(kv, k, 5, 36);
            } else if (k == "value") {
                c.valuePath = text(kv, k);
            } else if (k == "format") {
                c.format = numberFormat(kv, k);
            } else if (k == "empty") {
                c.empty = text(kv, k);
            } else if (k == "formula") {
                c.formula = tmpl(kv, k);
            } else if (k == "id") {
                c.id = tmpl(kv, k);
            }
        }
        if (!c.valuePath.empty() && c.format.filter.empty()) c.format.filter = "fixed";
        if (c.valuePath.empty() && !c.hasText) fail(c.line, "单元格需要 text 或 value。");
        return c;
    }

    std::shared_ptr<const FormTemplate::Spec> spec(const JsonValue& root) {
        auto s = std::make_shared<FormTemplate::Spec>();
        s->file = file_;
        static const std::vector<std::string> known = {"说明",
                                                       "title",
                                                       "subject",
                                                       "keywords",
                                                       "file",
                                                       "orientation",
                                                       "margins_mm",
                                                       "page_numbers",
                                                       "page_number_position",
                                                       "skip_first_page",
                                                       "header_text",
                                                       "footer_size",
                                                       "fit_one_page",
                                                       "blocks",
                                                       "sheets",
                                                       "letterhead",
                                                       "colophon",
                                                       "colophon_format",
                                                       "watermark",
                                                       "formats"};
        s->title = tmpl("", 1);
        s->subject = tmpl("", 1);
        s->keywords = tmpl("", 1);
        s->headerText = tmpl("", 1);
        s->watermark = tmpl("", 1);
        s->colophonFormat = tmpl("", 1);
        bool hasBlocks = false;
        for (const auto& [k, v] : keys(root, known)) {
            int line = v.line;
            if (k == "title") s->title = tmpl(v, k);
            if (k == "subject") s->subject = tmpl(v, k);
            if (k == "keywords") s->keywords = tmpl(v, k);
            if (k == "file" || k == "formats") movedToFormJson(k, v);
            if (k == "header_text") s->headerText = tmpl(v, k);
            if (k == "watermark") s->watermark = tmpl(v, k);
            if (k == "colophon_format") s->colophonFormat = tmpl(v, k);
            if (k == "letterhead") letterhead(object(v, "letterhead"), *s);
            if (k == "colophon") {
                for (const auto& item : array(v, "colophon")) {
                    const JsonValue& o = object(item, "colophon 中的每一行");
                    std::pair<TextTemplate, TextTemplate> row{tmpl("", o.line), tmpl("", o.line)};
                    for (const auto& [ck, cv] : keys(o, {"left", "right"})) (ck == "left" ? row.first : row.second) = tmpl(cv, ck);
                    s->colophon.push_back(std::move(row));
                }
            }
            if (k == "orientation") {
                std::string o = text(v, k);
                if (o != "portrait" && o != "landscape") fail(line, "orientation 应为 portrait 或 landscape。");
                s->page.orientation = o == "portrait" ? Orientation::Portrait : Orientation::Landscape;
            }
            if (k == "margins_mm") {
                for (const auto& [mk, mv] : keys(object(v, "margins_mm"), {"top", "bottom", "left", "right"})) {
                    double m = number(mv, mk, 0, 80);
                    if (mk == "top") s->page.marginsMm.top = m;
                    if (mk == "bottom") s->page.marginsMm.bottom = m;
                    if (mk == "left") s->page.marginsMm.left = m;
                    if (mk == "right") s->page.marginsMm.right = m;
                }
            }
            if (k == "page_numbers") {
                std::string p = text(v, k);
                if (p == "none") s->headerFooter.pageNumbers = PageNumberStyle::None;
                else if (p == "of_total") s->headerFooter.pageNumbers = PageNumberStyle::OfTotal;
                else if (p == "dashed") s->headerFooter.pageNumbers = PageNumberStyle::Dashed;
                else fail(line, "page_numbers 应为 none、of_total 或 dashed。");
            }
            if (k == "page_number_position") {
                std::string p = text(v, k);
                if (p != "center" && p != "outside") fail(line, "page_number_position 应为 center 或 outside。");
                s->headerFooter.position = p == "center" ? PageNumberPosition::Center : PageNumberPosition::Outside;
            }
            if (k == "skip_first_page") s->headerFooter.skipFirstPage = flag(v, k);
            if (k == "fit_one_page") s->page.fitOnePage = flag(v, k);
            if (k == "footer_size") s->headerFooter.style.sizePt = number(v, k, 5, 36);
            if (k == "blocks") {
                s->blocks = blocks(v, "blocks");
                hasBlocks = true;
            }
            if (k == "sheets") {
                for (const auto& item : array(v, "sheets")) s->sheets.push_back(sheet(object(item, "sheets 中的每一项")));
                if (s->sheets.empty()) fail(line, "sheets 不能为空。");
                hasBlocks = true;
            }
        }
        if (!hasBlocks) fail(1, "缺少 blocks（文档内容）或 sheets（工作表）。");
        if (!s->blocks.empty() && !s->sheets.empty()) fail(1, "blocks 与 sheets 只能二选一：前者是一份文档，后者是一个多工作表的工作簿。");
        return s;
    }

    /// GB/T 9704 信函 版头: "mark" (text; "none" for preprinted paper), "number" (发文字号),
    /// "size" of the mark, "mark_top_mm", "rule_gap_mm", "rule_length_mm", "bottom_rule_mm".
    void letterhead(const JsonValue& o, FormTemplate::Spec& s) {
        std::pair<TextTemplate, TextTemplate> texts{tmpl("", o.line), tmpl("", o.line)};
        for (const auto& [k, v] : keys(o, {"mark", "number", "size", "mark_top_mm", "rule_gap_mm", "rule_length_mm", "bottom_rule_mm"})) {
            if (k == "mark") texts.first = tmpl(v, k);
            if (k == "number") texts.second = tmpl(v, k);
            if (k == "size") s.letterhead.markStyle.sizePt = number(v, k, 10, 72);
            if (k == "mark_top_mm") s.letterhead.markTopMm = number(v, k, 5, 80);
            if (k == "rule_gap_mm") s.letterhead.ruleGapMm = number(v, k, 0, 30);
            if (k == "rule_length_mm") s.letterhead.ruleLengthMm = number(v, k, 50, 210);
            if (k == "bottom_rule_mm") s.letterhead.bottomRuleMm = number(v, k, 5, 60);
        }
        s.letterheadText = std::move(texts);
    }

    SheetSpec sheet(const JsonValue& o) {
        static const std::vector<std::string> known = {"name", "each", "autofilter", "freeze_rows", "blocks", "charts"};
        SheetSpec sh;
        sh.line = o.line;
        sh.name = tmpl("", o.line);
        bool hasBlocks = false;
        for (const auto& [k, v] : keys(o, known)) {
            if (k == "name") sh.name = tmpl(v, k);
            if (k == "each") sh.each = text(v, k);
            if (k == "autofilter") sh.autofilter = flag(v, k);
            if (k == "freeze_rows") sh.freezeRows = int(number(v, k, -1, 100));
            if (k == "blocks") {
                sh.blocks = blocks(v, "blocks");
                hasBlocks = true;
            }
            if (k == "charts") {
                for (const auto& item : array(v, "charts")) sh.charts.push_back(chart(object(item, "charts 中的每一项")));
            }
        }
        if (!hasBlocks) fail(o.line, "工作表缺少 blocks。");
        return sh;
    }

    ChartSpec chart(const JsonValue& o) {
        static const std::vector<std::string> known = {"type", "title", "categories", "series"};
        ChartSpec c;
        c.title = tmpl("", o.line);
        c.categories = tmpl("", o.line);
        for (const auto& [k, v] : keys(o, known)) {
            if (k == "type") {
                std::string t = text(v, k);
                if (t == "column") c.type = ChartType::Column;
                else if (t == "bar") c.type = ChartType::Bar;
                else if (t == "pie") c.type = ChartType::Pie;
                else fail(v.line, "图表类型" + model::quoted(t) + "无法识别。可用：column、bar、pie。");
            }
            if (k == "title") c.title = tmpl(v, k);
            if (k == "categories") c.categories = tmpl(v, k);
            if (k == "series") {
                for (const auto& item : array(v, "series")) {
                    const JsonValue& so = object(item, "series 中的每一项");
                    TextTemplate name = tmpl("", so.line), values = tmpl("", so.line);
                    for (const auto& [sk, sv] : keys(so, {"name", "values"})) {
                        if (sk == "name") name = tmpl(sv, sk);
                        if (sk == "values") values = tmpl(sv, sk);
                    }
                    c.series.emplace_back(std::move(name), std::move(values));
                }
            }
        }
        if (c.series.empty()) fail(o.line, "图表至少需要一个 series。");
        return c;
    }

    static std::shared_ptr<const FormTemplate::Spec> loadSpec(const TemplateFolders& folders, const std::string& name,
                                                              std::set<std::string>& loading) {
        if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
            throw TemplateError("模板名" + model::quoted(name) + "无效：只能是 templates 下的一个文件夹名。");
        std::string shown = "templates/" + name + "/layout.json";
        std::string source = readFile(folders.find(name + "/layout.json"), shown);
        JsonValue root;
        try {
            root = model::parseJson(source);
        } catch (const model::JsonSyntaxError& e) {
            throw TemplateError(shown + ":" + std::to_string(e.line()) + ":" + std::to_string(e.column()) + ": 不是有效的 JSON：" +
                                e.what() + "。");
        }
        if (root.kind != JsonValue::Kind::Object) throw TemplateError(shown + ":1: 最外层应为 { … } 对象。");
        loading.insert(name);
        Reader reader(shown, folders, loading);
        auto s = reader.spec(root);
        loading.erase(name);
        std::const_pointer_cast<FormTemplate::Spec>(s)->name = name;
        return s;
    }

private:
    std::string file_;
    TemplateFolders folders_;
    std::set<std::string>& loading_;
};

}  // namespace

std::shared_ptr<const FormTemplate::Spec> readSpec(const TemplateFolders& folders, const std::string& name) {
    std::set<std::string> loading;
    return Reader::loadSpec(folders, name, loading);
}

}  // namespace jixiao::layout
