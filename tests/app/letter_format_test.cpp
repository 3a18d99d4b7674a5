// The feedback letter against GB/T 9704-2012 信函格式, measured on the PDF as a reader sees it:
// word boxes from `pdftotext -bbox`, embedded fonts from `pdffonts`, colours from a raster.

#include <catch2/catch.hpp>

#include "pdf_measure.h"
#include "support.h"

#include <Poco/TemporaryFile.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace jixiao::testing;

namespace {

std::size_t chars(const std::string& utf8) {
    std::size_t n = 0;
    for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
    return n;
}

/// The letters of samples/county, rendered once.
const std::string& countyLetters(const std::string& extra) {
    static Poco::TemporaryFile folder;
    static std::string made;
    static const std::string dir = folder.path();
    if (made != extra) {
        std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/county -o " + dir +
                          " --date 2025-03-05 --documents letter " + extra + " >/dev/null 2>&1";
        std::system(("rm -rf " + dir).c_str());
        REQUIRE(std::system(cmd.c_str()) == 0);
        made = extra;
    }
    return dir;
}

/// Whether the first page is red at (x, y) mm: the raster at 72 dpi (1 px ≈ 0.353 mm).
bool redAt(const std::string& pdf, double xMm, double yMm) {
    const std::string ppm = capture("pdftoppm -r 72 -f 1 -l 1 " + shellQuote(pdf));
    REQUIRE(ppm.size() > 100);
    const std::size_t header = ppm.find("255\n") + 4;
    const int x = int(xMm / 25.4 * 72.0), y = int(yMm / 25.4 * 72.0);
    const std::size_t at = header + (std::size_t(y) * 595 + std::size_t(x)) * 3;
    return (unsigned char)ppm[at] > 200 && (unsigned char)ppm[at + 1] < 120;
}

constexpr double kTol = 0.5;                  // mm
constexpr double k3hao = 16.0 * 25.4 / 72.0;  // 3号 character, mm

}  // namespace

TEST_CASE("the feedback letter follows GB/T 9704-2012 信函格式", "[app][letter]") {
    const std::string pdf =
        countyLetters("--issue") + "/208_云溪县住房和城乡建设局/208002_云溪县城市建设综合服务中心_绩效评价结果反馈函.pdf";
    const std::vector<Word> all = words(pdf);
    REQUIRE(all.size() > 20);

    // 版头: the red 发文机关标志 centred on the type area, its top edge 30 mm below the paper's top.
    const Word& mark = find(all, "云溪县财政局", 0);
    CHECK(mark.y0 == Approx(30.0).margin(kTol));
    CHECK((mark.x0 + mark.x1) / 2 == Approx(106.0).margin(kTol));
    // 发文字号 flush right with the type area (210 − 26 mm), its top 7/8 of a 3号 character
    // below the double rule that lies 4 mm under the mark (rule 0.8 + 0.6 + 0.3 mm).
    const Word& number = find(all, "云财绩函〔2025〕", 0);
    CHECK(number.x1 == Approx(184.0).margin(kTol));
    CHECK(number.y0 == Approx(mark.y1 + 4.0 + 1.7 + 7.0 / 8.0 * k3hao).margin(kTol));

    // Title in 2号 (22 pt), centred, broken between words into balanced lines.
    const Word& t1 = find(all, "关于", 0);
    const Word& t2 = find(all, "2024年度", 0);
    CHECK(t1.text == "关于云溪县城市建设综合服务中心");
    CHECK(t2.text == "2024年度绩效评价结果的反馈函");
    CHECK((t1.x0 + t1.x1) / 2 == Approx(106.0).margin(kTol));  // centre of the type area
    CHECK((t2.x0 + t2.x1) / 2 == Approx(106.0).margin(kTol));
    CHECK(std::fabs((t1.x1 - t1.x0) - (t2.x1 - t2.x0)) < 2 * 22.0 * 25.4 / 72.0);

    // 主送机关 flush left, one line below the title.
    const Word& to = find(all, "云溪县城市建设综合服务中心：", 0);
    CHECK(to.x0 == Approx(28.0).margin(kTol));

    // Body: 3号, 28 characters a line filling the 156 mm type area, 22 lines a page.
    const double pitch = 225.0 / 22.0;
    int full = 0;
    for (std::size_t i = 0; i + 1 < all.size(); ++i) {
        const Word& w = all[i];
        if (std::fabs((w.y1 - w.y0) - k3hao) > 0.05 || w.x0 > 28.0 + kTol) continue;
        if (chars(w.text) == 28) {
            ++full;
            CHECK(w.x1 == Approx(184.0).margin(kTol));
            const Word& next = all[i + 1];
            if (next.page == w.page && std::fabs((next.y1 - next.y0) - k3hao) <= 0.05) CHECK(next.y0 - w.y0 == Approx(pitch).margin(0.05));
        }
    }
    CHECK(full >= 2);
    // Page 2's first line sits in the first of the 22 lines below the 37 mm top margin.
    const Word& first2 = find(all, "三、整改要求", 1);
    CHECK((first2.y0 + first2.y1) / 2 == Approx(37.0 + pitch / 2).margin(kTol));

    // 附件说明: one line below the text, two characters in; 落款 four characters from the right.
    const Word& note = find(all, "附件：城市生活垃圾分类处理项目支出绩效自评表", 1);
    CHECK(note.x0 == Approx(28.0 + 2 * 156.0 / 28).margin(kTol));
    const Word& date = find(all, "2025年3月5日", 1);
    CHECK(date.x1 == Approx(184.0 - 4 * k3hao).margin(kTol));

    // 页码 "— 2 —" in 4号, 7 mm below the type area, one character in on the outside edge
    // (even page: left); page 1 has none.
    const Word& dash = find(all, "—", 1);
    CHECK(dash.y0 == Approx(297.0 - 35.0 + 7.0).margin(kTol));
    CHECK(dash.x0 == Approx(28.0 + 14.0 * 25.4 / 72.0).margin(kTol));
    for (const Word& w : all) CHECK_FALSE((w.page == 0 && w.text == "—"));

    // Fonts per role: 仿宋 and 小标宋 fall back to AR PL SungtiL GB (PostScript name
    // BousungEG-Light-GB), 黑体 to LXGW WenKai Bold, 楷体 to AR PL KaitiM GB (GBZenKai-Medium).
    const std::string fonts = capture("pdffonts " + shellQuote(pdf));
    CHECK(fonts.find("+BousungEG-Light-GB") != std::string::npos);
    CHECK(fonts.find("+LXGWWenKai-Bold") != std::string::npos);
    CHECK(fonts.find("+GBZenKai-Medium") != std::string::npos);

    // The mark and the double rules are red.
    CHECK(redAt(pdf, 106.0, mark.y1 + 4.0 + 0.4));
    CHECK(redAt(pdf, 106.0, 297.0 - 20.0 - 0.4));
}

TEST_CASE("preprinted letterhead paper keeps the 版头's space — the 版记 names 抄送 and 印发机关", "[app][letter]") {
    Poco::TemporaryFile folder, db;
    const std::string data = folder.path() + "/county", out = folder.path() + "/out";
    copyCounty(data, R"("版头": "none", "抄送": "县审计局，县发展和改革局", "印发机关": "云溪县财政局办公室")");
    const auto run = runJixiao("run " + data + " -o " + out + " --db " + db.path() + " --date 2025-03-05 --documents letter --issue");
    INFO(run.err);
    REQUIRE(run.code == 0);
    const std::string pdf = out + "/208_云溪县住房和城乡建设局/208002_云溪县城市建设综合服务中心_绩效评价结果反馈函.pdf";
    const std::vector<Word> all = words(pdf);
    REQUIRE(all.size() > 20);

    // Nothing printed above the 发文字号, which stays where the printed 版头 puts it.
    const Word& number = find(all, "云财绩函〔2025〕", 0);
    CHECK(number.y0 == Approx(53.35).margin(kTol));
    CHECK(number.x1 == Approx(184.0).margin(kTol));
    for (const Word& w : all) CHECK_FALSE((w.page == 0 && w.y0 < number.y0 - kTol));
    CHECK_FALSE(redAt(pdf, 106.0, 46.7 + 0.4));
    CHECK_FALSE(redAt(pdf, 106.0, 297.0 - 20.0 - 0.4));

    // 版记 (4号仿宋) at the foot of the last page's type area: 抄送 and the 印发机关 one character
    // in from the left, the 印发日期 one character in from the right.
    const int last = all.back().page;
    const double oneChar = 14.0 * 25.4 / 72.0;
    const Word& copy = find(all, "抄送：县审计局，县发展和改革局。", last);
    CHECK(copy.x0 == Approx(28.0 + oneChar).margin(kTol));
    const Word& printer = find(all, "云溪县财政局办公室", last);
    CHECK(printer.x0 == Approx(28.0 + oneChar).margin(kTol));
    const Word& printed = find(all, "2025年3月5日印发", last);
    CHECK(printed.x1 == Approx(184.0 - oneChar).margin(kTol));
    CHECK(printed.y0 == Approx(printer.y0).margin(0.05));
    CHECK(printer.y0 - copy.y0 == Approx(24.0 * 25.4 / 72.0).margin(0.05));  // 24 pt apart
    CHECK(printed.y1 <= 297.0 - 35.0);
    CHECK(printed.y1 > 297.0 - 35.0 - 24.0 * 25.4 / 72.0);

    // GB/T 9704 7.4.1 separator rules as wide as the type area: a thick one (0.35 mm) over 抄送,
    // a thin one (0.25 mm) between the lines, a thick one on the type area's bottom edge.
    std::vector<std::pair<double, double>> found;  // those of the 版记 (the attached table's are above)
    for (const auto& rule : rules(pdf, last + 1))
        if (rule.second > copy.y0 - 3.0) found.push_back(rule);
    REQUIRE(found.size() == 3);
    const double line = 24.0 * 25.4 / 72.0;
    CHECK(found[0].second - found[0].first == Approx(0.35).margin(0.1));
    CHECK(found[1].second - found[1].first == Approx(0.25).margin(0.1));
    CHECK(found[2].second - found[2].first == Approx(0.35).margin(0.1));
    CHECK(found[2].second == Approx(297.0 - 35.0).margin(0.1));
    CHECK((found[1].first + found[1].second) / 2.0 == Approx(262.0 - line).margin(0.1));
    CHECK(found[0].second == Approx(262.0 - 2.0 * line).margin(0.1));
    CHECK(found[0].second < copy.y0);
    CHECK(copy.y1 < found[1].first);
    CHECK(found[1].second < printer.y0);
    CHECK(printer.y1 < found[2].first);
}

TEST_CASE("版记格式 信函 — the 版记 has 抄送 only and no separator rules (GB/T 9704-2012 10.1)", "[app][letter]") {
    Poco::TemporaryFile folder, db;
    const std::string data = folder.path() + "/county", out = folder.path() + "/out";
    copyCounty(data, R"("抄送": "县审计局，县发展和改革局", "印发机关": "云溪县财政局办公室", "版记格式": "信函")");
    const auto run = runJixiao("run " + data + " -o " + out + " --db " + db.path() + " --date 2025-03-05 --documents letter --issue");
    INFO(run.err);
    REQUIRE(run.code == 0);
    // A 印发机关 the 信函 版记 leaves out is said, not dropped silently.
    CHECK(contains(run.out + run.err,
                   "dataset.json[1] 警告：“版记格式”为“信函”时，反馈函的版记只印抄送（GB/T 9704-2012 10.1），“印发机关”“云溪县财政局办公室”"
                   "和印发日期不会印出。提示：如需印出，请删去 \"版记格式\": \"信函\"；否则删去 \"印发机关\"。\n"));
    const std::string pdf = out + "/208_云溪县住房和城乡建设局/208002_云溪县城市建设综合服务中心_绩效评价结果反馈函.pdf";
    const std::vector<Word> all = words(pdf);
    REQUIRE(all.size() > 20);
    const int last = all.back().page;
    const double oneChar = 14.0 * 25.4 / 72.0, line = 24.0 * 25.4 / 72.0;
    // 抄送 alone, one character in, on the last line of the type area.
    const Word& copy = find(all, "抄送：县审计局，县发展和改革局。", last);
    CHECK(copy.x0 == Approx(28.0 + oneChar).margin(kTol));
    CHECK(copy.y1 <= 262.0);
    CHECK(copy.y0 > 262.0 - line);
    for (const Word& w : all) {
        CHECK_FALSE(contains(w.text, "印发"));
        CHECK_FALSE((w.page == last && w.text == "云溪县财政局办公室"));
    }
    // No rule anywhere near the 版记: those above belong to the attached table.
    for (const auto& rule : rules(pdf, last + 1)) CHECK(rule.second < copy.y0 - 3.0);
}

TEST_CASE("版记格式 accepts 公文 or 信函 only", "[app][letter]") {
    Poco::TemporaryFile folder;
    const std::string data = folder.path() + "/county";
    copyCounty(data, R"("版记格式": "函")");
    const auto check = runJixiao("check " + data);
    CHECK(check.code == 78);  // a configuration error
    CHECK(contains(check.out + check.err,
                   "dataset.json[1] 错误：“版记格式”应为“公文”或“信函”，实际为“函”。提示：例如 \"版记格式\": \"信函\"（只印抄送，"
                   "不加分隔线），或删去此项（按公文格式印分隔线、抄送、印发机关和印发日期）。\n"));
}
