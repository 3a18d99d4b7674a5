#include "render/xlsx_refs.h"

#include "render/render_error.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace jixiao::render::xlsx {

std::string cellName(int row, int col) {
    char buf[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(buf, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col));
    return buf;
}

namespace {

bool isIdStart(char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' || u >= 0x80;
}

/// A "{…}" body that names cells (array constants such as {1,2} are left alone).
bool isReference(const std::string& body) {
    if (body.empty() || !isIdStart(body[0])) return false;
    for (char ch : body) {
        if (ch == ',' || ch == ';' || ch == '"' || ch == ' ' || ch == '{') return false;
    }
    return true;
}

/// The cells as one rectangle when they tile a single column or row without gaps.
std::optional<Area> contiguous(const std::vector<Area>& cells) {
    bool column = true;
    bool row = true;
    for (size_t i = 1; i < cells.size(); ++i) {
        const Area& a = cells[i - 1];
        const Area& b = cells[i];
        column = column && b.col == a.col && b.row == a.lastRow + 1;
        row = row && b.row == a.row && b.col == a.lastCol + 1;
    }
    if (!column && !row) return std::nullopt;
    return Area{cells.front().row, cells.front().col, cells.back().row, cells.back().col};
}

std::string a1(const std::vector<Area>& cells) {
    if (cells.size() == 1) return cellName(cells.front().row, cells.front().col);
    if (std::optional<Area> area = contiguous(cells)) {
        return cellName(area->row, area->col) + ":" + cellName(area->lastRow, area->lastCol);
    }
    std::string list;
    for (const Area& a : cells) {
        if (!list.empty()) list += ',';
        list += cellName(a.row, a.col);
    }
    return list;
}

std::optional<std::pair<int, int>> parseA1(const std::string& s) {
    size_t i = 0;
    if (i < s.size() && s[i] == '$') ++i;
    long col = 0;
    const size_t colStart = i;
    while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z' && col < 100000) col = col * 26 + (s[i++] - 'A' + 1);
    if (i == colStart) return std::nullopt;
    if (i < s.size() && s[i] == '$') ++i;
    long row = 0;
    const size_t rowStart = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && row < 10000000) row = row * 10 + (s[i++] - '0');
    if (i == rowStart || i != s.size() || row < 1) return std::nullopt;
    if (row > LXW_ROW_MAX || col > LXW_COL_MAX) return std::nullopt;
    return std::make_pair(static_cast<int>(row - 1), static_cast<int>(col - 1));
}

}  // namespace

std::optional<Area> parseA1Range(const std::string& spec) {
    const size_t colon = spec.find(':');
    const auto first = parseA1(spec.substr(0, colon));
    const auto last = colon == std::string::npos ? first : parseA1(spec.substr(colon + 1));
    if (!first || !last) return std::nullopt;
    return Area{std::min(first->first, last->first), std::min(first->second, last->second), std::max(first->first, last->first),
                std::max(first->second, last->second)};
}

std::vector<Area> Resolver::cells(const std::string& body, const std::string& context) const {
    std::vector<Area> found;
    if (!body.empty() && body.back() == '*') {
        const std::string prefix = body.substr(0, body.size() - 1);
        for (const auto& [id, area] : plan_.idOrder) {
            if (id.compare(0, prefix.size(), prefix) == 0) found.push_back(area);
        }
        if (found.empty()) {
            throw RenderError("工作表“" + sheet_ + "”中的" + context + "：没有以“" + prefix + "”开头的单元格 id");
        }
        return found;
    }
    auto it = plan_.ids.find(body);
    if (it == plan_.ids.end()) {
        throw RenderError("工作表“" + sheet_ + "”中的" + context + "引用了不存在的单元格 id“" + body + "”");
    }
    found.push_back(it->second);
    return found;
}

std::string Resolver::formula(const std::string& text) const {
    const std::string context = "公式“" + text + "”";
    std::string out;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch == '"') inString = !inString;
        if (ch == '{' && !inString) {
            const size_t close = text.find('}', i + 1);
            if (close != std::string::npos) {
                const std::string body = text.substr(i + 1, close - i - 1);
                if (isReference(body)) {
                    out += a1(cells(body, context));
                    i = close;
                    continue;
                }
            }
        }
        out += ch;
    }
    return out;
}

Area Resolver::range(const std::string& spec, const std::string& context) const {
    if (spec.size() > 2 && spec.front() == '{' && spec.back() == '}') {
        const std::vector<Area> found = cells(spec.substr(1, spec.size() - 2), context);
        std::optional<Area> area = contiguous(found);
        if (!area) {
            throw RenderError("工作表“" + sheet_ + "”中的" + context + "：" + spec + " 的单元格不是同一行或同一列中相连的一段");
        }
        return *area;
    }
    std::optional<Area> area = parseA1Range(spec);
    if (!area) {
        throw RenderError("工作表“" + sheet_ + "”中的" + context + "：“" + spec + "”既不是 {单元格 id} 也不是 A1 区域");
    }
    return *area;
}

}  // namespace jixiao::render::xlsx
