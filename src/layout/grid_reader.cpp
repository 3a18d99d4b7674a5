#include "layout/grid_reader.h"

#include "ingest/xlsx_reader.h"
#include "layout/grid_formula.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace jixiao::layout {

namespace {

using Poco::XML::Element;
using Poco::XML::Node;

/// A template is a form, not a data table: these bound what one may hold.
constexpr int kMaxRows = 5000;
constexpr int kMaxColumns = 200;

std::vector<Element*> children(const Element* parent, const char* name) {
    std::vector<Element*> out;
    if (!parent) return out;
    for (Node* n = parent->firstChild(); n; n = n->nextSibling())
        if (n->nodeType() == Node::ELEMENT_NODE && n->localName() == name) out.push_back(static_cast<Element*>(n));
    return out;
}

Element* child(const Element* parent, const char* name) {
    if (!parent) return nullptr;
    for (Node* n = parent->firstChild(); n; n = n->nextSibling())
        if (n->nodeType() == Node::ELEMENT_NODE && n->localName() == name) return static_cast<Element*>(n);
    return nullptr;
}

std::string attr(const Element* e, const char* name) { return e ? std::string(e->getAttribute(name)) : std::string(); }

double attrNumber(const Element* e, const char* name, double fallback) {
    const std::string v = attr(e, name);
    if (v.empty()) return fallback;
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    return end && *end == '\0' ? d : fallback;
}

bool attrFlag(const Element* e, const char* name) {
    const std::string v = attr(e, name);
    return v == "1" || v == "true";
}

/// The text of `<t>` children, or of the runs' `<t>` (`<r><t>`), phonetic guides left out.
std::string richText(const Element* e) {
    std::string out;
    if (!e) return out;
    for (Node* n = e->firstChild(); n; n = n->nextSibling()) {
        if (n->nodeType() != Node::ELEMENT_NODE) continue;
        if (n->localName() == "t") out += n->innerText();
        else if (n->localName() == "r") out += richText(static_cast<Element*>(n));
    }
    return out;
}

class Reader {
public:
    Reader(const ingest::XlsxSheetParts& parts, std::string file) : parts_(parts), file_(std::move(file)) {}

    Grid read() {
        Grid grid;
        grid.sheetName = parts_.sheetName;
        if (!parts_.stylesXml.empty()) readStyles(parse(parts_.stylesXml, "xl/styles.xml"), grid);
        if (grid.styles.empty()) grid.styles.emplace_back();
        auto sheetDoc = parse(parts_.sheetXml, "工作表“" + parts_.sheetName + "”");
        readSheet(sheetDoc->documentElement(), grid);
        readPrintTitles(parse(parts_.workbookXml, "xl/workbook.xml")->documentElement(), grid);
        return grid;
    }

private:
    Poco::AutoPtr<Poco::XML::Document> parse(const std::string& xml, const std::string& part) {
        Poco::XML::DOMParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        try {
            return parser.parseString(xml);
        } catch (const Poco::Exception&) {
            throw GridReadError(file_ + "：" + part + " 不是有效的 XML，文件已损坏；请在 Excel 或 WPS 中重新保存。");
        }
    }

    static Rgb color(const Element* e, Rgb fallback) {
        if (!e) return fallback;
        const std::string rgb = attr(e, "rgb");
        if (rgb.size() == 8 || rgb.size() == 6) return Rgb(std::strtoul(rgb.substr(rgb.size() - 6).c_str(), nullptr, 16));
        const std::string theme = attr(e, "theme");
        if (theme == "0") return 0xFFFFFF;  // lt1
        if (theme == "1") return 0x000000;  // dk1
        const std::string indexed = attr(e, "indexed");
        if (indexed == "9" || indexed == "1") return indexed == "9" ? 0xFFFFFF : 0x000000;
        if (indexed == "22") return 0xC0C0C0;
        return fallback;
    }

    static BorderStyle borderStyle(const std::string& s) {
        if (s == "hair") return BorderStyle::Hair;
        if (s == "thin") return BorderStyle::Thin;
        if (s == "dotted") return BorderStyle::Dotted;
        if (s == "dashed" || s == "dashDot" || s == "dashDotDot") return BorderStyle::Dashed;
        if (s == "medium" || s == "mediumDashed" || s == "mediumDashDot" || s == "mediumDashDotDot" || s == "slantDashDot")
            return BorderStyle::Medium;
        if (s == "double") return BorderStyle::Double;
        if (s == "thick") return BorderStyle::Thick;
        return BorderStyle::None;
    }

    static std::string builtinFormat(int id) {
        switch (id) {
        case 1: return "0";
        case 2: return "0.00";
        case 3: return "#,##0";
        case 4: return "#,##0.00";
        case 9: return "0%";
        case 10: return "0.00%";
        case 11: return "0.00E+00";
        case 14: return "yyyy/m/d";
        case 37: return "#,##0 ;(#,##0)";
        case 38: return "#,##0 ;[Red](#,##0)";
        case 39: return "#,##0.00;(#,##0.00)";
        case 40: return "#,##0.00;[Red](#,##0.00)";
        case 49: return "@";
        default: return "General";
        }
    }

    void readStyles(const Poco::AutoPtr<Poco::XML::Document>& doc, Grid& grid) {
        const Element* root = doc->documentElement();
        std::map<int, std::string> formats;
        for (const Element* f : children(child(root, "numFmts"), "numFmt"))
            formats[int(attrNumber(f, "numFmtId", 0))] = attr(f, "formatCode");
        std::vector<GridFont> fonts;
        for (const Element* f : children(child(root, "fonts"), "font")) {
            GridFont font;
            if (const Element* n = child(f, "name")) font.name = attr(n, "val");
            font.sizePt = attrNumber(child(f, "sz"), "val", 11.0);
            const Element* b = child(f, "b");
            font.bold = b && attr(b, "val") != "0" && attr(b, "val") != "false";
            const Element* i = child(f, "i");
            font.italic = i && attr(i, "val") != "0" && attr(i, "val") != "false";
            const Element* u = child(f, "u");
            font.underline = u && attr(u, "val") != "none";
            font.color = color(child(f, "color"), 0x000000);
            fonts.push_back(font);
        }
        std::vector<std::optional<Rgb>> fills;
        for (const Element* f : children(child(root, "fills"), "fill")) {
            const Element* p = child(f, "patternFill");
            if (p && attr(p, "patternType") == "solid") fills.push_back(color(child(p, "fgColor"), 0xFFFFFF));
            else fills.emplace_back();
        }
        struct Borders {
            GridEdge left, right, top, bottom;
        };
        std::vector<Borders> borders;
        for (const Element* b : children(child(root, "borders"), "border")) {
            Borders out;
            auto edge = [&](const char* name) {
                const Element* e = child(b, name);
                return GridEdge{borderStyle(attr(e, "style")), color(child(e, "color"), 0x000000)};
            };
            out.left = edge("left");
            out.right = edge("right");
            out.top = edge("top");
            out.bottom = edge("bottom");
            borders.push_back(out);
        }
        for (const Element* xf : children(child(root, "cellXfs"), "xf")) {
            GridStyle s;
            const std::size_t font = std::size_t(attrNumber(xf, "fontId", 0));
            if (font < fonts.size()) s.font = fonts[font];
            const std::size_t fill = std::size_t(attrNumber(xf, "fillId", 0));
            if (fill < fills.size()) s.fill = fills[fill];
            const std::size_t border = std::size_t(attrNumber(xf, "borderId", 0));
            if (border < borders.size()) {
                s.left = borders[border].left;
                s.right = borders[border].right;
                s.top = borders[border].top;
                s.bottom = borders[border].bottom;
            }
            const int fmt = int(attrNumber(xf, "numFmtId", 0));
            s.numberFormat = formats.count(fmt) ? formats[fmt] : builtinFormat(fmt);
            if (const Element* a = child(xf, "alignment")) {
                const std::string h = attr(a, "horizontal");
                s.halign = h == "left"                                ? HAlign::Left
                           : h == "center" || h == "centerContinuous" ? HAlign::Center
                           : h == "right"                             ? HAlign::Right
                           : h == "justify"                           ? HAlign::Justify
                           : h == "distributed"                       ? HAlign::Distributed
                                                                      : HAlign::General;
                const std::string v = attr(a, "vertical");
                s.valign = v == "top"                                                ? VAlign::Top
                           : (v == "center" || v == "justify" || v == "distributed") ? VAlign::Center
                                                                                     : VAlign::Bottom;
                s.wrap = attrFlag(a, "wrapText");
                s.indent = int(attrNumber(a, "indent", 0));
            }
            grid.styles.push_back(s);
        }
    }

    static bool parseRef(const std::string& ref, int& row, int& column) {
        std::size_t i = 0;
        int c = 0;
        while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') c = c * 26 + (ref[i++] - 'A' + 1);
        if (i == 0 || i == ref.size()) return false;
        long r = 0;
        for (std::size_t k = i; k < ref.size(); ++k) {
            if (ref[k] < '0' || ref[k] > '9') return false;
            r = r * 10 + (ref[k] - '0');
            if (r > 1048576) return false;
        }
        row = int(r) - 1;
        column = c - 1;
        return row >= 0 && column >= 0;
    }

    [[noreturn]] void tooLarge() const {
        throw GridReadError(file_ + "：表样过大（超过 " + std::to_string(kMaxRows) + " 行或 " + std::to_string(kMaxColumns) +
                            " 列），请只保留表格本身。");
    }

    void ensure(Grid& grid, int row, int column) {
        if (row >= kMaxRows || column >= kMaxColumns) tooLarge();
        if (column + 1 > grid.columns) {
            grid.columns = column + 1;
            for (auto& r : grid.rows) r.resize(std::size_t(grid.columns));
        }
        while (grid.rowCount() <= row) {
            grid.rows.emplace_back(std::size_t(grid.columns));
            grid.rowHeights.push_back(defaultRowHeight_);
        }
    }

    void readSheet(const Element* ws, Grid& grid) {
        const Element* format = child(ws, "sheetFormatPr");
        defaultRowHeight_ = attrNumber(format, "defaultRowHeight", 15.0);
        const double defaultWidth = attrNumber(format, "defaultColWidth", attrNumber(format, "baseColWidth", 8.0) + 1.140625);

        struct SharedFormula {
            std::string text;
            int row = 0, column = 0;
        };
        std::map<std::string, SharedFormula> shared;
        std::map<int, double> heights;
        int lastRow = -1;
        for (const Element* row : children(child(ws, "sheetData"), "row")) {
            const int r = int(attrNumber(row, "r", lastRow + 2)) - 1;
            if (r < 0 || r >= kMaxRows) tooLarge();
            lastRow = r;
            if (!attr(row, "ht").empty()) heights[r] = attrNumber(row, "ht", defaultRowHeight_);
            if (attrFlag(row, "hidden")) heights[r] = 0.0;
            int lastColumn = -1;
            for (const Element* c : children(row, "c")) {
                int rr = r, cc = lastColumn + 1;
                const std::string ref = attr(c, "r");
                if (!ref.empty() && !parseRef(ref, rr, cc)) continue;
                lastColumn = cc;
                ensure(grid, rr, cc);
                GridCell& cell = grid.rows[std::size_t(rr)][std::size_t(cc)];
                const std::size_t style = std::size_t(attrNumber(c, "s", 0));
                cell.style = style < grid.styles.size() ? int(style) : 0;
                const std::string type = attr(c, "t");
                const Element* v = child(c, "v");
                const std::string value = v ? std::string(v->innerText()) : std::string();
                if (const Element* f = child(c, "f")) {
                    std::string text = f->innerText();
                    const std::string si = attr(f, "si");
                    if (attr(f, "t") == "shared" && !si.empty()) {
                        if (!text.empty()) shared[si] = {text, rr, cc};
                        else if (shared.count(si)) text = shiftReferences(shared[si].text, rr - shared[si].row, cc - shared[si].column);
                    }
                    cell.formula = text;
                }
                if (type == "s") {
                    const std::size_t i = std::size_t(std::atol(value.c_str()));
                    if (!value.empty() && i < parts_.sharedStrings.size()) {
                        cell.kind = GridCell::Kind::Text;
                        cell.text = parts_.sharedStrings[i];
                    }
                } else if (type == "inlineStr") {
                    cell.kind = GridCell::Kind::Text;
                    cell.text = richText(child(c, "is"));
                } else if (type == "str" || type == "e") {
                    cell.kind = GridCell::Kind::Text;
                    cell.text = value;
                } else if (type == "b") {
                    cell.kind = GridCell::Kind::Boolean;
                    cell.text = value == "1" ? "TRUE" : "FALSE";
                } else if (!value.empty()) {
                    if (auto d = model::Decimal::parse(value)) {
                        cell.kind = GridCell::Kind::Number;
                        cell.number = *d;
                    }
                }
                if (cell.kind == GridCell::Kind::Text && cell.text.empty() && cell.formula.empty()) cell.kind = GridCell::Kind::Empty;
            }
        }
        for (const Element* m : children(child(ws, "mergeCells"), "mergeCell")) {
            const std::string ref = attr(m, "ref");
            const std::size_t colon = ref.find(':');
            GridMerge merge;
            if (colon == std::string::npos || !parseRef(ref.substr(0, colon), merge.row0, merge.col0) ||
                !parseRef(ref.substr(colon + 1), merge.row1, merge.col1))
                continue;
            if (merge.row1 < merge.row0) std::swap(merge.row0, merge.row1);
            if (merge.col1 < merge.col0) std::swap(merge.col0, merge.col1);
            ensure(grid, merge.row1, merge.col1);
            grid.merges.push_back(merge);
        }
        for (const auto& [r, h] : heights)
            if (r < grid.rowCount()) grid.rowHeights[std::size_t(r)] = h;

        grid.columnWidths.assign(std::size_t(grid.columns), defaultWidth);
        for (const Element* col : children(child(ws, "cols"), "col")) {
            const int first = int(attrNumber(col, "min", 1)) - 1;
            const int last = int(attrNumber(col, "max", first + 1)) - 1;
            const double width = attrFlag(col, "hidden") ? 0.0 : attrNumber(col, "width", defaultWidth);
            for (int c = std::max(0, first); c <= last && c < grid.columns; ++c) grid.columnWidths[std::size_t(c)] = width;
        }

        GridPrint& p = grid.print;
        if (const Element* m = child(ws, "pageMargins")) {
            p.left = attrNumber(m, "left", p.left);
            p.right = attrNumber(m, "right", p.right);
            p.top = attrNumber(m, "top", p.top);
            p.bottom = attrNumber(m, "bottom", p.bottom);
            p.header = attrNumber(m, "header", p.header);
            p.footer = attrNumber(m, "footer", p.footer);
        }
        if (const Element* s = child(ws, "pageSetup")) {
            p.paper = int(attrNumber(s, "paperSize", 9));
            p.landscape = attr(s, "orientation") == "landscape";
            p.scale = std::clamp(int(attrNumber(s, "scale", 100)), 10, 400);
            p.fitWidth = int(attrNumber(s, "fitToWidth", 1));
            p.fitHeight = int(attrNumber(s, "fitToHeight", 1));
        }
        p.fitToPage = attrFlag(child(child(ws, "sheetPr"), "pageSetUpPr"), "fitToPage");
        p.centerHorizontally = attrFlag(child(ws, "printOptions"), "horizontalCentered");
    }

    void readPrintTitles(const Element* workbook, Grid& grid) {
        for (const Element* name : children(child(workbook, "definedNames"), "definedName")) {
            if (attr(name, "name") != "_xlnm.Print_Titles") continue;
            const std::string local = attr(name, "localSheetId");
            if (!local.empty() && std::atoi(local.c_str()) != parts_.sheetIndex) continue;
            // "Sheet1!$A:$B,Sheet1!$3:$4": the row part is "$3:$4".
            const std::string value = name->innerText();
            for (std::size_t at = value.find('!'); at != std::string::npos; at = value.find('!', at + 1)) {
                std::size_t i = at + 1;
                int r0 = 0, r1 = 0;
                if (i < value.size() && value[i] == '$') ++i;
                std::size_t digits = i;
                while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) r0 = r0 * 10 + (value[i++] - '0');
                if (i == digits || i >= value.size() || value[i] != ':') continue;
                ++i;
                if (i < value.size() && value[i] == '$') ++i;
                digits = i;
                while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) r1 = r1 * 10 + (value[i++] - '0');
                if (i == digits || r0 < 1 || r1 < r0) continue;
                grid.print.titleRow0 = r0 - 1;
                grid.print.titleRow1 = r1 - 1;
            }
        }
    }

    const ingest::XlsxSheetParts& parts_;
    std::string file_;
    double defaultRowHeight_ = 15.0;
};

}  // namespace

Grid readGrid(const std::string& bytes, const std::string& displayName) {
    ingest::ReadLimits limits;
    limits.maxEntryBytes = 32u << 20;
    limits.maxTotalBytes = 64u << 20;
    ingest::XlsxSheetParts parts;
    try {
        parts = ingest::readXlsxSheetParts(bytes, displayName, "", limits);
    } catch (const ingest::ReadError& e) {
        throw GridReadError(e.what());
    }
    return Reader(parts, displayName).read();
}

}  // namespace jixiao::layout
