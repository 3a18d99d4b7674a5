#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jixiao::pdf {

/// The zlib stream (RFC 1950, libdeflate at level 6) of `data`, as a PDF FlateDecode filter
/// reads it (ISO 32000-1 7.4.4). Every stream jixiao puts in a PDF is compressed here or by
/// FlatePrefix (libdeflate: about twice zlib's speed at a slightly smaller size).
std::string flate(std::string_view data);

/// The zlib stream of `data` made by libdeflate's fastest level (1): about 2.5 times the speed
/// of flate() for about 3.5 % more bytes on page contents (their operators repeat so much that
/// the quickest match search finds nearly every match). For the pages' content streams, which
/// in a long document are most of the bytes deflated (a 110-page feedback letter: 1.3 MB).
std::string flateFast(std::string_view data);

/// The end of a zlib stream deflated on its own, to be put after other parts (FlatePrefix,
/// flate(head, tail)): the raw deflate blocks of some bytes, the last one final, with what the
/// stream's Adler-32 trailer needs. Made once, it may end several streams: a document's PDF
/// and OFD end their font programs with the same glyph outlines (glyph_prefix.h).
struct DeflatedTail {
    std::string blocks;
    unsigned long adler = 1;  ///< Adler-32 of the bytes
    std::size_t size = 0;     ///< how many bytes
};

/// `data` as a DeflatedTail (libdeflate at level 1, as flateFast(): glyph outlines, deflated once
/// per document, where level 6 would take ~1.7 times as long for ~5 % fewer bytes).
DeflatedTail deflateTail(std::string_view data);

/// The zlib stream of `head` followed by the bytes of `tail`: the head's deflate blocks
/// (level 1, the last one reopened and ended on a byte boundary, RFC 1951 3.2.3), then the
/// tail's. A little larger than flate(head + bytes) (the tail does not refer back into the
/// head), but the tail is deflated once for every stream it ends.
std::string flate(std::string_view head, const DeflatedTail& tail);

/// Bytes that many streams hold at the same place, compressed once so that each stream only
/// pays for what differs. Deflate's output for a stream `head + bytes() + tail` is put
/// together from three parts: the deflate blocks of `head` (level 1, reopened as in
/// flate(head, tail)), those of bytes() made once (libdeflate at its smallest, level 12,
/// reopened), and the deflate blocks of `tail` (deflateTail), the last one final.
/// The tail does not refer back into bytes() (libdeflate has no preset dictionary): zlib with
/// bytes() as dictionary makes it ~3.5 % smaller but takes twice the work, the biggest single
/// cost of a table PDF (see README.md, "Costs"). The Adler-32 trailer is combined from the
/// three parts. Used for the glyph outlines every document of a form draws (font subsets
/// begin their glyf table with them, see glyph_prefix.h).
///
/// compress() only reads the prepared blocks, so threads may share one FlatePrefix.
class FlatePrefix {
public:
    explicit FlatePrefix(std::string bytes);
    FlatePrefix(const FlatePrefix&) = delete;
    FlatePrefix& operator=(const FlatePrefix&) = delete;

    const std::string& bytes() const { return bytes_; }

    /// The zlib stream of head + bytes() + tail. Throws PdfError when compression fails.
    std::string compress(std::string_view head, std::string_view tail) const;
    /// The same with the tail already deflated (deflateTail).
    std::string compress(std::string_view head, const DeflatedTail& tail) const;

private:
    std::string bytes_;
    std::string deflated_;  // raw deflate blocks of bytes_, none final, ending on a byte boundary
    unsigned long adler_ = 1;
};

}  // namespace jixiao::pdf
