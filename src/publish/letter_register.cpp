#include "publish/letter_register.h"

#include "publish/store_sql.h"

#include <Poco/Data/Statement.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
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
        {"[", "〔"}, {"]", "〕"}, {"(", "〔"}, {")", "〕"}, {"（", "〔"}, {"）", "〕"},
        {"【", "〔"}, {"】", "〕"}, {"［", "〔"}, {"］", "〕"}, {"〈", "〔"}, {"〉", "〕"},
        {" ", ""},   {"\t", ""},  {"　", ""},
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

std::string errnoText(int err) { return std::strerror(err); }

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
        throw StoreRequestError("整改报告文件 " + path + " 有 " + size + " MB，超过 " +
                                std::to_string(kMaxReportBytes / (1024 * 1024)) + " MB 的上限。请压缩后再登记。");
    }
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
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
        engine.update(buffer, static_cast<unsigned>(n));
    }
    ::close(fd);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

struct LetterKey {
    int year = 0;
    int seq = 0;
};

LetterKey findLetter(StoreDb::Impl& db, const LetterRef& ref) {
    std::vector<Poco::Tuple<int, int>> rows;
    if (!ref.text.empty()) {
        db.session << "SELECT year, seq FROM letters WHERE text = ?", into(rows), bind(normalizeLetterText(ref.text)),
            now;
        if (rows.empty()) throw StoreRequestError("历史库中没有文号为“" + ref.text + "”的反馈函。");
    } else {
        requireYear(ref.year);
        db.session << "SELECT year, seq FROM letters WHERE year = ? AND unit_code = ? ORDER BY seq", into(rows), bind(ref.year),
            bind(ref.unitCode), now;
        if (rows.empty())
            throw StoreRequestError("历史库中没有 " + std::to_string(ref.year) + " 年发给单位 " + ref.unitCode +
                                    " 的反馈函。");
    }
    return {rows[0].get<0>(), rows[0].get<1>()};
}

/// Items matching `where` (over letters `l` and rectifications `r`); `params` bind its
/// `?` in order.
std::vector<RectificationItem> loadItems(StoreDb::Impl& db, const std::string& where, const std::vector<std::string>& params,
                                         const std::string& order) {
    using ItemRow = Poco::Tuple<int, int, std::string, std::string, std::string, std::string, std::string,
                                OptText, OptText>;
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
        items[it->second].reports.push_back(
            {row.get<2>(), row.get<3>(), fromNullable(row.get<4>()), fromNullable(row.get<5>())});
    }
    return items;
}

RectificationItem loadItem(StoreDb::Impl& db, LetterKey key) {
    auto items = loadItems(db, "l.year = " + std::to_string(key.year) + " AND l.seq = " + std::to_string(key.seq), {},
                           "l.year, l.seq");
    if (items.empty())
        throw StoreError("历史库 " + db.path + " 中反馈函 " + std::to_string(key.year) + "-" + std::to_string(key.seq) +
                         " 缺少整改记录。");
    return items.front();
}

} // namespace

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

LetterRef LetterRef::byUnit(std::string unitCode, int year) {
    LetterRef ref;
    ref.unitCode = std::move(unitCode);
    ref.year = year;
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
        using Row = Poco::Tuple<int, std::string, std::string, std::string, std::string, int>;
        std::vector<Row> existing;
        s << "SELECT l.seq, l.text, l.evaluation_key, l.issued_on, r.deadline, l.year FROM letters l"
             " JOIN rectifications r ON r.year = l.year AND r.seq = l.seq WHERE l.evaluation_key = ?"
             " ORDER BY l.year, l.seq LIMIT 1",
            into(existing), bind(request.evaluationKey), now;
        IssuedLetter letter;
        letter.unitCode = request.unitCode;
        if (!existing.empty()) {
            const auto& r = existing.front();
            letter.number = {r.get<5>(), r.get<0>(), r.get<1>()};
            letter.evaluationKey = r.get<2>();
            letter.issuedOn = r.get<3>();
            letter.deadline = r.get<4>();
            return letter;  // nothing written; the transaction rolls back
        }
        if (request.runId) db_.impl().requireRun(*request.runId);
        int seq = 0;
        s << "SELECT COALESCE(MAX(seq), 0) + 1 FROM letters WHERE year = ?", into(seq), bind(request.year), now;
        letter.number = {request.year, seq, formatLetterNumber(request.prefix, request.year, seq)};
        letter.evaluationKey = request.evaluationKey;
        letter.issuedOn = request.issuedOn;
        letter.deadline = request.deadline;
        letter.newlyIssued = true;
        Poco::Nullable<Poco::Int64> run;
        if (request.runId) run = Poco::Int64(*request.runId);
        s << "INSERT INTO letters (year, seq, text, unit_code, evaluation_key, issued_on, run_id)"
             " VALUES (?, ?, ?, ?, ?, ?, ?)",
            bind(request.year), bind(seq), bind(letter.number.text), bind(request.unitCode),
            bind(request.evaluationKey), bind(request.issuedOn), bind(run), now;
        s << "INSERT INTO rectifications (year, seq, deadline, status) VALUES (?, ?, ?, 'open')", bind(request.year),
            bind(seq), bind(request.deadline), now;
        tx.commit();
        return letter;
    });
}

std::vector<IssuedLetter> LetterRegister::issuedLetters(int year) const {
    requireYear(year);
    return guarded(db_.path(), [&] {
        using Row = Poco::Tuple<int, std::string, std::string, std::string, std::string, std::string>;
        std::vector<Row> rows;
        db_.impl().session << "SELECT l.seq, l.text, l.unit_code, l.evaluation_key, l.issued_on, r.deadline"
                          " FROM letters l JOIN rectifications r ON r.year = l.year AND r.seq = l.seq"
                          " WHERE l.year = ? ORDER BY l.seq",
            into(rows), bind(year), now;
        std::vector<IssuedLetter> out;
        for (const auto& r : rows) {
            IssuedLetter letter;
            letter.number = {year, r.get<0>(), r.get<1>()};
            letter.unitCode = r.get<2>();
            letter.evaluationKey = r.get<3>();
            letter.issuedOn = r.get<4>();
            letter.deadline = r.get<5>();
            out.push_back(std::move(letter));
        }
        return out;
    });
}

RectificationItem LetterRegister::recordReport(const LetterRef& letter, const std::string& date,
                                             const std::string& summary, const std::optional<std::string>& file) {
    requireDate("整改报告日期", date);
    requireText("整改情况摘要", summary);
    // Hashed before the transaction: reading a large scan must not hold the write lock.
    std::optional<std::string> sha;
    if (file) sha = sha256File(*file);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        LetterKey key = findLetter(db_.impl(), letter);
        RectificationItem item = loadItem(db_.impl(), key);
        if (item.status == RectificationStatus::Closed)
            throw StoreRequestError("反馈函 " + item.letter.text + " 的整改已于 " + item.closedOn.value_or("") +
                                    " 销号，不能再报送整改情况。");
        if (date < item.issuedOn)
            throw StoreRequestError("整改报告日期 " + date + " 早于反馈函 " + item.letter.text + " 的发文日期 " +
                                    item.issuedOn + "。");
        s << "INSERT INTO rectification_reports (year, seq, reported_on, summary, file_path, file_sha256)"
             " VALUES (?, ?, ?, ?, ?, ?)",
            bind(key.year), bind(key.seq), bind(date), bind(summary), bind(toNullable(file)), bind(toNullable(sha)),
            now;
        s << "UPDATE rectifications SET status = 'reported' WHERE year = ? AND seq = ?", bind(key.year),
            bind(key.seq), now;
        RectificationItem updated = loadItem(db_.impl(), key);
        tx.commit();
        return updated;
    });
}

RectificationItem LetterRegister::closeRectification(const LetterRef& letter, const std::string& date,
                                                   const std::string& note) {
    requireDate("销号日期", date);
    return guarded(db_.path(), [&] {
        auto& s = db_.impl().session;
        WriteTransaction tx(s);
        LetterKey key = findLetter(db_.impl(), letter);
        RectificationItem item = loadItem(db_.impl(), key);
        if (item.status == RectificationStatus::Closed)
            throw StoreRequestError("反馈函 " + item.letter.text + " 的整改已于 " + item.closedOn.value_or("") +
                                    " 销号，不能重复销号。");
        if (item.status == RectificationStatus::Open)
            throw StoreRequestError("反馈函 " + item.letter.text +
                                    " 尚未报送整改情况，不能销号。请先登记整改报告（jixiao rectify record）。");
        const std::string& lastReport = item.reports.back().date;
        if (date < lastReport)
            throw StoreRequestError("销号日期 " + date + " 早于最近一次整改报告日期 " + lastReport + "。");
        s << "UPDATE rectifications SET status = 'closed', closed_on = ?, close_note = ? WHERE year = ? AND seq = ?",
            bind(date), bind(note), bind(key.year), bind(key.seq), now;
        RectificationItem updated = loadItem(db_.impl(), key);
        tx.commit();
        return updated;
    });
}

std::vector<RectificationItem> LetterRegister::rectifications(std::optional<int> year,
                                                            std::optional<RectificationStatus> status) const {
    if (year) requireYear(*year);
    // Only integers and our own status codes are spliced into the SQL; user text is bound.
    std::string where = "1 = 1";
    if (year) where += " AND l.year = " + std::to_string(*year);
    if (status) where += std::string(" AND r.status = '") + rectificationCode(*status) + "'";
    return guarded(db_.path(), [&] { return loadItems(db_.impl(), where, {}, "l.year, l.seq"); });
}

std::vector<RectificationItem> LetterRegister::overdue(const std::string& today) const {
    requireDate("当天日期", today);
    // ISO dates compare as text; the deadline day itself is still in time.
    return guarded(db_.path(),
                   [&] { return loadItems(db_.impl(), "r.status = 'open' AND r.deadline < ?", {today}, "r.deadline, l.year, l.seq"); });
}

} // namespace jixiao::publish
