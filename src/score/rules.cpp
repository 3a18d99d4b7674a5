#include "score/rules.h"

#include "model/file_read.h"
#include "score/format.h"
#include "model/json.h"
#include "model/text.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace jixiao::score {

using model::Decimal;
using model::JsonSyntaxError;
using model::JsonValue;
using model::parseJson;

std::string severityName(FindingSeverity severity) {
    switch (severity) {
    case FindingSeverity::Notice: return "提示";
    case FindingSeverity::Explain: return "需说明";
    case FindingSeverity::Rectify: return "需整改";
    }
    return {};
}

const std::vector<std::string>& findingCodes() {
    static const std::vector<std::string> codes = {
        "execution_low",    "budget_adjusted",     "unmet_no_reason",    "target_too_low",     "self_score_mismatch",
        "met_but_deducted", "weights_not_100",     "score_above_weight", "fund_rows_mismatch", "actual_repeats_target",
        "actual_missing",   "indicator_deviation", "execution_cap",
    };
    return codes;
}

std::string findingName(const std::string& code) {
    static const std::map<std::string, std::string> names = {
        {"execution_low", "执行率偏低未说明"},         {"budget_adjusted", "预算调整未说明"},
        {"unmet_no_reason", "指标未完成未说明原因"},   {"target_too_low", "目标值设置偏低"},
        {"self_score_mismatch", "自评分与复核分不符"}, {"met_but_deducted", "已完成但自评扣分"},
        {"weights_not_100", "分值合计不为100"},        {"score_above_weight", "自评分高于分值"},
        {"fund_rows_mismatch", "资金分项与合计不符"},  {"actual_repeats_target", "实际完成值只重复指标值"},
        {"actual_missing", "实际完成值为空"},
    };
    auto it = names.find(code);
    return it == names.end() ? code : it->second;
}

const std::vector<std::string>& ratioNames() {
    static const std::vector<std::string> names = {
        "预算执行率", "预算调整率", "结转结余变动率", "“三公”经费变动率", "人均公用经费变动率", "政府采购执行率", "在职人员控制率",
    };
    return names;
}

namespace {

/// Which sentence templates each finding code has, and the placeholders each may use.
struct MessageSpec {
    const char* code;
    const char* key;
    bool required;
    std::vector<std::string> placeholders;
};

/// The finding codes that belong to an optional parameter: required only when it is set.
bool optionalCode(const std::string& code, const RuleSet& rules) {
    if (code == "indicator_deviation") return !rules.deviation;
    if (code == "execution_cap") return rules.executionCaps.empty();
    return false;
}

const std::vector<MessageSpec>& messageSpecs() {
    static const std::vector<MessageSpec> specs = {
        {"execution_low", "message", true, {"rate", "threshold", "budget", "executed"}},
        {"budget_adjusted", "message", true, {"initial", "adjusted", "change"}},
        {"unmet_no_reason", "message", true, {"indicator", "target", "actual", "completion", "variance"}},
        {"unmet_no_reason", "message_qualitative", true, {"indicator", "target", "actual", "band"}},
        {"target_too_low", "message", true, {"indicator", "target", "actual", "completion", "variance", "threshold"}},
        {"self_score_mismatch", "message", true, {"item", "self_score", "self_note", "score", "difference"}},
        {"self_score_mismatch", "message_band", true, {"indicator", "actual", "band", "band_range", "self_score", "self_note", "score"}},
        {"self_score_mismatch", "self_note", true, {"indicator_total", "scaled"}},
        {"met_but_deducted", "message", true, {"indicator", "target", "actual", "completion", "weight", "self_score"}},
        {"weights_not_100", "message", true, {"budget_weight", "indicator_sum", "sum"}},
        {"weights_not_100", "message_rescaled", true, {"indicator_sum", "expected"}},
        {"weights_not_100", "message_department", true, {"sum", "expected"}},
        {"score_above_weight", "message", true, {"item", "self_score", "weight"}},
        {"fund_rows_mismatch", "message", true, {"field", "sum", "total"}},
        {"actual_repeats_target", "message", true, {"indicator", "actual", "target"}},
        {"actual_missing", "message", true, {"indicator", "target"}},
        {"indicator_deviation",
         "message",
         true,
         {"indicator", "target", "actual", "completion", "variance", "threshold", "points", "weight", "score"}},
        {"execution_cap", "message", true, {"rate", "band", "max_total", "total", "points"}},
    };
    return specs;
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        if (!out.empty()) out += "、";
        out += n;
    }
    return out;
}

/// What a value looks like in a message: its text, or a short stand-in for containers.
std::string shown(const JsonValue& v) {
    switch (v.kind) {
    case JsonValue::Kind::Null: return "null";
    case JsonValue::Kind::Bool: return v.boolean ? "true" : "false";
    case JsonValue::Kind::Number:
    case JsonValue::Kind::String: return v.text;
    case JsonValue::Kind::Array: return "[…]";
    case JsonValue::Kind::Object: return "{…}";
    }
    return {};
}

/// Validates one rule file; every failure names the file and the key path.
class Checker {
public:
    explicit Checker(std::string file) : file_(std::move(file)) {}

    /// `line`: where the offending value starts (0 when there is no single place).
    [[noreturn]] void fail(const std::string& path, const std::string& problem, int line = 0) const {
        throw RuleError(file_ + "：" + at(line) + "键" + model::quoted(path) + problem + "。");
    }
    [[noreturn]] void wrong(const std::string& path, const std::string& expected, const JsonValue& v) const {
        fail(path, "应为" + expected + "，实际为" + model::quoted(shown(v)), v.line);
    }
    /// "第12行：" or nothing.
    static std::string at(int line) { return line > 0 ? "第" + std::to_string(line) + "行：" : std::string(); }

    /// Refuses keys outside `allowed`; "说明" (a free comment) is allowed everywhere.
    void onlyKeys(const JsonValue& obj, const std::string& path, const std::vector<std::string>& allowed) const {
        for (const auto& member : obj.members) {
            if (member.first == "说明") {
                if (member.second.kind != JsonValue::Kind::String) wrong(join(path, "说明"), "文字", member.second);
                continue;
            }
            if (std::find(allowed.begin(), allowed.end(), member.first) == allowed.end())
                fail(join(path, member.first), "未知，此处可用的键：" + joinNames(allowed), member.second.line);
        }
    }

    const JsonValue& object(const JsonValue& parent, const std::string& path, const std::string& key) const {
        const JsonValue& v = require(parent, path, key);
        if (v.kind != JsonValue::Kind::Object) wrong(join(path, key), "对象（{…}）", v);
        return v;
    }

    const JsonValue& require(const JsonValue& parent, const std::string& path, const std::string& key) const {
        const JsonValue* v = parent.find(key);
        if (!v) throw RuleError(file_ + "：" + at(parent.line) + "缺少键" + model::quoted(join(path, key)) + "。");
        return *v;
    }

    std::string string(const JsonValue& v, const std::string& path) const {
        if (v.kind != JsonValue::Kind::String || v.text.empty()) wrong(path, "非空文字", v);
        return v.text;
    }

    Decimal number(const JsonValue& v, const std::string& path, Decimal lo, Decimal hi, const std::string& expected) const {
        if (v.kind != JsonValue::Kind::Number) wrong(path, expected, v);
        auto d = Decimal::parse(v.text);
        if (!d || *d < lo || *d > hi) wrong(path, expected, v);
        return *d;
    }

    int integer(const JsonValue& v, const std::string& path, int lo, int hi) const {
        std::string expected = std::to_string(lo) + "到" + std::to_string(hi) + "之间的整数";
        Decimal d = number(v, path, Decimal::fromInt(lo), Decimal::fromInt(hi), expected);
        if (d.rounded(0) != d) wrong(path, expected, v);
        return static_cast<int>(d.raw() / Decimal::kScale);
    }

    bool boolean(const JsonValue& v, const std::string& path) const {
        if (v.kind != JsonValue::Kind::Bool) wrong(path, "true或false", v);
        return v.boolean;
    }

    std::vector<std::string> strings(const JsonValue& v, const std::string& path, bool nonEmpty) const {
        if (v.kind != JsonValue::Kind::Array) wrong(path, "文字数组（[\"…\", …]）", v);
        if (nonEmpty && v.items.empty()) fail(path, "不能为空数组", v.line);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < v.items.size(); ++i) out.push_back(string(v.items[i], path + "[" + std::to_string(i) + "]"));
        return out;
    }

    FindingSeverity severity(const JsonValue& v, const std::string& path) const {
        if (v.kind == JsonValue::Kind::String) {
            for (auto s : {FindingSeverity::Notice, FindingSeverity::Explain, FindingSeverity::Rectify})
                if (v.text == severityName(s)) return s;
        }
        wrong(path, "“提示”“需说明”或“需整改”", v);
    }

    static std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

private:
    std::string file_;
};

const Decimal kZero = Decimal::fromInt(0);
const Decimal kOne = Decimal::fromInt(1);
const Decimal kHundred = Decimal::fromInt(100);
const Decimal kHuge = Decimal::fromInt(1000000);

void checkTemplate(const Checker& c, const std::string& path, const std::string& tmpl, const std::vector<std::string>& allowed, int line) {
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '}') c.fail(path, "中有多余的右花括号“}”", line);
        if (tmpl[i] != '{') continue;
        std::size_t end = tmpl.find('}', i + 1);
        if (end == std::string::npos) c.fail(path, "中的占位符缺少右花括号“}”", line);
        std::string name = tmpl.substr(i + 1, end - i - 1);
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            std::vector<std::string> braced;
            for (const auto& a : allowed) braced.push_back("{" + a + "}");
            c.fail(path, "中的占位符" + model::quoted("{" + name + "}") + "未知，可用：" + joinNames(braced), line);
        }
        i = end;
    }
}

void readIndicators(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const std::string path = "indicators";
    const JsonValue& ind = c.object(root, "", path);
    c.onlyKeys(ind, path, {"total", "rescale", "accepted_totals", "reverse_variant", "levels"});

    const JsonValue& total = c.require(ind, path, "total");
    rules.indicatorTotal = c.number(total, "indicators.total", kZero, kHundred, "0到100之间的数字");
    if (rules.budgetWeight + rules.indicatorTotal != kHundred)
        c.fail("indicators.total",
               "应等于100减去budget.weight，即" + (kHundred - rules.budgetWeight).toString() + "，实际为" + model::quoted(total.text),
               total.line);
    if (const JsonValue* v = ind.find("rescale")) rules.rescale = c.boolean(*v, "indicators.rescale");
    if (const JsonValue* v = ind.find("accepted_totals")) {
        if (v->kind != JsonValue::Kind::Array || v->items.empty()) c.wrong("indicators.accepted_totals", "非空的数字数组", *v);
        for (std::size_t i = 0; i < v->items.size(); ++i)
            rules.acceptedTotals.push_back(c.number(v->items[i], "indicators.accepted_totals[" + std::to_string(i) + "]",
                                                    Decimal::fromRaw(1), kHundred, "0到100之间的正数"));
    } else {
        rules.acceptedTotals.push_back(rules.indicatorTotal);
    }

    const JsonValue& variant = c.require(ind, path, "reverse_variant");
    if (variant.kind == JsonValue::Kind::String && variant.text == "A") rules.reverse = ReverseVariant::A;
    else if (variant.kind == JsonValue::Kind::String && variant.text == "B") rules.reverse = ReverseVariant::B;
    else c.wrong("indicators.reverse_variant", "“A”或“B”", variant);

    const JsonValue& levels = c.object(ind, path, "levels");
    if (levels.members.empty()) c.fail("indicators.levels", "不能为空", levels.line);
    std::set<std::string> seen;
    Decimal defaults;
    for (const auto& [name, body] : levels.members) {
        if (name == "说明") continue;
        std::string lp = "indicators.levels." + name;
        if (body.kind != JsonValue::Kind::Object) c.wrong(lp, "对象（{…}）", body);
        c.onlyKeys(body, lp, {"weight", "aliases", "level2"});
        LevelRule level;
        level.name = name;
        const JsonValue& w = c.require(body, lp, "weight");
        if (w.kind != JsonValue::Kind::Null) {
            level.weight = c.number(w, lp + ".weight", kZero, kHundred, "0到100之间的数字或null");
            defaults += *level.weight;
        }
        if (const JsonValue* v = body.find("aliases")) level.aliases = c.strings(*v, lp + ".aliases", false);
        if (const JsonValue* v = body.find("level2")) level.level2 = c.strings(*v, lp + ".level2", false);
        if (!seen.insert(name).second) c.fail(lp, "与其他一级指标的名称或别名重复", body.line);
        for (std::size_t i = 0; i < level.aliases.size(); ++i)
            if (!seen.insert(level.aliases[i]).second)
                c.fail(lp + ".aliases[" + std::to_string(i) + "]", "与其他一级指标的名称或别名重复", body.find("aliases")->items[i].line);
        rules.levels.push_back(std::move(level));
    }
    // Without rescaling the defaults are the points themselves, so they must fill the indicator
    // total exactly (财预〔2020〕10号: 产出50、效益30、满意度10 with 预算执行率10).
    if (!rules.rescale && defaults != rules.indicatorTotal)
        c.fail("indicators.levels",
               "中各一级指标的默认分值合计应等于indicators.total（" + rules.indicatorTotal.toString() + "），实际为" + defaults.toString(),
               levels.line);
    if (rules.rescale && defaults.isZero()) c.fail("indicators.levels", "中至少要有一个一级指标给出默认分值", levels.line);
}

void readBands(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue& q = c.object(root, "", "qualitative");
    std::set<std::string> words;
    int lastLowerLine = 0;
    for (const auto& [name, body] : q.members) {
        if (name == "说明") continue;
        std::string bp = "qualitative." + name;
        if (body.kind != JsonValue::Kind::Object) c.wrong(bp, "对象（{…}）", body);
        c.onlyKeys(body, bp, {"lower", "upper", "default", "words"});
        Band band;
        band.name = name;
        const std::string share = "0到1之间的数字（分值的比例）";
        band.lower = c.number(c.require(body, bp, "lower"), bp + ".lower", kZero, kOne, share);
        band.upper = c.number(c.require(body, bp, "upper"), bp + ".upper", kZero, kOne, share);
        const int upperLine = body.find("upper")->line;
        if (band.upper <= band.lower)
            c.fail(bp + ".upper", "应大于下限" + band.lower.toString() + "，实际为" + band.upper.toString(), upperLine);
        band.defaultShare = c.number(c.require(body, bp, "default"), bp + ".default", kZero, kOne, share);
        bool top = rules.bands.empty();
        // Bands are [lower, upper); only the top band includes its upper bound (full marks).
        if (band.defaultShare < band.lower || band.defaultShare > band.upper || (!top && band.defaultShare == band.upper))
            c.fail(bp + ".default",
                   "应在本档区间" + band.lower.toString() + "–" + band.upper.toString() + (top ? "内" : "（不含上限）内") + "，实际为" +
                       band.defaultShare.toString(),
                   body.find("default")->line);
        if (top && band.upper != kOne) c.fail(bp + ".upper", "应为1（最高一档须包含满分），实际为" + band.upper.toString(), upperLine);
        if (!top && band.upper != rules.bands.back().lower)
            c.fail(bp + ".upper",
                   "应等于上一档" + model::quoted(rules.bands.back().name) + "的下限" + rules.bands.back().lower.toString() +
                       "（各档须覆盖0–100%且不重叠），实际为" + band.upper.toString(),
                   upperLine);
        const JsonValue& wordsValue = c.require(body, bp, "words");
        band.words = c.strings(wordsValue, bp + ".words", true);
        for (std::size_t i = 0; i < band.words.size(); ++i) {
            // Stored as they are matched: trimmed, without a final 。
            band.words[i] = normalizeWord(band.words[i]);
            if (band.words[i].empty()) c.fail(bp + ".words[" + std::to_string(i) + "]", "去掉空格和句号后为空", wordsValue.items[i].line);
            if (!words.insert(band.words[i]).second)
                c.fail(bp + ".words[" + std::to_string(i) + "]", "中的" + model::quoted(band.words[i]) + "已出现在其他档次中",
                       wordsValue.items[i].line);
        }
        lastLowerLine = body.find("lower")->line;
        rules.bands.push_back(std::move(band));
    }
    if (rules.bands.empty()) c.fail("qualitative", "至少需要一档", q.line);
    if (!rules.bands.back().lower.isZero())
        c.fail("qualitative." + rules.bands.back().name + ".lower",
               "应为0（最低一档须从0开始），实际为" + rules.bands.back().lower.toString(), lastLowerLine);
}

void readGrades(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue& g = c.object(root, "", "grades");
    int lastLine = g.line;
    for (const auto& [name, bound] : g.members) {
        if (name == "说明") continue;
        std::string gp = "grades." + name;
        Decimal lower = c.number(bound, gp, kZero, kHundred, "0到100之间的数字");
        if (!rules.grades.empty() && lower >= rules.grades.back().lower)
            c.fail(gp,
                   "应小于上一等级" + model::quoted(rules.grades.back().name) + "的下限" + rules.grades.back().lower.toString() +
                       "（等级须从高到低排列），实际为" + lower.toString(),
                   bound.line);
        rules.grades.push_back({name, lower});
        lastLine = bound.line;
    }
    if (rules.grades.empty()) c.fail("grades", "至少需要一个等级", g.line);
    if (!rules.grades.back().lower.isZero())
        c.fail("grades." + rules.grades.back().name, "应为0（最低等级须包含所有低分），实际为" + rules.grades.back().lower.toString(),
               lastLine);
}

void readFindings(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue& f = c.object(root, "", "findings");
    c.onlyKeys(f, "findings", findingCodes());
    for (const auto& code : findingCodes()) {
        std::string fp = "findings." + code;
        if (!f.find(code) && optionalCode(code, rules)) continue;
        const JsonValue& body = c.object(f, "findings", code);
        std::vector<std::string> keys = {"severity"};
        for (const auto& spec : messageSpecs())
            if (spec.code == code) keys.push_back(spec.key);
        c.onlyKeys(body, fp, keys);
        FindingRule rule;
        rule.severity = c.severity(c.require(body, fp, "severity"), fp + ".severity");
        for (const auto& spec : messageSpecs()) {
            if (spec.code != code) continue;
            std::string mp = fp + "." + spec.key;
            const JsonValue& value = c.require(body, fp, spec.key);
            std::string tmpl = c.string(value, mp);
            checkTemplate(c, mp, tmpl, spec.placeholders, value.line);
            rule.messages[spec.key] = tmpl;
        }
        rules.findings[code] = std::move(rule);
    }
}

/// "≥" ">" "=" "≤" "<" as the rule file spells them.
const std::vector<std::pair<std::string, model::Operator>>& operatorNames() {
    static const std::vector<std::pair<std::string, model::Operator>> names = {{"≥", model::Operator::Ge},
                                                                               {">", model::Operator::Gt},
                                                                               {"=", model::Operator::Eq},
                                                                               {"≤", model::Operator::Le},
                                                                               {"<", model::Operator::Lt}};
    return names;
}

void readDeviation(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue* v = root.find("deviation");
    if (!v) return;
    const std::string path = "deviation";
    if (v->kind != JsonValue::Kind::Object) c.wrong(path, "对象（{…}）", *v);
    c.onlyKeys(*v, path, {"threshold", "inclusive", "points", "operators"});
    DeviationRule d;
    d.threshold = c.number(c.require(*v, path, "threshold"), "deviation.threshold", Decimal::fromRaw(1), kHuge,
                           "正数（完成率超过100%的部分，0.3即完成率130%）");
    d.inclusive = c.boolean(c.require(*v, path, "inclusive"), "deviation.inclusive");
    d.points = c.number(c.require(*v, path, "points"), "deviation.points", Decimal::fromRaw(1), kHundred, "0到100之间的正数（扣减的分值）");
    const JsonValue& ops = c.require(*v, path, "operators");
    std::vector<std::string> texts = c.strings(ops, "deviation.operators", true);
    std::vector<std::string> allowed;
    for (const auto& [name, op] : operatorNames()) allowed.push_back(model::quoted(name));
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::string ip = "deviation.operators[" + std::to_string(i) + "]";
        auto it = std::find_if(operatorNames().begin(), operatorNames().end(), [&](const auto& n) { return n.first == texts[i]; });
        if (it == operatorNames().end()) c.wrong(ip, joinNames(allowed) + "之一（定性指标不适用）", ops.items[i]);
        if (std::find(d.operators.begin(), d.operators.end(), it->second) != d.operators.end())
            c.fail(ip, "中的" + model::quoted(texts[i]) + "重复", ops.items[i].line);
        d.operators.push_back(it->second);
    }
    rules.deviation = std::move(d);
}

void readExecutionCaps(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue* v = root.find("execution_caps");
    if (!v) return;
    const std::string path = "execution_caps";
    if (v->kind != JsonValue::Kind::Object) c.wrong(path, "对象（{…}）", *v);
    c.onlyKeys(*v, path, {"bands"});
    const JsonValue& bands = c.require(*v, path, "bands");
    if (bands.kind != JsonValue::Kind::Array) c.wrong("execution_caps.bands", "对象数组（[{…}, …]）", bands);
    if (bands.items.empty()) c.fail("execution_caps.bands", "不能为空数组", bands.line);
    const std::string share = "0到1之间的数字（执行率，0.8即80%）";
    for (std::size_t i = 0; i < bands.items.size(); ++i) {
        const JsonValue& b = bands.items[i];
        const std::string bp = "execution_caps.bands[" + std::to_string(i) + "]";
        if (b.kind != JsonValue::Kind::Object) c.wrong(bp, "对象（{…}）", b);
        c.onlyKeys(b, bp, {"from", "below", "max_total"});
        ExecutionCap cap;
        const JsonValue& from = c.require(b, bp, "from");
        const JsonValue& below = c.require(b, bp, "below");
        cap.from = c.number(from, bp + ".from", kZero, kOne, share);
        cap.below = c.number(below, bp + ".below", kZero, kOne, share);
        if (cap.below <= cap.from)
            c.fail(bp + ".below", "应大于本档的from（" + cap.from.toString() + "），实际为" + cap.below.toString(), below.line);
        cap.maxTotal = c.number(c.require(b, bp, "max_total"), bp + ".max_total", kZero, kHundred, "0到100之间的数字");
        if (!rules.executionCaps.empty()) {
            const ExecutionCap& prev = rules.executionCaps.back();
            // Bands run from the highest rate down and touch: each one's below is the previous
            // one's from, so that every rate falls in at most one band.
            if (cap.below != prev.from)
                c.fail(bp + ".below",
                       "应等于上一档的from（" + prev.from.toString() + "）（各档须从高到低相接、不重叠），实际为" + cap.below.toString(),
                       below.line);
            if (cap.maxTotal >= prev.maxTotal)
                c.fail(bp + ".max_total",
                       "应小于上一档的max_total（" + prev.maxTotal.toString() + "）（执行率越低，封顶分越低），实际为" +
                           cap.maxTotal.toString(),
                       b.find("max_total")->line);
        }
        rules.executionCaps.push_back(cap);
    }
}

void readApplication(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue* v = root.find("result_application");
    if (!v) return;
    const std::string path = "result_application";
    if (v->kind != JsonValue::Kind::Object) c.wrong(path, "对象（{…}）", *v);
    std::vector<std::string> names;
    for (const auto& g : rules.grades) names.push_back(g.name);
    c.onlyKeys(*v, path, names);
    const std::string change = "-1到1之间的数字（预算调整比例，-0.1即压减10%，-1即取消）";
    for (const auto& g : rules.grades) {
        const std::string gp = path + "." + g.name;
        const JsonValue* body = v->find(g.name);
        if (!body) c.fail(path, "缺少等级" + model::quoted(g.name) + "（grades中的每个等级都须给出结果应用意见）", v->line);
        if (body->kind != JsonValue::Kind::Object) c.wrong(gp, "对象（{…}）", *body);
        c.onlyKeys(*body, gp, {"advice", "budget_change", "letter"});
        ApplicationRule a;
        a.grade = g.name;
        a.advice = c.string(c.require(*body, gp, "advice"), gp + ".advice");
        const JsonValue& range = c.require(*body, gp, "budget_change");
        if (range.kind != JsonValue::Kind::Array || range.items.size() != 2)
            c.wrong(gp + ".budget_change", "两个数字组成的数组（[下限, 上限]，如[-0.1, -0.05]）", range);
        a.changeMin = c.number(range.items[0], gp + ".budget_change[0]", -kOne, kOne, change);
        a.changeMax = c.number(range.items[1], gp + ".budget_change[1]", -kOne, kOne, change);
        if (a.changeMax < a.changeMin)
            c.fail(gp + ".budget_change[1]", "应不小于下限" + a.changeMin.toString() + "，实际为" + a.changeMax.toString(),
                   range.items[1].line);
        a.inLetter = c.boolean(c.require(*body, gp, "letter"), gp + ".letter");
        rules.application.push_back(std::move(a));
    }
}

void readDepartment(const Checker& c, const JsonValue& root, RuleSet& rules) {
    const JsonValue& d = c.object(root, "", "department");
    c.onlyKeys(d, "department", {"indicator_total", "total_ratios", "ratios"});
    rules.departmentIndicatorTotal = c.number(c.require(d, "department", "indicator_total"), "department.indicator_total",
                                              Decimal::fromRaw(1), kHundred, "0到100之间的正数");
    const JsonValue& ratios = c.object(d, "department", "ratios");
    c.onlyKeys(ratios, "department.ratios", ratioNames());
    for (const auto& [name, body] : ratios.members) {
        if (name == "说明") continue;
        std::string rp = "department.ratios." + name;
        if (body.kind != JsonValue::Kind::Object) c.wrong(rp, "对象（{…}）", body);
        RatioRule rule;
        rule.name = name;
        rule.weight = c.number(c.require(body, rp, "weight"), rp + ".weight", kZero, kHundred, "0到100之间的数字");
        const JsonValue& kind = c.require(body, rp, "rule");
        if (kind.kind == JsonValue::Kind::String && kind.text == "at_least") {
            c.onlyKeys(body, rp, {"weight", "rule", "target"});
            rule.kind = RatioRuleKind::AtLeast;
            rule.target = c.number(c.require(body, rp, "target"), rp + ".target", Decimal::fromRaw(1), kHuge, "正数（比率，1即100%）");
        } else if (kind.kind == JsonValue::Kind::String && kind.text == "at_most") {
            c.onlyKeys(body, rp, {"weight", "rule", "target", "deduct_per_point"});
            rule.kind = RatioRuleKind::AtMost;
            rule.target = c.number(c.require(body, rp, "target"), rp + ".target", -kHuge, kHuge, "数字（比率，1即100%）");
            rule.deductPerPoint = c.number(c.require(body, rp, "deduct_per_point"), rp + ".deduct_per_point", kZero, kHundred,
                                           "0到100之间的数字（每超出1个百分点扣减的分值）");
        } else {
            c.wrong(rp + ".rule", "“at_least”（不低于目标按比例得分）或“at_most”（不高于目标得满分，超出按百分点扣分）", kind);
        }
        rules.ratios.push_back(std::move(rule));
    }
    // The 部门整体 self-evaluation total: these ratios' scores plus the department's own
    // indicators (national form: 预算执行率 10 + indicators 90), so together they make 100.
    const JsonValue& total = c.require(d, "department", "total_ratios");
    rules.departmentTotalRatios = c.strings(total, "department.total_ratios", false);
    Decimal sum = rules.departmentIndicatorTotal;
    std::vector<std::string> terms = {"indicator_total（" + rules.departmentIndicatorTotal.toString() + "）"};
    for (std::size_t i = 0; i < rules.departmentTotalRatios.size(); ++i) {
        const std::string& name = rules.departmentTotalRatios[i];
        const RatioRule* rule = rules.findRatio(name);
        if (!rule)
            c.fail("department.total_ratios[" + std::to_string(i) + "]",
                   "中的" + model::quoted(name) + "不在department.ratios中（计入总分的比率须给出计分方法）", total.items[i].line);
        sum += rule->weight;
        terms.push_back(name + "（" + rule->weight.toString() + "）");
    }
    if (sum != kHundred)
        c.fail("department.indicator_total", "与total_ratios所列比率的分值合计应为100，实际为" + joinNames(terms) + "，共" + sum.toString(),
               d.find("indicator_total")->line);
}

}  // namespace

RuleSet parseRules(const std::string& json, const std::string& displayName) {
    JsonValue root;
    try {
        root = parseJson(json);
    } catch (const JsonSyntaxError& e) {
        throw RuleError(displayName + "：第" + std::to_string(e.line()) + "行第" + std::to_string(e.column()) + "列：JSON格式错误，" +
                        e.what() + "。");
    }
    Checker c(displayName);
    if (root.kind != JsonValue::Kind::Object)
        throw RuleError(displayName + "：评分规则文件应为一个JSON对象（{…}），实际为" + model::quoted(shown(root)) + "。");
    c.onlyKeys(root, "",
               {"name", "title", "budget", "indicators", "qualitative", "thresholds", "rounding", "grades", "feedback", "deviation",
                "execution_caps", "result_application", "findings", "department"});

    RuleSet rules;
    rules.file = displayName;
    rules.name = c.string(c.require(root, "", "name"), "name");
    rules.title = c.string(c.require(root, "", "title"), "title");

    const JsonValue& budget = c.object(root, "", "budget");
    c.onlyKeys(budget, "budget", {"weight"});
    rules.budgetWeight = c.number(c.require(budget, "budget", "weight"), "budget.weight", kZero, kHundred, "0到100之间的数字");

    readIndicators(c, root, rules);
    readBands(c, root, rules);

    const JsonValue& t = c.object(root, "", "thresholds");
    c.onlyKeys(t, "thresholds", {"execution_rate", "over_achievement", "self_score_tolerance"});
    rules.executionThreshold =
        c.number(c.require(t, "thresholds", "execution_rate"), "thresholds.execution_rate", kZero, kOne, "0到1之间的数字（0.9即90%）");
    rules.overAchievement = c.number(c.require(t, "thresholds", "over_achievement"), "thresholds.over_achievement", kOne, kHuge,
                                     "不小于1的数字（1.2即完成率120%）");
    rules.selfScoreTolerance = c.number(c.require(t, "thresholds", "self_score_tolerance"), "thresholds.self_score_tolerance", kZero,
                                        kHundred, "0到100之间的数字（分）");

    const JsonValue& r = c.object(root, "", "rounding");
    c.onlyKeys(r, "rounding", {"indicator", "total", "rate"});
    rules.rounding.indicator = c.integer(c.require(r, "rounding", "indicator"), "rounding.indicator", 0, 4);
    rules.rounding.total = c.integer(c.require(r, "rounding", "total"), "rounding.total", 0, 4);
    rules.rounding.rate = c.integer(c.require(r, "rounding", "rate"), "rounding.rate", 2, 8);

    readGrades(c, root, rules);

    const JsonValue& fb = c.object(root, "", "feedback");
    c.onlyKeys(fb, "feedback", {"grades", "severity"});
    const JsonValue& feedbackGrades = c.require(fb, "feedback", "grades");
    rules.feedbackGrades = c.strings(feedbackGrades, "feedback.grades", false);
    for (std::size_t i = 0; i < rules.feedbackGrades.size(); ++i) {
        const auto& g = rules.feedbackGrades[i];
        bool known = std::any_of(rules.grades.begin(), rules.grades.end(), [&](const GradeBound& b) { return b.name == g; });
        if (!known) {
            std::vector<std::string> names;
            for (const auto& b : rules.grades) names.push_back(b.name);
            c.fail("feedback.grades[" + std::to_string(i) + "]",
                   "中的等级" + model::quoted(g) + "不在grades中（可用：" + joinNames(names) + "）", feedbackGrades.items[i].line);
        }
    }
    rules.feedbackSeverity = c.severity(c.require(fb, "feedback", "severity"), "feedback.severity");

    readDeviation(c, root, rules);
    readExecutionCaps(c, root, rules);
    readApplication(c, root, rules);
    readFindings(c, root, rules);
    readDepartment(c, root, rules);
    return rules;
}

RuleSet loadRules(const std::string& path) {
    std::string text;
    if (model::readFile(path, text) != 0) throw RuleError(path + "：无法读取评分规则文件（文件不存在或没有读取权限）。");
    return parseRules(text, path);
}

std::string ruleSetPath(const std::string& templatesDir, const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name.find("..") != std::string::npos)
        throw RuleError("评分规则名称" + model::quoted(name) + "无效：名称不能为空，也不能包含“/”“\\”或“..”。");
    std::string dir = templatesDir;
    if (!dir.empty() && dir.back() != '/') dir += '/';
    return dir + "rules/" + name + ".json";
}

std::vector<std::string> availableRuleSets(const std::string& templatesDir) {
    std::vector<std::string> names;
    std::error_code ec;
    std::filesystem::directory_iterator it(std::filesystem::path(templatesDir) / "rules", ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const auto& p = it->path();
        if (p.extension() == ".json") names.push_back(p.stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

RuleSet loadRuleSet(const std::string& templatesDir, const std::string& name) {
    std::string path = ruleSetPath(templatesDir, name);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        auto names = availableRuleSets(templatesDir);
        throw RuleError("找不到评分规则" + model::quoted(name) + "（" + path + "）。可用的评分规则：" +
                        (names.empty() ? std::string("无") : joinNames(names)) + "。");
    }
    return loadRules(path);
}

RuleSet loadRulesOption(const std::string& templatesDir, const std::string& value) {
    const bool file = value.find('/') != std::string::npos || value.find('\\') != std::string::npos ||
                      (value.size() > 5 && value.compare(value.size() - 5, 5, ".json") == 0);
    return file ? loadRules(value) : loadRuleSet(templatesDir, value);
}

const LevelRule* RuleSet::findLevel(const std::string& levelName) const {
    for (const auto& level : levels) {
        if (level.name == levelName) return &level;
        if (std::find(level.aliases.begin(), level.aliases.end(), levelName) != level.aliases.end()) return &level;
    }
    return nullptr;
}

const Band* RuleSet::matchBand(const std::string& actual) const {
    std::string word = normalizeWord(actual);
    for (const auto& band : bands)
        if (std::find(band.words.begin(), band.words.end(), word) != band.words.end()) return &band;
    return nullptr;
}

const std::string& RuleSet::gradeOf(Decimal total) const {
    for (const auto& g : grades)
        if (total >= g.lower) return g.name;
    return grades.back().name;
}

const std::string& RuleSet::message(const std::string& code, const std::string& key) const { return findings.at(code).messages.at(key); }

FindingSeverity RuleSet::severityOf(const std::string& code) const { return findings.at(code).severity; }

const RatioRule* RuleSet::findRatio(const std::string& ratioName) const {
    for (const auto& r : ratios)
        if (r.name == ratioName) return &r;
    return nullptr;
}

const ExecutionCap* RuleSet::capFor(Decimal rate) const {
    for (const auto& cap : executionCaps)
        if (rate >= cap.from && rate < cap.below) return &cap;
    return nullptr;
}

}  // namespace jixiao::score
