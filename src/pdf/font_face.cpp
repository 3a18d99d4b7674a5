#include "pdf/font_face.h"

#include "model/text.h"
#include "pdf/pdf_error.h"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace jixiao::pdf {

// A read-only private mapping of a whole font file. Pages are read on demand and shared with
// the page cache, so four threads rendering with the same 20 MB face cost one mapping.
// (A font file truncated by someone else while mapped would fault on access; fonts are part
// of the installation, not user input, so that is accepted.)
struct FontFace::Mapping {
    const char* data = nullptr;
    size_t size = 0;

    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    explicit Mapping(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            const int error = errno;
            throw PdfError("无法读取字体文件 " + path + "（" + model::systemReason(error) + "）");
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            throw PdfError("无法读取字体文件 " + path + "（不是普通文件）");
        }
        size = static_cast<size_t>(st.st_size);
        if (size > 0) {
            void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                const int error = errno;
                ::close(fd);
                throw PdfError("无法读取字体文件 " + path + "（无法映射到内存：" + model::systemReason(error) + "）");
            }
            data = static_cast<const char*>(p);
        }
        ::close(fd);
    }

    ~Mapping() {
        if (data != nullptr) ::munmap(const_cast<char*>(data), size);
    }
};

namespace {

// Bounds-checked views of parts of a font file: a truncated or corrupt font must produce an
// error, not a crash.
class FontBytes {
public:
    FontBytes(const std::string& path, const char* data, size_t size) : path_(path), data_(data), size_(size) {}

    std::string_view read(std::uint64_t offset, std::uint64_t length) const {
        if (offset > size_ || length > size_ - offset) fail("文件不完整，像是被截断了");
        return std::string_view(data_ + offset, static_cast<size_t>(length));
    }

    [[noreturn]] void fail(const std::string& cause) const {
        throw PdfError("字体文件 " + path_ + " 已损坏或不是 TrueType 字体（" + cause + "）");
    }

private:
    const std::string& path_;
    const char* data_;
    size_t size_;
};

// Big-endian fields; reads past the end give 0 so that a short table degrades, not crashes.
std::uint16_t u16(std::string_view b, size_t at) {
    if (at + 2 > b.size()) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) | static_cast<unsigned char>(b[at + 1]));
}

std::int16_t s16(std::string_view b, size_t at) { return static_cast<std::int16_t>(u16(b, at)); }

std::uint32_t u32(std::string_view b, size_t at) { return (static_cast<std::uint32_t>(u16(b, at)) << 16) | u16(b, at + 2); }

bool isWhitespace(char32_t cp) { return cp == 0x20 || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B); }

// cmap format 4 (segment mapping to delta values), the usual BMP subtable.
void readFormat4(std::string_view t, size_t at, std::vector<std::uint16_t>& glyphOf) {
    const size_t segCount = u16(t, at + 6) / 2;
    const size_t ends = at + 14;
    const size_t starts = ends + 2 * segCount + 2;
    const size_t deltas = starts + 2 * segCount;
    const size_t rangeOffsets = deltas + 2 * segCount;
    for (size_t s = 0; s < segCount; ++s) {
        const std::uint32_t end = u16(t, ends + 2 * s);
        const std::uint32_t start = u16(t, starts + 2 * s);
        const std::uint16_t delta = u16(t, deltas + 2 * s);
        const std::uint16_t rangeOffset = u16(t, rangeOffsets + 2 * s);
        for (std::uint32_t c = start; c <= end && c < 0xFFFF; ++c) {
            std::uint16_t g = 0;
            if (rangeOffset == 0) {
                g = static_cast<std::uint16_t>(c + delta);
            } else {
                const size_t addr = rangeOffsets + 2 * s + rangeOffset + 2 * (c - start);
                g = u16(t, addr);
                if (g != 0) g = static_cast<std::uint16_t>(g + delta);
            }
            glyphOf[c] = g;
        }
    }
}

// cmap format 12 (segmented coverage), used only when a face has no format 4 subtable.
void readFormat12(std::string_view t, size_t at, std::vector<std::uint16_t>& glyphOf) {
    const std::uint32_t groups = u32(t, at + 12);
    for (std::uint32_t k = 0; k < groups; ++k) {
        const size_t g = at + 16 + 12 * static_cast<size_t>(k);
        if (g + 12 > t.size()) break;
        const std::uint32_t start = u32(t, g);
        const std::uint32_t end = u32(t, g + 4);
        const std::uint32_t glyph = u32(t, g + 8);
        for (std::uint32_t c = start; c <= end && c < 0xFFFF; ++c) {
            glyphOf[c] = static_cast<std::uint16_t>(glyph + (c - start));
        }
    }
}

// A PDF name carries any byte but needs #xx escapes for delimiters, '#' and anything outside
// '!'..'~'; keeping only the plain characters makes BaseFont readable in every tool.
std::string plainName(std::string_view raw) {
    std::string out;
    for (char ch : raw) {
        const bool plain = ch > ' ' && ch <= '~' && std::string_view("()<>[]{}/%#").find(ch) == std::string_view::npos;
        if (plain) out.push_back(ch);
    }
    return out;
}

// Name ID 6 from the 'name' table: the Windows (3,1) UTF-16BE record if there is one, else
// the Macintosh (1,0) Roman record. PostScript names are ASCII by definition.
std::string postScriptNameIn(std::string_view name) {
    const size_t count = u16(name, 2);
    const size_t strings = u16(name, 4);
    std::string mac;
    for (size_t k = 0; k < count; ++k) {
        const size_t rec = 6 + 12 * k;
        if (rec + 12 > name.size()) break;
        const std::uint16_t platform = u16(name, rec);
        const std::uint16_t encoding = u16(name, rec + 2);
        if (u16(name, rec + 6) != 6) continue;
        const size_t length = u16(name, rec + 8);
        const size_t offset = strings + u16(name, rec + 10);
        if (offset > name.size() || length > name.size() - offset) continue;
        const std::string_view raw = name.substr(offset, length);
        if (platform == 3 && encoding == 1) {
            std::string ascii;
            for (size_t i = 0; i + 1 < raw.size(); i += 2) {
                if (raw[i] == 0) ascii.push_back(raw[i + 1]);
            }
            if (!plainName(ascii).empty()) return plainName(ascii);
        } else if (platform == 1 && encoding == 0 && mac.empty()) {
            mac = plainName(raw);
        }
    }
    return mac;
}

}  // namespace

FontFace::FontFace(const std::string& path, unsigned index) : path_(path), index_(index) {
    file_ = std::make_shared<const Mapping>(path);
    const FontBytes file(path_, file_->data, file_->size);
    std::uint64_t base = 0;
    const std::string_view head12 = file.read(0, 12);
    if (head12.substr(0, 4) == "ttcf") {
        collection_ = true;
        const std::uint32_t count = u32(head12, 8);
        if (index >= count) {
            file.fail("这个字体集合（.ttc）只有 " + std::to_string(count) + " 种字体，index 应为 0 到 " + std::to_string(count - 1) +
                      "，实际为 " + std::to_string(index));
        }
        base = u32(file.read(12 + 4 * static_cast<std::uint64_t>(index), 4), 0);
    } else if (index != 0) {
        file.fail("这个文件只有一种字体，index 应为 0，实际为 " + std::to_string(index));
    }

    const std::string_view offsetTable = file.read(base, 12);
    if (offsetTable.substr(0, 4) == "OTTO") {
        file.fail("它是 CFF 轮廓（OpenType .otf），本程序只能嵌入 TrueType 轮廓的字体");
    }
    const std::uint16_t numTables = u16(offsetTable, 4);
    const std::string_view dir = file.read(base + 12, 16 * static_cast<std::uint64_t>(numTables));
    for (size_t k = 0; k < numTables; ++k) {
        tables_[std::string(dir.substr(16 * k, 4))] = file.read(u32(dir, 16 * k + 8), u32(dir, 16 * k + 12));
    }
    auto table = [&](const char* tag) {
        auto it = tables_.find(tag);
        if (it == tables_.end()) file.fail(std::string("缺少 ") + tag + " 表");
        return it->second;
    };

    const std::string_view head = table("head");
    unitsPerEm_ = u16(head, 18);
    if (unitsPerEm_ == 0) file.fail("head 表中的 unitsPerEm 为 0");
    const bool longLoca = s16(head, 50) != 0;

    const std::string_view maxp = table("maxp");
    const size_t numGlyphs = u16(maxp, 4);
    if (numGlyphs == 0) file.fail("其中没有字形");

    const std::string_view hhea = table("hhea");
    ascender_ = s16(hhea, 4) * 1000 / unitsPerEm_;
    descender_ = s16(hhea, 6) * 1000 / unitsPerEm_;
    const size_t numMetrics = u16(hhea, 34);

    // hmtx: numberOfHMetrics (advance, lsb) pairs, then one lsb per remaining glyph, which
    // repeats the last advance (TrueType spec, 'hmtx').
    const std::string_view hmtx = table("hmtx");
    advances_.assign(numGlyphs, 0);
    bearings_.assign(numGlyphs, 0);
    std::uint16_t last = 0;
    for (size_t g = 0; g < numGlyphs; ++g) {
        if (g < numMetrics) {
            last = u16(hmtx, 4 * g);
            bearings_[g] = s16(hmtx, 4 * g + 2);
        } else {
            bearings_[g] = s16(hmtx, 4 * numMetrics + 2 * (g - numMetrics));
        }
        advances_[g] = last;
    }

    // loca: numGlyphs + 1 offsets into glyf. An entry out of order or past the end of glyf
    // makes that glyph empty rather than the face unusable.
    const std::string_view loca = table("loca");
    glyf_ = table("glyf");
    const auto glyfSize = static_cast<std::uint32_t>(glyf_.size());
    glyphStart_.assign(numGlyphs + 1, 0);
    for (size_t g = 0; g <= numGlyphs; ++g) {
        const std::uint32_t at = longLoca ? u32(loca, 4 * g) : 2u * u16(loca, 2 * g);
        glyphStart_[g] = std::min(at, glyfSize);
    }

    const std::string_view cmap = table("cmap");
    const std::uint16_t subtables = u16(cmap, 2);
    size_t format4 = 0;
    size_t format12 = 0;
    for (size_t k = 0; k < subtables; ++k) {
        const std::uint16_t platform = u16(cmap, 4 + 8 * k);
        const std::uint16_t encoding = u16(cmap, 6 + 8 * k);
        const std::uint32_t offset = u32(cmap, 8 + 8 * k);
        if (offset >= cmap.size()) continue;
        const std::uint16_t format = u16(cmap, offset);
        const bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if (!unicode) continue;
        // Prefer the Windows Unicode BMP subtable (3,1), as libharu 2.3.0 did.
        if (format == 4 && (format4 == 0 || (platform == 3 && encoding == 1))) format4 = offset;
        if (format == 12 && format12 == 0) format12 = offset;
    }
    glyphOfBmp_.assign(0x10000, 0);
    if (format4 != 0) {
        readFormat4(cmap, format4, glyphOfBmp_);
    } else if (format12 != 0) {
        readFormat12(cmap, format12, glyphOfBmp_);
    } else {
        file.fail("没有 Unicode 字符映射（cmap 格式 4 或 12）");
    }
    for (std::uint16_t& g : glyphOfBmp_) {
        if (g >= numGlyphs) g = 0;
    }

    auto name = tables_.find("name");
    if (name != tables_.end()) postScriptName_ = postScriptNameIn(name->second);
}

std::shared_ptr<const FontFace> FontFace::load(const std::string& path, unsigned index) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const FontFace>> cache;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{path, index}];
    if (!slot) slot = std::make_shared<const FontFace>(path, index);
    return slot;
}

std::uint16_t FontFace::glyphOf(char32_t cp) const { return cp < 0xFFFF ? glyphOfBmp_[cp] : 0; }

std::string_view FontFace::glyph(std::uint16_t glyph) const {
    if (glyph >= advances_.size()) return {};
    const std::uint32_t from = glyphStart_[glyph];
    const std::uint32_t to = glyphStart_[glyph + 1u];
    if (to <= from) return {};
    return glyf_.substr(from, to - from);
}

std::string_view FontFace::table(std::string_view tag) const {
    auto it = tables_.find(tag);
    return it == tables_.end() ? std::string_view() : it->second;
}

bool FontFace::covers(char32_t cp) const {
    const std::uint16_t g = glyphOf(cp);
    return g != 0 && (glyphStart_[g + 1u] > glyphStart_[g] || isWhitespace(cp));
}

int FontFace::glyphAdvance(std::uint16_t glyph) const { return glyph < advances_.size() ? advances_[glyph] * 1000 / unitsPerEm_ : 0; }

int FontFace::advance(char32_t cp) const { return glyphAdvance(glyphOf(cp)); }

std::vector<char32_t> FontFace::coveredIn(char32_t from, char32_t to) const {
    std::vector<char32_t> out;
    for (char32_t cp = from; cp <= to && cp < 0xFFFF; ++cp) {
        if (covers(cp)) out.push_back(cp);
    }
    return out;
}

}  // namespace jixiao::pdf
