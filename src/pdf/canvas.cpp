#include "pdf/canvas.h"

#include "pdf/icc.h"
#include "pdf/pdf_error.h"
#include "pdf/subsetter.h"
#include "model/text.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <hpdf_version.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// This file reaches into libharu's private structures: the document's memory manager and
// cross-reference table (doc->mmgr, doc->xref, doc->info, doc->stream), a stream
// dictionary's filter and write callback (dict->filter, dict->write_fn) and a page's content
// stream and its dictionary (page->attr->stream, page->attr->contents). Their layout is not part
// of libharu's API and changes between releases, so another version must not compile here
// unchecked (see README.md).
static_assert(HPDF_VERSION_ID == 20300,
              "src/pdf/canvas.cpp uses libharu 2.3.0's private structures; check them against this "
              "libharu version (src/pdf/README.md) before changing the expected version");

namespace jixiao::pdf {

namespace {

// The dictionary entry of a deflated stream (writeFlateEntries).
constexpr std::string_view kFlateEntry = "/Filter /FlateDecode\012";

// What libharu reported; the first error wins because later ones are consequences.
struct HpdfError {
    HPDF_STATUS code = HPDF_OK;
    HPDF_STATUS detail = HPDF_OK;
};

extern "C" void recordHpdfError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* error = static_cast<HpdfError*>(user);
    if (error->code == HPDF_OK) {
        error->code = code;
        error->detail = detail;
    }
}

const char* describe(HPDF_STATUS code) {
    static const std::map<HPDF_STATUS, const char*> names = {
        {HPDF_ARRAY_COUNT_ERR, "数组元素过多"},
        {HPDF_DICT_COUNT_ERR, "字典条目过多"},
        {HPDF_FAILD_TO_ALLOC_MEM, "内存不足"},
        {HPDF_FILE_IO_ERROR, "文件读写出错"},
        {HPDF_FILE_OPEN_ERROR, "无法打开文件"},
        {HPDF_INVALID_DATE_TIME, "日期无效"},
        {HPDF_INVALID_DOCUMENT, "文档无效"},
        {HPDF_INVALID_ENCODER, "编码器无效"},
        {HPDF_INVALID_OBJECT, "对象无效"},
        {HPDF_INVALID_PARAMETER, "参数无效"},
        {HPDF_PAGE_INVALID_GMODE, "当前绘图状态下不允许此操作"},
        {HPDF_PAGE_OUT_OF_RANGE, "页码超出范围"},
        {HPDF_REAL_OUT_OF_RANGE, "数值超出范围"},
        {HPDF_STRING_OUT_OF_RANGE, "字符串过长"},
        {HPDF_ZLIB_ERROR, "压缩出错（zlib）"},
    };
    auto it = names.find(code);
    return it == names.end() ? "未知错误" : it->second;
}

// Why the fonts bypass libharu's font loader (HPDF_LoadTTFontFromFile, libharu 2.3.0):
// it parses the whole 15–20 MB file for every document (about 70 ms per face), builds a
// 64 K-entry CIDToGIDMap and a width for every character the face maps, copies the full
// cmap, hmtx, loca and post tables into the PDF (220–280 KB per face), writes an invalid
// ToUnicode CMap, and its own glyph subsetter silently loses glyphs of some CJK fonts.
// Handing it a small subset font through a temporary file would still leave the 64 K-entry
// map (one linear cmap search per code) and its subsetter in the path. So each face becomes
// a Type0 font of our making (ISO 32000-1 9.7): CID k is glyph k of a per-document subset
// (subsetter.h) that holds the characters in the order the document first draws them,
// /CIDToGIDMap /Identity, and a ToUnicode CMap that maps CID k back to its character.
// Because ids are handed out as text is drawn, one pass suffices: the content stream names
// CIDs at once and the subset is built in save(), when the set is complete. libharu still
// writes every object, the pages and the file; text operators go straight into the page's
// content stream, since HPDF_Page_ShowText needs a libharu-loaded font. A short report PDF
// went from about 150 ms and 290 KB to about 2 ms and 30 KB. Deflating the outlines was
// then most of the work left, so the font file is compressed here, with a glyph prefix's
// outlines compressed once per run (fontFile below).

// Numbers in content streams: the value as HPDF_REAL (float), as libharu 2.3.0 took it, to
// two decimals (1/100 pt, 0.0035 mm: far below a printer's dot or a hairline), trailing zeros
// trimmed. libharu wrote five; the three more digits were ~600 B of each table PDF's page
// contents after deflate. No exponent, and '.' as the decimal point whatever the C locale
// (std::to_chars ignores it).
std::string shown(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

void appendNumber(std::string& out, double v) {
    if (!std::isfinite(v) || std::fabs(v) > HPDF_LIMIT_MAX_REAL) {
        // Text or a rule reaching this far is off the page: a line that cannot break (a very
        // long 发文机关 in the letterhead, say) rather than a fault of the writer.
        throw PdfError(
            "页面上有内容画到了 PDF 能表示的范围之外（坐标 " + shown(v) +
            "，应在 ±32767 之内），多半是一行不能换行的文字过长。请缩短模板或 dataset.json 中单独成行的文字（如“发文机关”“版头”）");
    }
    // The float in units of 1e-2, rounded to nearest with ties to even as the fixed format
    // rounds; the product is exact (24 + 7 bits), so this equals std::to_chars(fixed, 2)
    // with its zeros trimmed, at a tenth of the cost.
    const double scaled = std::nearbyint(static_cast<double>(static_cast<float>(v)) * 100.0);
    const auto n = static_cast<long long>(scaled);
    const unsigned long long a = n < 0 ? static_cast<unsigned long long>(-n) : static_cast<unsigned long long>(n);
    if (a == 0) {
        out += '0';  // "-0" too
        return;
    }
    if (n < 0) out += '-';
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, a / 100);
    out.append(buf, result.ptr);
    const unsigned frac = static_cast<unsigned>(a % 100);
    if (frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
    }
}

// Two-byte codes (Identity-H) in a literal string: shorter than hex before and after Flate.
// A bare CR inside a literal string would be read as LF (ISO 32000-1 7.3.4.2), so it is
// escaped along with the delimiters.
void appendCode(std::string& out, std::uint16_t code) {
    for (const auto byte : {static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)}) {
        if (byte == '(' || byte == ')' || byte == '\\') {
            out += '\\';
            out += byte;
        } else if (byte == '\r') {
            out += "\\r";
        } else {
            out += byte;
        }
    }
}

void appendHex16(std::string& out, std::uint32_t v) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const char hex[4] = {kDigits[(v >> 12) & 0xF], kDigits[(v >> 8) & 0xF], kDigits[(v >> 4) & 0xF], kDigits[v & 0xF]};
    out.append(hex, 4);
}

// Calls unit(u) for each UTF-16 code unit of `cp`: one, or a surrogate pair.
template <typename Unit>
void utf16Units(char32_t cp, Unit unit) {
    if (cp >= 0x10000) {
        unit(0xD800 + ((cp - 0x10000) >> 10));
        unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
        unit(cp);
    }
}

// The ToUnicode CMap (ISO 32000-1 9.10.3) of a subset: CID k → chars[k-1]. The CIDs are
// 1..n, so every run of CIDs that share their high byte (a bfrange may not cross a change
// of it) is one bfrange with an array of destinations: "<0001> <00FF> [<9879> <76EE> ...]",
// 7 bytes a character where a bfchar entry takes 14 (~4.1 -> 2.4 KB raw, ~530 B less
// deflated, for a table PDF). At most 100 ranges per block.
std::string toUnicodeCMap(const std::vector<char32_t>& chars) {
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    cmap.reserve(cmap.size() + 8 * chars.size() + 200);
    std::size_t ranges = 0;                 // in the open block
    const std::size_t last = chars.size();  // CIDs 1..last
    for (std::size_t first = 1; first <= last;) {
        const std::size_t end = std::min(last, first | 0xFF);  // the last CID with first's high byte
        if (ranges == 0) {
            const std::size_t left = (last >> 8) - (first >> 8) + 1;  // ranges still to write
            cmap += std::to_string(std::min<std::size_t>(100, left)) + " beginbfrange\n";
        }
        cmap += '<';
        appendHex16(cmap, static_cast<std::uint32_t>(first));
        cmap += "> <";
        appendHex16(cmap, static_cast<std::uint32_t>(end));
        cmap += "> [";
        for (std::size_t cid = first; cid <= end; ++cid) {
            if (cid != first) cmap += ' ';
            cmap += '<';
            utf16Units(chars[cid - 1], [&cmap](std::uint32_t u) { appendHex16(cmap, u); });
            cmap += '>';
        }
        cmap += "]\n";
        if (++ranges == 100 || end == last) {
            cmap += "endbfrange\n";
            ranges = 0;
        }
        first = end + 1;
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return cmap;
}

// FNV-1a, 64 bits, continued from `h`: the file identifier is made from what the document
// draws and says about itself, so the same document gets the same identifier.
std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ULL;
    }
    return h;
}

// Text for an XMP packet: XML's five special characters escaped, and the characters XML 1.0
// cannot carry (model::xmlAllows) left out, as are carriage returns.
std::string xmlText(const std::string& utf8) {
    std::string out;
    for (char32_t cp : model::decodeUtf8(utf8)) {
        switch (cp) {
        case U'&': out += "&amp;"; break;
        case U'<': out += "&lt;"; break;
        case U'>': out += "&gt;"; break;
        case U'"': out += "&quot;"; break;
        case U'\'': out += "&apos;"; break;
        default:
            if (cp == U'\r' || !model::xmlAllows(cp)) break;
            model::appendUtf8(out, cp);
        }
    }
    return out;
}

// An ISO 8601 date as XMP writes it (2025-03-05T00:00:00+08:00).
std::string xmpDate(const layout::FixedDate& d) {
    char buf[40];
    const int offset = d.utcOffsetMinutes < 0 ? -d.utcOffsetMinutes : d.utcOffsetMinutes;
    if (d.utcOffsetMinutes == 0) {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", d.year, d.month, d.day, d.hour, d.minute, d.second);
    } else {
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.year, d.month, d.day, d.hour, d.minute, d.second,
                      d.utcOffsetMinutes > 0 ? '+' : '-', offset / 60, offset % 60);
    }
    return buf;
}

// The XMP packet (ISO 19005-1 6.7) of a PDF/A-1b file: the PDF/A identification and the
// same title, author, subject, keywords, creator tool, producer and dates as the document
// information dictionary, which a validator compares entry by entry.
std::string xmpPacket(const layout::Metadata& meta, const std::string& producer) {
    // One rdf:Description carries every schema (as short as the packet can be: PDF/A-1
    // stores it uncompressed in every file).
    std::string x =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" "
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">"
        "<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>";
    if (!meta.title.empty()) {
        x += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xmlText(meta.title) + "</rdf:li></rdf:Alt></dc:title>";
    }
    if (!meta.author.empty()) {
        x += "<dc:creator><rdf:Seq><rdf:li>" + xmlText(meta.author) + "</rdf:li></rdf:Seq></dc:creator>";
    }
    if (!meta.subject.empty()) {
        x += "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xmlText(meta.subject) + "</rdf:li></rdf:Alt></dc:description>";
    }
    x += "<pdf:Producer>" + xmlText(producer) + "</pdf:Producer>";
    if (!meta.keywords.empty()) x += "<pdf:Keywords>" + xmlText(meta.keywords) + "</pdf:Keywords>";
    x += "<xmp:CreatorTool>jixiao</xmp:CreatorTool><xmp:CreateDate>" + xmpDate(meta.created) + "</xmp:CreateDate><xmp:ModifyDate>" +
         xmpDate(meta.created) + "</xmp:ModifyDate></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"r\"?>";
    return x;
}

// libharu allocates each object, name, number and stream buffer of a document on its own
// (~2,300 mallocs and frees a table PDF). Its allocator (HPDF_NewEx) takes no context, so the
// documents of a thread take their memory from blocks of the thread's arena, handed out in
// order and given back all at once when the thread's last open document is freed; libharu's
// frees do nothing. Up to kKeptBlocks blocks stay for the next documents.
class HpdfArena {
public:
    static void* allocate(HPDF_UINT size) { return arena().take(size); }
    static void release(void*) {}
    static void opened() { ++arena().documents_; }
    static void closed() {
        HpdfArena& a = arena();
        if (--a.documents_ == 0) a.reset();
    }

private:
    static constexpr std::size_t kBlock = 64 * 1024;
    static constexpr std::size_t kKeptBlocks = 32;
    static constexpr std::size_t kAlign = alignof(std::max_align_t);

    static HpdfArena& arena() {
        thread_local HpdfArena a;
        return a;
    }

    void* take(std::size_t size) {
        const std::size_t need = (std::max<std::size_t>(size, 1) + kAlign - 1) & ~(kAlign - 1);
        if (need > kBlock / 2) return large_.emplace_back(new std::byte[need]).get();
        if (current_ == blocks_.size() || used_ + need > kBlock) {
            if (current_ < blocks_.size()) ++current_;
            if (current_ == blocks_.size()) blocks_.emplace_back(new std::byte[kBlock]);
            used_ = 0;
        }
        void* at = blocks_[current_].get() + used_;
        used_ += need;
        return at;
    }

    void reset() {
        if (blocks_.size() > kKeptBlocks) blocks_.resize(kKeptBlocks);
        large_.clear();
        current_ = 0;
        used_ = 0;
    }

    std::vector<std::unique_ptr<std::byte[]>> blocks_;
    std::vector<std::unique_ptr<std::byte[]>> large_;  // one allocation each: more than half a block
    std::size_t current_ = 0;                          // the block being filled
    std::size_t used_ = 0;                             // of it
    int documents_ = 0;                                // open on this thread
};

extern "C" void* allocateForHpdf(HPDF_UINT size) { return HpdfArena::allocate(size); }
extern "C" void releaseForHpdf(void* at) { HpdfArena::release(at); }

std::int16_t s16(std::string_view b, size_t at) {
    if (at + 2 > b.size()) return 0;
    return static_cast<std::int16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

}  // namespace

struct PdfCanvas::State {
    // One face as used by this document: its Type0 font object (created on first use so
    // that pages can refer to it, filled in by save()) and the characters drawn with it.
    struct FaceUse {
        HPDF_Dict font = nullptr;
        std::vector<char32_t> chars;  // CID k draws chars[k-1]
        // The CIDs by character, open addressing (linear probing) at most half full: 0 is an
        // empty slot, CID k's character is chars[k-1]. One array rather than a node a character.
        std::vector<std::uint16_t> cidSlots;
        // The CIDs of recently drawn characters, by their low bits (CID 0: empty): most
        // lookups end here rather than in the hash map.
        std::array<std::pair<char32_t, std::uint16_t>, 256> recent{};
    };

    FontSet fonts;
    bool compress = true;
    Profile profile = Profile::Plain;
    layout::Metadata meta;                         // as set, for the XMP packet
    std::uint64_t idHash = 0xCBF29CE484222325ULL;  // of everything drawn and the metadata
    std::shared_ptr<const GlyphPrefix> prefix;     // may be null
    std::shared_ptr<OutlineCache> outlineCache;    // may be null
    HpdfError error;
    HPDF_Doc doc = nullptr;
    std::vector<FaceUse> faces;
    std::vector<HPDF_Page> pages;
    std::vector<double> lineWidths;     // per page, the width outside q/Q (PDF starts at 1)
    std::vector<std::string> contents;  // per page, its content stream, handed to libharu on saving
    std::vector<std::pair<int, HPDF_Outline>> outlineStack;
    std::string ops;                     // reused buffer for one text object
    std::vector<void*> detachedLengths;  // stream lengths taken out of the xref (directLength), freed with the canvas
    bool hasOutline = false;
    bool saved = false;

    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
        if (doc == nullptr) return;
        for (void* length : detachedLengths) HPDF_Obj_ForceFree(doc->mmgr, length);
        HPDF_Free(doc);
        HpdfArena::closed();
    }

    void check(HPDF_STATUS status, const std::string& what) {
        if (status == HPDF_OK && error.code == HPDF_OK) return;
        const HPDF_STATUS code = error.code != HPDF_OK ? error.code : status;
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%04X", static_cast<unsigned>(code));
        // The step and the codes are for support; the sentence says what went wrong.
        std::string codes = std::string(hex);
        if (error.detail != HPDF_OK) codes += "，详细代码 " + std::to_string(error.detail);
        throw PdfError(std::string("PDF 库（libharu）出错：") + describe(code) + "（错误码 " + codes + "，步骤 " + what + "）");
    }

    template <typename T>
    T checked(T handle, const std::string& what) {
        if (handle == nullptr && error.code == HPDF_OK) error.code = HPDF_INVALID_OBJECT;
        check(HPDF_OK, what);
        return handle;
    }

    HPDF_Page page(int index) {
        if (index < 0 || index >= static_cast<int>(pages.size())) {
            throw PdfError("内部错误：PDF 没有编号为 " + std::to_string(index) + " 的页面");
        }
        return pages[static_cast<size_t>(index)];
    }

    // An indirect dictionary: HPDF_Dict_Add then stores a reference to it.
    HPDF_Dict indirectDict(const char* what) {
        HPDF_Dict dict = checked(HPDF_Dict_New(doc->mmgr), what);
        check(HPDF_Xref_Add(doc->xref, dict), what);
        return dict;
    }

    // How stream() packs its content when compressing: flate(), flateFast() (text a reader
    // only looks things up in, such as a ToUnicode CMap: ~3 % more bytes at ~40 % of the
    // work), or not at all because it is deflated already.
    enum class Packing { Deflate, DeflateFast, Deflated };

    // A stream object holding `content`, deflated here when compressing (flate.h: libdeflate,
    // faster than libharu's zlib) as `packing` says. libharu writes it as it is and
    // writeFlateEntries names the filter (libharu drops /Filter from a stream it does not
    // compress itself). Content that deflate does not make smaller, counting the zlib wrapper
    // and the /Filter entry (a CIDSet of a few bytes), is written as it is.
    HPDF_Dict stream(const std::string& content, const char* what, Packing packing = Packing::Deflate) {
        HPDF_Dict dict = checked(HPDF_DictStream_New(doc->mmgr, doc->xref), what);
        directLength(dict);
        dict->filter = HPDF_STREAM_FILTER_NONE;
        const bool pack = compress && packing != Packing::Deflated;
        const std::string packed = pack ? (packing == Packing::DeflateFast ? flateFast(content) : flate(content)) : std::string();
        const bool filtered = compress && (!pack || packed.size() + kFlateEntry.size() < content.size());
        const std::string& bytes = pack && filtered ? packed : content;
        dict->write_fn = filtered ? writeFlateEntries : writeEntries;
        check(HPDF_Stream_Write(dict->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()), static_cast<HPDF_UINT>(bytes.size())),
              what);
        return dict;
    }

    // Hands page `index`'s content stream to libharu, deflated (flate.h) when compressing;
    // libharu writes it as it is.
    void putContent(int index) {
        auto* attr = static_cast<HPDF_PageAttr>(pages[static_cast<size_t>(index)]->attr);
        std::string& content = contents[static_cast<size_t>(index)];
        if (compress) content = flateFast(content);
        check(HPDF_Stream_Write(attr->stream, reinterpret_cast<const HPDF_BYTE*>(content.data()), static_cast<HPDF_UINT>(content.size())),
              "page content");
        std::string().swap(content);
        attr->contents->filter = HPDF_STREAM_FILTER_NONE;
        attr->contents->write_fn = compress ? writeFlateEntries : writeEntries;
    }

    // The FontFile2 stream of a subset. Compressed here rather than by libharu, so that
    // the outlines a glyph prefix shares are compressed once per run (flate.h).
    HPDF_Dict fontFile(int face, const FontSubset& subset) {
        if (!compress) return stream(subset.program, "font file");
        return stream(compressSubset(subset, face, prefix.get(), outlineCache.get()), "font file", Packing::Deflated);
    }

    // libharu makes every stream's /Length an indirect object of its own ("6 0 obj 1917
    // endobj" and a cross-reference line: ~40 bytes a stream, ~440 bytes of a table PDF),
    // because it learns the length only while writing the stream through a filter. Ours are
    // written unfiltered (deflated beforehand or not at all), so the length is known: the
    // number leaves the cross-reference table (it is its last entry, just added by
    // HPDF_DictStream_New; object numbers stay consecutive), its /Length entry is hidden
    // (HPDF_OTYPE_HIDDEN: HPDF_Dict_Write skips it, still finds the number and sets it) and
    // writeEntries writes "/Length n" in the dictionary. Should the number not be the last
    // entry, the stream keeps libharu's indirect length.
    void directLength(HPDF_Dict dict) {
        HPDF_Proxy proxy = lengthProxy(dict);
        HPDF_List entries = doc->xref->entries;
        if (proxy == nullptr || entries->count == 0) return;
        auto* last = static_cast<HPDF_XrefEntry>(HPDF_List_ItemAt(entries, entries->count - 1));
        if (last == nullptr || last->obj != proxy->obj) return;
        HPDF_List_RemoveByIndex(entries, entries->count - 1);
        HPDF_FreeMem(doc->mmgr, last);
        detachedLengths.push_back(proxy->obj);  // no longer freed with the xref: ~PdfCanvas frees it
        proxy->header.obj_id |= HPDF_OTYPE_HIDDEN;
    }

    // The reference libharu keeps in a stream dictionary's /Length entry, or null.
    static HPDF_Proxy lengthProxy(HPDF_Dict dict) {
        for (HPDF_UINT k = 0; k < dict->list->count; ++k) {
            auto* element = static_cast<HPDF_DictElement>(HPDF_List_ItemAt(dict->list, k));
            if (element == nullptr || std::strcmp(element->key, "Length") != 0) continue;
            auto* header = static_cast<HPDF_Obj_Header*>(element->value);
            return header != nullptr && header->obj_class == HPDF_OCLASS_PROXY ? static_cast<HPDF_Proxy>(element->value) : nullptr;
        }
        return nullptr;
    }

    // Writes a direct /Length (directLength) inside a stream's dictionary (called by
    // HPDF_Dict_Write after the other entries): the stream's bytes, which libharu copies
    // unfiltered.
    static HPDF_STATUS writeEntries(HPDF_Dict dict, HPDF_Stream out) {
        HPDF_Proxy proxy = lengthProxy(dict);
        if (proxy == nullptr || (proxy->header.obj_id & HPDF_OTYPE_HIDDEN) == 0) return HPDF_OK;
        HPDF_STATUS rc = HPDF_Stream_WriteStr(out, "/Length ");
        if (rc == HPDF_OK) rc = HPDF_Stream_WriteUInt(out, HPDF_Stream_Size(dict->stream));
        if (rc == HPDF_OK) rc = HPDF_Stream_WriteStr(out, "\012");
        return rc;
    }

    // writeEntries, then /Filter (libharu drops it from a stream it does not compress itself).
    static HPDF_STATUS writeFlateEntries(HPDF_Dict dict, HPDF_Stream out) {
        const HPDF_STATUS rc = writeEntries(dict, out);
        return rc != HPDF_OK ? rc : HPDF_Stream_WriteStr(out, kFlateEntry.data());
    }

    // A text string (ISO 32000-1 7.9.2.2) for document information and outline titles:
    // UTF-16BE after a byte order mark, which libharu writes as a hex string. (libharu's own
    // UTF-8 encoder does the same, but building it costs more than a short document.)
    HPDF_Binary textString(const std::string& utf8) {
        std::string bytes = "\xFE\xFF";
        for (char32_t cp : model::decodeUtf8(utf8)) {
            utf16Units(cp, [&bytes](std::uint32_t u) {
                bytes.push_back(static_cast<char>(u >> 8));
                bytes.push_back(static_cast<char>(u & 0xFF));
            });
        }
        return checked(HPDF_Binary_New(doc->mmgr, reinterpret_cast<HPDF_BYTE*>(bytes.data()), static_cast<HPDF_UINT>(bytes.size())),
                       "text string");
    }

    FaceUse& use(int face) {
        if (face < 0 || face >= fonts.faceCount()) {
            throw PdfError("内部错误：没有编号为 " + std::to_string(face) + " 的字体");
        }
        FaceUse& slot = faces[static_cast<size_t>(face)];
        if (slot.font == nullptr) slot.font = indirectDict("font dictionary");
        return slot;
    }

    std::uint16_t cidFor(int face, char32_t cp) {
        FaceUse& use = faces[static_cast<size_t>(face)];
        std::pair<char32_t, std::uint16_t>& recent = use.recent[cp & 0xFFu];
        if (recent.first == cp && recent.second != 0) return recent.second;
        recent = {cp, cidAdded(use, face, cp)};
        return recent.second;
    }

    // Where `cp` is first looked for in a table of `slots` slots (a power of two).
    static std::size_t slotOf(char32_t cp, std::size_t slots) {
        return static_cast<std::size_t>((static_cast<std::uint64_t>(cp) * 0x9E3779B97F4A7C15ULL) >> 40) & (slots - 1);
    }

    // The slot of `cp` in use.cidSlots: the one holding its CID, or the empty one where it goes.
    static std::size_t probe(const FaceUse& use, char32_t cp) {
        const std::size_t mask = use.cidSlots.size() - 1;
        std::size_t at = slotOf(cp, use.cidSlots.size());
        for (std::uint16_t cid = use.cidSlots[at]; cid != 0 && use.chars[cid - 1u] != cp; cid = use.cidSlots[at]) at = (at + 1) & mask;
        return at;
    }

    // cidFor through the CID table: the character's CID, handed out now if it is new.
    std::uint16_t cidAdded(FaceUse& use, int face, char32_t cp) {
        if (use.cidSlots.empty()) use.cidSlots.assign(256, 0);
        const std::size_t at = probe(use, cp);
        if (use.cidSlots[at] != 0) return use.cidSlots[at];
        // CID 0 is .notdef; 65535 is left out so that the subset's glyph count, which
        // adds .notdef and composite components, still fits maxp's 16 bits.
        if (use.chars.size() >= 0xFFFD) {
            throw PdfError("一份 PDF 中用字体“" + fonts.spec(face).name +
                           "”显示的不同字符超过了 65533 个（PDF 中一种字体的上限），无法生成。多半是数据中混入了大量乱码，"
                           "请检查这份文档用到的数据中过长的文字");
        }
        use.chars.push_back(cp);
        const auto cid = static_cast<std::uint16_t>(use.chars.size());
        use.cidSlots[at] = cid;
        if (2 * use.chars.size() > use.cidSlots.size()) {
            use.cidSlots.assign(2 * use.cidSlots.size(), 0);
            for (std::size_t k = 0; k < use.chars.size(); ++k) use.cidSlots[probe(use, use.chars[k])] = static_cast<std::uint16_t>(k + 1);
        }
        return cid;
    }

    // Writes operators at the end of page `index`'s content stream, kept here until saving:
    // every operator on a page is written by this class (libharu's drawing calls are not
    // used), so one write per page replaces one per operator.
    void writeContent(int index, const std::string& content) {
        page(index);  // throws for a page that does not exist
        if (profile == Profile::PdfA1b) idHash = fnv1a(idHash, content);
        contents[static_cast<size_t>(index)] += content;
    }

    // The /W array (ISO 32000-1 9.7.4.3) for CIDs 1..n with /DW the most common width: only
    // the other widths are listed, as "first [w w ...]" runs that bridge gaps of up to two
    // default widths (cheaper than a new run) and stay well below libharu's array limit.
    HPDF_Array widthArray(const std::vector<int>& widths, int dw) {
        constexpr size_t kMaxRun = 8192;
        HPDF_Array w = checked(HPDF_Array_New(doc->mmgr), "width array");
        const size_t n = widths.size();
        for (size_t k = 1; k < n;) {
            if (widths[k] == dw) {
                ++k;
                continue;
            }
            size_t end = k + 1;
            for (;;) {
                size_t next = end;
                while (next < n && widths[next] == dw && next - end < 2) ++next;
                if (next < n && widths[next] != dw && next + 1 - k <= kMaxRun) {
                    end = next + 1;
                } else {
                    break;
                }
            }
            HPDF_Array run = checked(HPDF_Array_New(doc->mmgr), "width array");
            for (size_t i = k; i < end; ++i) check(HPDF_Array_AddNumber(run, widths[i]), "width array");
            check(HPDF_Array_AddNumber(w, static_cast<HPDF_INT32>(k)), "width array");
            check(HPDF_Array_Add(w, run), "width array");
            k = end;
        }
        return w;
    }

    // What PDF/A-1b asks beyond the fonts (ISO 19005-1): the XMP metadata stream,
    // uncompressed (6.7.2), an OutputIntent with the sRGB profile (6.2.2) and the file
    // identifier in the trailer (6.1.3), derived from the content and metadata.
    void archival() {
        const char* what = "PDF/A objects";
        const std::string producer = std::string("Haru Free PDF Library ") + HPDF_GetVersion();
        const std::string xmp = xmpPacket(meta, producer);
        HPDF_Dict metadata = checked(HPDF_DictStream_New(doc->mmgr, doc->xref), what);
        directLength(metadata);
        metadata->filter = HPDF_STREAM_FILTER_NONE;
        metadata->write_fn = writeEntries;
        check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), what);
        check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), what);
        check(HPDF_Stream_Write(metadata->stream, reinterpret_cast<const HPDF_BYTE*>(xmp.data()), static_cast<HPDF_UINT>(xmp.size())),
              what);
        check(HPDF_Dict_Add(doc->catalog, "Metadata", metadata), what);

        // The same profile in every document: deflated once per process.
        static const std::string deflatedIcc = flate(srgbIccProfile());
        HPDF_Dict icc = compress ? stream(deflatedIcc, "ICC profile", Packing::Deflated) : stream(srgbIccProfile(), "ICC profile");
        check(HPDF_Dict_AddNumber(icc, "N", 3), what);
        HPDF_Dict intent = checked(HPDF_Dict_New(doc->mmgr), what);
        check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), what);
        check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), what);
        check(HPDF_Dict_Add(intent, "OutputConditionIdentifier", checked(HPDF_String_New(doc->mmgr, "sRGB IEC61966-2.1", nullptr), what)),
              what);
        check(HPDF_Dict_Add(intent, "DestOutputProfile", icc), what);
        HPDF_Array intents = checked(HPDF_Array_New(doc->mmgr), what);
        check(HPDF_Array_Add(intents, intent), what);
        check(HPDF_Dict_Add(doc->catalog, "OutputIntents", intents), what);

        std::uint64_t h = fnv1a(idHash, xmp);
        std::string id;
        for (std::uint64_t part : {h, fnv1a(h ^ 0x9E3779B97F4A7C15ULL, xmp)}) {
            for (int k = 7; k >= 0; --k) id.push_back(static_cast<char>((part >> (8 * k)) & 0xFF));
        }
        HPDF_Array ids = checked(HPDF_Array_New(doc->mmgr), what);
        for (int k = 0; k < 2; ++k) {
            check(HPDF_Array_Add(
                      ids, checked(HPDF_Binary_New(doc->mmgr, reinterpret_cast<HPDF_BYTE*>(id.data()), static_cast<HPDF_UINT>(id.size())),
                                   what)),
                  what);
        }
        check(HPDF_Dict_Add(doc->trailer, "ID", ids), what);
    }

    // Builds face `face`'s subset and the objects around it: FontFile2, FontDescriptor,
    // CIDFontType2 with /W, ToUnicode, and the Type0 font the pages already refer to.
    void embed(int face) {
        FaceUse& used = faces[static_cast<size_t>(face)];
        const FontFace& metrics = fonts.face(face);
        const FontSubset subset = subsetFont(metrics, used.chars, CharMap::Omit);
        std::string name = metrics.postScriptName();
        if (name.empty()) {
            for (char ch : fonts.spec(face).name) {
                if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') {
                    name.push_back(ch);
                }
            }
        }
        // ISO 32000-1 9.6.4: a subset's name is a six-letter tag, '+', the font's name.
        const std::string baseFont = subset.tag + "+" + (name.empty() ? "Font" : name);
        const std::string what = "embedding font " + fonts.spec(face).name;

        HPDF_Dict file = fontFile(face, subset);
        check(HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset.program.size())), what);

        const int upm = metrics.unitsPerEm();
        auto em = [upm](int units) { return static_cast<HPDF_INT32>(units * 1000 / upm); };
        const std::string_view head = metrics.table("head");
        const std::string_view os2 = metrics.table("OS/2");
        const std::string_view post = metrics.table("post");
        HPDF_Dict descriptor = indirectDict("font descriptor");
        check(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"), what);
        check(HPDF_Dict_AddName(descriptor, "FontName", baseFont.c_str()), what);
        // Flags 4, Symbolic: the glyphs lie outside the standard Latin set (9.8.2).
        check(HPDF_Dict_AddNumber(descriptor, "Flags", 4), what);
        HPDF_Array bbox = checked(HPDF_Array_New(doc->mmgr), what);
        for (size_t at : {36, 38, 40, 42}) check(HPDF_Array_AddNumber(bbox, em(s16(head, at))), what);
        check(HPDF_Dict_Add(descriptor, "FontBBox", bbox), what);
        const double italic = s16(post, 4) + static_cast<std::uint16_t>(s16(post, 6)) / 65536.0;
        check(HPDF_Dict_AddReal(descriptor, "ItalicAngle", static_cast<HPDF_REAL>(italic)), what);
        // Ascent and Descent from hhea, as libharu 2.3.0 wrote them; text extraction
        // (pdftotext) places lines with them.
        check(HPDF_Dict_AddNumber(descriptor, "Ascent", metrics.ascender()), what);
        check(HPDF_Dict_AddNumber(descriptor, "Descent", metrics.descender()), what);
        // sCapHeight exists from OS/2 version 2 on; the ascender is the usual stand-in.
        const int capHeight = s16(os2, 0) >= 2 && os2.size() >= 90 ? em(s16(os2, 88)) : metrics.ascender();
        check(HPDF_Dict_AddNumber(descriptor, "CapHeight", capHeight), what);
        // StemV only guides a viewer that substitutes a font, and the font is embedded.
        check(HPDF_Dict_AddNumber(descriptor, "StemV", 80), what);
        check(HPDF_Dict_Add(descriptor, "FontFile2", file), what);
        if (profile == Profile::PdfA1b) {
            // ISO 19005-1 6.3.5: a subset CID font lists its CIDs. Ours are 0..n, all used.
            const size_t cids = used.chars.size() + 1;
            std::string bits(cids / 8 + (cids % 8 != 0 ? 1 : 0), '\xFF');
            if (cids % 8 != 0) bits.back() = static_cast<char>(0xFF << (8 - cids % 8));
            check(HPDF_Dict_Add(descriptor, "CIDSet", stream(bits, "CIDSet")), what);
        }

        std::vector<int> widths(used.chars.size() + 1);
        std::map<int, size_t> frequency;
        for (size_t k = 0; k < widths.size(); ++k) {
            widths[k] = metrics.glyphAdvance(subset.source[k]);
            if (k > 0) ++frequency[widths[k]];
        }
        int dw = 1000;
        size_t best = 0;
        for (const auto& [width, count] : frequency) {
            if (count > best) {
                best = count;
                dw = width;
            }
        }

        HPDF_Dict cidFont = indirectDict("CID font");
        check(HPDF_Dict_AddName(cidFont, "Type", "Font"), what);
        check(HPDF_Dict_AddName(cidFont, "Subtype", "CIDFontType2"), what);
        check(HPDF_Dict_AddName(cidFont, "BaseFont", baseFont.c_str()), what);
        HPDF_Dict info = checked(HPDF_Dict_New(doc->mmgr), what);
        check(HPDF_Dict_Add(info, "Registry", checked(HPDF_String_New(doc->mmgr, "Adobe", nullptr), what)), what);
        check(HPDF_Dict_Add(info, "Ordering", checked(HPDF_String_New(doc->mmgr, "Identity", nullptr), what)), what);
        check(HPDF_Dict_AddNumber(info, "Supplement", 0), what);
        check(HPDF_Dict_Add(cidFont, "CIDSystemInfo", info), what);
        check(HPDF_Dict_Add(cidFont, "FontDescriptor", descriptor), what);
        check(HPDF_Dict_AddNumber(cidFont, "DW", dw), what);
        check(HPDF_Dict_Add(cidFont, "W", widthArray(widths, dw)), what);
        check(HPDF_Dict_AddName(cidFont, "CIDToGIDMap", "Identity"), what);

        HPDF_Dict toUnicode = stream(toUnicodeCMap(used.chars), "ToUnicode CMap", Packing::DeflateFast);

        HPDF_Dict font = used.font;
        check(HPDF_Dict_AddName(font, "Type", "Font"), what);
        check(HPDF_Dict_AddName(font, "Subtype", "Type0"), what);
        check(HPDF_Dict_AddName(font, "BaseFont", baseFont.c_str()), what);
        check(HPDF_Dict_AddName(font, "Encoding", "Identity-H"), what);
        HPDF_Array descendants = checked(HPDF_Array_New(doc->mmgr), what);
        check(HPDF_Array_Add(descendants, cidFont), what);
        check(HPDF_Dict_Add(font, "DescendantFonts", descendants), what);
        check(HPDF_Dict_Add(font, "ToUnicode", toUnicode), what);
    }
};

PdfCanvas::PdfCanvas(const FontSet& fonts, bool compress, std::shared_ptr<const GlyphPrefix> prefix, Profile profile,
                     std::shared_ptr<OutlineCache> outlineCache)
    : s_(std::make_unique<State>()) {
    s_->profile = profile;
    if (fonts.faceCount() == 0) throw PdfError("内部错误：字体集合中没有字体");
    s_->fonts = fonts;
    s_->compress = compress;
    s_->prefix = std::move(prefix);
    s_->outlineCache = std::move(outlineCache);
    s_->faces.resize(static_cast<size_t>(fonts.faceCount()));
    if (s_->prefix) {
        // The prefix's characters take the first CIDs of each face, in its order.
        for (int face = 0; face < fonts.faceCount(); ++face) {
            for (char32_t cp : s_->prefix->chars(face)) s_->cidFor(face, cp);
        }
    }
    HpdfArena::opened();
    s_->doc = HPDF_NewEx(recordHpdfError, allocateForHpdf, releaseForHpdf, 0, &s_->error);
    if (s_->doc == nullptr) {
        HpdfArena::closed();
        throw PdfError("内存不足：PDF 库（libharu）无法新建文档");
    }
    s_->check(HPDF_SetCompressionMode(s_->doc, compress ? HPDF_COMP_ALL : HPDF_COMP_NONE), "HPDF_SetCompressionMode");
}

PdfCanvas::~PdfCanvas() = default;  // State frees the document

void PdfCanvas::setMetadata(const layout::Metadata& meta) {
    const layout::FixedDate& d = meta.created;
    HPDF_Date date{};
    date.year = d.year;
    date.month = d.month;
    date.day = d.day;
    date.hour = d.hour;
    date.minutes = d.minute;
    date.seconds = d.second;
    const int offset = d.utcOffsetMinutes < 0 ? -d.utcOffsetMinutes : d.utcOffsetMinutes;
    date.ind = d.utcOffsetMinutes == 0 ? 'Z' : (d.utcOffsetMinutes > 0 ? '+' : '-');
    date.off_hour = offset / 60;
    date.off_minutes = offset % 60;
    s_->check(HPDF_SetInfoDateAttr(s_->doc, HPDF_INFO_CREATION_DATE, date), "set creation date");
    s_->check(HPDF_SetInfoDateAttr(s_->doc, HPDF_INFO_MOD_DATE, date), "set modification date");
    // The dates made the information dictionary; the texts go in as UTF-16 text strings.
    HPDF_Dict info = s_->checked(s_->doc->info, "document information");
    auto set = [&](const char* key, const std::string& value) {
        if (!value.empty()) s_->check(HPDF_Dict_Add(info, key, s_->textString(value)), key);
    };
    set("Title", meta.title);
    set("Author", meta.author);
    set("Subject", meta.subject);
    set("Keywords", meta.keywords);
    set("Creator", "jixiao");
    s_->meta = meta;
}

int PdfCanvas::addPage(double widthPt, double heightPt) {
    HPDF_Page page = s_->checked(HPDF_AddPage(s_->doc), "HPDF_AddPage");
    s_->directLength(static_cast<HPDF_PageAttr>(page->attr)->contents);
    s_->check(HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(widthPt)), "HPDF_Page_SetWidth");
    s_->check(HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(heightPt)), "HPDF_Page_SetHeight");
    // libharu gives every page /ProcSet [/PDF /Text /ImageB /ImageC /ImageI]: obsolete since
    // PDF 1.4 (ISO 32000-1 14.2), optional before, and ~50 bytes of every page dictionary.
    HPDF_Dict resources = s_->checked(static_cast<HPDF_Dict>(HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT)), "page resources");
    const HPDF_STATUS removed = HPDF_Dict_RemoveElement(resources, "ProcSet");
    if (removed != HPDF_DICT_ITEM_NOT_FOUND) s_->check(removed, "page resources");
    s_->pages.push_back(page);
    s_->lineWidths.push_back(1.0);
    s_->contents.emplace_back();
    return static_cast<int>(s_->pages.size()) - 1;
}

int PdfCanvas::pageCount() const { return static_cast<int>(s_->pages.size()); }

void PdfCanvas::drawText(int pageIndex, int face, double sizePt, double x, double baseline, std::u32string_view text, double charSpacing,
                         bool emboldenSynthetic) {
    if (text.empty()) return;
    HPDF_Page page = s_->page(pageIndex);
    State::FaceUse& use = s_->use(face);
    const char* resource = s_->checked(HPDF_Page_GetLocalFontName(page, use.font), "font resource");
    std::string& ops = s_->ops;
    ops.clear();
    const bool styled = charSpacing != 0.0 || emboldenSynthetic;
    // Character spacing, line width and rendering mode are graphics state that outlives
    // BT/ET; q/Q scopes them.
    if (styled) ops += "q\n";
    if (emboldenSynthetic) {
        appendNumber(ops, sizePt * 0.035);
        ops += " w\n";
    }
    ops += "BT\n/";
    ops += resource;
    ops += ' ';
    appendNumber(ops, sizePt);
    ops += " Tf\n";
    if (charSpacing != 0.0) {
        appendNumber(ops, charSpacing);
        ops += " Tc\n";
    }
    if (emboldenSynthetic) ops += "2 Tr\n";  // fill, then stroke the outlines
    // BT starts from the identity text matrix, so moving the line to (x, baseline) places
    // the text as "1 0 0 1 x baseline Tm" would, in eight bytes fewer.
    appendNumber(ops, x);
    ops += ' ';
    appendNumber(ops, baseline);
    ops += " Td\n(";
    for (char32_t cp : text) appendCode(ops, s_->cidFor(face, cp));
    ops += ") Tj\nET\n";
    if (styled) ops += "Q\n";
    s_->writeContent(pageIndex, ops);
}

void PdfCanvas::strokeRect(int pageIndex, double x, double y, double width, double height, double lineWidth) {
    s_->page(pageIndex);  // throws for a page that does not exist, before its line width is read
    if (!(lineWidth >= 0.0)) throw PdfError("内部错误：线宽 " + std::to_string(lineWidth) + " 无效");
    // Written here rather than through HPDF_Page_SetLineWidth/Rectangle/Stroke: a table is
    // mostly cell borders, and the width is only set when it changes.
    std::string& ops = s_->ops;
    ops.clear();
    double& current = s_->lineWidths[static_cast<size_t>(pageIndex)];
    if (lineWidth != current) {
        appendNumber(ops, lineWidth);
        ops += " w\n";
        current = lineWidth;
    }
    for (double v : {x, y, width, height}) {
        appendNumber(ops, v);
        ops += ' ';
    }
    ops += "re\nS\n";
    s_->writeContent(pageIndex, ops);
}

void PdfCanvas::fillRect(int pageIndex, double x, double y, double width, double height, const layout::Color& color) {
    std::string& ops = s_->ops;
    ops.clear();
    ops += "q\n";
    for (double v : {color.r, color.g, color.b}) {
        appendNumber(ops, v);
        ops += ' ';
    }
    ops += "rg\n";
    for (double v : {x, y, width, height}) {
        appendNumber(ops, v);
        ops += ' ';
    }
    ops += "re\nf\nQ\n";
    s_->writeContent(pageIndex, ops);
}

void PdfCanvas::beginColor(int pageIndex, const layout::Color& color, const std::array<double, 6>& matrix) {
    std::string& ops = s_->ops;
    ops.clear();
    ops += "q\n";
    if (matrix != std::array<double, 6>{1, 0, 0, 1, 0, 0}) {
        for (double v : matrix) {
            appendNumber(ops, v);
            ops += ' ';
        }
        ops += "cm\n";
    }
    // Fill and stroke: synthetic bold strokes the outlines, in the text's colour too.
    std::string rgb;
    for (double v : {color.r, color.g, color.b}) {
        appendNumber(rgb, v);
        rgb += ' ';
    }
    ops += rgb + "rg\n" + rgb + "RG\n";
    s_->writeContent(pageIndex, ops);
}

void PdfCanvas::endColor(int pageIndex) {
    s_->ops.assign("Q\n");
    s_->writeContent(pageIndex, s_->ops);
}

void PdfCanvas::addBookmark(int level, const std::string& title, int pageIndex, double top) {
    HPDF_Page page = s_->page(pageIndex);
    auto& stack = s_->outlineStack;
    while (!stack.empty() && stack.back().first >= level) stack.pop_back();
    HPDF_Outline parent = stack.empty() ? nullptr : stack.back().second;
    HPDF_Outline outline = s_->checked(HPDF_CreateOutline(s_->doc, parent, "", nullptr), "HPDF_CreateOutline");
    s_->check(HPDF_Dict_Add(outline, "Title", s_->textString(title)), "outline title");
    s_->check(HPDF_Outline_SetOpened(outline, HPDF_TRUE), "HPDF_Outline_SetOpened");
    // [page /FitH top], written in the outline item: libharu's HPDF_Page_CreateDestination
    // makes the array an indirect object, which PDF/A validators (PDFBox preflight) refuse
    // as a destination. /FitH scrolls to the heading at page width.
    const char* what = "outline destination";
    HPDF_Array dest = s_->checked(HPDF_Array_New(s_->doc->mmgr), what);
    s_->check(HPDF_Array_Add(dest, page), what);
    s_->check(HPDF_Array_AddName(dest, "FitH"), what);
    s_->check(HPDF_Array_AddReal(dest, static_cast<HPDF_REAL>(top)), what);
    s_->check(HPDF_Dict_Add(outline, "Dest", dest), what);
    if (!s_->hasOutline) {
        s_->check(HPDF_SetPageMode(s_->doc, HPDF_PAGE_MODE_USE_OUTLINE), "HPDF_SetPageMode");
        s_->hasOutline = true;
    }
    stack.emplace_back(level, outline);
}

std::vector<std::vector<char32_t>> PdfCanvas::charsByFace() const {
    std::vector<std::vector<char32_t>> chars;
    for (const State::FaceUse& use : s_->faces) chars.push_back(use.font != nullptr ? use.chars : std::vector<char32_t>{});
    return chars;
}

int PdfCanvas::embeddedFaces() const {
    int n = 0;
    for (const State::FaceUse& use : s_->faces) n += use.font != nullptr ? 1 : 0;
    return n;
}

std::string PdfCanvas::save() {
    if (s_->saved) throw PdfError("内部错误：这份 PDF 已经保存过");
    s_->saved = true;
    for (int face = 0; face < s_->fonts.faceCount(); ++face) {
        if (s_->faces[static_cast<size_t>(face)].font != nullptr) s_->embed(face);
    }
    if (s_->profile == Profile::PdfA1b) s_->archival();
    for (int k = 0; k < pageCount(); ++k) s_->putContent(k);
    s_->check(HPDF_SaveToStream(s_->doc), "HPDF_SaveToStream");
    // The file sits in libharu's memory stream as a list of buffers: copied out buffer by
    // buffer (HPDF_ReadFromStream would copy each byte twice, one at a time).
    HPDF_Stream stream = s_->doc->stream;
    std::string bytes;
    bytes.reserve(HPDF_GetStreamSize(s_->doc));
    const HPDF_UINT count = HPDF_MemStream_GetBufCount(stream);
    for (HPDF_UINT k = 0; k < count; ++k) {
        HPDF_UINT length = 0;
        const HPDF_BYTE* part = s_->checked(HPDF_MemStream_GetBufPtr(stream, k, &length), "reading the saved PDF");
        bytes.append(reinterpret_cast<const char*>(part), length);
    }
    if (bytes.size() != HPDF_GetStreamSize(s_->doc)) {
        throw PdfError("PDF 库（libharu）写出的文件不完整（应有 " + std::to_string(HPDF_GetStreamSize(s_->doc)) + " 字节，只有 " +
                       std::to_string(bytes.size()) + " 字节）");
    }
    return bytes;
}

}  // namespace jixiao::pdf

/// Replaces libharu's own (declared in its hpdf_utils.h, called by the library through its
/// symbol table, so the program's definition wins), a loop of one byte at a time through which
/// every byte of a PDF passes two or three times (into a stream, into the document, out to
/// us): the same copy, a whole block at a time.
HPDF_BYTE* HPDF_MemCpy(HPDF_BYTE* out, const HPDF_BYTE* in, HPDF_UINT n) {
    if (n == 0) return out;
    std::memmove(out, in, n);
    return out + n;
}
