#include "render/shape.h"

#include "model/text.h"
#include "render/render_error.h"

namespace jixiao::render {

using layout::Align;
using layout::FontRole;
using model::decodeUtf8;

const Shaper::Choice& Shaper::choose(FontRole role, char32_t cp) const {
    const int r = static_cast<int>(role);
    Choice& slot = choices_[(cp ^ (static_cast<char32_t>(r) * 0x9E5u)) % choices_.size()];
    if (slot.role == r && slot.cp == cp) return slot;
    char32_t drawn = cp;
    int face = fonts_.faceFor(role, drawn);
    if (face < 0) {
        drawn = kMissing;
        face = fonts_.faceFor(role, drawn);
    }
    if (face < 0) {
        drawn = U'?';
        face = fonts_.faceFor(role, drawn);
    }
    if (face < 0) {
        throw RenderError("没有一种字体能显示这段文字，也不能显示替代字符");
    }
    slot = Choice{cp, r, drawn, face, fonts_.face(face).advance(drawn)};
    return slot;
}

void Shaper::append(Shaped& out, std::string_view utf8, FontRole role, double sizePt, bool bold) const {
    decodeUtf8(utf8, text_);
    const std::u32string& text = text_;
    // The five arrays grow once per text, not character by character (a table cell's text is
    // shaped into a fresh Shaped).
    const std::size_t need = out.text.size() + text.size();
    if (need > out.text.capacity()) {
        const std::size_t to = std::max(need, 2 * out.text.capacity());
        out.text.reserve(to);
        out.advance.reserve(to);
        out.face.reserve(to);
        out.size.reserve(to);
        out.bold.reserve(to);
    }
    int lastFace = -1;  // the face of the previous character and whether it is emboldened
    bool lastBold = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char32_t cp = text[i];
        if (cp == U'\r') {
            if (i + 1 < text.size() && text[i + 1] == U'\n') continue;
            cp = U'\n';
        }
        if (cp == U'\t') cp = U' ';
        if (cp == U'\n') {
            push(out, cp, -1, sizePt, 0.0, false);
            continue;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF || cp == 0x200B) continue;
        const Choice& choice = choose(role, cp);
        const int face = choice.face;
        if (face != lastFace) {
            lastFace = face;
            lastBold = (bold && !fonts_.spec(face).bold) || fonts_.emboldens(role, face);
        }
        const double adv = choice.advance * sizePt / 1000.0;
        push(out, choice.drawn, face, sizePt, adv, lastBold);
    }
}

// Places line [span) of `shaped` on `page` starting at x, as one run per face, size and
// weight; `spacing` is extra space after each character.
void placeText(PagedPage& page, const Shaped& shaped, const LineSpan& span, double x, double baseline, double spacing,
               std::vector<PagedItem>& into) {
    size_t i = span.begin;
    while (i < span.end) {
        size_t j = i + 1;
        while (j < span.end && shaped.face[j] == shaped.face[i] && shaped.size[j] == shaped.size[i] && shaped.bold[j] == shaped.bold[i]) {
            ++j;
        }
        double width = 0.0;
        for (size_t k = i; k < j; ++k) width += shaped.advance[k] + spacing;
        if (shaped.face[i] >= 0) {
            const std::size_t begin = page.text.size();
            page.text.append(shaped.text, i, j - i);
            into.push_back(PagedText{shaped.face[i], shaped.size[i], x, baseline, spacing, shaped.bold[i] != 0, begin, page.text.size()});
        }
        x += width;
        i = j;
    }
}

LinePlacement placeLine(const LineSpan& span, Align align, double left, double width, double emSize) {
    const double slack = width - span.width;
    switch (align) {
    case Align::Center: return {left + std::max(0.0, slack) / 2.0, 0.0};
    case Align::Right: return {left + std::max(0.0, slack), 0.0};
    case Align::Justify: {
        const size_t count = span.end - span.begin;
        // Spread only moderate gaps: a line cut short by a long word stays ragged rather
        // than letter-spaced beyond recognition.
        if (!span.endsParagraph && count > 1 && slack > 0.0 && slack / static_cast<double>(count - 1) <= 0.5 * emSize) {
            return {left, slack / static_cast<double>(count - 1)};
        }
        return {left, 0.0};
    }
    case Align::Auto:
    case Align::Left: break;
    }
    return {left, 0.0};
}

}  // namespace jixiao::render
