#include "app/letters_command.h"

#include "app/cli.h"
#include "model/text.h"
#include "publish/letter_register.h"

#include <algorithm>
#include <vector>

namespace jixiao::app {

namespace {

const char* const kInForce = "有效";
const char* const kVoided = "已作废";

/// What the 说明 column says about a letter: why it was voided and what replaced it, or
/// which voided letter it replaces.
std::string remark(const publish::IssuedLetter& letter) {
    std::string text;
    if (letter.replaces) text = "重新发文，替代 " + *letter.replaces;
    if (letter.voided()) {
        if (!text.empty()) text += "；";
        text += *letter.voidedOn + " 作废：" + letter.voidReason.value_or("");
        if (letter.replacedBy) text += "；已重新发文为 " + *letter.replacedBy;
    }
    return text;
}

/// The evaluated year from the evaluation key ("2024/102" → "2024").
std::string evaluatedYear(const std::string& key) { return key.substr(0, key.find('/')); }

/// Prints rows as columns padded to the widest cell (a CJK character is two columns wide).
void printTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (widths.size() <= i) widths.push_back(0);
            widths[i] = std::max(widths[i], model::displayWidth(row[i]));
        }
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - model::displayWidth(row[i]) + 2, ' ');
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
    }
}

}  // namespace

LetterChange voidLetter(publish::LetterRegister& ledger, const std::string& letter, const std::string& date, const std::string& reason) {
    auto voided = ledger.voidLetter(publish::LetterRef::byNumber(letter), date, reason);
    std::string message = "已作废 " + voided.number.text + "（单位 " + voided.unitCode + "，成文日期 " + voided.issuedOn + "），作废日期 " +
                          *voided.voidedOn + "，原因：" + *voided.voidReason + "。该文号不再使用；其整改事项不再跟踪。";
    return {std::move(voided), std::move(message)};
}

LetterChange reissueLetter(publish::LetterRegister& ledger, const std::string& letter, const std::string& date) {
    auto issued = ledger.reissueLetter(publish::LetterRef::byNumber(letter), date);
    std::string message = "已重新发文 " + issued.number.text + "：单位 " + issued.unitCode + "，成文日期 " + issued.issuedOn +
                          "，整改期限 " + issued.deadline + "。\n新文号替代已作废的 " + *issued.replaces + "。";
    return {std::move(issued), std::move(message)};
}

int letters(const LettersRequest& req, std::ostream& out, std::ostream& err) {
    auto needs = [&](bool ok, const std::string& what) {
        if (!ok) err << "jixiao：letters " << req.action << " 需要 " << what << "。\n";
        return ok;
    };
    if (req.action != "list" && req.action != "void" && req.action != "reissue") {
        err << "jixiao：letters 的操作应为 list、issue、void 或 reissue，实际为“" << req.action << "”。\n";
        return kExitUsage;
    }
    if (!needs(!req.db.empty(), "--db=历史库文件")) return kExitUsage;
    if (req.action != "list" && !needs(!req.letter.empty(), "反馈函文号，例如 jixiao letters " + req.action + " 某财绩函〔2025〕3号"))
        return kExitUsage;
    if (req.action == "void" && !needs(!req.reason.empty(), "--reason=作废原因")) return kExitUsage;
    if (!req.status.empty() && req.status != kInForce && req.status != kVoided) {
        err << "jixiao：--status 应为“有效”或“已作废”，实际为“" << req.status << "”。\n";
        return kExitUsage;
    }

    // Only a run creates a store: a mistyped --db must not start an empty one.
    publish::StoreDb db = publish::StoreDb::open(req.db, publish::StoreDb::Open::ExistingOnly);
    publish::LetterRegister reg(db);
    if (req.action == "void") {
        const auto change = voidLetter(reg, req.letter, req.date, req.reason);
        out << change.message << "\n如需改发，请运行 jixiao letters reissue " << change.letter.number.text << " --db " << req.db << "。\n";
        return kExitOk;
    }
    if (req.action == "reissue") {
        const auto change = reissueLetter(reg, req.letter, req.date);
        out << change.message << "请用同一历史库再运行一次 jixiao letters issue 数据集 -o 输出文件夹，生成带新文号的反馈函。\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows{{"文号", "单位", "评价年度", "成文日期", "整改期限", "状态", "说明"}};
    int shown = 0, voided = 0;
    for (const auto& letter : reg.issuedLetters(req.year)) {
        const char* status = letter.voided() ? kVoided : kInForce;
        if (!req.status.empty() && req.status != status) continue;
        ++shown;
        voided += letter.voided();
        rows.push_back({letter.number.text, letter.unitCode, evaluatedYear(letter.evaluationKey), letter.issuedOn, letter.deadline, status,
                        remark(letter)});
    }
    if (shown > 0) printTable(rows, out);
    out << "共 " << shown << " 份反馈函，其中已作废 " << voided << " 份。\n";
    return kExitOk;
}

}  // namespace jixiao::app
