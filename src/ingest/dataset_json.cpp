#include "ingest/dataset_json.h"

#include "ingest/dataset_reader.h"
#include "ingest/encoding.h"
#include "ingest/values.h"
#include "model/date.h"
#include "model/file_read.h"
#include "model/json.h"
#include "model/text.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>

namespace jixiao::ingest {

using model::Decimal;
using model::Diagnostics;
using model::Position;

namespace {
constexpr const char* kSettingsFile = "dataset.json";
}

int settingsErrors(const model::Diagnostics& diags) {
    return int(std::count_if(diags.list().begin(), diags.list().end(), [](const model::Diagnostic& d) {
        return d.severity == model::Severity::Error && d.at.file == kSettingsFile;
    }));
}

bool safeFileName(const std::string& name) {
    return !name.empty() && name.find('/') == std::string::npos && name.find('\\') == std::string::npos && name != "." && name != "..";
}

namespace {

std::string q(const std::string& s) { return "“" + s + "”"; }

std::string readFile(const std::string& path) {
    std::string bytes;
    if (model::readFile(path, bytes) != 0) throw ConfigError("dataset.json：无法打开文件。");
    return bytes;
}

using model::JsonValue;

/// A value as text: strings as they are, numbers as written, true/false; empty for null.
std::string jsonText(const JsonValue& v) {
    switch (v.kind) {
    case JsonValue::Kind::String:
    case JsonValue::Kind::Number: return v.text;
    case JsonValue::Kind::Bool: return v.boolean ? "true" : "false";
    case JsonValue::Kind::Null: return {};
    case JsonValue::Kind::Array: return "[…]";
    case JsonValue::Kind::Object: return "{…}";
    }
    return {};
}

/// Where a value of dataset.json starts, as a position messages show (dataset.json[行]).
Position at(const JsonValue& v, const std::string& key = {}) { return {kSettingsFile, {}, v.line, -1, key}; }

std::optional<Section> sectionNamed(const std::string& name) {
    for (Section s : allSections())
        if (name == sectionName(s)) return s;
    return std::nullopt;
}

std::vector<std::string> sectionNames() {
    std::vector<std::string> out;
    for (Section s : allSections()) out.push_back(sectionName(s));
    return out;
}

/// The keys dataset.json may hold (input.md), and names users write for them.
const std::vector<std::string>& knownKeys() {
    static const std::vector<std::string> keys = {"年度",     "发文机关", "文号前缀", "联系处室", "联系电话", "版头",
                                                  "抄送",     "印发机关", "版记格式", "评分规则", "金额单位", "偏差阈值",
                                                  "整改期限", "公开日期", "files",    "sheets",   "columns"};
    return keys;
}
std::optional<std::string> keyFor(const std::string& key) {
    static const std::map<std::string, std::string> synonyms = {
        {"公开时间", "公开日期"}, {"发布日期", "公开日期"}, {"年份", "年度"},     {"预算年度", "年度"},
        {"单位", "金额单位"},     {"货币单位", "金额单位"}, {"文件", "files"},    {"工作表", "sheets"},
        {"列名", "columns"},      {"列", "columns"},        {"规则", "评分规则"}, {"发文单位", "发文机关"},
        {"整改时限", "整改期限"}, {"sheet", "sheets"},      {"file", "files"},    {"column", "columns"}};
    if (auto it = synonyms.find(key); it != synonyms.end()) return it->second;
    return model::closestMatch(key, knownKeys());
}

/// A mapping's target must be a field of the table it applies to (or of some table, for a
/// global mapping); a wrong one is reported with the closest field name.
bool checkTarget(const std::string& from, const std::string& to, std::optional<Section> section, const Position& where,
                 Diagnostics& diags) {
    std::vector<std::string> names;
    for (Section s : allSections()) {
        if (section && s != *section) continue;
        if (canonicalField(to, s)) return true;
        for (const auto& f : fieldsOf(s)) names.push_back(f.header);
    }
    auto guess = suggestField(to, names);
    diags.error(where, to,
                "columns 中" + q(from) + "对应的" + q(to) + "不是" + (section ? q(sectionName(*section)) + "表的" : std::string()) +
                    "规范列名" + (guess ? "，是否指" + q(*guess) + "？" : "。"),
                guess ? "请改为 " + jsonLiteral(from) + ": " + jsonLiteral(*guess) + "。" : "规范列名见 docs/input.md。");
    return false;
}

/// `columns`: "原列名": "规范列名" for every table, or "表名": {…} for one table. A global
/// entry that would also rename another table's own column is refused: it is exactly the
/// mistake of mapping 预算数(元) → 全年预算数 and losing 部门整体's 预算数.
void readColumns(const JsonValue& root, Settings& s, Diagnostics& diags) {
    const JsonValue* columns = root.find("columns");
    if (!columns) return;
    if (columns->kind != JsonValue::Kind::Object) {
        diags.error(at(*columns, "columns"), {},
                    "“columns”应为 {\"原列名\": \"规范列名\"} 或 {\"表名\": {\"原列名\": \"规范列名\"}} 形式的对象。");
        return;
    }
    for (const auto& [key, value] : columns->members) {
        if (value.kind == JsonValue::Kind::Object) {
            auto section = sectionNamed(key);
            if (!section) {
                auto guess = model::closestMatch(key, sectionNames());
                diags.error(at(value, "columns"), key,
                            "columns 中的" + q(key) + "不是表名" + (guess ? "，是否指" + q(*guess) + "？" : "。"),
                            "表名为“单位”“项目”“预算执行”“绩效指标”“部门整体”之一。");
                continue;
            }
            for (const auto& [from, to] : value.members) {
                std::string target = trimText(jsonText(to));
                if (checkTarget(from, target, section, at(to, "columns"), diags)) s.sectionColumns[key][from] = target;
            }
            continue;
        }
        std::string target = trimText(jsonText(value));
        if (!checkTarget(key, target, std::nullopt, at(value, "columns"), diags)) continue;
        if (auto hidden = hiddenField(key, target)) {
            std::string owner;
            for (Section sec : allSections())
                if (canonicalField(target, sec)) {
                    owner = sectionName(sec);
                    break;
                }
            diags.error(at(value, "columns"), key,
                        "columns 中的 " + jsonLiteral(key) + ": " + jsonLiteral(target) + " 对所有表生效，会把" +
                            q(sectionName(hidden->first)) + "表的" + q(hidden->second) + "列也当作" + q(target) + "。",
                        "请写在对应的表下，例如 \"columns\": {" + jsonLiteral(owner) + ": {" + jsonLiteral(key) + ": " +
                            jsonLiteral(target) + "}}。");
            continue;
        }
        s.columns[key] = target;
    }
}

/// A repair of one kind: how many, and where the first was.
struct Repairs {
    int count = 0;
    int line = 0, column = 0;
    void add(int l, int c) {
        if (count++ == 0) {
            line = l;
            column = c;
        }
    }
    std::string where() const {
        return "第" + std::to_string(line) + "行第" + std::to_string(column) + "列" +
               (count > 1 ? "等 " + std::to_string(count) + " 处" : "");
    }
};

}  // namespace

std::string repairJson(const std::string& text, Diagnostics& diags) {
    const std::u32string in = model::decodeUtf8(text);
    std::u32string out;
    out.reserve(in.size());
    Repairs quotes, punctuation, commas;
    enum class State { Outside, Ascii, Curly } state = State::Outside;
    int line = 1, column = 0;
    auto ascii = [](char32_t c) -> char32_t {
        switch (c) {
        case U'，': return U',';
        case U'：': return U':';
        case U'｛': return U'{';
        case U'｝': return U'}';
        case U'［': return U'[';
        case U'］': return U']';
        default: return 0;
        }
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        char32_t c = in[i];
        if (c == U'\n') {
            ++line;
            column = 0;
        } else {
            ++column;
        }
        if (state == State::Ascii) {
            out += c;
            if (c == U'\\' && i + 1 < in.size()) {
                out += in[++i];
                ++column;
            } else if (c == U'"') {
                state = State::Outside;
            }
            continue;
        }
        if (state == State::Curly) {
            if (c == U'”' || c == U'“' || c == U'"') {
                if (c != U'"') quotes.add(line, column);
                out += U'"';
                state = State::Outside;
            } else {
                out += c;
            }
            continue;
        }
        if (c == U'"') {
            state = State::Ascii;
        } else if (c == U'“' || c == U'”') {
            quotes.add(line, column);
            out += U'"';
            state = State::Curly;
            continue;
        } else if (char32_t a = ascii(c)) {
            punctuation.add(line, column);
            c = a;
        }
        if (c == U',') {
            // A comma whose next non-space character closes the object or array is the comma
            // after the last item: JSON forbids it, and dropping it changes no meaning.
            std::size_t j = i + 1;
            while (j < in.size() && (in[j] == U' ' || in[j] == U'\t' || in[j] == U'\r' || in[j] == U'\n' || in[j] == U'\u3000')) ++j;
            if (j < in.size() && (in[j] == U'}' || in[j] == U']' || in[j] == U'｝' || in[j] == U'］')) {
                commas.add(line, column);
                continue;
            }
        }
        out += c;
    }
    const Position at{kSettingsFile, {}, 0, -1, {}};
    if (quotes.count)
        diags.warning(at, {}, quotes.where() + "用了全角引号“”，已按半角引号 \" 读取。", "JSON 的引号必须是半角的 \"，请改正后保存。");
    if (punctuation.count)
        diags.warning(at, {}, punctuation.where() + "用了全角标点（，：｛｝［］），已按半角标点读取。",
                      "JSON 的标点必须是半角的 , : { } [ ]，请改正后保存。");
    if (commas.count)
        diags.warning(at, {}, commas.where() + "的逗号后面已没有下一项，已忽略该逗号。", "JSON 中最后一项后面不能有逗号，请删除它。");
    return model::encodeUtf8(out);
}

Settings readSettings(const std::string& folder, Diagnostics& diags) {
    Poco::Path path(folder, "dataset.json");
    if (!Poco::File(path).exists())
        throw NoInputError(folder + "：找不到 dataset.json。每个数据集文件夹都需要一个 dataset.json，至少写明“年度”和“发文机关”。");
    std::string text = readFile(path.toString());
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    if (detectEncoding(text) != TextEncoding::Utf8)
        throw ConfigError(
            "dataset.json：文件不是 UTF-8 编码（看起来是用 GBK/ANSI 保存的）。请另存为 UTF-8："
            "用记事本打开，选“另存为”，“编码”选“UTF-8”后保存。");
    text = repairJson(text, diags);
    JsonValue root;
    try {
        root = model::parseJson(text);
    } catch (const model::JsonSyntaxError& e) {
        const std::string what = e.what();
        std::string hint = "请检查引号、逗号和括号是否成对。";
        if (what.find("逗号“,”或") != std::string::npos) hint = "上一项的末尾可能缺少逗号“,”，或引号没有成对。";
        if (what.find("用双引号括起的键名") != std::string::npos) hint = "键名要用半角双引号括起，例如 \"年度\"。";
        throw ConfigError("dataset.json 第" + std::to_string(e.line()) + "行第" + std::to_string(e.column()) + "列：" + what + "。提示：" +
                          hint);
    }
    if (root.kind != JsonValue::Kind::Object) throw ConfigError("dataset.json：最外层应为 { … } 对象。");

    Settings s;
    const Position top{kSettingsFile, {}, 0, -1, {}};
    auto keyAt = [&](const std::string& key) {
        const JsonValue* v = root.find(key);
        return Position{kSettingsFile, {}, v ? v->line : 0, -1, key};
    };
    auto has = [&](const char* key) { return root.find(key) != nullptr; };
    auto get = [&](const char* key) { return jsonText(*root.find(key)); };
    for (const auto& [key, value] : root.members) {
        if (std::find(knownKeys().begin(), knownKeys().end(), key) != knownKeys().end()) continue;
        auto guess = keyFor(key);
        if (guess)
            diags.warning(at(value, key), key, "dataset.json 中的" + q(key) + "不是可识别的设置项，已忽略；是否指" + q(*guess) + "？",
                          "请改为 " + jsonLiteral(*guess) + ": " +
                              (value.kind == JsonValue::Kind::String ? jsonLiteral(value.text) : std::string("…")) + "。");
        else
            diags.warning(at(value, key), key, "dataset.json 中的" + q(key) + "不是可识别的设置项，已忽略。",
                          "可识别的设置项见 docs/input.md。");
    }
    if (!has("年度")) {
        diags.error(top, {}, "缺少必填项“年度”。", "例如 \"年度\": 2024");
    } else {
        std::string t = get("年度");
        auto n = parseNumber(t);
        if (!n || n->percent || n->value.rounded(0) != n->value || n->value < Decimal::fromInt(2000) || n->value > Decimal::fromInt(2100))
            diags.error(keyAt("年度"), t, "“年度”应为四位年份，实际为" + q(t) + "。", "例如 \"年度\": 2024");
        else s.config.year = int(n->value.raw() / Decimal::kScale);
    }
    if (!has("发文机关") || trimText(get("发文机关")).empty())
        diags.error(has("发文机关") ? keyAt("发文机关") : top, {}, "缺少必填项“发文机关”。", "例如 \"发文机关\": \"某某县财政局\"");
    else s.config.authority = trimText(get("发文机关"));

    auto optText = [&](const char* key) { return has(key) ? trimText(get(key)) : std::string(); };
    s.config.letterPrefix = optText("文号前缀");
    s.config.contactOffice = optText("联系处室");
    s.config.contactPhone = optText("联系电话");
    s.config.letterhead = optText("版头");
    s.config.copyTo = optText("抄送");
    s.config.printer = optText("印发机关");
    if (std::string rules = optText("评分规则"); !rules.empty()) s.config.ruleSet = rules;
    // The 发文机关 (or the 版头 standing for it) is set on the one line of the letter's 版头 in
    // large type: text longer than any agency's name cannot be laid out there, and would stop
    // every letter. Refused here, before a run writes anything.
    constexpr std::size_t kMaxAuthority = 40;
    for (auto [key, value] :
         {std::pair<const char*, const std::string*>{"发文机关", &s.config.authority}, {"版头", &s.config.letterhead}}) {
        const std::u32string chars = model::decodeUtf8(*value);
        if (chars.size() <= kMaxAuthority) continue;
        diags.error(keyAt(key), *value,
                    q(key) + "有 " + std::to_string(chars.size()) + " 个字（“" + model::encodeUtf8(chars.substr(0, 12)) + "…”），超过了 " +
                        std::to_string(kMaxAuthority) + " 个字的上限：它印在反馈函的版头，只有一行。",
                    "请写机关的全称或规范简称，例如 " + jsonLiteral(key) + ": \"某某县财政局\"。");
    }
    auto unitValue = [&](const std::string& key, const std::string& v) -> std::string {
        std::string unit = trimText(v);
        if (unit == "元" || unit == "万元") return unit;
        diags.error(keyAt("金额单位"), unit,
                    "“金额单位”" + (key.empty() ? std::string() : "中" + q(key) + "的值") + "应为“万元”或“元”，实际为" + q(unit) + "。",
                    "例如 \"金额单位\": \"元\"，或按表写 \"金额单位\": {\"预算执行\": \"元\", \"部门整体\": \"万元\"}。");
        return {};
    };
    if (const JsonValue* units = root.find("金额单位")) {
        if (units->kind == JsonValue::Kind::Object) {
            for (const auto& [section, v] : units->members) {
                if (!sectionNamed(section)) {
                    auto guess = model::closestMatch(section, sectionNames());
                    diags.error(keyAt("金额单位"), section,
                                "“金额单位”中的" + q(section) + "不是表名" + (guess ? "，是否指" + q(*guess) + "？" : "。"),
                                "表名为“单位”“项目”“预算执行”“绩效指标”“部门整体”之一。");
                    continue;
                }
                if (std::string unit = unitValue(section, jsonText(v)); !unit.empty()) s.sectionUnits[section] = unit;
            }
        } else if (std::string v = optText("金额单位"); !v.empty()) {
            s.moneyUnit = unitValue({}, v);
        }
    }
    if (std::string t = optText("偏差阈值"); !t.empty()) {
        auto n = parseNumber(t);
        if (!n || n->fraction() < Decimal() || n->fraction() > Decimal::fromInt(1))
            diags.error(keyAt("偏差阈值"), t, "“偏差阈值”应为0到1之间的小数（如0.10）或百分数（如10%），实际为" + q(t) + "。");
        else s.config.varianceThreshold = n->fraction();
    }
    if (std::string days = optText("整改期限"); !days.empty()) {
        auto n = parseNumber(days);
        if (!n || n->percent || n->value.rounded(0) != n->value || n->value < Decimal::fromInt(1) || n->value > Decimal::fromInt(365))
            diags.error(keyAt("整改期限"), days, "“整改期限”应为1到365之间的天数，实际为" + q(days) + "。", "例如 \"整改期限\": 30");
        else s.config.rectificationDays = int(n->value.raw() / Decimal::kScale);
    }
    if (std::string format = optText("版记格式"); !format.empty()) {
        if (format != "公文" && format != "信函")
            diags.error(
                keyAt("版记格式"), format, "“版记格式”应为“公文”或“信函”，实际为" + q(format) + "。",
                "例如 \"版记格式\": \"信函\"（只印抄送，不加分隔线），或删去此项（按公文格式印分隔线、抄送、印发机关和印发日期）。");
        else s.config.colophonFormat = format;
        if (format == "信函" && !s.config.printer.empty())
            diags.warning(keyAt("印发机关"), s.config.printer,
                          "“版记格式”为“信函”时，反馈函的版记只印抄送（GB/T 9704-2012 10.1），“印发机关”" + q(s.config.printer) +
                              "和印发日期不会印出。",
                          "如需印出，请删去 \"版记格式\": \"信函\"；否则删去 \"印发机关\"。");
    }
    if (std::string date = optText("公开日期"); !date.empty()) {
        if (!model::Date::parse(date))
            diags.error(keyAt("公开日期"), date, "“公开日期”不是有效日期：" + q(date) + "。", "格式应为 YYYY-MM-DD，例如 2025-08-20。");
        else s.config.publishDate = date;
    }
    if (s.config.letterPrefix.empty() && !s.config.authority.empty()) {
        // 某某县财政局 → 某财绩: the customary short form is the first character plus 财绩.
        std::string first = s.config.authority.substr(0, s.config.authority.size() >= 3 ? 3 : 1);
        s.config.letterPrefix = first + "财绩";
    }
    auto readMap = [&](const char* key, std::map<std::string, std::string>& out) {
        const JsonValue* obj = root.find(key);
        if (!obj) return;
        if (obj->kind != JsonValue::Kind::Object) {
            diags.error(keyAt(key), {}, std::string("“") + key + "”应为 {\"表名\": \"值\"} 形式的对象。");
            return;
        }
        for (const auto& [k, v] : obj->members) {
            if (!sectionNamed(k)) {
                auto guess = model::closestMatch(k, sectionNames());
                diags.error(keyAt(key), k, std::string(key) + " 中的" + q(k) + "不是表名" + (guess ? "，是否指" + q(*guess) + "？" : "。"),
                            "表名为“单位”“项目”“预算执行”“绩效指标”“部门整体”之一。");
                continue;
            }
            out[k] = trimText(jsonText(v));
        }
    };
    readMap("files", s.files);
    readMap("sheets", s.sheets);
    readColumns(root, s, diags);
    for (const auto& [section, file] : s.files)
        if (!safeFileName(file)) {
            diags.error(keyAt("files"), file, "files 中“" + section + "”的文件名" + q(file) + "不安全：不能包含路径分隔符或“..”。",
                        "只写文件名，文件应放在数据集文件夹内。");
        }
    return s;
}

}  // namespace jixiao::ingest
