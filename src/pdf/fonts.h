#pragma once

#include "layout/document.h"
#include "pdf/font_face.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace jixiao::pdf {

/// One font file (or one face of a collection) the renderer may embed.
struct FaceSpec {
    std::string name;    ///< for messages, e.g. "AR PL UMing CN"
    std::string path;    ///< .ttf or .ttc file
    unsigned index = 0;  ///< face in a .ttc collection
    bool bold = false;   ///< a bold cut: no synthetic emboldening on top
};

/// The faces a document may use, which role draws with which face, and the fallback order.
/// This is the one place fonts are chosen and loaded; the PDF canvas embeds, per document,
/// a subset of each face with only the characters drawn (subsetter.h).
class FontSet {
public:
    /// The faces of the fonts folder's `fonts.json` (see fonts/README.md): per role (song,
    /// fangsong, xiaobiaosong, hei, kai) the first of its licensed fonts found in `fontsDir`
    /// or installed on the system (fontconfig), followed by the bundled fallback faces.
    /// Throws PdfError (Chinese message) when fonts.json is missing or malformed, a
    /// licensed font found has CFF outlines (.otf), or a bundled file is missing or unreadable.
    static FontSet bundled(const std::string& fontsDir);

    /// Adds a face and reads its metrics (cached per process); returns its number.
    int addFace(FaceSpec spec);
    /// Sets the faces a role tries in order; the first is the role's own face. Faces listed
    /// in `emboldened` are drawn with synthetic bold in this role (a light fallback face
    /// standing in for a heavy display face such as 小标宋).
    void setChain(layout::FontRole role, std::vector<int> faces, std::vector<int> emboldened = {});

    /// Number of faces.
    int faceCount() const { return static_cast<int>(specs_.size()); }
    /// The file behind face `face`.
    const FaceSpec& spec(int face) const { return specs_.at(static_cast<size_t>(face)); }
    /// Metrics and coverage of face `face`.
    const FontFace& face(int face) const { return *faces_.at(static_cast<size_t>(face)); }
    /// The faces `role` tries, in order.
    const std::vector<int>& chain(layout::FontRole role) const;

    /// Whether `role` draws with `face` in synthetic bold (see setChain).
    bool emboldens(layout::FontRole role, int face) const;

    /// The face that draws `cp` in `role`: the first of the role's chain that covers it, or
    /// -1 when no face does (the caller substitutes a visible replacement).
    int faceFor(layout::FontRole role, char32_t cp) const;

private:
    std::vector<FaceSpec> specs_;
    std::vector<std::shared_ptr<const FontFace>> faces_;
    std::array<std::vector<int>, layout::kFontRoleCount> chains_;
    std::array<std::vector<int>, layout::kFontRoleCount> emboldened_;
};

}  // namespace jixiao::pdf
