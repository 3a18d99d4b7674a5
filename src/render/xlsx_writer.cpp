#include "render/xlsx_writer.h"

#include "model/file_read.h"
#include "model/text.h"
#include "render/render_error.h"
#include "render/xlsx_grid.h"
#include "render/xlsx_scratch.h"
#include "render/xlsx_sheet.h"
#include "render/xlsx_zip.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace jixiao::render {

using model::decodeUtf8;
using model::encodeUtf8;
using xlsx::check;
using xlsx::cleanText;
using xlsx::FormatCache;
using xlsx::SheetInput;
using xlsx::writeSheet;

namespace {

/// Number of UTF-16 code units (Excel's unit for the 31-character sheet name limit).
size_t utf16Length(std::u32string_view s) {
    size_t n = 0;
    for (char32_t cp : s) n += cp > 0xFFFF ? 2 : 1;
    return n;
}

std::u32string truncateUtf16(std::u32string s, size_t limit) {
    while (utf16Length(s) > limit) s.pop_back();
    return s;
}

std::string asciiLower(std::string s) {
    for (char& ch : s) {
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return s;
}

// ---------------------------------------------------------------------------------------
// The workbook written as it is made (XlsxWorkbookWriter): libxlsxwriter writes it to a file,
// which is read back and removed. One made whole (renderXlsx) is packed in memory instead.

/// The file libxlsxwriter writes a streamed workbook to; removed when the rendering ends,
/// however it ends.
class TempFile {
public:
    explicit TempFile(const std::string& dir) {
        // The process id in the name lets a later run remove the file should this one be
        // killed (publish::sweepOrphans): /dev/shm is shared by every process.
        std::string pattern = (dir.empty() ? std::string("/tmp") : dir) + "/jixiao-xlsx-" + std::to_string(::getpid()) + "-XXXXXX";
        std::vector<char> buf(pattern.begin(), pattern.end());
        buf.push_back('\0');
        const int fd = ::mkstemp(buf.data());
        if (fd < 0) {
            throw ScratchFileError("无法创建临时文件 " + pattern + "（" + model::systemReason(errno) + "）");
        }
        ::close(fd);
        path_ = buf.data();
    }
    ~TempFile() { std::remove(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }

    std::string read() const {
        std::string bytes;
        if (int err = model::readFile(path_, bytes))
            throw ScratchFileError("无法读回临时文件 " + path_ + "（" + model::systemReason(err) + "）");
        return bytes;
    }

private:
    std::string path_;
};

/// Frees an unclosed workbook when rendering throws half way (workbook_close frees it itself).
struct WorkbookGuard {
    lxw_workbook* book = nullptr;
    ~WorkbookGuard() {
        if (book != nullptr) lxw_workbook_free(book);
    }
};

// ---------------------------------------------------------------------------------------
// Dates: FixedDate is local time at utcOffsetMinutes; libxlsxwriter wants a UTC time_t.

time_t utcSeconds(const layout::FixedDate& d) {
    if (d.year < 1970 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31 || d.hour < 0 || d.hour > 23 ||
        d.minute < 0 || d.minute > 59 || d.second < 0 || d.second > 60) {
        throw RenderError("文档日期 " + std::to_string(d.year) + "-" + std::to_string(d.month) + "-" + std::to_string(d.day) +
                          " 超出了 XLSX 能记录的范围（1970 至 9999 年）");
    }
    const int64_t local = d.date().daysSinceEpoch() * 86400 + d.hour * 3600 + d.minute * 60 + d.second;
    const int64_t utc = local - static_cast<int64_t>(d.utcOffsetMinutes) * 60;
    // libxlsxwriter treats 0 as "now"; the epoch itself is never a real creation date.
    return static_cast<time_t>(std::max<int64_t>(utc, 1));
}

}  // namespace

/// The name libxlsxwriter is given for a workbook built in memory: never opened.
constexpr const char* kInMemoryName = "jixiao-in-memory.xlsx";

/// An open workbook: libxlsxwriter's file, the C strings it was handed, the formats and the
/// tab names so far. Sheets are added one at a time; close() gives the bytes.
struct XlsxWorkbookWriter::Impl {
    /// Opens a workbook with `meta`'s properties. `inMemory`: its archive is built in memory
    /// (xlsx::MemoryArchive), for a workbook whose layout is whole in memory anyway; else it is
    /// written to a temporary file in options.tempDir as it is made, and read back.
    Impl(const layout::Metadata& meta, const XlsxOptions& options, bool inMemory) {
        if (!inMemory) file.emplace(options.tempDir);
        keep.push_back(options.tempDir.empty() ? std::string("/tmp") : options.tempDir);
        lxw_workbook_options wbOptions{};
        wbOptions.constant_memory = options.rowByRow ? LXW_TRUE : LXW_FALSE;
        rowByRow = options.rowByRow;
        wbOptions.tmpdir = keep.back().data();
        guard.book = workbook_new_opt(file ? file->path().c_str() : kInMemoryName, &wbOptions);
        if (guard.book == nullptr) throw RenderError("生成 XLSX 时内存不足，无法创建工作簿");
        formats.emplace(guard.book);

        lxw_doc_properties props{};
        keep.push_back(cleanText(meta.title));
        props.title = keep.back().data();
        keep.push_back(cleanText(meta.subject));
        props.subject = keep.back().data();
        keep.push_back(cleanText(meta.author));
        props.author = keep.back().data();
        keep.push_back(cleanText(meta.keywords));
        props.keywords = keep.back().data();
        props.created = utcSeconds(meta.created);
        check(workbook_set_properties(guard.book, &props), "setting the document properties");
    }

    /// The final tab name of a requested one: fixed, then made unique among the tabs so far
    /// (Excel compares names case-insensitively).
    std::string tabName(const std::string& requested) {
        const std::string base = sheetNameFor(requested);
        std::string name = base;
        for (int n = 2; taken.count(asciiLower(name)) != 0; ++n) {
            const std::u32string suffix = decodeUtf8("(" + std::to_string(n) + ")");
            name = encodeUtf8(truncateUtf16(decodeUtf8(base), 31 - suffix.size()) + suffix);
        }
        taken.insert(asciiLower(name));
        return name;
    }

    void write(const layout::Sheet& s) {
        writeSheet(guard.book, *formats, keep, SheetInput{tabName(s.name), &s.flow, s.autofilter, s.freezeRows, &s.charts, rowByRow});
        ++sheets;
    }

    /// A sheet that comes in parts (XlsxWorkbookWriter::beginSheet ... endSheet).
    void begin(layout::Sheet&& h, const std::vector<layout::Table>& tables) {
        head = std::move(h);
        const SheetInput in{tabName(head->name), &head->flow, head->autofilter, head->freezeRows, &head->charts, rowByRow};
        stream = std::make_unique<xlsx::SheetStream>(guard.book, *formats, keep, in, tables);
    }

    xlsx::SheetStream& open() {
        if (!stream) throw RenderError("工作表的内容应在工作表开始（beginSheet）之后给出");
        return *stream;
    }

    void end() {
        open().finish();
        stream.reset();
        head.reset();
        ++sheets;
    }

    std::string close() {
        if (stream) throw RenderError("工作表“" + head->name + "”还没有结束（endSheet）");
        if (sheets == 0) throw RenderError("工作簿中至少要有一个工作表");
        lxw_workbook* book = guard.book;
        guard.book = nullptr;  // workbook_close frees it, whatever it returns
        std::optional<xlsx::MemoryArchive> memory;
        if (!file) memory.emplace();
        const lxw_error closed = workbook_close(book);
        // A part that outgrew memory and could not be spilled to disk: the library may not
        // have noticed.
        if (const std::string failure = xlsx::takeScratchFailure(); !failure.empty())
            throw ScratchFileError("无法写入 XLSX 的临时文件，多半是磁盘空间不足或临时文件夹没有写权限（" + failure + "）");
        // The archive (render/xlsx_zip) could not be written, or would need ZIP64.
        if (const std::string failure = xlsx::takeZipFailure(); !failure.empty()) {
            if (closed == LXW_ERROR_ZIP_FILE_OPERATION)
                throw ScratchFileError("无法写入 XLSX 的临时文件，多半是磁盘空间不足或临时文件夹没有写权限（" + failure + "）");
            throw RenderError("无法生成 XLSX：" + failure);
        }
        check(closed, "writing " + (file ? file->path() : std::string(kInMemoryName)));
        if (file) return file->read();
        std::string bytes = memory->take();
        if (bytes.empty()) throw RenderError("无法生成 XLSX：工作簿没有在内存中打包（libxlsxwriter 没有调用 jixiao 的 zipOpen）");
        return bytes;
    }

    std::optional<TempFile> file;  // none for a workbook built in memory
    std::deque<std::string> keep;  // C strings handed to libxlsxwriter live until workbook_close
    WorkbookGuard guard;
    std::optional<FormatCache> formats;
    std::set<std::string> taken;
    int sheets = 0;
    bool rowByRow = false;
    std::optional<layout::Sheet> head;          // the sheet coming in parts: page, charts, options
    std::unique_ptr<xlsx::SheetStream> stream;  // and its writer
};

XlsxWorkbookWriter::XlsxWorkbookWriter(XlsxOptions options) : options_(std::move(options)) {}
XlsxWorkbookWriter::~XlsxWorkbookWriter() = default;

void XlsxWorkbookWriter::properties(const layout::Metadata& meta) { impl_ = std::make_unique<Impl>(meta, options_, false); }

void XlsxWorkbookWriter::sheet(layout::Sheet&& sheet) {
    if (!impl_) throw RenderError("工作簿的属性应在第一个工作表之前给出");
    const layout::Sheet released = std::move(sheet);  // dropped once libxlsxwriter has its cells
    impl_->write(released);
}

void XlsxWorkbookWriter::beginSheet(layout::Sheet&& head, std::vector<layout::Table> tables) {
    if (!impl_) throw RenderError("工作簿的属性应在第一个工作表之前给出");
    impl_->begin(std::move(head), tables);
}

void XlsxWorkbookWriter::blocks(std::vector<layout::Block>&& blocks) {
    if (!impl_) throw RenderError("工作簿的属性应在第一个工作表之前给出");
    const std::vector<layout::Block> released = std::move(blocks);  // dropped once written
    impl_->open().blocks(released);
}

void XlsxWorkbookWriter::tableRows(std::vector<layout::TableRow>&& rows) {
    if (!impl_) throw RenderError("工作簿的属性应在第一个工作表之前给出");
    impl_->open().tableRows(std::move(rows));
}

void XlsxWorkbookWriter::endSheet() {
    if (!impl_) throw RenderError("工作簿的属性应在第一个工作表之前给出");
    impl_->end();
}

std::string XlsxWorkbookWriter::finish() {
    if (!impl_) throw RenderError("工作簿中至少要有一个工作表");
    std::string bytes = impl_->close();
    impl_.reset();
    return bytes;
}

std::string sheetNameFor(const std::string& requested) {
    std::u32string name;
    for (char32_t cp : decodeUtf8(requested)) {
        const bool forbidden = cp == U'[' || cp == U']' || cp == U':' || cp == U'*' || cp == U'?' || cp == U'/' || cp == U'\\' ||
                               cp < 0x20 || !model::xmlAllows(cp);
        name.push_back(forbidden ? U'_' : cp);
    }
    while (!name.empty() && name.front() == U'\'') name.erase(name.begin());
    name = truncateUtf16(std::move(name), 31);
    while (!name.empty() && name.back() == U'\'') name.pop_back();
    std::string out = encodeUtf8(name);
    if (out.empty()) return "Sheet";
    if (asciiLower(out) == "history") return out + "_";  // reserved by Excel
    return out;
}

std::string renderXlsx(const layout::Document& doc, const XlsxOptions& options) {
    std::string requested = options.sheetName;
    if (requested.empty()) requested = doc.meta.title.empty() ? std::string("Sheet1") : doc.meta.title;
    XlsxWorkbookWriter::Impl book(doc.meta, options, true);
    writeSheet(book.guard.book, *book.formats, book.keep, SheetInput{book.tabName(requested), &doc, false, -1, nullptr, book.rowByRow});
    ++book.sheets;
    return book.close();
}

std::string renderXlsx(const layout::Grid& grid, const layout::Metadata& meta, const XlsxOptions& options) {
    XlsxOptions cellsKept = options;
    cellsKept.rowByRow = false;  // a filled form's cells are written in its template's order
    XlsxWorkbookWriter::Impl book(meta, cellsKept, true);
    xlsx::writeGridSheet(book.guard.book, book.keep, grid, book.tabName(grid.sheetName));
    ++book.sheets;
    return book.close();
}

std::string renderXlsx(const layout::Workbook& workbook, const XlsxOptions& options) {
    XlsxWorkbookWriter::Impl book(workbook.meta, options, true);
    for (const layout::Sheet& s : workbook.sheets) book.write(s);
    return book.close();
}

}  // namespace jixiao::render
