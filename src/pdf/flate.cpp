#include "pdf/flate.h"

#include "pdf/pdf_error.h"

#include <libdeflate.h>
#include <zlib.h>

#include <climits>
#include <memory>

namespace jixiao::pdf {

namespace {

constexpr int kLevel = 6;  // every stream of a document: libdeflate's level 6, slightly smaller than zlib's
// libdeflate's quickest: page contents, the heads of font programs and a document's own glyph
// outlines (deflateTail), the biggest single cost of a table PDF. For the outlines level 1 takes
// ~73 % of level 4's time and ~58 % of level 6's for ~3.7 % (~5.5 %) more bytes (the tails of
// 200 bench table PDFs: 133.9 -> 97.9 ms, +1,260 B a tail; paid for by page contents with two
// decimals, see canvas.cpp, and the leaner objects of canvas.cpp and subsetter.cpp).
constexpr int kFastLevel = 1;
constexpr int kPrefixLevel = 12;  // the shared prefix, compressed once per run: libdeflate's smallest output

std::string zlibError(int rc, const char* what) {
    return std::string("压缩库（zlib）出错：错误码 ") + std::to_string(rc) + "（步骤 " + what + "）";
}

uInt inputSize(std::string_view in) {
    if (in.size() > UINT_MAX)
        throw PdfError("PDF 中的一段内容有 " + std::to_string(in.size()) + " 字节，超过了压缩库（zlib）一次能处理的 4 GB");
    return static_cast<uInt>(in.size());
}

void putAdler(std::string& out, uLong adler) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((adler >> shift) & 0xFF));
}

uLong adlerOf(std::string_view data) { return libdeflate_adler32(1, data.data(), data.size()); }

struct FreeCompressor {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};
using Compressor = std::unique_ptr<libdeflate_compressor, FreeCompressor>;

Compressor newCompressor(int level) {
    Compressor c(libdeflate_alloc_compressor(level));
    if (!c) throw PdfError("内存不足：压缩库（libdeflate）无法分配压缩器");
    return c;
}

/// This thread's libdeflate compressor at kLevel, made on first use and kept: one per render
/// thread, as a compressor must not be shared while it works.
libdeflate_compressor& compressor() {
    thread_local const Compressor mine = newCompressor(kLevel);
    return *mine;
}

/// This thread's libdeflate compressor at kFastLevel (as compressor()).
libdeflate_compressor& fastCompressor() {
    thread_local const Compressor mine = newCompressor(kFastLevel);
    return *mine;
}

/// Appends the zlib stream (`zlibWrapped`) or the raw deflate blocks, the last one final, of
/// `data` to `out`.
void deflateInto(libdeflate_compressor& c, std::string_view data, bool zlibWrapped, std::string& out) {
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

/// A zlib inflater of raw deflate data, ended however its user ends.
struct RawInflate {
    z_stream z{};
    RawInflate() {
        const int rc = inflateInit2(&z, -MAX_WBITS);
        if (rc != Z_OK) throw PdfError(zlibError(rc, "inflateInit2"));
    }
    ~RawInflate() { inflateEnd(&z); }
    RawInflate(const RawInflate&) = delete;
    RawInflate& operator=(const RawInflate&) = delete;
};

/// Turns complete raw deflate data (its last block final) into blocks that more may follow:
/// the final bit of the last block's header is cleared and an empty stored block (what zlib's
/// sync flush writes) takes the data to a byte boundary (RFC 1951 3.2.3, 3.2.4). Where the
/// last block starts and where it ends, in bits, zlib's inflate tells when asked to stop at
/// every block boundary (Z_BLOCK): data_type then holds the unused bits of the last byte read.
std::string openEnded(std::string blocks) {
    RawInflate in;
    in.z.next_in = reinterpret_cast<Bytef*>(blocks.data());
    in.z.avail_in = inputSize(blocks);
    unsigned char sink[16384];
    std::size_t blockStart = 0, end = 0;  // bit positions
    for (;;) {
        in.z.next_out = sink;
        in.z.avail_out = sizeof sink;
        const int rc = inflate(&in.z, Z_BLOCK);
        if (rc == Z_STREAM_END) break;
        // Z_BUF_ERROR: no progress possible, the data ends inside a block.
        if (rc != Z_OK) throw PdfError(zlibError(rc, "inflate (the shared prefix)"));
        if ((in.z.data_type & 128) != 0) {  // stopped at a block boundary
            const std::size_t at = 8 * in.z.total_in - static_cast<std::size_t>(in.z.data_type & 63);
            if ((in.z.data_type & 64) == 0) blockStart = at;  // another block starts here
            else end = at;                                    // the last block ended here
        }
    }
    const std::size_t lastStart = blockStart;
    blocks[lastStart / 8] = static_cast<char>(blocks[lastStart / 8] & ~(1 << (lastStart % 8)));  // BFINAL = 0
    blocks.resize((end + 7) / 8);
    if (end % 8 != 0) blocks.back() = static_cast<char>(blocks.back() & ((1 << (end % 8)) - 1));  // padding = 0
    // The empty stored block: three header bits 0 (not final, type 00), padding to the byte
    // boundary, LEN 0 and NLEN 0xFFFF. The header fits in the last byte's unused bits when
    // three are left; otherwise it takes one more byte.
    if (end % 8 == 0 || 8 - end % 8 < 3) blocks.push_back('\0');
    blocks += std::string("\x00\x00\xFF\xFF", 4);
    return blocks;
}

/// The zlib stream of head, then `middle` (reopened deflate blocks of `middleSize` bytes with
/// Adler-32 `middleAdler`), then the tail.
std::string assemble(std::string_view head, std::string_view middle, unsigned long middleAdler, std::size_t middleSize,
                     const DeflatedTail& tail) {
    std::string out;
    out.reserve(head.size() / 2 + middle.size() + tail.blocks.size() + 64);
    out += "\x78\x9C";  // deflate, 32 KB window, default level (RFC 1950 2.2)
    std::string headBlocks;
    deflateInto(fastCompressor(), head, false, headBlocks);
    out += openEnded(std::move(headBlocks));
    out += middle;
    out += tail.blocks;
    uLong adler = adlerOf(head);
    adler = adler32_combine(adler, middleAdler, static_cast<z_off_t>(middleSize));
    adler = adler32_combine(adler, tail.adler, static_cast<z_off_t>(tail.size));
    putAdler(out, adler);
    return out;
}

}  // namespace

std::string flate(std::string_view data) {
    std::string out;
    deflateInto(compressor(), data, true, out);
    return out;
}

std::string flateFast(std::string_view data) {
    std::string out;
    deflateInto(fastCompressor(), data, true, out);
    return out;
}

FlatePrefix::FlatePrefix(std::string bytes) : bytes_(std::move(bytes)) {
    if (!bytes_.empty()) {
        std::string blocks;
        deflateInto(*newCompressor(kPrefixLevel), bytes_, false, blocks);
        deflated_ = openEnded(std::move(blocks));
    }
    adler_ = adlerOf(bytes_);
}

DeflatedTail deflateTail(std::string_view data) {
    DeflatedTail tail;
    deflateInto(fastCompressor(), data, false, tail.blocks);
    tail.adler = adlerOf(data);
    tail.size = data.size();
    return tail;
}

std::string flate(std::string_view head, const DeflatedTail& tail) { return assemble(head, {}, 1, 0, tail); }

std::string FlatePrefix::compress(std::string_view head, std::string_view tail) const { return compress(head, deflateTail(tail)); }

std::string FlatePrefix::compress(std::string_view head, const DeflatedTail& tail) const {
    return assemble(head, deflated_, adler_, bytes_.size(), tail);
}

}  // namespace jixiao::pdf
