#pragma once

// Internal to render/: text shaped in the faces of a FontSet and placed on a page, shared by
// the flow paginator (paginate.cpp) and the Excel form grid (grid_pdf.cpp).

#include "layout/document.h"
#include "pdf/fonts.h"
#include "render/line_break.h"
#include "render/paged.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::render {

// The ideographic em box: CJK faces put the top of the box 0.88 em above the baseline and
// the bottom 0.12 em below. Using one constant for every face keeps the baselines of
// fallback faces (which report different ascenders) on one line.
inline constexpr double kEmBoxTop = 0.88;
inline constexpr char32_t kMissing = 0x25A1;  // □, the customary stand-in for a missing character

// Text prepared for layout: code points with their face, size, weight and advance.
struct Shaped {
    std::u32string text;
    std::vector<double> advance;  // points
    std::vector<int> face;
    std::vector<double> size;
    std::vector<char> bold;  // synthetic emboldening needed

    /// Empty again, keeping the arrays' room for the next texts.
    void clear() {
        text.clear();
        advance.clear();
        face.clear();
        size.clear();
        bold.clear();
    }

    double maxSize(size_t begin, size_t end, double fallback) const {
        double m = 0.0;
        for (size_t i = begin; i < end; ++i) m = std::max(m, size[i]);
        return m > 0.0 ? m : fallback;
    }
};

class Shaper {
public:
    explicit Shaper(const pdf::FontSet& fonts) : fonts_(fonts) {}

    /// Appends `utf8` in `role` at `sizePt`: per character the first face of the role that
    /// covers it (□ or ? when none does; RenderError when not even those can be drawn).
    /// One Shaper serves one document on one thread: it keeps what it looked up.
    void append(Shaped& out, std::string_view utf8, layout::FontRole role, double sizePt, bool bold) const;

    const pdf::FontSet& fonts() const { return fonts_; }

private:
    static void push(Shaped& out, char32_t cp, int face, double size, double adv, bool bold) {
        out.text.push_back(cp);
        out.face.push_back(face);
        out.size.push_back(size);
        out.advance.push_back(adv);
        out.bold.push_back(bold ? 1 : 0);
    }

    // What a character becomes in a role: the character drawn (□ or ? stand in for one no face
    // covers), its face and its advance in 1/1000 em. A document draws a few hundred distinct
    // characters, so a small direct-mapped table answers most lookups at once (the role's face
    // chain and the face's cmap and metrics were ~65 instructions a character).
    struct Choice {
        char32_t cp = 0;
        int role = -1;  // -1: empty
        char32_t drawn = 0;
        int face = -1;
        int advance = 0;
    };
    const Choice& choose(layout::FontRole role, char32_t cp) const;

    const pdf::FontSet& fonts_;
    mutable std::array<Choice, 1024> choices_{};
    mutable std::u32string text_;  // the text being appended, decoded (reused)
};

// Places line [span) of `shaped` on `page` starting at x, as one run per face, size and
// weight; `spacing` is extra space after each character.
void placeText(PagedPage& page, const Shaped& shaped, const LineSpan& span, double x, double baseline, double spacing,
               std::vector<PagedItem>& into);

// Where a line starts and how much extra space goes after each character.
struct LinePlacement {
    double x = 0.0;
    double spacing = 0.0;
};

LinePlacement placeLine(const LineSpan& span, layout::Align align, double left, double width, double emSize);

}  // namespace jixiao::render
