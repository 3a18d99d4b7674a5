#include "ingest/csv_reader.h"

#include "ingest/encoding.h"
#include "ingest/values.h"
#include "model/diagnostic.h"
#include "model/file_read.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>

namespace jixiao::ingest {

namespace {

// A CSV file is read in parts (model::FileParts, 64 KiB) and never held whole. Its structure
// (separators, quotes, line breaks) is ASCII, and neither UTF-8 nor GB18030 uses an ASCII byte
// inside a multi-byte character, so the parser works on the file's own bytes and converts each
// cell to UTF-8 once it is complete: the same cells as converting the whole text first.
//
// The encoding is decided by the whole file (encoding.h), so a file is read twice: a first pass
// judges the encoding and checks the structure without keeping any cell; the second delivers
// the rows. When the first pass sees something a limit or an unterminated quote may refuse, a
// pass with every cell converted finds the error exactly as it reads (one error, named as
// before), so that no row is delivered from a file that will be refused.

/// Where the parser's bytes come from: the next part, empty at the end.
using Parts = std::function<std::string_view()>;

/// The separator the header line uses: a comma unless `;` or TAB clearly outnumber it there
/// (European Excel writes `;`, some systems export TAB-separated text with a .csv name).
class SeparatorCount {
public:
    /// Counts the separators of a part of the text; true once the header line has ended.
    bool feed(std::string_view part) {
        for (char c : part) {
            if (c == '"') quoted_ = !quoted_;  // a doubled quote toggles twice: no change
            if (quoted_) continue;
            if (c == '\n' || c == '\r') return true;
            if (c == ',') ++commas_;
            else if (c == ';') ++semicolons_;
            else if (c == '\t') ++tabs_;
        }
        return false;
    }

    char separator() const {
        if (semicolons_ > commas_ && semicolons_ >= tabs_) return ';';
        if (tabs_ > commas_ && tabs_ > semicolons_) return '\t';
        return ',';
    }

private:
    std::size_t commas_ = 0, semicolons_ = 0, tabs_ = 0;
    bool quoted_ = false;
};

/// Watches the raw bytes for what may become a character XML forbids (mayHoldXmlForbidden),
/// U+FFFE/U+FFFF cut by a part edge included.
class ControlWatch {
public:
    void feed(std::string_view part) {
        if (seen_ || part.empty()) return;
        std::string edge = last_;
        edge.append(part.substr(0, 2));
        seen_ = mayHoldXmlForbidden(edge) || mayHoldXmlForbidden(part);
        last_.append(part.substr(part.size() >= 2 ? part.size() - 2 : 0));
        if (last_.size() > 2) last_.erase(0, last_.size() - 2);
    }
    bool seen() const { return seen_; }

private:
    std::string last_;  ///< the last two bytes fed
    bool seen_ = false;
};

bool blankRow(const Row& row) {
    for (const Cell& cell : row.cells) {
        // Printable ASCII is never a space: such a cell is not blank, nothing to trim.
        if (!cell.text.empty() && static_cast<unsigned char>(cell.text[0]) - 0x21u < 0x5Eu) return false;
        if (!trimText(cell.text).empty()) return false;
    }
    return true;
}

/// RFC 4180 as Excel reads it, over a file's own bytes a part at a time. With an encoding it
/// delivers rows and throws ReadError at the first problem; with TextEncoding::Unknown (the
/// first pass, before the encoding is known) it only walks the records, keeps no cell and
/// notes whether a limit or an unterminated quote may refuse the file (`doubtful`).
class CsvParser {
public:
    CsvParser(Parts parts, const std::string& file, const ReadLimits& limits, char separator, TextEncoding encoding)
        : parts_(std::move(parts)),
          file_(file),
          limits_(limits),
          separator_(separator),
          encoding_(encoding),
          scan_(encoding == TextEncoding::Unknown),
          // A cell converted to UTF-8 is at least 3/4 of its bytes (a four-byte GB18030 code
          // becomes 3 or 4): beyond this many bytes it is over the limit whatever they are.
          keepBytes_(limits.maxCellBytes / 3 * 4 + 4) {
        endsRun_[static_cast<unsigned char>(separator_)] = endsRun_['\n'] = endsRun_['\r'] = true;
        endsQuoted_['"'] = endsQuoted_['\r'] = true;
        if (!scan_ && refill()) pos_ = byteOrderMarkLength(buf_, encoding_);
    }

    /// The next non-blank record into `row`; false at the end.
    bool next(Row& row) {
        for (;;) {
            if (peek() < 0) return false;
            row.row = ++record_;
            readRecord(row);
            if (blankRow(row)) continue;
            // Blank records past the limit are harmless; Excel shows data rows only up to it.
            if (std::size_t(row.row) > limits_.maxRows) {
                throw ReadError(file_ + "：第" + std::to_string(row.row) + "行超出了行数上限（" + std::to_string(limits_.maxRows) +
                                "行）。请把文件拆分后再导入。");
            }
            return true;
        }
    }

    /// First pass: walks every record; true when a limit or an unterminated quote may refuse
    /// the file (cells are judged by their bytes, each at most 3 bytes of UTF-8).
    bool doubtful() {
        Row none;
        while (peek() >= 0) {
            none.row = ++record_;
            readRecord(none);
        }
        return doubtful_ || std::size_t(record_) > limits_.maxRows;
    }

private:
    void readRecord(Row& row) {
        std::size_t count = 0;
        for (;;) {
            const std::string_view bytes = readCell(row.row);
            ++count;
            if (scan_) {
                if (bytes_ > limits_.maxCellBytes / 3 || count > limits_.maxColumns) doubtful_ = true;
            } else {
                if (count > row.cells.size()) row.cells.emplace_back();
                Cell& cell = row.cells[count - 1];
                cell.text.clear();
                if (!tooLong_) appendAsUtf8(cell.text, bytes, encoding_);
                if (tooLong_ || cell.text.size() > limits_.maxCellBytes) {
                    throw ReadError(file_ + "：第" + std::to_string(row.row) + "行" + model::columnLetter(int(count - 1)) +
                                    "列的单元格超出了长度上限（" + std::to_string(limits_.maxCellBytes) +
                                    "字节）。请检查该单元格前后的英文双引号是否成对。");
                }
                cell.kind = cell.text.empty() ? CellKind::Empty : CellKind::Text;
                if (count > limits_.maxColumns) {
                    throw ReadError(file_ + "：第" + std::to_string(row.row) + "行的列数超出了上限（" + std::to_string(limits_.maxColumns) +
                                    "列）。请检查该行的分隔符和引号是否正确。");
                }
            }
            if (peek() == static_cast<unsigned char>(separator_)) {
                ++pos_;
                continue;
            }
            skipLineBreak();
            if (!scan_) row.cells.resize(count);
            return;
        }
    }

    /// The cell's bytes with its quotes resolved: a view of the part when the cell lies in it
    /// unquoted, else the bytes gathered in `cell_`. Valid until the next read.
    std::string_view readCell(int record) {
        cell_.clear();
        bytes_ = 0;
        tooLong_ = false;
        bool gathered = false;
        if (peek() == '"') {
            ++pos_;
            readQuoted(record);
            gathered = true;
        }
        // Unquoted text, or what follows a closing quote: Excel keeps it (`"ab"c` → abc).
        for (;;) {
            std::size_t end = pos_;
            while (end < buf_.size() && !endsRun_[static_cast<unsigned char>(buf_[end])]) ++end;
            const std::string_view run = buf_.substr(pos_, end - pos_);
            pos_ = end;
            if (!gathered && end < buf_.size()) {
                bytes_ = run.size();
                return run;
            }
            keep(run);
            gathered = true;
            if (end < buf_.size() || !refill()) return cell_;
        }
    }

    void readQuoted(int record) {
        for (;;) {
            std::size_t next = pos_;
            while (next < buf_.size() && !endsQuoted_[static_cast<unsigned char>(buf_[next])]) ++next;
            if (next == buf_.size()) {
                keep(buf_.substr(pos_));
                pos_ = buf_.size();
                if (refill()) continue;
                if (scan_) {
                    doubtful_ = true;
                    return;
                }
                throw ReadError(file_ + "：第" + std::to_string(record) +
                                "行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。请检查该行是否少了一个英文双引号。");
            }
            keep(buf_.substr(pos_, next - pos_));
            pos_ = next + 1;
            if (buf_[next] == '\r') {
                // A line break inside a cell becomes LF, as Excel stores it (Alt+Enter).
                keep("\n");
                if (peek() == '\n') ++pos_;
            } else if (peek() == '"') {
                keep("\"");
                ++pos_;
            } else {
                return;
            }
        }
    }

    /// Gathers bytes of a cell; past what any cell within the limit can hold only counts them.
    void keep(std::string_view bytes) {
        bytes_ += bytes.size();
        if (scan_) return;
        if (cell_.size() + bytes.size() > keepBytes_) tooLong_ = true;
        else cell_.append(bytes);
    }

    /// CRLF, LF or a lone CR (old Mac exports) ends a record.
    void skipLineBreak() {
        const int c = peek();
        if (c < 0) return;
        ++pos_;
        if (c == '\r' && peek() == '\n') ++pos_;
    }

    /// The byte at the reading position, reading the next part when this one is done; −1 at the end.
    int peek() {
        if (pos_ == buf_.size() && !refill()) return -1;
        return static_cast<unsigned char>(buf_[pos_]);
    }

    bool refill() {
        buf_ = parts_();
        pos_ = 0;
        return !buf_.empty();
    }

    Parts parts_;
    const std::string& file_;
    const ReadLimits& limits_;
    const char separator_;
    const TextEncoding encoding_;
    const bool scan_;
    const std::size_t keepBytes_;
    bool endsRun_[256] = {};     ///< bytes that end an unquoted run: the separator, LF, CR
    bool endsQuoted_[256] = {};  ///< bytes that stop a quoted run: the quote, CR
    std::string_view buf_;
    std::size_t pos_ = 0;
    int record_ = 0;
    std::string cell_;
    std::size_t bytes_ = 0;  ///< bytes of the current cell, quotes resolved
    bool tooLong_ = false;   ///< the current cell is over the limit
    bool doubtful_ = false;
};

/// The bytes of a CSV file, from the file a part at a time or from bytes held by the caller.
struct CsvBytes {
    std::string path;                         ///< empty for held bytes
    std::shared_ptr<const std::string> held;  ///< the bytes when there is no file
    std::string file;                         ///< display name

    /// A fresh reading from the start: `parts` gives each part in turn.
    struct Reading {
        std::unique_ptr<model::FileParts> file;
        Parts parts;
    };

    Reading read() const {
        Reading r;
        if (held) {
            auto done = std::make_shared<bool>(false);
            r.parts = [held = held, done]() -> std::string_view {
                if (*done) return {};
                *done = true;
                return *held;
            };
            return r;
        }
        r.file = std::make_unique<model::FileParts>(path);
        r.parts = [f = r.file.get(), name = file]() -> std::string_view {
            std::string_view part = f->next();
            // Opened and judged before: a failure now means the file changed or went away.
            if (part.empty() && f->error() != 0)
                throw ReadError(name + "：读取文件时出错。请确认文件没有损坏，并且没有被其他程序独占打开。");
            return part;
        };
        return r;
    }
};

/// The rows of a CSV file from the `start`-th on, converted as they are read.
class CsvRows : public RowSource {
public:
    CsvRows(CsvBytes bytes, ReadLimits limits, char separator, TextEncoding encoding, bool xmlSafe, std::size_t start)
        : bytes_(std::move(bytes)),
          limits_(limits),
          separator_(separator),
          encoding_(encoding),
          xmlSafe_(xmlSafe),
          start_(start),
          reading_(bytes_.read()),
          parser_(reading_.parts, bytes_.file, limits_, separator_, encoding_) {
        Row row;
        for (std::size_t i = 0; i < start_ && parser_.next(row); ++i) {
        }
    }

    bool next(Row& row) override {
        if (!parser_.next(row)) return false;
        ++given_;
        return true;
    }
    std::unique_ptr<RowSource> again() const override {
        return std::make_unique<CsvRows>(bytes_, limits_, separator_, encoding_, xmlSafe_, start_);
    }
    bool xmlSafe() const override { return xmlSafe_; }
    /// From now on `again` starts where this source is now.
    void startHere() { start_ += given_; }

private:
    const CsvBytes bytes_;
    const ReadLimits limits_;
    const char separator_;
    const TextEncoding encoding_;
    const bool xmlSafe_;
    std::size_t start_;
    std::size_t given_ = 0;
    CsvBytes::Reading reading_;
    CsvParser parser_;
};

/// Opens a CSV for reading row by row: judges its encoding and structure (throwing ReadError
/// as a whole read would), then holds the first `held` rows and leaves the others to `rest`.
Table openCsv(CsvBytes bytes, const ReadLimits& limits, std::size_t held) {
    SeparatorCount count;
    {
        CsvBytes::Reading reading = bytes.read();
        for (std::string_view part = reading.parts(); !part.empty() && !count.feed(part); part = reading.parts()) {
        }
    }
    const char separator = count.separator();
    EncodingSniffer sniffer;
    ControlWatch controls;
    bool doubtful = false;
    {
        CsvBytes::Reading reading = bytes.read();
        Parts watched = [&]() -> std::string_view {
            std::string_view part = reading.parts();
            sniffer.feed(part);
            controls.feed(part);
            return part;
        };
        doubtful = CsvParser(watched, bytes.file, limits, separator, TextEncoding::Unknown).doubtful();
    }
    const TextEncoding encoding = sniffer.result();
    if (encoding == TextEncoding::Unknown) {
        throw ReadError(bytes.file + "：无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。");
    }
    if (doubtful) {
        CsvBytes::Reading reading = bytes.read();
        CsvParser parser(reading.parts, bytes.file, limits, separator, encoding);
        Row row;
        while (parser.next(row)) {
        }
    }
    Table table;
    table.file = bytes.file;
    auto rows = std::make_unique<CsvRows>(std::move(bytes), limits, separator, encoding, !controls.seen(), 0);
    Row row;
    while (table.rows.size() < held && rows->next(row)) table.rows.push_back(row);
    if (table.rows.size() == held) {
        rows->startHere();
        table.rest = std::move(rows);
    }
    return table;
}

}  // namespace

Table readCsv(std::string bytes, const std::string& displayName, const ReadLimits& limits) {
    Table table = openCsv(CsvBytes{{}, std::make_shared<const std::string>(std::move(bytes)), displayName}, limits, SIZE_MAX);
    return table;
}

Table readCsvFile(const std::string& path, const ReadLimits& limits) {
    std::string displayName = std::filesystem::path(path).filename().string();
    {
        // A folder cannot be read (EISDIR) and reads nothing: it cannot be opened as a file.
        model::FileParts file(path);
        if (file.next().empty() && file.error() != 0) {
            throw ReadError("无法打开文件“" + path + "”。请确认文件存在，并且没有被其他程序独占打开。");
        }
    }
    return openCsv(CsvBytes{path, nullptr, displayName}, limits, kHeldRows);
}

}  // namespace jixiao::ingest
