// Measuring a PDF as a reader sees it: word boxes from `pdftotext -bbox`, full-width rules
// from a 300 dpi grey raster (poppler-utils). Shared by the letter tests.
#pragma once

#include <catch2/catch.hpp>

#include "support.h"

#include <cstdio>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::testing {

struct Word {
    int page = 0;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // mm from the top left corner
    std::string text;
};

inline std::vector<Word> words(const std::string& pdf) {
    const std::string html = capture("pdftotext -bbox " + shellQuote(pdf) + " -");
    std::vector<Word> out;
    const double mm = 25.4 / 72.0;
    int page = -1;  // the part before the first <page> is the header
    std::size_t at = 0;
    static const std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    for (;;) {
        const std::size_t next = html.find("<page ", at);
        const std::size_t end = next == std::string::npos ? html.size() : next;
        const std::string part = html.substr(at, end - at);
        for (std::sregex_iterator it(part.begin(), part.end(), word), stop; it != stop; ++it) {
            out.push_back(Word{page, std::stod((*it)[1]) * mm, std::stod((*it)[2]) * mm, std::stod((*it)[3]) * mm, std::stod((*it)[4]) * mm,
                               (*it)[5]});
        }
        if (next == std::string::npos) break;
        ++page;
        at = next + 1;
    }
    return out;
}

inline const Word& find(const std::vector<Word>& all, const std::string& prefix, int page = -1) {
    for (const Word& w : all) {
        if (w.text.compare(0, prefix.size(), prefix) == 0 && (page < 0 || w.page == page)) return w;
    }
    FAIL("no word starting with " << prefix);
    return all.front();
}

/// The horizontal rules on page `page` (1-based) that run the whole width of the type area
/// (x 28–184 mm): top and bottom edge in mm from the top, from a 300 dpi grey raster.
inline std::vector<std::pair<double, double>> rules(const std::string& pdf, int page) {
    const std::string p = std::to_string(page);
    const std::string pgm = capture("pdftoppm -gray -r 300 -f " + p + " -l " + p + " " + shellQuote(pdf));
    int w = 0, h = 0;
    REQUIRE(std::sscanf(pgm.c_str(), "P5 %d %d 255", &w, &h) == 2);
    const std::size_t header = pgm.find("255\n") + 4;
    REQUIRE(pgm.size() == header + std::size_t(w) * std::size_t(h));
    const double px = 25.4 / 300.0;  // mm per pixel
    const int from = int(28.0 / px) + 2, to = int(184.0 / px) - 2;
    std::vector<std::pair<double, double>> out;
    bool inRule = false;
    for (int y = 0; y < h; ++y) {
        int dark = 0;
        for (int x = from; x < to; ++x) dark += (unsigned char)pgm[header + std::size_t(y) * std::size_t(w) + std::size_t(x)] < 128;
        const bool full = dark == to - from;
        if (full && !inRule) out.push_back({y * px, 0.0});
        if (full) out.back().second = (y + 1) * px;
        inRule = full;
    }
    return out;
}

}  // namespace jixiao::testing
