#include "pdf/flate.h"

#include "pdf/pdf_error.h"

#include <libdeflate.h>
#include <zlib.h>

#include <climits>
#include <memory>

namespace jixiao::pdf {

namespace {

constexpr int kLevel = 6;  // zlib's default level; libdeflate's level 6 makes slightly smaller output

std::string zlibError(int rc, const char* what) {
    return std::string("压缩库（zlib）出错：错误码 ") + std::to_string(rc) + "（步骤 " + what + "）";
}

uInt inputSize(std::string_view in) {
    if (in.size() > UINT_MAX) {
        throw PdfError("PDF 中的一段内容有 " + std::to_string(in.size()) + " 字节，超过了压缩库（zlib）一次能处理的 4 GB");
    }
    return static_cast<uInt>(in.size());
}

/// Feeds `in` to the raw deflate compressor `z` with a sync flush and appends all it produces
/// to `out`: deflate blocks that end on a byte boundary, the stream not ended.
void deflateSynced(z_stream& z, std::string_view in, std::string& out) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = inputSize(in);
    unsigned char buffer[16384];
    for (;;) {
        z.next_out = buffer;
        z.avail_out = sizeof buffer;
        const int rc = deflate(&z, Z_SYNC_FLUSH);
        if (rc == Z_STREAM_ERROR) throw PdfError(zlibError(rc, "deflate"));
        out.append(reinterpret_cast<const char*>(buffer), sizeof buffer - z.avail_out);
        if (z.avail_out != 0) break;  // the flush is done once deflate stops filling the whole buffer
    }
}

void putAdler(std::string& out, uLong adler) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((adler >> shift) & 0xFF));
}

uLong adlerOf(std::string_view data) { return adler32(1, reinterpret_cast<const Bytef*>(data.data()), inputSize(data)); }

/// This thread's libdeflate compressor at kLevel, made on first use and kept: one per render
/// thread, as a compressor must not be shared while it works.
libdeflate_compressor& compressor() {
    struct Free {
        void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
    };
    thread_local const std::unique_ptr<libdeflate_compressor, Free> mine(libdeflate_alloc_compressor(kLevel));
    if (!mine) throw PdfError("内存不足：压缩库（libdeflate）无法分配压缩器");
    return *mine;
}

/// Appends the zlib stream (`zlibWrapped`) or the raw deflate blocks, the last one final, of
/// `data` to `out`.
void deflateInto(std::string_view data, bool zlibWrapped, std::string& out) {
    libdeflate_compressor& c = compressor();
    const std::size_t at = out.size();
    const std::size_t bound =
        zlibWrapped ? libdeflate_zlib_compress_bound(&c, data.size()) : libdeflate_deflate_compress_bound(&c, data.size());
    out.resize(at + bound);
    const std::size_t n = zlibWrapped ? libdeflate_zlib_compress(&c, data.data(), data.size(), out.data() + at, bound)
                                      : libdeflate_deflate_compress(&c, data.data(), data.size(), out.data() + at, bound);
    // The bound is libdeflate's own worst case, so 0 (did not fit) cannot happen.
    if (n == 0) throw PdfError("内部错误：压缩库（libdeflate）未能压缩 " + std::to_string(data.size()) + " 字节的内容");
    out.resize(at + n);
}

}  // namespace

std::string flate(std::string_view data) {
    std::string out;
    deflateInto(data, true, out);
    return out;
}

namespace {

/// A zlib raw deflate compressor, ended however its user ends.
struct RawDeflate {
    z_stream z{};
    RawDeflate() {
        // Negative window bits: raw deflate; the zlib header and trailer are written by compress().
        const int rc = deflateInit2(&z, kLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        if (rc != Z_OK) throw PdfError(zlibError(rc, "deflateInit2"));
    }
    ~RawDeflate() { deflateEnd(&z); }
    RawDeflate(const RawDeflate&) = delete;
    RawDeflate& operator=(const RawDeflate&) = delete;
};

}  // namespace

FlatePrefix::FlatePrefix(std::string bytes) : bytes_(std::move(bytes)) {
    // zlib, as only zlib can end the blocks on a byte boundary without ending the stream.
    RawDeflate prefix;
    deflateSynced(prefix.z, bytes_, deflated_);
    adler_ = adlerOf(bytes_);
}

std::string FlatePrefix::compress(std::string_view head, std::string_view tail) const {
    std::string out;
    out.reserve(head.size() + deflated_.size() + tail.size() / 2 + 64);
    out += "\x78\x9C";  // deflate, 32 KB window, default level (RFC 1950 2.2)
    // The head as stored blocks (RFC 1951 3.2.4): header byte 0 (not last, type 00, padded
    // to the byte boundary), LEN and its complement, little-endian, then the bytes.
    for (std::size_t at = 0; at < head.size(); at += 0xFFFF) {
        const std::size_t len = std::min<std::size_t>(0xFFFF, head.size() - at);
        out.push_back('\0');
        out.push_back(static_cast<char>(len & 0xFF));
        out.push_back(static_cast<char>(len >> 8));
        out.push_back(static_cast<char>(~len & 0xFF));
        out.push_back(static_cast<char>((~len >> 8) & 0xFF));
        out.append(head.substr(at, len));
    }
    out += deflated_;
    deflateInto(tail, false, out);
    uLong adler = adlerOf(head);
    adler = adler32_combine(adler, adler_, static_cast<z_off_t>(bytes_.size()));
    adler = adler32_combine(adler, adlerOf(tail), static_cast<z_off_t>(tail.size()));
    putAdler(out, adler);
    return out;
}

}  // namespace jixiao::pdf
