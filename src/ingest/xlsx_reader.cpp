#include "ingest/xlsx_reader.h"

#include "ingest/encoding.h"
#include "model/file_read.h"
#include "model/text.h"
#include "model/text_store.h"

#include <Poco/Checksum.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/MemoryStream.h>
#include <Poco/Path.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <istream>
#include <map>
#include <memory>
#include <streambuf>
#include <utility>
#include <vector>

namespace jixiao::ingest {

namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

/// Below this size a part is never suspected of being a bomb: tiny parts compress very well
/// (a sheet of blank rows easily reaches 300:1) and cannot hurt anyone.
constexpr std::uint64_t kRatioFloorBytes = 1u << 20;
/// Inflated bytes handed to the XML parser per read.
constexpr std::size_t kChunkBytes = 64u << 10;
/// A cell's raw text may hold `_xHHHH_` escapes that shrink when decoded, so raw text is
/// allowed this many times the cell limit before the decoded size is checked.
constexpr std::size_t kEscapeSlack = 8;

std::string formatBytes(std::uint64_t n) {
    if (n >= (1u << 20) && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MB";
    if (n >= 1024 && n % 1024 == 0) return std::to_string(n >> 10) + " KB";
    return std::to_string(n) + " 字节";
}

/// A size followed by Chinese text: a space only after a Latin unit ("256 MB 的上限", "10 字节的上限").
std::string formatLimit(std::uint64_t n) {
    std::string s = formatBytes(n);
    return s.back() == 'B' ? s + " " : s;
}

std::string formatRatio(double ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", ratio);
    return buf;
}

std::string columnName(std::size_t column) {
    std::string name;
    for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26) name.insert(name.begin(), char('A' + (n - 1) % 26));
    return name;
}

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (asciiLower(a[i]) != asciiLower(b[i])) return false;
    return true;
}

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string trimAscii(const std::string& s) {
    const char* space = " \t\r\n";
    std::size_t begin = s.find_first_not_of(space);
    if (begin == std::string::npos) return {};
    return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

/// Parses a non-negative decimal integer made of ASCII digits only; false when empty, not
/// digits, or above `max`. 18 digits at most, so the value cannot wrap.
bool parseIndex(const std::string& s, std::uint64_t max, std::uint64_t& value) {
    if (s.empty() || s.size() > 18) return false;
    value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + std::uint64_t(c - '0');
    }
    return value <= max;
}

/// Reads an ECMA-376 `_xHHHH_` escape at `pos`.
bool escapeAt(const std::string& s, std::size_t pos, std::uint32_t& cp) {
    if (pos + 7 > s.size() || s[pos] != '_' || s[pos + 1] != 'x' || s[pos + 6] != '_') return false;
    cp = 0;
    for (std::size_t i = pos + 2; i < pos + 6; ++i) {
        char c = s[i];
        std::uint32_t digit;
        if (c >= '0' && c <= '9') digit = std::uint32_t(c - '0');
        else if (c >= 'a' && c <= 'f') digit = std::uint32_t(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') digit = std::uint32_t(c - 'A' + 10);
        else return false;
        cp = cp * 16 + digit;
    }
    return true;
}

/// Excel stores characters XML cannot carry (a carriage return pasted from Word, other control
/// characters) as `_xHHHH_`, and a literal `_x` as `_x005F_x`; users expect the characters.
std::string decodeEscapes(const std::string& s) {
    if (s.find("_x") == std::string::npos) return s;
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        std::uint32_t cp = 0;
        if (!escapeAt(s, i, cp)) {
            out += s[i++];
            continue;
        }
        std::uint32_t low = 0;
        if (cp >= 0xD800 && cp <= 0xDBFF && escapeAt(s, i + 7, low) && low >= 0xDC00 && low <= 0xDFFF) {
            model::appendUtf8(out, 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00));
            i += 14;
        } else if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            // NUL and lone surrogates cannot be text: keep what the file says.
            out.append(s, i, 7);
            i += 7;
        } else {
            model::appendUtf8(out, cp);
            i += 7;
        }
    }
    return out;
}

/// Resolves a relationship target against the folder of the part that holds the relationship,
/// as OPC says: `worksheets/sheet1.xml` from `xl/workbook.xml` is `xl/worksheets/sheet1.xml`.
std::string resolvePart(const std::string& folder, std::string target) {
    for (char& c : target)
        if (c == '\\') c = '/';
    std::string joined = (!target.empty() && target[0] == '/') ? target.substr(1) : folder + target;
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= joined.size()) {
        std::size_t end = joined.find('/', start);
        if (end == std::string::npos) end = joined.size();
        std::string segment = joined.substr(start, end - start);
        if (segment == "..") {
            if (!segments.empty()) segments.pop_back();
        } else if (!segment.empty() && segment != ".") {
            segments.push_back(std::move(segment));
        }
        start = end + 1;
    }
    std::string path;
    for (const auto& segment : segments) path += (path.empty() ? "" : "/") + segment;
    return path;
}

std::string folderOf(const std::string& part) {
    std::size_t slash = part.rfind('/');
    return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

/// The relationships part of `part`: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
std::string relsPartOf(const std::string& part) {
    std::size_t slash = part.rfind('/');
    std::string name = slash == std::string::npos ? part : part.substr(slash + 1);
    return folderOf(part) + "_rels/" + name + ".rels";
}

/// What one call of readXlsx shares between its steps: the bytes, the names for messages and
/// the running totals the limits are checked against.
class Context {
public:
    Context(const std::string& bytes, const std::string& file, const ReadLimits& limits) : bytes_(bytes), file_(file), limits_(limits) {}

    const std::string& bytes() const { return bytes_; }
    const std::string& file() const { return file_; }
    const ReadLimits& limits() const { return limits_; }

    std::string message(const std::string& text) const { return file_ + "：" + text; }
    [[noreturn]] void fail(const std::string& text) const { throw ReadError(message(text)); }

    /// Counts inflated bytes of every part against maxTotalBytes.
    void countInflated(std::uint64_t n) {
        inflated_ += n;
        if (inflated_ > limits_.maxTotalBytes)
            fail("解压后的数据总量超过 " + formatBytes(limits_.maxTotalBytes) + "，疑似压缩炸弹，已拒绝读取。");
    }

    /// Counts memory the reader keeps (strings, cells, padding for skipped columns) against
    /// maxTotalBytes, so that a small sheet cannot expand into gigabytes: one long shared string
    /// referenced from every cell, or one cell in column XFD on each of a million rows.
    /// Returns false when over; handlers then stop (they must not throw through expat).
    bool charge(std::uint64_t n) {
        kept_ += n;
        return kept_ <= limits_.maxTotalBytes;
    }
    std::string overBudgetMessage() const {
        return message("展开后的数据量超过 " + formatLimit(limits_.maxTotalBytes) + "的上限，疑似异常文件，已拒绝读取。");
    }

private:
    const std::string& bytes_;
    const std::string& file_;
    const ReadLimits& limits_;
    std::uint64_t inflated_ = 0;
    std::uint64_t kept_ = 0;
};

// ---------------------------------------------------------------------------------------------
// The zip container.
//
// Poco::Zip::ZipArchive walks the local headers from the first byte and believes the sizes
// they claim; the central directory at the end is the authoritative index (it is what Excel
// reads, and it stays right when an entry uses a data descriptor). So the directory is read
// here, every offset checked against the buffer, and each part is inflated with Poco's
// InflatingInputStream while the reader counts what actually comes out.

struct ZipEntry {
    std::string name;
    std::uint16_t flags = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t localOffset = 0;
};

std::uint64_t readLe(const std::string& b, std::uint64_t pos, int width) {
    std::uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[pos + std::uint64_t(i)]);
    return v;
}

constexpr std::uint32_t kLocalHeaderSig = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSig = 0x02014b50;
constexpr std::uint32_t kEndSig = 0x06054b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50;
constexpr std::uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr std::uint64_t kLocalHeaderSize = 30;
constexpr std::uint64_t kCentralHeaderSize = 46;
constexpr std::uint64_t kEndSize = 22;

class ZipDirectory {
public:
    explicit ZipDirectory(const Context& ctx) : ctx_(ctx) { read(); }

    /// Part names are case-insensitive in OPC.
    const ZipEntry* find(const std::string& name) const {
        auto it = entries_.find(key(name));
        return it == entries_.end() ? nullptr : &it->second;
    }

    /// Where the entry's data starts, checked to lie inside the file.
    std::uint64_t dataStart(const ZipEntry& e) const {
        const std::string& b = ctx_.bytes();
        if (e.localOffset > b.size() || b.size() - e.localOffset < kLocalHeaderSize || readLe(b, e.localOffset, 4) != kLocalHeaderSig)
            ctx_.fail(e.name + " 的数据位置无效，文件已损坏。");
        std::uint64_t start = e.localOffset + kLocalHeaderSize + readLe(b, e.localOffset + 26, 2) + readLe(b, e.localOffset + 28, 2);
        if (start > b.size() || b.size() - start < e.compressedSize) ctx_.fail(e.name + " 的数据不完整（文件被截断），请重新获取该文件。");
        return start;
    }

private:
    static std::string key(const std::string& name) {
        std::string k = name;
        for (char& c : k) c = c == '\\' ? '/' : asciiLower(c);
        return k;
    }

    [[noreturn]] void notAZip() const {
        const std::string& b = ctx_.bytes();
        if (b.empty()) ctx_.fail("文件为空。");
        if (b.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") == 0)
            ctx_.fail("这是旧版 Excel（.xls）或加密的工作簿，无法读取。请在 Excel 中另存为 .xlsx 或 CSV。");
        if (b.compare(0, 4, "PK\x03\x04") == 0) ctx_.fail("文件不完整（ZIP 结构被截断），可能下载或复制未完成，请重新获取该文件。");
        ctx_.fail("不是有效的 XLSX 文件（无法识别 ZIP 结构），请确认它是 Excel 工作簿。");
    }

    [[noreturn]] void corrupt() const { ctx_.fail("文件已损坏（ZIP 目录无效），无法作为 XLSX 读取。"); }

    void read() {
        const std::string& b = ctx_.bytes();
        const std::uint64_t size = b.size();
        if (size < kEndSize) notAZip();

        // The end record sits in the last 22 bytes plus at most a 64 KiB comment.
        std::uint64_t end = size;
        std::uint64_t lowest = size - kEndSize > 0xFFFF ? size - kEndSize - 0xFFFF : 0;
        for (std::uint64_t pos = size - kEndSize + 1; pos-- > lowest;) {
            if (readLe(b, pos, 4) == kEndSig && pos + kEndSize + readLe(b, pos + 20, 2) <= size) {
                end = pos;
                break;
            }
        }
        if (end == size) notAZip();

        std::uint64_t count = readLe(b, end + 10, 2);
        std::uint64_t dirSize = readLe(b, end + 12, 4);
        std::uint64_t dirOffset = readLe(b, end + 16, 4);
        if ((count == 0xFFFF || dirSize == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF) && end >= 20 &&
            readLe(b, end - 20, 4) == kEnd64LocatorSig) {
            std::uint64_t end64 = readLe(b, end - 20 + 8, 8);
            if (end64 > size || size - end64 < 56 || readLe(b, end64, 4) != kEnd64Sig) corrupt();
            count = readLe(b, end64 + 32, 8);
            dirSize = readLe(b, end64 + 40, 8);
            dirOffset = readLe(b, end64 + 48, 8);
        }
        if (dirOffset > size || size - dirOffset < dirSize) corrupt();

        const std::uint64_t dirEnd = dirOffset + dirSize;
        std::uint64_t pos = dirOffset;
        // `count` is only a claim: each entry is bounds-checked against the directory instead.
        for (std::uint64_t i = 0; i < count; ++i) {
            if (dirEnd - pos < kCentralHeaderSize || readLe(b, pos, 4) != kCentralHeaderSig) corrupt();
            ZipEntry e;
            e.flags = std::uint16_t(readLe(b, pos + 8, 2));
            e.method = std::uint16_t(readLe(b, pos + 10, 2));
            e.crc = std::uint32_t(readLe(b, pos + 16, 4));
            e.compressedSize = readLe(b, pos + 20, 4);
            std::uint64_t uncompressed = readLe(b, pos + 24, 4);
            const std::uint64_t nameLength = readLe(b, pos + 28, 2);
            const std::uint64_t extraLength = readLe(b, pos + 30, 2);
            const std::uint64_t commentLength = readLe(b, pos + 32, 2);
            e.localOffset = readLe(b, pos + 42, 4);
            const std::uint64_t total = kCentralHeaderSize + nameLength + extraLength + commentLength;
            if (dirEnd - pos < total) corrupt();
            e.name = b.substr(pos + kCentralHeaderSize, nameLength);
            readZip64Extra(pos + kCentralHeaderSize + nameLength, extraLength, uncompressed, e);
            entries_.emplace(key(e.name), std::move(e));
            pos += total;
        }
    }

    /// Zip64 keeps the real sizes and offset in extra field 0x0001, in this order, each present
    /// only when the 32-bit field says 0xFFFFFFFF.
    void readZip64Extra(std::uint64_t pos, std::uint64_t length, std::uint64_t uncompressed, ZipEntry& e) const {
        const std::string& b = ctx_.bytes();
        const std::uint64_t end = pos + length;
        while (end - pos >= 4) {
            const std::uint64_t id = readLe(b, pos, 2);
            const std::uint64_t size = readLe(b, pos + 2, 2);
            pos += 4;
            if (end - pos < size) return;
            if (id == 0x0001) {
                std::uint64_t p = pos;
                const std::uint64_t stop = pos + size;
                auto next = [&](std::uint64_t& field) {
                    if (field == 0xFFFFFFFF && stop - p >= 8) {
                        field = readLe(b, p, 8);
                        p += 8;
                    }
                };
                next(uncompressed);  // not used: the reader counts what it inflates
                next(e.compressedSize);
                next(e.localOffset);
            }
            pos += size;
        }
    }

    const Context& ctx_;
    std::map<std::string, ZipEntry> entries_;
};

// ---------------------------------------------------------------------------------------------
// One part, inflated on demand and handed to the XML parser.

/// A streambuf over one zip entry. It enforces the size and ratio limits on the bytes actually
/// inflated, checks the CRC at the end, and refuses a DTD before expat sees it: XLSX parts
/// never have one, and without a DTD there are no entities to expand (billion laughs) and no
/// external ones to fetch. Everything it throws is thrown from C++ frames (the parser's read
/// call), never from inside expat.
class PartStreamBuf : public std::streambuf {
public:
    PartStreamBuf(Context& ctx, const ZipDirectory& zip, const ZipEntry& entry, const std::string& pendingError)
        : ctx_(ctx), entry_(entry), pendingError_(pendingError), buffer_(kChunkBytes) {
        if (entry.flags & 0x0001) ctx.fail(entry.name + " 已加密，无法读取。请在 Excel 中取消密码后另存。");
        if (entry.method != 0 && entry.method != 8)
            ctx.fail(entry.name + " 使用了不支持的压缩方式（编号 " + std::to_string(entry.method) + "），请在 Excel 中重新保存。");
        const std::uint64_t start = zip.dataStart(entry);
        raw_ = std::make_unique<Poco::MemoryInputStream>(ctx.bytes().data() + start, static_cast<std::streamsize>(entry.compressedSize));
        if (entry.method == 8) {
            // Negative window bits: raw deflate, as zip stores it (no zlib header or trailer).
            inflater_ = std::make_unique<Poco::InflatingInputStream>(*raw_, -15);
            source_ = inflater_.get();
        } else {
            source_ = raw_.get();
        }
        source_->exceptions(std::ios::badbit);
    }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (!pendingError_.empty()) throw ReadError(pendingError_);
        if (finished_) return traits_type::eof();
        std::size_t n = 0;
        try {
            source_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
            n = static_cast<std::size_t>(source_->gcount());
        } catch (const Poco::Exception&) {
            ctx_.fail(entry_.name + " 解压失败，文件已损坏。");
        } catch (const std::ios_base::failure&) {
            ctx_.fail(entry_.name + " 解压失败，文件已损坏。");
        }
        if (n == 0) {
            finished_ = true;
            if (crc_.checksum() != entry_.crc) ctx_.fail(entry_.name + " 校验失败（CRC 不符），文件已损坏。");
            return traits_type::eof();
        }
        account(n);
        crc_.update(buffer_.data(), static_cast<unsigned>(n));
        guardProlog(n);
        setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
        return traits_type::to_int_type(buffer_[0]);
    }

private:
    void account(std::size_t n) {
        const ReadLimits& limits = ctx_.limits();
        produced_ += n;
        if (produced_ > limits.maxEntryBytes)
            ctx_.fail(entry_.name + " 解压后超过 " + formatBytes(limits.maxEntryBytes) +
                      " 的上限，文件过大或已损坏，已拒绝读取。请把数据分到几个文件中，或删除多余的工作表和格式后重新保存。");
        const double compressed = entry_.compressedSize > 0 ? double(entry_.compressedSize) : 1.0;
        if (produced_ > kRatioFloorBytes && double(produced_) > limits.maxCompressionRatio * compressed)
            ctx_.fail("压缩比异常（" + entry_.name + " 的压缩比超过 " + formatRatio(limits.maxCompressionRatio) +
                      " 倍），疑似压缩炸弹，已拒绝读取。");
        ctx_.countInflated(n);
    }

    /// Scans the prolog (everything before the root element) for `<!` that does not open a
    /// comment, which can only be a DOCTYPE. A NUL or a UTF-16 byte order mark means the part
    /// is not in an ASCII-compatible encoding, where this scan would be blind, so it is refused.
    void guardProlog(std::size_t n) {
        for (std::size_t i = 0; i < n && prolog_ != Prolog::Done; ++i, ++scanned_) {
            const auto c = static_cast<unsigned char>(buffer_[i]);
            if (c == 0 || (scanned_ == 0 && (c == 0xFE || c == 0xFF)))
                ctx_.fail(entry_.name + " 不是 UTF-8 编码的 XML，无法读取；请在 Excel 中重新保存后再试。");
            switch (prolog_) {
            case Prolog::Text:
                if (c == '<') prolog_ = Prolog::Open;
                break;
            case Prolog::Open:
                if (c == '?') prolog_ = Prolog::Pi;
                else if (c == '!') prolog_ = Prolog::Bang;
                else prolog_ = Prolog::Done;
                break;
            case Prolog::Bang:
                if (c != '-')
                    ctx_.fail(entry_.name +
                              " 含有 DTD 声明（<!DOCTYPE>），XLSX 文件不应包含，可能是恶意构造的文件"
                              "（如“billion laughs”实体膨胀攻击），已拒绝读取。");
                prolog_ = Prolog::BangDash;
                break;
            case Prolog::BangDash: prolog_ = c == '-' ? Prolog::Comment : Prolog::Done; break;
            case Prolog::Comment:
                if (c == '-') prolog_ = Prolog::CommentDash;
                break;
            case Prolog::CommentDash: prolog_ = c == '-' ? Prolog::CommentDashes : Prolog::Comment; break;
            case Prolog::CommentDashes:
                if (c == '>') prolog_ = Prolog::Text;
                else if (c != '-') prolog_ = Prolog::Comment;
                break;
            case Prolog::Pi:
                if (c == '?') prolog_ = Prolog::PiQuestion;
                break;
            case Prolog::PiQuestion:
                if (c == '>') prolog_ = Prolog::Text;
                else if (c != '?') prolog_ = Prolog::Pi;
                break;
            case Prolog::Done: break;
            }
        }
    }

    enum class Prolog { Text, Open, Bang, BangDash, Comment, CommentDash, CommentDashes, Pi, PiQuestion, Done };

    Context& ctx_;
    const ZipEntry& entry_;
    const std::string& pendingError_;
    std::unique_ptr<Poco::MemoryInputStream> raw_;
    std::unique_ptr<Poco::InflatingInputStream> inflater_;
    std::istream* source_ = nullptr;
    std::vector<char> buffer_;
    Poco::Checksum crc_{Poco::Checksum::TYPE_CRC32};
    std::uint64_t produced_ = 0;
    std::uint64_t scanned_ = 0;
    Prolog prolog_ = Prolog::Text;
    bool finished_ = false;
};

/// Base of the SAX handlers. A handler that finds a problem records it and ignores the rest of
/// the part; the stream raises it on its next read, so no exception crosses expat's C frames.
class PartHandler : public Poco::XML::DefaultHandler {
public:
    explicit PartHandler(Context& ctx) : ctx_(ctx) {}
    const std::string& pendingError() const { return error_; }

protected:
    void abort(const std::string& message) {
        if (error_.empty()) error_ = message;
    }
    bool aborted() const { return !error_.empty(); }
    bool charge(std::uint64_t n) {
        if (ctx_.charge(n)) return true;
        abort(ctx_.overBudgetMessage());
        return false;
    }

    Context& ctx_;

private:
    std::string error_;
};

const XMLString* attribute(const Attributes& attrs, const char* localName, bool qualified = false) {
    for (int i = 0; i < attrs.getLength(); ++i)
        if (attrs.getLocalName(i) == localName && attrs.getURI(i).empty() != qualified) return &attrs.getValue(i);
    return nullptr;
}

void parsePart(Context& ctx, const ZipDirectory& zip, const ZipEntry& entry, PartHandler& handler) {
    PartStreamBuf buf(ctx, zip, entry, handler.pendingError());
    std::istream in(&buf);
    // So that ReadError thrown by the streambuf reaches us instead of becoming a silent EOF.
    in.exceptions(std::ios::badbit);
    Poco::XML::InputSource source(in);
    Poco::XML::SAXParser parser;
    parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
    parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
    parser.setContentHandler(&handler);
    try {
        parser.parse(&source);
    } catch (const ReadError&) {
        throw;
    } catch (const Poco::XML::SAXParseException& e) {
        if (!handler.pendingError().empty()) throw ReadError(handler.pendingError());
        ctx.fail(entry.name + " 不是有效的 XML（第 " + std::to_string(e.getLineNumber()) + " 行第 " + std::to_string(e.getColumnNumber()) +
                 " 列），文件已损坏。");
    } catch (const Poco::Exception& e) {
        if (!handler.pendingError().empty()) throw ReadError(handler.pendingError());
        ctx.fail(entry.name + " 无法解析（" + e.displayText() + "），文件已损坏。");
    }
    if (!handler.pendingError().empty()) throw ReadError(handler.pendingError());
}

// ---------------------------------------------------------------------------------------------
// The parts: relationships, workbook, shared strings, one worksheet.

struct Relationship {
    std::string id;
    std::string type;
    std::string target;
    bool external = false;
};

class RelationshipsHandler : public PartHandler {
public:
    using PartHandler::PartHandler;
    const std::vector<Relationship>& relationships() const { return relationships_; }

    void startElement(const XMLString&, const XMLString& localName, const XMLString&, const Attributes& attrs) override {
        if (aborted() || localName != "Relationship") return;
        Relationship r;
        if (const auto* v = attribute(attrs, "Id")) r.id = *v;
        if (const auto* v = attribute(attrs, "Type")) r.type = *v;
        if (const auto* v = attribute(attrs, "Target")) r.target = *v;
        if (const auto* v = attribute(attrs, "TargetMode")) r.external = *v == "External";
        if (!charge(sizeof r + r.id.size() + r.type.size() + r.target.size())) return;
        relationships_.push_back(std::move(r));
    }

private:
    std::vector<Relationship> relationships_;
};

struct SheetRef {
    std::string name;
    std::string relationshipId;
};

class WorkbookHandler : public PartHandler {
public:
    using PartHandler::PartHandler;
    const std::vector<SheetRef>& sheets() const { return sheets_; }

    void startElement(const XMLString&, const XMLString& localName, const XMLString&, const Attributes& attrs) override {
        if (aborted()) return;
        if (localName == "sheets") {
            inSheets_ = true;
        } else if (inSheets_ && localName == "sheet") {
            SheetRef s;
            if (const auto* v = attribute(attrs, "name")) s.name = *v;
            if (const auto* v = attribute(attrs, "id", true)) s.relationshipId = *v;
            if (!charge(sizeof s + s.name.size() + s.relationshipId.size())) return;
            sheets_.push_back(std::move(s));
        }
    }
    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (localName == "sheets") inSheets_ = false;
    }

private:
    std::vector<SheetRef> sheets_;
    bool inSheets_ = false;
};

/// Collects the text of a rich string (`<si>` or `<is>`): plain `<t>` or runs `<r><t>`,
/// concatenated; phonetic guides (`<rPh>`) are not part of the value.
class RichText {
public:
    void begin() {
        text_.clear();
        inT_ = false;
        phonetic_ = 0;
    }
    void start(const XMLString& localName) {
        if (localName == "rPh") ++phonetic_;
        else if (localName == "t" && phonetic_ == 0) inT_ = true;
    }
    void end(const XMLString& localName) {
        if (localName == "rPh" && phonetic_ > 0) --phonetic_;
        else if (localName == "t") inT_ = false;
    }
    bool collecting() const { return inT_; }
    std::string& text() { return text_; }

private:
    std::string text_;
    bool inT_ = false;
    int phonetic_ = 0;
};

/// How much raw text a cell may collect before its escapes are decoded and the real limit applied.
std::size_t rawCellCap(const ReadLimits& limits) {
    return limits.maxCellBytes > SIZE_MAX / kEscapeSlack ? SIZE_MAX : limits.maxCellBytes * kEscapeSlack;
}

class SharedStringsHandler : public PartHandler {
public:
    SharedStringsHandler(Context& ctx, std::string part) : PartHandler(ctx), part_(std::move(part)) {}
    std::vector<std::string>& strings() { return strings_; }

    void startElement(const XMLString&, const XMLString& localName, const XMLString&, const Attributes&) override {
        if (aborted()) return;
        if (localName == "si") {
            inItem_ = true;
            item_.begin();
        } else if (inItem_) {
            item_.start(localName);
        }
    }
    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (aborted() || !inItem_) return;
        if (localName != "si") {
            item_.end(localName);
            return;
        }
        inItem_ = false;
        std::string text = decodeEscapes(item_.text());
        if (text.size() > ctx_.limits().maxCellBytes) return tooLong();
        if (!charge(sizeof text + text.size())) return;
        strings_.push_back(std::move(text));
    }
    void characters(const XMLChar ch[], int start, int length) override {
        if (aborted() || !inItem_ || !item_.collecting()) return;
        if (item_.text().size() + std::size_t(length) > rawCellCap(ctx_.limits())) return tooLong();
        item_.text().append(ch + start, std::size_t(length));
    }

private:
    void tooLong() {
        abort(ctx_.message("共享字符串表（" + part_ + "）第 " + std::to_string(strings_.size() + 1) + " 项超过 " +
                           formatLimit(ctx_.limits().maxCellBytes) + "的单元格上限，已拒绝读取。"));
    }

    std::string part_;
    std::vector<std::string> strings_;
    RichText item_;
    bool inItem_ = false;
};

/// The rows of a sheet past those its table holds, spilled to a scratch file (model::TextStore)
/// as the sheet is read and read back one at a time, so that a big sheet is never whole in memory.
class SpilledRows : public RowSource {
public:
    struct Spill {
        model::TextStore store{0};        ///< nothing held in memory: these rows are what must not be
        std::vector<model::Text> rows;    ///< one per row, in order
        std::map<std::size_t, Row> held;  ///< rows too long for the store (16 MiB), kept as they are
        bool xmlSafe = true;
    };

    explicit SpilledRows(std::shared_ptr<const Spill> spill) : spill_(std::move(spill)) {}

    /// Appends a row. Throws model::TextStoreError when the scratch file cannot be written.
    static void add(Spill& spill, const Row& row) {
        std::string bytes;
        auto put32 = [&](std::uint32_t v) { bytes.append(reinterpret_cast<const char*>(&v), sizeof v); };
        put32(std::uint32_t(row.row));
        put32(std::uint32_t(row.cells.size()));
        for (const Cell& cell : row.cells) {
            bytes += static_cast<char>(cell.kind);
            put32(std::uint32_t(cell.text.size()));
            bytes += cell.text;
            if (spill.xmlSafe && mayHoldXmlForbidden(cell.text)) spill.xmlSafe = false;
        }
        if (bytes.size() < (std::size_t{1} << 24)) {
            spill.rows.push_back(spill.store.put(bytes));
        } else {
            spill.held[spill.rows.size()] = row;
            spill.rows.emplace_back();
        }
    }

    bool next(Row& row) override {
        if (next_ == spill_->rows.size()) return false;
        const std::size_t index = next_++;
        if (auto it = spill_->held.find(index); it != spill_->held.end()) {
            row = it->second;
            return true;
        }
        const std::string bytes = spill_->rows[index].str();
        std::size_t at = 0;
        auto get32 = [&] {
            std::uint32_t v = 0;
            std::memcpy(&v, bytes.data() + at, sizeof v);
            at += sizeof v;
            return v;
        };
        row.row = int(get32());
        row.cells.resize(get32());
        for (Cell& cell : row.cells) {
            cell.kind = static_cast<CellKind>(bytes[at++]);
            const std::uint32_t size = get32();
            cell.text.assign(bytes, at, size);
            at += size;
        }
        return true;
    }

    std::unique_ptr<RowSource> again() const override { return std::make_unique<SpilledRows>(spill_); }
    bool xmlSafe() const override { return spill_->xmlSafe; }

private:
    std::shared_ptr<const Spill> spill_;
    std::size_t next_ = 0;
};

class SheetHandler : public PartHandler {
public:
    /// Rows past the first `held` go to `spill` when there is one.
    SheetHandler(Context& ctx, const std::vector<std::string>& shared, Table& table, std::size_t held = SIZE_MAX,
                 SpilledRows::Spill* spill = nullptr)
        : PartHandler(ctx), shared_(shared), table_(table), held_(held), spill_(spill) {}

    /// What stopped the parse that is not the file's fault (the scratch file), to be rethrown.
    std::exception_ptr failure() const { return failure_; }

    void startElement(const XMLString&, const XMLString& localName, const XMLString&, const Attributes& attrs) override {
        if (aborted()) return;
        if (!inSheetData_) {
            if (localName == "sheetData") inSheetData_ = true;
        } else if (!inRow_) {
            if (localName == "row") beginRow(attrs);
        } else if (!inCell_) {
            if (localName == "c") beginCell(attrs);
        } else if (inline_) {
            inlineText_.start(localName);
        } else if (localName == "v") {
            inValue_ = true;
            hasValue_ = true;
        } else if (localName == "is") {
            inline_ = true;
            hasValue_ = true;
            inlineText_.begin();
        }
    }

    void endElement(const XMLString&, const XMLString& localName, const XMLString&) override {
        if (aborted() || !inSheetData_) return;
        if (inCell_) {
            if (localName == "c") endCell();
            else if (inline_ && localName == "is") inline_ = false;
            else if (inline_) inlineText_.end(localName);
            else if (localName == "v") inValue_ = false;
        } else if (inRow_) {
            if (localName == "row") endRow();
        } else if (localName == "sheetData") {
            inSheetData_ = false;
        }
    }

    void characters(const XMLChar ch[], int start, int length) override {
        if (aborted() || !inCell_) return;
        std::string* target = nullptr;
        if (inline_ && inlineText_.collecting()) target = &inlineText_.text();
        else if (inValue_) target = &value_;
        if (!target) return;
        if (target->size() + std::size_t(length) > rawCellCap(ctx_.limits())) return cellTooLong();
        target->append(ch + start, std::size_t(length));
    }

private:
    std::string position() const { return ctx_.file() + "[" + table_.sheet + "!" + columnName(column_) + std::to_string(row_.row) + "]"; }
    std::string sheetMessage(const std::string& text) const { return ctx_.message("工作表" + model::quoted(table_.sheet) + text); }

    void beginRow(const Attributes& attrs) {
        const ReadLimits& limits = ctx_.limits();
        std::uint64_t number = lastRow_ + 1;
        if (const auto* r = attribute(attrs, "r")) {
            if (!parseIndex(*r, UINT64_MAX, number) || number == 0)
                return abort(sheetMessage("的行号" + model::quoted(*r) + "无效，文件已损坏。"));
        }
        if (number > limits.maxRows || number > std::uint64_t(INT_MAX))
            return abort(
                sheetMessage("超过 " + std::to_string(limits.maxRows) + " 行的上限（第 " + std::to_string(number) + " 行），已拒绝读取。"));
        inRow_ = true;
        lastRow_ = number;
        row_.row = int(number);
        row_.cells.clear();
        nextColumn_ = 0;
    }

    void endRow() {
        inRow_ = false;
        if (row_.cells.empty()) return;  // fully empty rows are left out
        if (!charge(sizeof(Row))) return;
        if (spill_ && table_.rows.size() >= held_) {
            // No exception may cross expat's frames: kept, the parse stopped, rethrown after it.
            try {
                SpilledRows::add(*spill_, row_);
            } catch (...) {
                failure_ = std::current_exception();
                abort("scratch");
            }
            return;
        }
        table_.rows.push_back(std::move(row_));
        row_ = Row{};
    }

    void beginCell(const Attributes& attrs) {
        const ReadLimits& limits = ctx_.limits();
        std::uint64_t column = nextColumn_;
        if (const auto* r = attribute(attrs, "r")) {
            if (!parseColumn(*r, column))
                return abort(sheetMessage("第 " + std::to_string(row_.row) + " 行的单元格引用" + model::quoted(*r) + "无效，文件已损坏。"));
        }
        if (column >= limits.maxColumns) {
            return abort(ctx_.message("工作表" + model::quoted(table_.sheet) + "第 " + std::to_string(row_.row) + " 行超过 " +
                                      std::to_string(limits.maxColumns) + " 列的上限，已拒绝读取。"));
        }
        column_ = std::size_t(column);
        nextColumn_ = column + 1;
        const auto* t = attribute(attrs, "t");
        type_ = t ? *t : std::string();
        inCell_ = true;
        inValue_ = false;
        inline_ = false;
        hasValue_ = false;
        value_.clear();
        inlineText_.begin();
    }

    /// Reads the column of a reference such as `AB12`; the row digits must be present but the
    /// row element's number is the one used.
    static bool parseColumn(const std::string& ref, std::uint64_t& column) {
        std::size_t i = 0;
        std::uint64_t n = 0;
        for (; i < ref.size() && i < 8; ++i) {
            char c = ref[i];
            if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
            if (c < 'A' || c > 'Z') break;
            n = n * 26 + std::uint64_t(c - 'A' + 1);
        }
        if (i == 0 || i == ref.size()) return false;
        std::uint64_t row = 0;
        if (!parseIndex(ref.substr(i), UINT64_MAX, row)) return false;
        column = n - 1;
        return true;
    }

    void endCell() {
        inCell_ = false;
        inValue_ = false;
        inline_ = false;
        Cell cell = makeCell();
        if (aborted() || cell.kind == CellKind::Empty) return;
        if (cell.text.size() > ctx_.limits().maxCellBytes) return cellTooLong();
        std::uint64_t cost = cell.text.size();
        if (column_ >= row_.cells.size()) cost += (column_ + 1 - row_.cells.size()) * sizeof(Cell);
        if (!charge(cost)) return;
        if (column_ >= row_.cells.size()) row_.cells.resize(column_ + 1);
        row_.cells[column_] = std::move(cell);
    }

    Cell makeCell() {
        Cell cell;
        if (!hasValue_) return cell;
        if (type_ == "s") {
            std::uint64_t index = 0;
            const std::string digits = trimAscii(value_);
            if (!parseIndex(digits, shared_.size(), index) || index == shared_.size()) {
                abort(position() + "：引用了不存在的共享字符串（编号 " + digits + "），文件已损坏。");
                return cell;
            }
            return text(shared_[std::size_t(index)]);
        }
        // Some writers put an inline string's text in <v> instead of <is>.
        if (type_ == "inlineStr") return text(decodeEscapes(inlineText_.text() + value_));
        if (type_ == "str") return text(decodeEscapes(value_));
        const std::string literal = trimAscii(value_);
        if (literal.empty()) return cell;
        if (type_ == "b") {
            if (literal == "1" || literal == "TRUE" || literal == "true") return {CellKind::Boolean, "TRUE"};
            if (literal == "0" || literal == "FALSE" || literal == "false") return {CellKind::Boolean, "FALSE"};
            return {CellKind::Text, literal};
        }
        if (type_ == "e") return {CellKind::Error, literal};
        if (type_.empty() || type_ == "n") return {CellKind::Number, literal};
        // "d" (an ISO 8601 date, written by some tools) and anything unknown: as text.
        return {CellKind::Text, literal};
    }

    static Cell text(std::string s) {
        if (s.empty()) return {};
        return {CellKind::Text, std::move(s)};
    }

    void cellTooLong() { abort(position() + "：单元格内容超过 " + formatLimit(ctx_.limits().maxCellBytes) + "的上限，已拒绝读取。"); }

    const std::vector<std::string>& shared_;
    Table& table_;
    const std::size_t held_;
    SpilledRows::Spill* spill_;
    std::exception_ptr failure_;
    Row row_;
    std::uint64_t lastRow_ = 0;
    std::uint64_t nextColumn_ = 0;
    std::size_t column_ = 0;
    std::string type_;
    std::string value_;
    RichText inlineText_;
    bool inSheetData_ = false;
    bool inRow_ = false;
    bool inCell_ = false;
    bool inValue_ = false;
    bool inline_ = false;
    bool hasValue_ = false;
};

// ---------------------------------------------------------------------------------------------

const Relationship* findRelationship(const std::vector<Relationship>& rels, const std::string& id) {
    for (const auto& r : rels)
        if (r.id == id && !r.external) return &r;
    return nullptr;
}

const Relationship* findRelationshipByType(const std::vector<Relationship>& rels, const std::string& suffix) {
    for (const auto& r : rels)
        if (endsWith(r.type, suffix) && !r.external) return &r;
    return nullptr;
}

/// The workbook part named by the package relationships, as OPC says; `xl/workbook.xml` when
/// the package has none (some hand-made files).
std::string workbookPart(Context& ctx, const ZipDirectory& zip) {
    const std::string fallback = "xl/workbook.xml";
    const ZipEntry* rels = zip.find("_rels/.rels");
    if (!rels) return fallback;
    RelationshipsHandler handler(ctx);
    parsePart(ctx, zip, *rels, handler);
    const Relationship* r = findRelationshipByType(handler.relationships(), "/officeDocument");
    if (!r) return fallback;
    return resolvePart("", r->target);
}

const SheetRef& chooseSheet(const Context& ctx, const std::vector<SheetRef>& sheets, const std::string& wanted) {
    if (wanted.empty()) return sheets.front();
    for (const auto& s : sheets)
        if (s.name == wanted) return s;
    // Excel itself treats sheet names case-insensitively.
    const std::string trimmed = trimAscii(wanted);
    for (const auto& s : sheets)
        if (equalsIgnoreCase(trimAscii(s.name), trimmed)) return s;
    std::string names;
    for (const auto& s : sheets) names += (names.empty() ? "" : "、") + s.name;
    ctx.fail("找不到工作表" + model::quoted(wanted) + "，文件中的工作表有：" + names + "。");
}

/// The workbook's sheets in workbook order (never empty).
std::vector<SheetRef> sheetsOf(Context& ctx, const ZipDirectory& zip, const std::string& workbook) {
    const ZipEntry* workbookEntry = zip.find(workbook);
    if (!workbookEntry) ctx.fail("不是有效的 XLSX 文件（缺少 " + workbook + "），请确认它是 Excel 工作簿。");
    WorkbookHandler workbookHandler(ctx);
    parsePart(ctx, zip, *workbookEntry, workbookHandler);
    if (workbookHandler.sheets().empty()) ctx.fail("工作簿中没有工作表。");
    return workbookHandler.sheets();
}

/// Where one sheet of a workbook is, with the shared strings its cells refer to.
struct LocatedSheet {
    std::string workbook;  ///< the workbook part
    std::vector<SheetRef> sheets;
    std::size_t index = 0;  ///< the sheet's position in `sheets`
    const ZipEntry* entry = nullptr;
    std::vector<std::string> shared;
    std::string stylesPart;  ///< empty when the workbook has none
};

LocatedSheet locateSheet(Context& ctx, const ZipDirectory& zip, const std::string& wanted) {
    LocatedSheet found;
    found.workbook = workbookPart(ctx, zip);
    found.sheets = sheetsOf(ctx, zip, found.workbook);
    const SheetRef& sheet = chooseSheet(ctx, found.sheets, wanted);
    found.index = std::size_t(&sheet - found.sheets.data());

    const std::string relsPart = relsPartOf(found.workbook);
    const ZipEntry* relsEntry = zip.find(relsPart);
    if (!relsEntry) ctx.fail("不是有效的 XLSX 文件（缺少 " + relsPart + "），文件已损坏。");
    RelationshipsHandler relsHandler(ctx);
    parsePart(ctx, zip, *relsEntry, relsHandler);
    const auto& rels = relsHandler.relationships();

    const Relationship* sheetRel = findRelationship(rels, sheet.relationshipId);
    if (!sheetRel) ctx.fail("工作表" + model::quoted(sheet.name) + "的数据位置缺失，文件已损坏。");
    const std::string sheetPart = resolvePart(folderOf(found.workbook), sheetRel->target);
    found.entry = zip.find(sheetPart);
    if (!found.entry) ctx.fail("工作表" + model::quoted(sheet.name) + "的数据（" + sheetPart + "）缺失，文件已损坏。");

    // Shared strings come before the sheet that refers to them. Some hand-made files forget
    // the relationship, so the conventional name is tried too.
    const Relationship* sharedRel = findRelationshipByType(rels, "/sharedStrings");
    const std::string sharedPart = resolvePart(folderOf(found.workbook), sharedRel ? sharedRel->target : "sharedStrings.xml");
    if (const ZipEntry* sharedEntry = zip.find(sharedPart)) {
        SharedStringsHandler handler(ctx, sharedEntry->name);
        parsePart(ctx, zip, *sharedEntry, handler);
        found.shared = std::move(handler.strings());
    }
    const Relationship* stylesRel = findRelationshipByType(rels, "/styles");
    const std::string stylesPart = resolvePart(folderOf(found.workbook), stylesRel ? stylesRel->target : "styles.xml");
    if (zip.find(stylesPart)) found.stylesPart = stylesPart;
    return found;
}

/// A whole part as text, inflated and checked like a streamed one (limits, CRC, no DTD).
std::string inflatePart(Context& ctx, const ZipDirectory& zip, const ZipEntry& entry) {
    const std::string noError;
    PartStreamBuf buf(ctx, zip, entry, noError);
    std::istream in(&buf);
    // read() rethrows what the streambuf throws (badbit is in the mask); `<<` would swallow it.
    in.exceptions(std::ios::badbit);
    std::string out;
    char chunk[16384];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) out.append(chunk, std::size_t(in.gcount()));
    return out;
}

Table readWorkbook(Context& ctx, const std::string& wanted, std::size_t held) {
    const ZipDirectory zip(ctx);
    LocatedSheet located = locateSheet(ctx, zip, wanted);
    Table table;
    table.file = ctx.file();
    table.sheet = located.sheets[located.index].name;
    auto spill = held == SIZE_MAX ? nullptr : std::make_shared<SpilledRows::Spill>();
    SheetHandler sheetHandler(ctx, located.shared, table, held, spill.get());
    try {
        parsePart(ctx, zip, *located.entry, sheetHandler);
    } catch (const ReadError&) {
        if (sheetHandler.failure()) std::rethrow_exception(sheetHandler.failure());
        throw;
    }
    if (spill && !spill->rows.empty()) table.rest = std::make_unique<SpilledRows>(std::move(spill));
    return table;
}

}  // namespace

Table readXlsx(const std::string& bytes, const std::string& displayName, const std::string& sheet, const ReadLimits& limits,
               std::size_t held) {
    Context ctx(bytes, displayName, limits);
    try {
        return readWorkbook(ctx, sheet, held);
    } catch (const ReadError&) {
        throw;
    } catch (const Poco::Exception& e) {
        // The boundary: nothing from Poco escapes as anything but a ReadError.
        ctx.fail("无法读取（" + e.displayText() + "），文件可能已损坏。");
    }
}

std::vector<std::string> xlsxSheetNames(const std::string& bytes, const std::string& displayName, const ReadLimits& limits) {
    Context ctx(bytes, displayName, limits);
    try {
        const ZipDirectory zip(ctx);
        std::vector<std::string> names;
        for (const auto& s : sheetsOf(ctx, zip, workbookPart(ctx, zip))) names.push_back(s.name);
        return names;
    } catch (const ReadError&) {
        throw;
    } catch (const Poco::Exception& e) {
        ctx.fail("无法读取（" + e.displayText() + "），文件可能已损坏。");
    }
}

XlsxSheetParts readXlsxSheetParts(const std::string& bytes, const std::string& displayName, const std::string& sheet,
                                  const ReadLimits& limits) {
    Context ctx(bytes, displayName, limits);
    try {
        const ZipDirectory zip(ctx);
        LocatedSheet located = locateSheet(ctx, zip, sheet);
        XlsxSheetParts parts;
        parts.sheetName = located.sheets[located.index].name;
        parts.sheetIndex = int(located.index);
        parts.sheetXml = inflatePart(ctx, zip, *located.entry);
        parts.workbookXml = inflatePart(ctx, zip, *zip.find(located.workbook));
        if (!located.stylesPart.empty()) parts.stylesXml = inflatePart(ctx, zip, *zip.find(located.stylesPart));
        parts.sharedStrings = std::move(located.shared);
        return parts;
    } catch (const ReadError&) {
        throw;
    } catch (const std::ios_base::failure&) {
        ctx.fail("无法读取，文件可能已损坏。");
    } catch (const Poco::Exception& e) {
        ctx.fail("无法读取（" + e.displayText() + "），文件可能已损坏。");
    }
}

Table readXlsxFile(const std::string& path, const std::string& sheet, const ReadLimits& limits) {
    const std::string name = Poco::Path(path).getFileName();
    std::string bytes;
    if (model::readFile(path, bytes) != 0) throw ReadError(name + "：无法打开文件。");
    return readXlsx(bytes, name, sheet, limits);
}

}  // namespace jixiao::ingest
