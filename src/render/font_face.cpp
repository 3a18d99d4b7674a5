#include "render/font_face.h"

#include "render/render_error.h"

#include <fstream>
#include <map>
#include <mutex>
#include <utility>

namespace jixiao::render {

namespace {

struct TableRecord {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
};

// Reads big-endian fields from parts of a font file, with bounds checks: a truncated or
// corrupt font must produce an error, not a crash.
class FontFile {
public:
    explicit FontFile(const std::string& path) : path_(path), in_(path, std::ios::binary) {
        if (!in_) fail("file not found or not readable");
        in_.seekg(0, std::ios::end);
        size_ = static_cast<std::uint64_t>(in_.tellg());
    }

    std::string read(std::uint64_t offset, std::uint64_t length) {
        if (offset > size_ || length > size_ - offset) fail("truncated file");
        std::string buf(static_cast<size_t>(length), '\0');
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(buf.data(), static_cast<std::streamsize>(length));
        if (!in_) fail("read error");
        return buf;
    }

    [[noreturn]] void fail(const std::string& cause) const {
        throw RenderError("cannot read font " + path_ + " (" + cause + ")");
    }

private:
    std::string path_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

std::uint16_t u16(const std::string& b, size_t at) {
    if (at + 2 > b.size()) return 0;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(b[at]) << 8) |
                                      static_cast<unsigned char>(b[at + 1]));
}

std::int16_t s16(const std::string& b, size_t at) { return static_cast<std::int16_t>(u16(b, at)); }

std::uint32_t u32(const std::string& b, size_t at) {
    return (static_cast<std::uint32_t>(u16(b, at)) << 16) | u16(b, at + 2);
}

bool isWhitespace(char32_t cp) {
    return cp == 0x20 || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B);
}

// cmap format 4 (segment mapping to delta values): the BMP subtable libharu 2.3.0 uses.
void readFormat4(const std::string& t, size_t at, std::vector<std::uint16_t>& glyphOf) {
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
void readFormat12(const std::string& t, size_t at, std::vector<std::uint16_t>& glyphOf) {
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

} // namespace

FontFace::FontFace(const std::string& path, unsigned index) : path_(path), index_(index) {
    FontFile file(path);
    std::uint64_t base = 0;
    const std::string head12 = file.read(0, 12);
    if (head12.compare(0, 4, "ttcf") == 0) {
        collection_ = true;
        const std::uint32_t count = u32(head12, 8);
        if (index >= count) {
            file.fail("face index " + std::to_string(index) + " but the collection has " +
                      std::to_string(count));
        }
        base = u32(file.read(12 + 4 * static_cast<std::uint64_t>(index), 4), 0);
    } else if (index != 0) {
        file.fail("face index " + std::to_string(index) + " of a single-face file");
    }

    const std::string offsetTable = file.read(base, 12);
    if (offsetTable.compare(0, 4, "OTTO") == 0) {
        file.fail("CFF outlines; libharu 2.3.0 embeds TrueType outlines only");
    }
    const std::uint16_t numTables = u16(offsetTable, 4);
    const std::string dir = file.read(base + 12, 16 * static_cast<std::uint64_t>(numTables));
    std::map<std::string, TableRecord> tables;
    for (size_t k = 0; k < numTables; ++k) {
        tables[dir.substr(16 * k, 4)] = TableRecord{u32(dir, 16 * k + 8), u32(dir, 16 * k + 12)};
    }
    auto table = [&](const char* tag) {
        auto it = tables.find(tag);
        if (it == tables.end()) file.fail(std::string("no '") + tag + "' table");
        return file.read(it->second.offset, it->second.length);
    };

    const std::string head = table("head");
    unitsPerEm_ = u16(head, 18);
    if (unitsPerEm_ == 0) file.fail("unitsPerEm is 0");
    const bool longLoca = s16(head, 50) != 0;

    const std::string maxp = table("maxp");
    const size_t numGlyphs = u16(maxp, 4);

    const std::string hhea = table("hhea");
    ascender_ = s16(hhea, 4) * 1000 / unitsPerEm_;
    descender_ = s16(hhea, 6) * 1000 / unitsPerEm_;
    const size_t numMetrics = u16(hhea, 34);

    const std::string hmtx = table("hmtx");
    advances_.assign(numGlyphs, 0);
    std::uint16_t last = 0;
    for (size_t g = 0; g < numGlyphs; ++g) {
        if (g < numMetrics) last = u16(hmtx, 4 * g);
        advances_[g] = last;
    }

    const std::string loca = table("loca");
    hasOutline_.assign(numGlyphs, false);
    for (size_t g = 0; g < numGlyphs; ++g) {
        const std::uint32_t from = longLoca ? u32(loca, 4 * g) : 2u * u16(loca, 2 * g);
        const std::uint32_t to = longLoca ? u32(loca, 4 * g + 4) : 2u * u16(loca, 2 * g + 2);
        hasOutline_[g] = to > from;
    }

    const std::string cmap = table("cmap");
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
        // libharu 2.3.0 reads the Windows Unicode BMP subtable (3,1); match its choice.
        if (format == 4 && (format4 == 0 || (platform == 3 && encoding == 1))) format4 = offset;
        if (format == 12 && format12 == 0) format12 = offset;
    }
    glyphOfBmp_.assign(0x10000, 0);
    if (format4 != 0) {
        readFormat4(cmap, format4, glyphOfBmp_);
    } else if (format12 != 0) {
        readFormat12(cmap, format12, glyphOfBmp_);
    } else {
        file.fail("no Unicode cmap subtable of format 4 or 12");
    }
    for (std::uint16_t& g : glyphOfBmp_) {
        if (g >= numGlyphs) g = 0;
    }
}

std::shared_ptr<const FontFace> FontFace::load(const std::string& path, unsigned index) {
    static std::mutex mutex;
    static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const FontFace>> cache;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& slot = cache[{path, index}];
    if (!slot) slot = std::make_shared<const FontFace>(path, index);
    return slot;
}

std::uint16_t FontFace::glyphOf(char32_t cp) const {
    return cp < 0xFFFF ? glyphOfBmp_[cp] : 0;
}

bool FontFace::covers(char32_t cp) const {
    const std::uint16_t g = glyphOf(cp);
    return g != 0 && (hasOutline_[g] || isWhitespace(cp));
}

int FontFace::advance(char32_t cp) const {
    const std::uint16_t g = glyphOf(cp);
    return static_cast<int>(advances_.empty() ? 0 : advances_[g] * 1000 / unitsPerEm_);
}

std::vector<char32_t> FontFace::coveredIn(char32_t from, char32_t to) const {
    std::vector<char32_t> out;
    for (char32_t cp = from; cp <= to && cp < 0xFFFF; ++cp) {
        if (covers(cp)) out.push_back(cp);
    }
    return out;
}

} // namespace jixiao::render
