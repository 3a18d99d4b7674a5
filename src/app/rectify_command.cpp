#include "app/rectify_command.h"

#include "app/cli.h"
#include "model/date.h"
#include "publish/letter_register.h"

namespace jixiao::app {

namespace {

void print(const publish::RectificationItem& item, std::ostream& out) {
    out << item.letter.text << "\t" << item.unitCode << "\t发函 " << item.issuedOn << "\t期限 " << item.deadline << "\t"
        << publish::rectificationStatusLabel(item.status);
    if (!item.reports.empty()) out << "\t报送 " << item.reports.back().date << "：" << item.reports.back().summary;
    if (item.closedOn) out << "\t销号 " << *item.closedOn;
    out << '\n';
}

std::optional<publish::RectificationStatus> statusOf(const std::string& label) {
    for (auto s : {publish::RectificationStatus::Open, publish::RectificationStatus::Reported, publish::RectificationStatus::Closed})
        if (publish::rectificationStatusLabel(s) == label) return s;
    return std::nullopt;
}

}  // namespace

int rectify(const RectifyRequest& req, std::ostream& out, std::ostream& err) {
    auto needs = [&](bool ok, const std::string& what) {
        if (!ok) err << "jixiao：rectify " << req.action << " 需要 " << what << "。\n";
        return ok;
    };
    if (!needs(!req.db.empty(), "--db=历史库文件")) return kExitUsage;
    if ((req.action == "record" || req.action == "close") &&
        !(needs(!req.letter.empty(), "--letter=反馈函文号") && needs(model::Date::parse(req.date).has_value(), "--date=YYYY-MM-DD") &&
          needs(!req.summary.empty(), req.action == "record" ? "--summary=整改情况" : "--summary=销号说明")))
        return kExitUsage;
    std::optional<publish::RectificationStatus> status;
    if (!req.status.empty() && !(status = statusOf(req.status))) {
        err << "jixiao：--status 应为“待整改”“已报送”或“已销号”，实际为“" << req.status << "”。\n";
        return kExitUsage;
    }

    // Only a run creates a store: a mistyped --db must not start an empty one.
    publish::StoreDb db = publish::StoreDb::open(req.db, publish::StoreDb::Open::ExistingOnly);
    publish::LetterRegister letters(db);
    if (req.action == "list") {
        auto items = letters.rectifications(req.year, status);
        for (const auto& item : items) print(item, out);
        out << "共 " << items.size() << " 项。\n";
    } else if (req.action == "overdue") {
        auto items = letters.overdue(req.date);
        for (const auto& item : items) print(item, out);
        out << "截至 " << req.date << "，逾期未整改 " << items.size() << " 项。\n";
        return items.empty() ? kExitOk : 1;  // a scheduler can alert on a non-zero status
    } else if (req.action == "record") {
        print(letters.recordReport(publish::LetterRef::byNumber(req.letter), req.date, req.summary, req.file), out);
    } else if (req.action == "close") {
        print(letters.closeRectification(publish::LetterRef::byNumber(req.letter), req.date, req.summary), out);
    } else {
        err << "jixiao：rectify 的操作应为 list、record、close 或 overdue，实际为“" << req.action << "”。\n";
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace jixiao::app
