#include "pdf/glyph_prefix.h"

#include "pdf/subsetter.h"
#include "pdf/pdf_error.h"

namespace jixiao::pdf {

GlyphPrefix::GlyphPrefix(const FontSet& fonts, std::vector<std::vector<char32_t>> chars)
    : chars_(std::move(chars)), outlines_(chars_.size()), whole_(chars_.size()) {
    if (chars_.size() != static_cast<std::size_t>(fonts.faceCount())) {
        throw PdfError("内部错误：字形前缀有 " + std::to_string(chars_.size()) + " 种字体的字符，字体集合却有 " +
                       std::to_string(fonts.faceCount()) + " 种字体");
    }
    for (std::size_t face = 0; face < chars_.size(); ++face) {
        if (chars_[face].empty()) continue;
        const FontFace& metrics = fonts.face(static_cast<int>(face));
        const FontSubset subset = subsetFont(metrics, chars_[face], CharMap::Omit);  // as PdfCanvas embeds it
        // A composite glyph refers to its components by their subset ids, and those follow
        // all of a document's characters: its bytes differ between documents. The shared
        // outlines end before the first one.
        std::size_t lead = 0;
        for (std::size_t k = 1; k <= chars_[face].size(); ++k) {
            if (isCompositeGlyph(metrics.glyph(subset.source[k]))) break;
            lead = k;
        }
        outlines_[face] = std::make_unique<const FlatePrefix>(subset.program.substr(subset.glyfOffset, subset.glyphEnds[lead]));
        // Made before whole_[face] is set, so compressSubset compresses it.
        std::string compressed = compressSubset(subset, static_cast<int>(face), this);
        whole_[face] = WholeSubset{subset.program, std::move(compressed)};
    }
}

const std::vector<char32_t>& GlyphPrefix::chars(int face) const { return chars_.at(static_cast<std::size_t>(face)); }

const FlatePrefix* GlyphPrefix::outlines(int face) const { return outlines_.at(static_cast<std::size_t>(face)).get(); }

const std::string* GlyphPrefix::compressedProgram(int face, std::string_view program) const {
    const WholeSubset& whole = whole_.at(static_cast<std::size_t>(face));
    return !whole.program.empty() && program == whole.program ? &whole.compressed : nullptr;
}

const DeflatedTail& OutlineCache::deflated(int face, std::size_t shared, std::string_view outlines) {
    auto found = entries_.find(face);
    if (found != entries_.end() && found->second.shared == shared && found->second.outlines == outlines) {
        ++hits_;
        return found->second.tail;
    }
    Entry& entry = entries_[face];
    entry.shared = shared;
    entry.outlines.assign(outlines);
    entry.tail = deflateTail(outlines);
    return entry.tail;
}

std::string compressSubset(const FontSubset& subset, int face, const GlyphPrefix* prefix, OutlineCache* outlines) {
    const std::string_view program = subset.program;
    if (prefix != nullptr) {
        if (const std::string* compressed = prefix->compressedProgram(face, program)) return *compressed;
    }
    const FlatePrefix* shared = prefix ? prefix->outlines(face) : nullptr;
    if (shared != nullptr && program.substr(subset.glyfOffset, shared->bytes().size()) != shared->bytes()) shared = nullptr;
    const std::size_t sharedSize = shared ? shared->bytes().size() : 0;
    const std::string_view head = program.substr(0, subset.glyfOffset);
    const std::string_view rest = program.substr(subset.glyfOffset + sharedSize);
    DeflatedTail own;
    const DeflatedTail& tail = outlines ? outlines->deflated(face, sharedSize, rest) : (own = deflateTail(rest));
    return shared ? shared->compress(head, tail) : flate(head, tail);
}

}  // namespace jixiao::pdf
