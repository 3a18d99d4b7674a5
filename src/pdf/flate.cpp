#include "pdf/flate.h"

#include "pdf/pdf_error.h"

#include <zlib.h>

#include <climits>

namespace jixiao::pdf {

namespace {

constexpr int kLevel = 6;  // zlib's default, as libharu uses for the other streams

std::string zlibError(int rc, const char* what) {
    return std::string("zlib error ") + std::to_string(rc) + " in " + what;
}

uInt inputSize(std::string_view in) {
    if (in.size() > UINT_MAX) throw PdfError("a PDF stream of " + std::to_string(in.size()) + " bytes is too long");
    return static_cast<uInt>(in.size());
}

/// Feeds `in` to the raw deflate compressor `z` with `flush` (Z_SYNC_FLUSH or Z_FINISH) and
/// appends all it produces to `out`.
void deflateAll(z_stream& z, std::string_view in, int flush, std::string& out) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = inputSize(in);
    unsigned char buffer[16384];
    for (;;) {
        z.next_out = buffer;
        z.avail_out = sizeof buffer;
        const int rc = deflate(&z, flush);
        if (rc == Z_STREAM_ERROR) throw PdfError(zlibError(rc, "deflate"));
        out.append(reinterpret_cast<const char*>(buffer), sizeof buffer - z.avail_out);
        // Done once deflate stops filling the whole buffer (a sync flush) or ends the stream.
        if (flush == Z_FINISH ? rc == Z_STREAM_END : z.avail_out != 0) break;
    }
}

void putAdler(std::string& out, uLong adler) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((adler >> shift) & 0xFF));
}

uLong adlerOf(std::string_view data) {
    return adler32(1, reinterpret_cast<const Bytef*>(data.data()), inputSize(data));
}

} // namespace

std::string flate(std::string_view data) {
    uLongf size = compressBound(inputSize(data));
    std::string out(size, '\0');
    const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()),
                             inputSize(data), kLevel);
    if (rc != Z_OK) throw PdfError(zlibError(rc, "compress2"));
    out.resize(size);
    return out;
}

struct FlatePrefix::Compressor {
    z_stream z{};
    bool open = false;
    ~Compressor() {
        if (open) deflateEnd(&z);
    }
};

FlatePrefix::FlatePrefix(std::string bytes) : bytes_(std::move(bytes)), after_(std::make_unique<Compressor>()) {
    // Raw deflate (negative window bits): the zlib header and trailer are written by compress().
    const int rc = deflateInit2(&after_->z, kLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) throw PdfError(zlibError(rc, "deflateInit2"));
    after_->open = true;
    deflateAll(after_->z, bytes_, Z_SYNC_FLUSH, deflated_);
    adler_ = adlerOf(bytes_);
}

FlatePrefix::~FlatePrefix() = default;

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
    Compressor tailCompressor;
    const int rc = deflateCopy(&tailCompressor.z, &after_->z);
    if (rc != Z_OK) throw PdfError(zlibError(rc, "deflateCopy"));
    tailCompressor.open = true;
    deflateAll(tailCompressor.z, tail, Z_FINISH, out);
    uLong adler = adlerOf(head);
    adler = adler32_combine(adler, adler_, static_cast<z_off_t>(bytes_.size()));
    adler = adler32_combine(adler, adlerOf(tail), static_cast<z_off_t>(tail.size()));
    putAdler(out, adler);
    return out;
}

} // namespace jixiao::pdf
