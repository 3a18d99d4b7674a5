#include "score/format.h"

namespace jixiao::score {

using model::Decimal;

std::string percentText(Decimal fraction, int ratePlaces) {
    int places = ratePlaces > 2 ? ratePlaces - 2 : 0;
    return (fraction * Decimal::fromInt(100)).toFixed(places) + "%";
}

std::string thresholdText(Decimal fraction) { return (fraction * Decimal::fromInt(100)).toString() + "%"; }

std::string moneyText(Decimal amount) { return amount.toFixed(2) + "万元"; }

std::string budgetChangeText(Decimal min, Decimal max, const std::function<std::string(Decimal)>& show) {
    const Decimal zero;
    if (min.isZero() && max.isZero()) return "维持现有规模";
    if (max <= zero) {
        // Reductions read from the smaller cut to the larger one.
        if (min == max) return "压减" + show(-min);
        if (min <= -Decimal::fromInt(1)) return "压减" + show(-max) + "以上直至取消";
        return "压减" + show(-max) + "至" + show(-min);
    }
    if (min >= zero) {
        if (min == max) return "增加" + show(max);
        if (min.isZero()) return "维持或增加不超过" + show(max);
        return "增加" + show(min) + "至" + show(max);
    }
    return "压减不超过" + show(-min) + "至增加不超过" + show(max);
}

std::string operatorSymbol(model::Operator op) {
    switch (op) {
    case model::Operator::Ge: return "≥";
    case model::Operator::Gt: return ">";
    case model::Operator::Eq: return "=";
    case model::Operator::Lt: return "<";
    case model::Operator::Le: return "≤";
    case model::Operator::Qualitative: return "定性";
    }
    return {};
}

std::string quantityText(const model::Quantity& q, const std::string& unitOfMeasure, bool percentScale, model::Operator op,
                         bool withOperator) {
    if (!q.value) return q.text();
    std::string out;
    if (withOperator && op != model::Operator::Qualitative) out += operatorSymbol(op);
    out += q.value->toString();
    if (percentScale) out += "%";
    else out += unitOfMeasure;
    return out;
}

namespace {
bool startsWith(const std::string& s, std::size_t pos, const char* p) { return s.compare(pos, std::char_traits<char>::length(p), p) == 0; }
}  // namespace

std::string normalizeWord(const std::string& text) {
    static const char* const kSpaces[] = {" ", "\t", "\r", "\n", "\xE3\x80\x80" /* U+3000 */, "\xC2\xA0" /* NBSP */};
    static const char* const kTrailing[] = {"\xE3\x80\x82" /* 。 */, "."};
    std::size_t begin = 0, end = text.size();
    bool changed = true;
    while (changed && begin < end) {
        changed = false;
        for (const char* s : kSpaces) {
            std::size_t n = std::char_traits<char>::length(s);
            if (end - begin >= n && startsWith(text, begin, s)) {
                begin += n;
                changed = true;
            }
            if (end - begin >= n && text.compare(end - n, n, s) == 0) {
                end -= n;
                changed = true;
            }
        }
        for (const char* s : kTrailing) {
            std::size_t n = std::char_traits<char>::length(s);
            if (end - begin >= n && text.compare(end - n, n, s) == 0) {
                end -= n;
                changed = true;
            }
        }
    }
    return text.substr(begin, end - begin);
}

std::string expandTemplate(const std::string& tmpl, const std::map<std::string, std::string>& values) {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '{') {
            std::size_t end = tmpl.find('}', i + 1);
            if (end != std::string::npos) {
                auto it = values.find(tmpl.substr(i + 1, end - i - 1));
                if (it != values.end()) out += it->second;
                i = end;
                continue;
            }
        }
        out += tmpl[i];
    }
    return out;
}

}  // namespace jixiao::score
