#include "publish/letter_register.h"

#include "model/text.h"
#include "publish/sha256.h"
#include "publish/store_sql.h"

#include "model/date.h"

#include <Poco/Data/Statement.h>
#include <Poco/Tuple.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace jixiao::publish {

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;

namespace {

const char* rectificationCode(RectificationStatus status) {
    switch (status) {
    case RectificationStatus::Open: return "open";
    case RectificationStatus::Reported: return "reported";
    case RectificationStatus::Closed: return "closed";
    }
    return "open";
}

RectificationStatus rectificationFromCode(const std::string& code) {
    if (code == "reported") return RectificationStatus::Reported;
    if (code == "closed") return RectificationStatus::Closed;
    return RectificationStatus::Open;
}

/// Users type the number from a printed letter or a spreadsheet: half-width or other brackets
/// and stray spaces are common, the year and sequence are what matters.
std::string normalizeLetterText(const std::string& text) {
    static const std::pair<const char*, const char*> kBrackets[] = {
        {"[", "〔"},  {"]", "〕"},  {"(", "〔"},  {")", "〕"},  {"（", "〔"}, {"）", "〕"}, {"【", "〔"}, {"】", "〕"},
        {"［", "〔"}, {"］", "〕"}, {"〈", "〔"}, {"〉", "〕"}, {" ", ""},    {"\t", ""},   {"　", ""},
    };
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        bool replaced = false;
        for (const auto& [from, to] : kBrackets) {
            std::size_t n = std::strlen(from);
            if (text.compare(i, n, from) == 0) {
                out += to;
                i += n;
                replaced = true;
                break;
            }
        }
        if (!replaced) out += text[i++];
    }
    return out;
}

std::string errnoText(int err) { return model::systemReason(err); }

/// Reports are scans of a few MB; anything far larger is a mistake (a disk image, a video).
constexpr long long kMaxReportBytes = 256LL * 1024 * 1024;

std::string sha256File(const std::string& path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files get read.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw StoreRequestError("无法读取整改报告文件 " + path + "（" + errnoText(errno) + "）。");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw StoreRequestError("整改报告文件 " + path + " 不是普通文件，请指定要登记的文档（如 PDF 扫描件）。");
    }
    if (st.st_size > kMaxReportBytes) {
        ::close(fd);
        char size[32];
        std::snprintf(size, sizeof size, "%.1f", double(st.st_size) / (1024.0 * 1024.0));
        throw StoreRequestError("整改报告文件 " + path + " 有 " + size + " MB，超过 " + std::to_string(kMaxReportBytes / (1024 * 1024)) +
                                " MB 的上限。请压缩后再登记。");
    }
    Sha256 sha;
    char buffer[65536];
    while (true) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            throw StoreRequestError("无法读取整改报告文件 " + path + "（" + errnoText(err) + "）。");
        }
        sha.update(std::string_view(buffer, static_cast<std::size_t>(n)));
    }
    ::close(fd);
    return sha.hex();
}

struct LetterKey {
    int year = 0;
    int seq = 0;
};

LetterKey findLetter(StoreDb::Impl& db, const LetterRef& ref) {
    std::vector<Poco::Tuple<int, int>> rows;
    db.session << "SELECT year, seq FROM letters WHERE text = ?", into(rows), bind(normalizeLetterText(ref.text)), now;
    if (rows.empty()) throw StoreRequestError("历史库中没有文号为“" + ref.text + "”的反馈函。");
    return {rows[0].get<0>(), rows[0].get<1>()};
}

/// Letters matching `where` (over letters `l` and rectifications `r`); `params` bind its `?`
/// in order.
std::vector<IssuedLetter> loadLetters(StoreDb::Impl& db, const std::string& where, const std::vector<std::string>& params,
                                      const std::string& order) {
    using Row = Poco::Tuple<int, int, std::string, std::string, std::string, std::string, std::string, OptText, OptText, OptText, OptText>;
    std::vector<Row> rows;
    Statement st(db.session);
    st << "SELECT l.year, l.seq, l.text, l.unit_code, l.evaluation_key, l.issued_on, r.deadline, l.voided_on,"
          " l.void_reason, l.replaces, (SELECT n.text FROM letters n WHERE n.replaces = l.text)"
          " FROM letters l JOIN rectifications r ON r.year = l.year AND r.seq = l.seq WHERE " +
              where + " ORDER BY " + order;
    for (const auto& p : params) st.addBind(bind(p));
    st.addExtract(into(rows));
    st.execute();
    std::vector<IssuedLetter> out;
    for (const auto& r : rows) {
        IssuedLetter letter;
        letter.number = {r.get<0>(), r.get<1>(), r.get<2>()};
        letter.unitCode = r.get<3>();
        letter.evaluationKey = r.get<4>();
        letter.issuedOn = r.get<5>();
        letter.deadline = r.get<6>();
        letter.voidedOn = fromNullable(r.get<7>());
        letter.voidReason = fromNullable(r.get<8>());
        letter.replaces = fromNullable(r.get<9>());
        letter.replacedBy = fromNullable(r.get<10>());
        out.push_back(std::move(letter));
    }
    return out;
}

IssuedLetter loadLetter(StoreDb::Impl& db, LetterKey key) {
    auto letters = loadLetters(db, "l.year = " + std::to_string(key.year) + " AND l.seq = " + std::to_string(key.seq), {}, "l.year, l.seq");
    if (letters.empty())
        throw StoreError("历史库 " + db.path + " 中反馈函 " + std::to_string(key.year) + "-" + std::to_string(key.seq) + " 缺少整改记录。");
    return letters.front();
}

/// Refuses rectification steps on a voided letter: its successor (if any) carries them.
void requireInForce(StoreDb::Impl& db, LetterKey key) {
    const IssuedLetter letter = loadLetter(db, key);
    if (!letter.voided()) return;
    throw StoreRequestError("反馈函 " + letter.number.text + " 已于 " + *letter.voidedOn + " 作废，其整改不再跟踪" +
                            (letter.replacedBy ? "；请改用重新发出的 " + *letter.replacedBy + "。" : "。"));
}

/// The next free number of `year`: voided numbers stay in the table, so none is given twice.
int nextSeq(StoreDb::Impl& db, int year) {
    int seq = 0;
    db.session << "SELECT COALESCE(MAX(seq), 0) + 1 FROM letters WHERE year = ?", into(seq), bind(year), now;
    return seq;
}

/// Items matching `where` (over letters `l` and rectifications `r`); `params` bind its
/// `?` in order.
std::vector<RectificationItem> loadItems(StoreDb::Impl& db, const std::string& where, const std::vector<std::string>& params,
                                         const std::string& order) {
    using ItemRow = Poco::Tuple<int, int, std::string, std::string, std::string, std::string, std::string, OptText, OptText>;
    std::vector<ItemRow> rows;
    {
        Statement st(db.session);
        st << "SELECT l.year, l.seq, l.text, l.unit_code, l.issued_on, r.deadline, r.status, r.closed_on,"
              " r.close_note FROM rectifications r JOIN letters l ON l.year = r.year AND l.seq = r.seq WHERE " +
                  where + " ORDER BY " + order;
        for (const auto& p : params) st.addBind(bind(p));
        st.addExtract(into(rows));
        st.execute();
    }
    using ReportRow = Poco::Tuple<int, int, std::string, std::string, OptText, OptText>;
    std::vector<ReportRow> reports;
    {
        Statement st(db.session);
        st << "SELECT p.year, p.seq, p.reported_on, p.summary, p.file_path, p.file_sha256"
              " FROM rectification_reports p JOIN rectifications r ON r.year = p.year AND r.seq = p.seq"
              " JOIN letters l ON l.year = r.year AND l.seq = r.seq WHERE " +
                  where + " ORDER BY p.reported_on, p.id";
        for (const auto& p : params) st.addBind(bind(p));
        st.addExtract(into(reports));
        st.execute();
    }
    std::vector<RectificationItem> items;
    std::map<std::pair<int, int>, std::size_t> index;
    for (const auto& row : rows) {
        RectificationItem item;
        item.letter = {row.get<0>(), row.get<1>(), row.get<2>()};
        item.unitCode = row.get<3>();
        item.issuedOn = row.get<4>();
        item.deadline = row.get<5>();
        item.status = rectificationFromCode(row.get<6>());
        item.closedOn = fromNullable(row.get<7>());
        item.closeNote = fromNullable(row.get<8>());
        index[{item.letter.year, item.letter.seq}] = items.size();
        items.push_back(std::move(item));
    }
    for (const auto& row : reports) {
        auto it = index.find({row.get<0>(), row.get<1>()});
        if (it == index.end()) continue;
        items[it->second].reports.push_back({row.get<2>(), row.get<3>(), fromNullable(row.get<4>()), fromNullable(row.get<5>())});
    }
    return items;
}

RectificationItem loadItem(StoreDb::Impl& db, LetterKey key) {
    auto items = loadItems(db, "l.year = " + std::to_string(key.year) + " AND l.seq = " + std::to_string(key.seq), {}, "l.year, l.seq");
    if (items.empty())
        throw StoreError("历史库 " + db.path + " 中反馈函 " + std::to_string(key.year) + "-" + std::to_string(key.seq) + " 缺少整改记录。");
    return items.front();
}

/// The letter's rectification, for a step that changes it (report, close): the letter must be
/// in force and its rectification not closed (`refused` says what a closed one cannot do).
std::pair<LetterKey, RectificationItem> openRectification(StoreDb::Impl& db, const LetterRef& ref, const char* refused) {
    const LetterKey key = findLetter(db, ref);
    requireInForce(db, key);
    RectificationItem item = loadItem(db, key);
    if (item.status == RectificationStatus::Closed)
        throw StoreRequestError("反馈函 " + item.letter.text + " 的整改已于 " + item.closedOn.value_or("") + " 销号，" + refused + "。");
    return {key, std::move(item)};
}

}  // namespace

std::string rectificationStatusLabel(RectificationStatus status) {
    switch (status) {
    case RectificationStatus::Open: return "待整改";
    case RectificationStatus::Reported: return "已报送";
    case RectificationStatus::Closed: return "已销号";
    }
    return "待整改";
}

std::string formatLetterNumber(const std::string& prefix, int year, int seq) {
    return prefix + "〔" + std::to_string(year) + "〕" + std::to_string(seq) + "号";
}

LetterRef LetterRef::byNumber(std::string text) {
    LetterRef ref;
    ref.text = std::move(text);
    return ref;
}

IssuedLetter LetterRegister::issueLetter(const LetterRequest& request) {
    requireYear(request.year);
    requireText("发文字号前缀", request.prefix);
    requireText("单位编码", request.unitCode);
    requireText("评价对象", request.evaluationKey);
    requireDate("发文日期", request.issuedOn);
    requireDate("整改期限", request.deadline);
    if (request.deadline < request.issuedOn)
        throw StoreRequestError("整改期限 " + request.deadline + " 早于发文日期 " + request.issuedOn + "。");
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        // Letters in force first (the earliest), then voided ones (the latest last).
        auto existing = loadLetters(db_.impl(), "l.evaluation_key = ?", {request.evaluationKey}, "l.voided_on IS NOT NULL, l.year, l.seq");
        if (!existing.empty()) return existing.front().voided() ? existing.back() : existing.front();  // nothing written; rolls back
        if (request.runId) db_.impl().requireRun(*request.runId);
        const int seq = nextSeq(db_.impl(), request.year);
        IssuedLetter letter;
        letter.unitCode = request.unitCode;
        letter.number = {request.year, seq, formatLetterNumber(request.prefix, request.year, seq)};
        letter.evaluationKey = request.evaluationKey;
        letter.issuedOn = request.issuedOn;
        letter.deadline = request.deadline;
        letter.newlyIssued = true;
        Poco::Nullable<Poco::Int64> run;
        if (request.runId) run = Poco::Int64(*request.runId);
        s << "INSERT INTO letters (year, seq, text, unit_code, evaluation_key, issued_on, run_id)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)",
            bind(request.year), bind(seq), bind(letter.number.text), bind(request.unitCode), bind(request.evaluationKey),
            bind(request.issuedOn), bind(run), now;
        s << "INSERT INTO rectifications (year, seq, deadline, status) VALUES (?, ?, ?, 'open')", bind(request.year), bind(seq),
            bind(request.deadline), now;
        tx.commit();
        return letter;
    });
}

std::vector<IssuedLetter> LetterRegister::issuedLetters(std::optional<int> year) const {
    if (year) requireYear(*year);
    // Only an integer is spliced into the SQL.
    const std::string where = year ? "l.year = " + std::to_string(*year) : "1 = 1";
    return guarded(db_.path(), [&] { return loadLetters(db_.impl(), where, {}, "l.year, l.seq"); });
}

IssuedLetter LetterRegister::voidLetter(const LetterRef& ref, const std::string& date, const std::string& reason) {
    requireDate("作废日期", date);
    requireText("作废原因", reason);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        const LetterKey key = findLetter(db_.impl(), ref);
        const IssuedLetter letter = loadLetter(db_.impl(), key);
        if (letter.voided())
            throw StoreRequestError("反馈函 " + letter.number.text + " 已于 " + *letter.voidedOn + " 作废，不能重复作废。");
        const RectificationItem item = loadItem(db_.impl(), key);
        if (item.status == RectificationStatus::Closed)
            throw StoreRequestError("反馈函 " + letter.number.text + " 的整改已于 " + item.closedOn.value_or("") + " 销号，不能作废。");
        if (date < letter.issuedOn)
            throw StoreRequestError("作废日期 " + date + " 早于反馈函 " + letter.number.text + " 的发文日期 " + letter.issuedOn + "。");
        s << "UPDATE letters SET voided_on = ?, void_reason = ? WHERE year = ? AND seq = ?", bind(date), bind(reason), bind(key.year),
            bind(key.seq), now;
        IssuedLetter updated = loadLetter(db_.impl(), key);
        tx.commit();
        return updated;
    });
}

IssuedLetter LetterRegister::reissueLetter(const LetterRef& ref, const std::string& date) {
    requireDate("重新发文日期", date);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        const IssuedLetter old = loadLetter(db_.impl(), findLetter(db_.impl(), ref));
        if (!old.voided())
            throw LetterInForceError("反馈函 " + old.number.text + " 未作废，不能重新发文。如需改发，请先作废它（jixiao letters void）。",
                                     old.number.text);
        if (old.replacedBy)
            throw StoreRequestError("反馈函 " + old.number.text + " 已重新发文为 " + *old.replacedBy + "，不能再次重新发文。");
        if (date < *old.voidedOn)
            throw StoreRequestError("重新发文日期 " + date + " 早于反馈函 " + old.number.text + " 的作废日期 " + *old.voidedOn + "。");
        const auto day = model::Date::parse(date).value();
        const auto span =
            model::Date::parse(old.deadline).value().daysSinceEpoch() - model::Date::parse(old.issuedOn).value().daysSinceEpoch();
        const auto deadline = day.plusDays(span);
        if (!deadline) throw StoreRequestError("日期 " + date + " 加 " + std::to_string(span) + " 天超出可表示的范围。");
        IssuedLetter letter;
        const std::string prefix = old.number.text.substr(0, old.number.text.find("〔"));
        const int seq = nextSeq(db_.impl(), day.year());
        letter.number = {day.year(), seq, formatLetterNumber(prefix, day.year(), seq)};
        letter.unitCode = old.unitCode;
        letter.evaluationKey = old.evaluationKey;
        letter.issuedOn = date;
        letter.deadline = deadline->iso();
        letter.replaces = old.number.text;
        letter.newlyIssued = true;
        s << "INSERT INTO letters (year, seq, text, unit_code, evaluation_key, issued_on, replaces)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)",
            bind(day.year()), bind(seq), bind(letter.number.text), bind(letter.unitCode), bind(letter.evaluationKey), bind(date),
            bind(old.number.text), now;
        s << "INSERT INTO rectifications (year, seq, deadline, status) VALUES (?, ?, ?, 'open')", bind(day.year()), bind(seq),
            bind(letter.deadline), now;
        tx.commit();
        return letter;
    });
}

RectificationItem LetterRegister::recordReport(const LetterRef& letter, const std::string& date, const std::string& summary,
                                               const std::optional<std::string>& file) {
    requireDate("整改报告日期", date);
    requireText("整改情况摘要", summary);
    // Hashed before the transaction: reading a large scan must not hold the write lock.
    std::optional<std::string> sha;
    if (file) sha = sha256File(*file);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        const auto [key, item] = openRectification(db_.impl(), letter, "不能再报送整改情况");
        if (date < item.issuedOn)
            throw StoreRequestError("整改报告日期 " + date + " 早于反馈函 " + item.letter.text + " 的发文日期 " + item.issuedOn + "。");
        s << "INSERT INTO rectification_reports (year, seq, reported_on, summary, file_path, file_sha256)"
             " VALUES (?, ?, ?, ?, ?, ?)",
            bind(key.year), bind(key.seq), bind(date), bind(summary), bind(toNullable(file)), bind(toNullable(sha)), now;
        s << "UPDATE rectifications SET status = 'reported' WHERE year = ? AND seq = ?", bind(key.year), bind(key.seq), now;
        RectificationItem updated = loadItem(db_.impl(), key);
        tx.commit();
        return updated;
    });
}

RectificationItem LetterRegister::closeRectification(const LetterRef& letter, const std::string& date, const std::string& note) {
    requireDate("销号日期", date);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        const auto [key, item] = openRectification(db_.impl(), letter, "不能重复销号");
        if (item.status == RectificationStatus::Open)
            throw StoreRequestError("反馈函 " + item.letter.text +
                                    " 尚未报送整改情况，不能销号。请先登记整改报告（jixiao rectify record）。");
        const std::string& lastReport = item.reports.back().date;
        if (date < lastReport) throw StoreRequestError("销号日期 " + date + " 早于最近一次整改报告日期 " + lastReport + "。");
        s << "UPDATE rectifications SET status = 'closed', closed_on = ?, close_note = ? WHERE year = ? AND seq = ?", bind(date),
            bind(note), bind(key.year), bind(key.seq), now;
        RectificationItem updated = loadItem(db_.impl(), key);
        tx.commit();
        return updated;
    });
}

std::vector<RectificationItem> LetterRegister::rectifications(std::optional<int> year, std::optional<RectificationStatus> status) const {
    if (year) requireYear(*year);
    // Only integers and our own status codes are spliced into the SQL; user text is bound.
    std::string where = "l.voided_on IS NULL";
    if (year) where += " AND l.year = " + std::to_string(*year);
    if (status) where += std::string(" AND r.status = '") + rectificationCode(*status) + "'";
    return guarded(db_.path(), [&] { return loadItems(db_.impl(), where, {}, "l.year, l.seq"); });
}

std::vector<RectificationItem> LetterRegister::overdue(const std::string& today) const {
    requireDate("当天日期", today);
    // ISO dates compare as text; the deadline day itself is still in time.
    return guarded(db_.path(), [&] {
        return loadItems(db_.impl(), "r.status = 'open' AND l.voided_on IS NULL AND r.deadline < ?", {today}, "r.deadline, l.year, l.seq");
    });
}

}  // namespace jixiao::publish
