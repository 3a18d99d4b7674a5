#include "pdf/fonts.h"

#include "pdf/pdf_error.h"

#include <utility>

namespace jixiao::pdf {

namespace {

size_t slot(layout::FontRole role) { return static_cast<size_t>(role); }

} // namespace

FontSet FontSet::bundled(const std::string& fontsDir) {
    const std::string dir = fontsDir.empty() || fontsDir.back() == '/' ? fontsDir : fontsDir + "/";
    FontSet set;
    // Index 0 of uming.ttc is the CN (simplified) cut; HK/TW/TW MBE follow.
    const int ming = set.addFace(FaceSpec{"AR PL UMing CN", dir + "uming.ttc", 0, false});
    const int kai = set.addFace(FaceSpec{"LXGW WenKai", dir + "LXGWWenKai-Regular.ttf", 0, false});
    const int bold = set.addFace(FaceSpec{"LXGW WenKai Bold", dir + "LXGWWenKai-Bold.ttf", 0, true});
    set.setChain(layout::FontRole::Body, {ming, kai, bold});
    set.setChain(layout::FontRole::Kai, {kai, ming, bold});
    set.setChain(layout::FontRole::Heading, {bold, kai, ming});
    set.setChain(layout::FontRole::Title, {bold, kai, ming});
    return set;
}

int FontSet::addFace(FaceSpec spec) {
    faces_.push_back(FontFace::load(spec.path, spec.index));
    specs_.push_back(std::move(spec));
    return static_cast<int>(specs_.size()) - 1;
}

void FontSet::setChain(layout::FontRole role, std::vector<int> faces) {
    for (int f : faces) {
        if (f < 0 || f >= faceCount()) throw PdfError("font chain names an unknown face");
    }
    chains_.at(slot(role)) = std::move(faces);
}

const std::vector<int>& FontSet::chain(layout::FontRole role) const {
    return chains_.at(slot(role));
}

int FontSet::faceFor(layout::FontRole role, char32_t cp) const {
    for (int f : chain(role)) {
        if (faces_[static_cast<size_t>(f)]->covers(cp)) return f;
    }
    return -1;
}

} // namespace jixiao::pdf
