#include "ingest/headers.h"

#include "ingest/values.h"

#include "model/text.h"

#include <algorithm>
#include <set>

namespace jixiao::ingest {

const std::vector<Section>& allSections() {
    static const std::vector<Section> all = {Section::Units, Section::Projects, Section::Execution, Section::Indicators, Section::Figures};
    return all;
}

std::string jsonLiteral(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

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
    // Aliases are the names real exports use (预算管理一体化 systems of several provinces,
    // 决算 exports, hand-made sheets); a unit in brackets is dropped before matching.
    static const std::vector<FieldSpec> units = {
        {"单位编码", {"单位代码", "预算单位编码", "预算单位代码"}, true},
        {"单位名称", {"预算单位", "单位", "预算单位名称"}, true},
        {"主管部门编码", {"部门编码", "上级单位编码", "上级单位代码", "主管部门代码", "上级部门编码"}, false},
        {"单位类型", {}, false},
        {"联系人", {}, false},
        {"联系电话", {}, false},
    };
    static const std::vector<FieldSpec> projects = {
        {"项目编码", {"项目代码", "项目编号"}, true},
        {"项目名称", {}, true},
        {"单位编码", {"单位代码", "预算单位编码", "预算单位代码"}, true},
        {"项目类别", {"项目类型"}, false},
        {"功能分类科目", {"支出功能分类", "支出功能分类科目", "功能科目"}, false},
        {"资金来源", {}, false},
        {"是否涉密", {"涉密/非密", "涉密", "密级", "是否保密"}, false},
        {"实施期", {"项目期限", "实施期限", "项目周期"}, false},
        {"年度总体目标", {"年度目标", "年度绩效目标"}, false},
        {"总体目标完成情况", {"实际完成情况"}, false},
        {"项目负责人", {"负责人"}, false},
    };
    static const std::vector<FieldSpec> execution = {
        {"项目编码", {"项目代码", "项目编号"}, true},
        {"资金类别", {"资金来源明细", "资金性质", "资金类型"}, false},
        {"年初预算数", {"年初预算", "年初数"}, false},
        {"全年预算数", {"调整后预算数", "预算数", "全年预算", "全年数"}, true},
        {"全年执行数", {"实际支出数", "支出数", "执行数", "全年执行", "实际执行数", "全年支出数"}, true},
        {"偏差原因", {"执行偏差原因", "预算调整说明"}, false},
        {"自评得分", {"得分"}, false},
    };
    static const std::vector<FieldSpec> indicators = {
        {"项目编码", {"项目代码", "项目编号"}, false},
        {"单位编码", {"单位代码", "预算单位编码", "预算单位代码"}, false},
        {"一级指标", {}, true},
        {"二级指标", {}, true},
        {"三级指标", {"指标名称"}, true},
        {"指标性质", {"运算符", "指标方向", "比较符号"}, false},
        {"年度指标值", {"指标值", "目标值", "年度目标值"}, true},
        {"计量单位", {"度量单位"}, false},
        {"分值", {"权重", "指标权重", "指标分值"}, false},
        {"实际完成值", {"全年实际值", "实际值", "完成值"}, true},
        {"偏差原因分析", {"未完成原因", "偏差原因"}, false},
        {"改进措施", {}, false},
        {"自评得分", {"得分"}, false},
    };
    static const std::vector<FieldSpec> figures = {
        {"单位编码", {"单位代码", "预算单位编码", "预算单位代码"}, true},
        {"年度", {"年份"}, true},
        {"预算数", {}, false},
        {"预算调整数", {}, false},
        {"执行数", {}, false},
        {"结转结余总额", {}, false},
        {"三公经费", {"“三公”经费", "\"三公\"经费"}, false},
        {"在职人员经费", {}, false},
        {"公用经费", {}, false},
        {"在职人数", {}, false},
        {"编制数", {"编制人数"}, false},
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

std::string HeaderMap::headerAt(int column) const { return column >= 0 && column < int(found.size()) ? found[column] : std::string(); }

std::string headerKey(const std::string& text) {
    std::string s = normalizeText(text);
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }), s.end());
    // "全年预算数（万元）" / "全年预算数(万元)": a bracketed unit at the end names no new field.
    if (!s.empty() && s.back() == ')') {
        auto open = s.rfind('(');
        if (open != std::string::npos && open > 0) s.erase(open);
    }
    return s;
}

namespace {

std::string moneyUnit(std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; }), s.end());
    if (s == "元" || s == "人民币元") return "元";
    if (s == "万元" || s == "人民币万元") return "万元";
    return {};
}

}  // namespace

std::string headerUnit(const std::string& text) {
    std::string s = normalizeText(text);
    if (s.empty() || s.back() != ')') return {};
    auto open = s.rfind('(');
    if (open == std::string::npos) return {};
    std::string inside = s.substr(open + 1, s.size() - open - 2);
    // "(单位：元)" as well as "(元)".
    if (auto colon = inside.find(':'); colon != std::string::npos) inside.erase(0, colon + 1);
    return moneyUnit(inside);
}

std::string declaredUnit(const std::string& text) {
    std::string s = normalizeText(text);
    auto at = s.find("单位:");
    if (at == std::string::npos) return {};
    std::string rest = s.substr(at + std::string("单位:").size());
    rest.erase(0, rest.find_first_not_of(' '));
    for (const char* unit : {"万元", "元"})
        if (rest.rfind(unit, 0) == 0) return unit;
    return {};
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

/// Resolves header texts in one section through the mapping, then the names and aliases.
struct Resolver {
    Section section;
    std::map<std::string, std::string> mapped;  // header key → canonical header
    Resolver(Section s, const std::map<std::string, std::string>& mapping) : section(s) {
        for (const auto& [from, to] : mapping) mapped[headerKey(from)] = to;
    }
    std::optional<std::string> operator()(const std::string& text) const {
        std::string key = headerKey(text);
        if (key.empty()) return std::nullopt;
        auto m = mapped.find(key);
        if (m != mapped.end()) {
            if (auto target = lookup(headerKey(m->second), section)) return target;
        }
        return lookup(key, section);
    }
};

/// Column texts of a one-row header.
std::vector<std::string> oneRow(const Row& row) {
    std::vector<std::string> out;
    for (const auto& cell : row.cells) out.push_back(cellText(cell));
    return out;
}

/// Column texts of a two-row header: a group cell ("预算数（元）", merged across the columns
/// below it, so only its first cell holds the text) combined with each sub-header below.
/// Each column gives the names to try, best first; `shown` is what messages quote.
struct TwoRow {
    std::vector<std::vector<std::string>> tries;
    std::vector<std::string> shown;
    std::vector<std::string> units;
};
TwoRow twoRows(const Row& top, const Row& below) {
    TwoRow out;
    const size_t width = std::max(top.cells.size(), below.cells.size());
    std::string group;
    for (size_t c = 0; c < width; ++c) {
        std::string t = c < top.cells.size() ? cellText(top.cells[c]) : std::string();
        std::string b = c < below.cells.size() ? cellText(below.cells[c]) : std::string();
        if (!t.empty()) group = t;
        if (b.empty()) {
            group = t;  // a header that spans both rows ends any group
            out.tries.push_back({t});
            out.shown.push_back(t);
            out.units.push_back(headerUnit(t));
            continue;
        }
        if (t.empty() && group.empty()) {
            out.tries.push_back({b});
            out.shown.push_back(b);
            out.units.push_back(headerUnit(b));
            continue;
        }
        const std::string g = headerKey(group), k = headerKey(b);
        out.tries.push_back({k + g, g + k, k, k + "数"});
        out.shown.push_back(group + "/" + b);
        std::string unit = headerUnit(b);
        out.units.push_back(unit.empty() ? headerUnit(group) : unit);
    }
    return out;
}

}  // namespace

namespace {
std::string stripPrefixes(std::string key) {
    for (bool again = true; again;) {
        again = false;
        for (const char* prefix : {"全年", "实际", "预算", "指标", "年度", "本年"}) {
            const std::string p = prefix;
            if (key.size() > p.size() && key.compare(0, p.size(), p) == 0) {
                key.erase(0, p.size());
                again = true;
            }
        }
    }
    return key;
}
}  // namespace

std::optional<std::string> suggestField(const std::string& header, const std::vector<std::string>& candidates) {
    const std::string key = headerKey(header);
    std::vector<std::string> others;
    for (const auto& c : candidates)
        if (headerKey(c) != key) others.push_back(c);
    if (auto close = model::closestMatch(key, others)) return close;
    const std::string bare = stripPrefixes(key);
    for (const auto& c : others)
        if (stripPrefixes(headerKey(c)) == bare) return c;
    return std::nullopt;
}

std::optional<std::string> canonicalField(const std::string& header, Section section) { return lookup(headerKey(header), section); }

std::optional<std::pair<Section, std::string>> hiddenField(const std::string& from, const std::string& to) {
    for (Section section : allSections())
        if (auto field = canonicalField(from, section); field && *field != to) return std::make_pair(section, *field);
    return std::nullopt;
}

bool hasRequired(const HeaderMap& map, Section section) {
    if (map.headerIndex < 0) return false;
    for (const auto& field : fieldsOf(section))
        if (field.required && !map.column(field.header)) return false;
    return true;
}

HeaderMap matchHeaders(const Table& table, Section section, const std::map<std::string, std::string>& mapping) {
    Resolver resolve(section, mapping);
    HeaderMap map;
    const size_t scan = std::min<size_t>(table.rows.size(), 10);
    for (size_t i = 0; i < scan && map.headerIndex < 0; ++i) {
        int known = 0;
        for (const auto& cell : table.rows[i].cells)
            if (resolve(cellText(cell))) ++known;
        if (known >= 2) map.headerIndex = int(i);
    }
    if (map.headerIndex < 0) return map;

    // One row or two: the reading that recognises more fields wins.
    auto fill = [&](const std::vector<std::vector<std::string>>& tries, const std::vector<std::string>& shown,
                    const std::vector<std::string>& units) {
        HeaderMap m;
        m.headerIndex = map.headerIndex;
        m.found = shown;
        for (size_t c = 0; c < tries.size(); ++c) {
            if (!units[c].empty()) m.units[int(c)] = units[c];
            for (const auto& t : tries[c])
                if (auto canonical = resolve(t)) {
                    if (!m.columns.count(*canonical)) m.columns[*canonical] = int(c);
                    break;
                }
        }
        return m;
    };
    const Row& header = table.rows[map.headerIndex];
    std::vector<std::string> texts = oneRow(header), units;
    std::vector<std::vector<std::string>> tries;
    for (const auto& t : texts) {
        tries.push_back({t});
        units.push_back(headerUnit(t));
    }
    HeaderMap best = fill(tries, texts, units);
    if (size_t(map.headerIndex + 1) < table.rows.size()) {
        TwoRow two = twoRows(header, table.rows[map.headerIndex + 1]);
        HeaderMap m = fill(two.tries, two.shown, two.units);
        if (m.columns.size() > best.columns.size()) {
            m.headerRows = 2;
            best = std::move(m);
        }
    }
    for (int i = 0; i < best.headerIndex; ++i)
        for (const auto& cell : table.rows[i].cells)
            if (std::string unit = declaredUnit(cellText(cell)); !unit.empty() && best.titleUnit.empty()) {
                best.titleUnit = unit;
                best.titleUnitText = cellText(cell);
            }
    return best;
}

HeaderMap mapHeaders(const Table& table, Section section, const std::map<std::string, std::string>& mapping, model::Diagnostics& diags) {
    HeaderMap map = matchHeaders(table, section, mapping);
    model::Position filePos{table.file, table.sheet, 0, -1, {}};
    if (map.headerIndex < 0) {
        std::string expected;
        for (const auto& field : fieldsOf(section))
            if (field.required) expected += (expected.empty() ? "" : "、") + model::quoted(field.header);
        diags.error(filePos, {}, std::string("找不到“") + sectionName(section) + "”表的表头行（前10行中没有可识别的列名）。",
                    "表头应包含" + expected + "等列；如果列名不同，请在 dataset.json 的 columns 中对应，例如 \"columns\": {\"" +
                        sectionName(section) + "\": {\"原列名\": \"" + fieldsOf(section).front().header + "\"}}。");
        return map;
    }

    const Row& header = table.rows[map.headerIndex + map.headerRows - 1];
    Resolver resolve(section, mapping);
    std::vector<std::string> unknown;
    std::vector<int> unknownColumns;
    std::map<int, std::string> byColumn;
    for (const auto& [field, column] : map.columns) byColumn[column] = field;
    for (size_t c = 0; c < map.found.size(); ++c) {
        const std::string& text = map.found[c];
        if (text.empty()) continue;
        auto it = byColumn.find(int(c));
        if (it != byColumn.end()) continue;
        // Recognised but already taken by an earlier column: a duplicate.
        if (auto canonical = resolve(text); canonical && map.columns.count(*canonical)) {
            diags.error({table.file, table.sheet, header.row, int(c), text}, text,
                        "列" + model::quoted(text) + "与第" + model::columnLetter(map.columns[*canonical]) + "列重复，都对应" +
                            model::quoted(*canonical) + "。",
                        "请删除或改名其中一列。");
            continue;
        }
        unknown.push_back(text);
        unknownColumns.push_back(int(c));
    }

    std::vector<std::string> missing;
    for (const auto& field : fieldsOf(section))
        if (!map.columns.count(field.header)) missing.push_back(field.header);

    // A suggestion never names the header itself (“预算数”是否指“预算数”).
    auto guessFor = [](const std::string& text, const std::vector<std::string>& candidates) { return suggestField(text, candidates); };
    for (size_t u = 0; u < unknown.size(); ++u) {
        model::Position at{table.file, table.sheet, header.row, unknownColumns[u], unknown[u]};
        auto guess = guessFor(unknown[u], missing);
        if (guess) {
            diags.note(at, unknown[u], "无法识别的列名" + model::quoted(unknown[u]) + "，是否指" + model::quoted(*guess) + "？",
                       "可在 dataset.json 的 columns 中写 {" + jsonLiteral(sectionName(section)) + ": {" + jsonLiteral(unknown[u]) + ": " +
                           jsonLiteral(*guess) + "}}。");
        } else {
            diags.note(at, unknown[u], "无法识别的列名" + model::quoted(unknown[u]) + "，该列将被忽略。");
        }
    }
    for (const auto& field : fieldsOf(section)) {
        if (!field.required || map.columns.count(field.header)) continue;
        std::string hint;
        for (size_t u = 0; u < unknown.size(); ++u)
            if (guessFor(unknown[u], {field.header}))
                hint = "第" + model::columnLetter(unknownColumns[u]) + "列" + model::quoted(unknown[u]) + "是否指" +
                       model::quoted(field.header) + "？可在 dataset.json 的 columns 中写 {" + jsonLiteral(sectionName(section)) + ": {" +
                       jsonLiteral(unknown[u]) + ": " + jsonLiteral(field.header) + "}}。";
        diags.error({table.file, table.sheet, header.row, -1, {}}, {},
                    std::string("“") + sectionName(section) + "”表缺少必需的列" + model::quoted(field.header) + "。", hint);
    }
    return map;
}

}  // namespace jixiao::ingest
