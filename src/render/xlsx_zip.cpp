#include "render/xlsx_zip.h"

#include "model/scratch_file.h"
#include "model/text.h"

#include <libdeflate.h>
#include <xlsxwriter/third_party/zip.h>
#include <zlib.h>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace jixiao::render::xlsx {

namespace {

std::atomic<std::uint64_t> opened{0};
thread_local std::string zipFailure;
thread_local std::string* memoryTarget = nullptr;  // MemoryArchive: where the next archive goes

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfCentral = 0x06054b50;
constexpr std::uint16_t kVersionNeeded = 20;  // deflate, no ZIP64
constexpr std::uint64_t kMax32 = 0xFFFFFFFFu;
constexpr std::size_t kFlushAt = std::size_t(1) << 20;  // archive bytes held before they go to the file

/// Parts up to this size are candidates for the cache of repeated parts.
constexpr std::size_t kCachedPartLimit = std::size_t(64) << 10;
constexpr std::size_t kCachedPartsMax = 64;
constexpr std::size_t kSeenHashesMax = 4096;

int fail(int code, const std::string& why) {
    const int err = errno;
    zipFailure = why;
    errno = err;
    return code;
}

void put16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
}

void put32(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

void set32(char* at, std::uint64_t v) {
    for (int i = 0; i < 4; ++i) at[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

/// MS-DOS date (high 16 bits) and time (low 16 bits) of a minizip file info.
std::uint32_t dosDateTime(const zip_fileinfo& info) {
    if (info.dosDate != 0) return static_cast<std::uint32_t>(info.dosDate);
    const tm_zip& t = info.tmz_date;
    std::uint32_t year = t.tm_year;
    year = year >= 1980 ? year - 1980 : year >= 80 ? year - 80 : year;
    const std::uint32_t date = t.tm_mday + 32 * (t.tm_mon + 1) + 512 * year;
    const std::uint32_t time = t.tm_sec / 2 + 32 * t.tm_min + 2048 * t.tm_hour;
    return (date << 16) | (time & 0xFFFF);
}

/// One of the control bytes zlib does not expect in text: 0-6, 14-25, 28-31.
bool binaryByte(char c) {
    constexpr std::uint32_t kBinary = 0xF3FFC07Fu;  // bit b set: byte b is not text
    const auto b = static_cast<unsigned char>(c);
    return b < 32 && ((kBinary >> b) & 1u) != 0;
}

/// Whether bytes could be text by zlib's rule (minizip marks such parts "text" in the central
/// directory, from zlib's guess): no binary byte.
bool textBytes(const char* data, std::size_t n) {
    constexpr std::uint64_t kOnes = 0x0101010101010101u;
    std::size_t i = 0;
    // Eight bytes at a time: XML rarely has a byte below 0x20 (the test is exact for "< 0x20").
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, 8);
        if (((w - kOnes * 0x20) & ~w & kOnes * 0x80) == 0) continue;
        for (std::size_t k = i; k < i + 8; ++k)
            if (binaryByte(data[k])) return false;
    }
    for (; i < n; ++i)
        if (binaryByte(data[i])) return false;
    return true;
}

struct CompressorDeleter {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

libdeflate_compressor* compressor() {
    thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> c(libdeflate_alloc_compressor(kPartLevel));
    return c.get();
}

libdeflate_compressor* fastCompressor() {
    thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> c(libdeflate_alloc_compressor(kSheetPartLevel));
    return c.get();
}

/// A workbook's sheets and shared strings: what differs between workbooks (kSheetPartLevel).
bool sheetPart(const std::string& name) { return name.rfind("xl/worksheets/", 0) == 0 || name == "xl/sharedStrings.xml"; }

/// Deflated bytes of parts seen more than once, keyed by a hash of their content (checked byte
/// for byte on a hit). A part enters on its second sighting; bounded in entries and part size.
class RepeatedParts {
public:
    struct Part {
        std::string raw;
        std::string deflated;
    };

    std::shared_ptr<const Part> find(std::size_t hash, std::string_view raw) {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = parts_.find(hash);
        if (it == parts_.end() || it->second->raw != raw) return nullptr;
        return it->second;
    }

    /// Called with a freshly deflated part: remembered if it was seen before.
    void offer(std::size_t hash, std::string_view raw, const std::string& deflated) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (parts_.size() >= kCachedPartsMax || parts_.count(hash) != 0) return;
        if (seen_.insert(hash).second) {
            if (seen_.size() > kSeenHashesMax) seen_.clear();
            return;
        }
        parts_.emplace(hash, std::make_shared<const Part>(Part{std::string(raw), deflated}));
    }

private:
    std::mutex mutex_;
    std::unordered_map<std::size_t, std::shared_ptr<const Part>> parts_;
    std::unordered_set<std::size_t> seen_;
};

RepeatedParts& repeatedParts() {
    static RepeatedParts parts;
    return parts;
}

/// One central directory record.
struct Entry {
    std::string name;
    std::uint32_t dosTime = 0;
    std::uint16_t method = 0;
    std::uint32_t crc = 0;
    std::uint64_t packed = 0;
    std::uint64_t size = 0;
    std::uint64_t offset = 0;
    std::uint32_t internalAttr = 0;
    bool text = true;  // no binary byte so far
    std::uint32_t externalAttr = 0;
    std::uint32_t madeBy = 0;
};

/// The archive being built: bytes not yet in the file, the directory, the open part.
struct Archive {
    int fd = -1;
    std::string* memory = nullptr;  // built in memory (MemoryArchive): no file, `out` kept whole
    std::string path;
    std::string out;
    std::uint64_t written = 0;  // bytes of the archive already in the file
    std::vector<Entry> entries;
    bool partOpen = false;
    Entry part;
    std::string raw;  // the open part while it is small enough to deflate whole
    bool streaming = false;
    z_stream z{};
    std::uint64_t headerAt = 0;

    ~Archive() {
        if (streaming) deflateEnd(&z);
        if (fd >= 0) ::close(fd);
    }

    std::uint64_t size() const { return written + out.size(); }

    int flush() {
        if (memory != nullptr) return ZIP_OK;
        if (const int err = model::writeAt(fd, out.data(), out.size(), written))
            return fail(ZIP_ERRNO, "无法写入 " + path + "（" + model::systemReason(err) + "）");
        written += out.size();
        out.clear();
        return ZIP_OK;
    }

    void localHeader(std::uint32_t crc, std::uint64_t packed, std::uint64_t size) {
        put32(out, kLocalHeader);
        put16(out, kVersionNeeded);
        put16(out, 0);  // flags
        put16(out, part.method);
        put16(out, part.dosTime & 0xFFFF);
        put16(out, part.dosTime >> 16);
        put32(out, crc);
        put32(out, packed);
        put32(out, size);
        put16(out, static_cast<std::uint32_t>(part.name.size()));
        put16(out, 0);  // extra field
        out += part.name;
    }

    /// Deflates the buffered part from here on as it arrives: it outgrew kWholePartLimit.
    int startStreaming() {
        if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return fail(ZIP_INTERNALERROR, "生成 XLSX 时内存不足，无法压缩 " + part.name);
        streaming = true;
        part.offset = size();
        headerAt = part.offset;
        localHeader(0, 0, 0);  // crc and sizes filled in at the part's close
        std::string first;
        first.swap(raw);
        return deflateSome(first.data(), first.size(), Z_NO_FLUSH);
    }

    int deflateSome(const char* data, std::size_t n, int mode) {
        if (n > 0) part.crc = static_cast<std::uint32_t>(libdeflate_crc32(part.crc, data, n));
        part.size += n;
        if (part.text && !textBytes(data, n)) part.text = false;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        z.avail_in = static_cast<uInt>(n);
        unsigned char buf[1 << 15];
        for (;;) {
            z.next_out = buf;
            z.avail_out = sizeof buf;
            const int rc = deflate(&z, mode);
            if (rc == Z_STREAM_ERROR) return fail(ZIP_INTERNALERROR, "压缩 " + part.name + " 失败");
            const std::size_t got = sizeof buf - z.avail_out;
            out.append(reinterpret_cast<const char*>(buf), got);
            part.packed += got;
            if (mode == Z_FINISH ? rc == Z_STREAM_END : z.avail_out != 0) break;
        }
        return out.size() >= kFlushAt ? flush() : ZIP_OK;
    }

    /// The crc and sizes of a streamed part, written over its local header's zeros.
    int patchHeader() {
        char fields[12];
        set32(fields, part.crc);
        set32(fields + 4, part.packed);
        set32(fields + 8, part.size);
        const std::uint64_t at = headerAt + 14;
        for (std::size_t i = 0; i < sizeof fields; ++i) {
            const std::uint64_t pos = at + i;
            if (pos >= written) {
                out[static_cast<std::size_t>(pos - written)] = fields[i];
            } else {
                if (const int err = model::writeAt(fd, fields + i, 1, pos))
                    return fail(ZIP_ERRNO, "无法写入 " + path + "（" + model::systemReason(err) + "）");
            }
        }
        return ZIP_OK;
    }

    int closePart() {
        if (streaming) {
            if (const int rc = deflateSome(nullptr, 0, Z_FINISH); rc != ZIP_OK) return rc;
            deflateEnd(&z);
            streaming = false;
            if (part.packed > kMax32 || part.size > kMax32 || part.offset > kMax32)
                return fail(ZIP_PARAMERROR, part.name + " 超过了不带 ZIP64 的 XLSX 能容纳的 4 GB");
            if (const int rc = patchHeader(); rc != ZIP_OK) return rc;
        } else {
            part.size = raw.size();
            part.text = textBytes(raw.data(), raw.size());
            part.crc = static_cast<std::uint32_t>(libdeflate_crc32(0, raw.data(), raw.size()));
            part.offset = size();
            if (part.offset > kMax32) return fail(ZIP_PARAMERROR, "工作簿超过了不带 ZIP64 的 XLSX 能容纳的 4 GB");
            if (part.method == 0) {
                part.packed = raw.size();
                localHeader(part.crc, part.packed, part.size);
                out += raw;
            } else {
                // Sheets are deflated at their own level and never cached, so a part's bytes depend
                // on its name and content only, not on which workbook came first.
                const bool sheet = sheetPart(part.name);
                const bool cacheable = !sheet && raw.size() <= kCachedPartLimit;
                const std::size_t hash = cacheable ? std::hash<std::string_view>()(raw) : 0;
                std::shared_ptr<const RepeatedParts::Part> cached;
                if (cacheable) cached = repeatedParts().find(hash, raw);
                std::string deflated;
                if (cached == nullptr) {
                    libdeflate_compressor* c = sheet ? fastCompressor() : compressor();
                    if (c == nullptr) return fail(ZIP_INTERNALERROR, "生成 XLSX 时内存不足，无法压缩 " + part.name);
                    deflated.resize(libdeflate_deflate_compress_bound(c, raw.size()));
                    const std::size_t n = libdeflate_deflate_compress(c, raw.data(), raw.size(), deflated.data(), deflated.size());
                    if (n == 0) return fail(ZIP_INTERNALERROR, "压缩 " + part.name + " 失败");
                    deflated.resize(n);
                    if (cacheable) repeatedParts().offer(hash, raw, deflated);
                }
                const std::string& bytes = cached != nullptr ? cached->deflated : deflated;
                part.packed = bytes.size();
                localHeader(part.crc, part.packed, part.size);
                out += bytes;
            }
            raw.clear();
        }
        entries.push_back(std::move(part));
        part = Entry{};
        partOpen = false;
        return out.size() >= kFlushAt ? flush() : ZIP_OK;
    }

    int close(const char* comment) {
        if (partOpen) return ZIP_PARAMERROR;  // libxlsxwriter gave up on a part: its reason stands
        if (entries.size() > 0xFFFF) return fail(ZIP_PARAMERROR, "工作簿的部件超过了不带 ZIP64 的 XLSX 能容纳的 65535 个");
        const std::uint64_t directoryAt = size();
        for (const Entry& e : entries) {
            put32(out, kCentralHeader);
            put16(out, e.madeBy);
            put16(out, kVersionNeeded);
            put16(out, 0);  // flags
            put16(out, e.method);
            put16(out, e.dosTime & 0xFFFF);
            put16(out, e.dosTime >> 16);
            put32(out, e.crc);
            put32(out, e.packed);
            put32(out, e.size);
            put16(out, static_cast<std::uint32_t>(e.name.size()));
            put16(out, 0);                                                  // extra field
            put16(out, 0);                                                  // comment
            put16(out, 0);                                                  // disk
            put16(out, e.internalAttr | (e.text && e.size > 0 ? 1u : 0u));  // bit 0: text
            put32(out, e.externalAttr);
            put32(out, e.offset);
            out += e.name;
        }
        const std::uint64_t directorySize = size() - directoryAt;
        const std::size_t commentLength = comment != nullptr ? std::strlen(comment) : 0;
        if (size() > kMax32 || commentLength > 0xFFFF) return fail(ZIP_PARAMERROR, "工作簿超过了不带 ZIP64 的 XLSX 能容纳的 4 GB");
        put32(out, kEndOfCentral);
        put16(out, 0);
        put16(out, 0);
        put16(out, static_cast<std::uint32_t>(entries.size()));
        put16(out, static_cast<std::uint32_t>(entries.size()));
        put32(out, directorySize);
        put32(out, directoryAt);
        put16(out, static_cast<std::uint32_t>(commentLength));
        if (commentLength > 0) out.append(comment, commentLength);
        if (memory != nullptr) {
            *memory = std::move(out);
            return ZIP_OK;
        }
        if (const int rc = flush(); rc != ZIP_OK) return rc;
        const int fdClosed = ::close(fd);
        fd = -1;
        if (fdClosed != 0) return fail(ZIP_ERRNO, "无法写入 " + path + "（" + model::systemReason(errno) + "）");
        return ZIP_OK;
    }
};

}  // namespace

std::uint64_t archivesOpened() { return opened.load(); }

MemoryArchive::MemoryArchive() { memoryTarget = &bytes_; }

MemoryArchive::~MemoryArchive() {
    if (memoryTarget == &bytes_) memoryTarget = nullptr;
}

std::string MemoryArchive::take() {
    if (memoryTarget == &bytes_) memoryTarget = nullptr;
    return std::move(bytes_);
}

std::string takeZipFailure() {
    std::string failure;
    failure.swap(zipFailure);
    return failure;
}

}  // namespace jixiao::render::xlsx

// The five minizip functions libxlsxwriter calls (declared in its bundled copy of minizip's
// zip.h, the same interface as the system minizip it is linked with).

using jixiao::render::xlsx::Archive;

zipFile zipOpen(const char* pathname, int append) {
    if (append != APPEND_STATUS_CREATE || pathname == nullptr) {
        errno = EINVAL;
        return nullptr;
    }
    std::string* const memory = jixiao::render::xlsx::memoryTarget;
    jixiao::render::xlsx::memoryTarget = nullptr;
    const int fd = memory != nullptr ? -1 : ::open(pathname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (memory == nullptr && fd < 0) return nullptr;
    auto* archive = new (std::nothrow) Archive;
    if (archive == nullptr) {
        if (fd >= 0) ::close(fd);
        errno = ENOMEM;
        return nullptr;
    }
    archive->fd = fd;
    archive->memory = memory;
    archive->path = pathname;
    ++jixiao::render::xlsx::opened;
    return archive;
}

int zipOpenNewFileInZip4_64(zipFile file, const char* filename, const zip_fileinfo* zipfi, const void* /*extrafield_local*/,
                            uInt size_extrafield_local, const void* /*extrafield_global*/, uInt size_extrafield_global, const char* comment,
                            int method, int /*level*/, int raw, int windowBits, int /*memLevel*/, int /*strategy*/, const char* password,
                            uLong /*crcForCrypting*/, uLong versionMadeBy, uLong flagBase, int zip64) {
    auto* archive = static_cast<Archive*>(file);
    if (archive == nullptr || filename == nullptr || archive->partOpen) return ZIP_PARAMERROR;
    // What libxlsxwriter asks for: a named part, stored or deflated, no extras, no encryption.
    if ((method != 0 && method != Z_DEFLATED) || raw != 0 || (method == Z_DEFLATED && windowBits != -MAX_WBITS) ||
        size_extrafield_local != 0 || size_extrafield_global != 0 || (comment != nullptr && *comment != '\0') || password != nullptr ||
        flagBase != 0 || std::strlen(filename) > 0xFFFF)
        return ZIP_PARAMERROR;
    if (zip64 != 0) {
        return jixiao::render::xlsx::fail(ZIP_PARAMERROR, "XLSX 的 ZIP64 格式未实现（" + std::string(filename) + "）");
    }
    archive->part = jixiao::render::xlsx::Entry{};
    archive->part.name = filename;
    archive->part.method = static_cast<std::uint16_t>(method);
    archive->part.madeBy = static_cast<std::uint32_t>(versionMadeBy & 0xFFFF);
    if (zipfi != nullptr) {
        archive->part.dosTime = jixiao::render::xlsx::dosDateTime(*zipfi);
        archive->part.internalAttr = static_cast<std::uint32_t>(zipfi->internal_fa & 0xFFFF);
        archive->part.externalAttr = static_cast<std::uint32_t>(zipfi->external_fa);
    }
    archive->partOpen = true;
    return ZIP_OK;
}

int zipWriteInFileInZip(zipFile file, const void* buf, unsigned len) {
    auto* archive = static_cast<Archive*>(file);
    if (archive == nullptr || !archive->partOpen) return ZIP_PARAMERROR;
    const char* data = static_cast<const char*>(buf);
    if (archive->streaming) return archive->deflateSome(data, len, Z_NO_FLUSH);
    if (archive->raw.size() + len > jixiao::render::xlsx::kWholePartLimit && archive->part.method == Z_DEFLATED) {
        if (const int rc = archive->startStreaming(); rc != ZIP_OK) return rc;
        return archive->deflateSome(data, len, Z_NO_FLUSH);
    }
    if (archive->raw.size() + len > jixiao::render::xlsx::kMax32)
        return jixiao::render::xlsx::fail(ZIP_PARAMERROR, archive->part.name + " 超过了不带 ZIP64 的 XLSX 能容纳的 4 GB");
    archive->raw.append(data, len);
    return ZIP_OK;
}

int zipCloseFileInZip(zipFile file) {
    auto* archive = static_cast<Archive*>(file);
    if (archive == nullptr || !archive->partOpen) return ZIP_PARAMERROR;
    return archive->closePart();
}

int zipClose(zipFile file, const char* global_comment) {
    auto* archive = static_cast<Archive*>(file);
    if (archive == nullptr) return ZIP_PARAMERROR;
    const int rc = archive->close(global_comment);
    delete archive;
    return rc;
}
