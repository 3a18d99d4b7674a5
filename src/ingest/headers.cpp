#include "ingest/headers.h"

#include "ingest/values.h"

#include "model/text.h"

#include <algorithm>
#include <set>

namespace jixiao::ingest {

const char* sectionName(Section section) {
    switch (section) {
    case Section::Units: return "单位";
    case Section::Projects: return "项目";
    case Section::Execution: return "预算执行";
    case Section::Indicators: return "绩效指标";
    case Section::Figures: return "部门整体";
    }
    return "";
}

const std::vector<FieldSpec>& fieldsOf(Section section) {
    static const std::vector<FieldSpec> units = {
        {"单位编码", {"单位代码", "预算单位编码"}, true},
        {"单位名称", {"预算单位", "单位"}, true},
        {"主管部门编码", {"部门编码"}, false},
        {"单位类型", {}, false},
        {"联系人", {}, false},
        {"联系电话", {}, false},
    };
    static const std::vector<FieldSpec> projects = {
        {"项目编码", {"项目代码", "项目编号"}, true},
        {"项目名称", {}, true},
        {"单位编码", {"单位代码", "预算单位编码"}, true},
        {"项目类别", {}, false},
        {"功能分类科目", {"支出功能分类"}, false},
        {"资金来源", {}, false},
        {"是否涉密", {"涉密/非密", "涉密"}, false},
        {"实施期", {}, false},
        {"年度总体目标", {"年度目标"}, false},
        {"总体目标完成情况", {"实际完成情况"}, false},
        {"项目负责人", {}, false},
    };
    static const std::vector<FieldSpec> execution = {
        {"项目编码", {"项目代码", "项目编号"}, true},
        {"资金类别", {"资金来源明细"}, false},
        {"年初预算数", {}, false},
        {"全年预算数", {"调整后预算数"}, true},
        {"全年执行数", {"实际支出数"}, true},
        {"偏差原因", {"执行偏差原因", "预算调整说明"}, false},
        {"自评得分", {"得分"}, false},
    };
    static const std::vector<FieldSpec> indicators = {
        {"项目编码", {"项目代码", "项目编号"}, false},
        {"单位编码", {"单位代码", "预算单位编码"}, false},
        {"一级指标", {}, true},
        {"二级指标", {}, true},
        {"三级指标", {}, true},
        {"指标性质", {"运算符", "指标方向"}, false},
        {"年度指标值", {"指标值", "目标值"}, true},
        {"计量单位", {"度量单位"}, false},
        {"分值", {"权重"}, false},
        {"实际完成值", {"全年实际值"}, true},
        {"偏差原因分析", {"未完成原因"}, false},
        {"改进措施", {}, false},
        {"自评得分", {"得分"}, false},
    };
    static const std::vector<FieldSpec> figures = {
        {"单位编码", {"单位代码", "预算单位编码"}, true},
        {"年度", {}, true},
        {"预算数", {}, false},
        {"预算调整数", {}, false},
        {"执行数", {}, false},
        {"结转结余总额", {}, false},
        {"三公经费", {"“三公”经费", "\"三公\"经费"}, false},
        {"在职人员经费", {}, false},
        {"公用经费", {}, false},
        {"在职人数", {}, false},
        {"编制数", {}, false},
        {"政府采购预算", {}, false},
        {"政府采购执行数", {}, false},
    };
    switch (section) {
    case Section::Units: return units;
    case Section::Projects: return projects;
    case Section::Execution: return execution;
    case Section::Indicators: return indicators;
    case Section::Figures: return figures;
    }
    return units;
}

std::optional<int> HeaderMap::column(const std::string& canonical) const {
    auto it = columns.find(canonical);
    if (it == columns.end()) return std::nullopt;
    return it->second;
}

std::string HeaderMap::headerAt(int column) const {
    return column >= 0 && column < int(found.size()) ? found[column] : std::string();
}

std::string headerKey(const std::string& text) {
    std::string s = normalizeText(text);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }),
            s.end());
    // "全年预算数（万元）" / "全年预算数(万元)": a bracketed unit at the end names no new field.
    if (!s.empty() && s.back() == ')') {
        auto open = s.rfind('(');
        if (open != std::string::npos && open > 0) s.erase(open);
    }
    return s;
}

namespace {

/// Canonical header for a key, if the key is the header or one of its aliases.
std::optional<std::string> lookup(const std::string& key, Section section) {
    for (const auto& field : fieldsOf(section)) {
        if (headerKey(field.header) == key) return field.header;
        for (const auto& alias : field.aliases)
            if (headerKey(alias) == key) return field.header;
    }
    return std::nullopt;
}

std::string quoted(const std::string& s) { return "“" + s + "”"; }

} // namespace

HeaderMap mapHeaders(const Table& table, Section section, const std::map<std::string, std::string>& mapping,
                     model::Diagnostics& diags) {
    std::map<std::string, std::string> mapped;  // header key → canonical header
    for (const auto& [from, to] : mapping) mapped[headerKey(from)] = to;
    auto resolve = [&](const std::string& text) -> std::optional<std::string> {
        std::string key = headerKey(text);
        if (key.empty()) return std::nullopt;
        auto m = mapped.find(key);
        if (m != mapped.end()) return lookup(headerKey(m->second), section);
        return lookup(key, section);
    };

    HeaderMap map;
    const size_t scan = std::min<size_t>(table.rows.size(), 10);
    for (size_t i = 0; i < scan && map.headerIndex < 0; ++i) {
        int known = 0;
        for (const auto& cell : table.rows[i].cells)
            if (resolve(cellText(cell))) ++known;
        if (known >= 2) map.headerIndex = int(i);
    }
    model::Position filePos{table.file, table.sheet, 0, -1, {}};
    if (map.headerIndex < 0) {
        std::string expected;
        for (const auto& field : fieldsOf(section))
            if (field.required) expected += (expected.empty() ? "" : "、") + quoted(field.header);
        diags.error(filePos, {}, std::string("找不到“") + sectionName(section) + "”表的表头行（前10行中没有可识别的列名）。",
                    "表头应包含" + expected + "等列；如果列名不同，请在 dataset.json 的 columns 中对应。");
        return map;
    }

    const Row& header = table.rows[map.headerIndex];
    std::vector<std::string> unknown;
    std::vector<int> unknownColumns;
    for (size_t c = 0; c < header.cells.size(); ++c) {
        std::string text = cellText(header.cells[c]);
        map.found.resize(c + 1);
        map.found[c] = text;
        if (text.empty()) continue;
        auto canonical = resolve(text);
        if (!canonical) {
            unknown.push_back(text);
            unknownColumns.push_back(int(c));
            continue;
        }
        if (map.columns.count(*canonical)) {
            diags.error({table.file, table.sheet, header.row, int(c), text}, text,
                        "列" + quoted(text) + "与第" + model::columnLetter(map.columns[*canonical]) + "列重复，都对应" +
                            quoted(*canonical) + "。",
                        "请删除或改名其中一列。");
            continue;
        }
        map.columns[*canonical] = int(c);
    }

    std::vector<std::string> missing;
    for (const auto& field : fieldsOf(section))
        if (!map.columns.count(field.header)) missing.push_back(field.header);

    std::set<std::string> suggestedFor;
    for (size_t u = 0; u < unknown.size(); ++u) {
        model::Position at{table.file, table.sheet, header.row, unknownColumns[u], unknown[u]};
        auto guess = model::closestMatch(headerKey(unknown[u]), missing);
        if (guess) {
            suggestedFor.insert(*guess);
            diags.note(at, unknown[u], "无法识别的列名" + quoted(unknown[u]) + "，是否指" + quoted(*guess) + "？",
                       "可在 dataset.json 的 columns 中写 {" + quoted(unknown[u]) + ": " + quoted(*guess) + "}。");
        } else {
            diags.note(at, unknown[u], "无法识别的列名" + quoted(unknown[u]) + "，该列将被忽略。");
        }
    }
    for (const auto& field : fieldsOf(section)) {
        if (!field.required || map.columns.count(field.header)) continue;
        std::string hint;
        for (size_t u = 0; u < unknown.size(); ++u)
            if (model::closestMatch(headerKey(unknown[u]), {field.header}))
                hint = "第" + model::columnLetter(unknownColumns[u]) + "列" + quoted(unknown[u]) + "是否指" +
                       quoted(field.header) + "？可在 dataset.json 的 columns 中对应。";
        diags.error({table.file, table.sheet, header.row, -1, {}}, {},
                    std::string("“") + sectionName(section) + "”表缺少必需的列" + quoted(field.header) + "。", hint);
    }
    return map;
}

} // namespace jixiao::ingest
