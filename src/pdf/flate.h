#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace jixiao::pdf {

/// The zlib stream (RFC 1950, deflate level 6) of `data`, as a PDF FlateDecode filter reads
/// it (ISO 32000-1 7.4.4).
std::string flate(std::string_view data);

/// Bytes that many streams hold at the same place, compressed once so that each stream only
/// pays for what differs. Deflate's output for a stream `head + bytes() + tail` is put
/// together from three parts: `head` as stored blocks, the deflate blocks of bytes() made
/// once (ending on a byte boundary, RFC 1951 3.2.3), and the deflate blocks of `tail`, made
/// by a copy of the compressor as it stood after bytes(); so the tail may still refer back
/// into bytes() and compresses as well as it would in one pass. The Adler-32 trailer is
/// combined from the three parts. Used for the glyph outlines every document of a form
/// draws (font subsets begin with them, see glyph_prefix.h).
///
/// compress() only reads the prepared compressor, so threads may share one FlatePrefix.
class FlatePrefix {
public:
    explicit FlatePrefix(std::string bytes);
    ~FlatePrefix();
    FlatePrefix(const FlatePrefix&) = delete;
    FlatePrefix& operator=(const FlatePrefix&) = delete;

    const std::string& bytes() const { return bytes_; }

    /// The zlib stream of head + bytes() + tail. Throws PdfError when zlib fails.
    std::string compress(std::string_view head, std::string_view tail) const;

private:
    struct Compressor;
    std::string bytes_;
    std::string deflated_;  // raw deflate blocks of bytes_, the last one flushed to a byte boundary
    unsigned long adler_ = 1;
    std::unique_ptr<Compressor> after_;  // the compressor once it has taken bytes_
};

} // namespace jixiao::pdf
