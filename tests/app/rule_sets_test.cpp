// The bundled yitihua-2022 rule set on samples/county, read back from every kind of document:
// the execution-rate cap of 农村公路提质改造 (执行率 72.35%) and the deviation deduction of
// 公共图书馆免费开放 (完成率 137%) must show in results.json, the tables (PDF and XLSX), the
// reports, the letters and the summary workbook, and 结果应用 in the summary and a letter.

#include <catch2/catch.hpp>

#include <Poco/TemporaryFile.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Text without any whitespace, so that a sentence is found however the lines broke.
std::string squeezed(const std::string& text) {
    std::string out;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

/// The text of a PDF in drawing order (a cell's lines stay together), without whitespace.
std::string pdfText(const std::string& path) {
    std::string out;
    FILE* p = ::popen(("pdftotext -raw '" + path + "' - 2>/dev/null").c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    ::pclose(p);
    return squeezed(out);
}

/// The parts of an XLSX file that hold its text and formulas: the workbook, the shared strings
/// (a summary written row by row has none: its strings are inline) and every sheet.
std::string xlsxText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    std::string out;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
        const std::string& part = it->first;
        if (part != "xl/workbook.xml" && part != "xl/sharedStrings.xml" && part.rfind("xl/worksheets/sheet", 0) != 0) continue;
        std::ifstream again(path, std::ios::binary);
        Poco::Zip::ZipInputStream zin(again, it->second);
        std::ostringstream s;
        s << zin.rdbuf();
        out += s.str();
    }
    REQUIRE(out.find("<workbook") != std::string::npos);
    REQUIRE(out.find("<worksheet") != std::string::npos);
    return out;
}

/// The one file under `dir` whose name holds `part` and ends with `suffix`.
std::string fileWith(const std::string& dir, const std::string& part, const std::string& suffix) {
    std::string found;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (name.find(part) == std::string::npos || name.size() < suffix.size() ||
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        REQUIRE(found.empty());
        found = e.path().string();
    }
    INFO(part << " … " << suffix);
    REQUIRE_FALSE(found.empty());
    return found;
}

const std::string& yitihuaRun() {
    static Poco::TemporaryFile folder;
    static const std::string dir = [] {
        std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/county -o " + folder.path() +
                          " --date 2025-03-05 --jobs 2 --rules yitihua-2022 --issue >/dev/null 2>&1";
        REQUIRE(std::system(cmd.c_str()) == 0);
        return folder.path();
    }();
    return dir;
}

const std::string kCap = "预算执行率72.35%，在70%（含）至80%（不含）区间，总分最高89分，复核总分96.41分按封顶分计，扣减7.41分";
const std::string kDeviation =
    "“年接待读者人次”年度指标值≥50000人次，实际完成68500人次，完成率137.00%，达到130%及以上，"
    "属指标偏离（年度指标值设定偏低），扣2.00分，该指标得8.00分";

}  // namespace

TEST_CASE("yitihua-2022 on the county sample: caps and deductions in every document", "[app]") {
    const std::string& dir = yitihuaRun();

    std::string results = slurp(dir + "/results.json");
    CHECK(results.find("\"rule_set\": \"yitihua-2022\"") != std::string::npos);
    CHECK(results.find("\"rule\": \"execution_cap\"") != std::string::npos);
    CHECK(results.find("\"why\": \"" + kCap + "\"") != std::string::npos);
    CHECK(results.find("\"why\": \"" + kDeviation + "\"") != std::string::npos);
    CHECK(results.find("\"uncapped_total\": 96.41") != std::string::npos);
    CHECK(results.find("\"advice\": \"绩效较低，下年度预算从严安排，整改到位前不新增\"") != std::string::npos);

    // Tables: the cap row above the total, the deduction in the 偏差原因 column.
    std::string table = pdfText(fileWith(dir, "XM20402", "_项目支出绩效自评表.pdf"));
    CHECK(table.find("总分封顶（预算执行率72.35%，最高89分）8996.41" + kCap) != std::string::npos);
    CHECK(table.find("总分10089.00自评等级：良") != std::string::npos);
    CHECK(pdfText(fileWith(dir, "XM20701", "_项目支出绩效自评表.pdf")).find("10.008.00" + kDeviation) != std::string::npos);
    std::string sheet = xlsxText(fileWith(dir, "XM20402", "_项目支出绩效自评表.xlsx"));
    CHECK(sheet.find("<f>MIN(G28,F28)</f>") != std::string::npos);
    CHECK(sheet.find(kCap) != std::string::npos);
    CHECK(xlsxText(fileWith(dir, "XM20701", "_项目支出绩效自评表.xlsx")).find(kDeviation) != std::string::npos);

    // Reports.
    std::string report = pdfText(fileWith(dir, "XM20402", "_绩效自评报告.pdf"));
    CHECK(report.find("各项得分合计96.41分，因预算执行率为72.35%，按评分规则总分最高89分，扣减7.41分。") != std::string::npos);
    CHECK(report.find(kCap) != std::string::npos);
    std::string report701 = pdfText(fileWith(dir, "XM20701", "_绩效自评报告.pdf"));
    CHECK(report701.find("“年接待读者人次”完成率137.00%，属指标偏离，扣2.00分。") != std::string::npos);
    CHECK(report701.find(kDeviation) != std::string::npos);

    // Letters: the cap (需整改) and the deduction (需整改) bring a letter; 结果应用 in 整改要求.
    CHECK(pdfText(fileWith(dir, "204_", "_绩效评价结果反馈函.pdf")).find(kCap) != std::string::npos);
    CHECK(pdfText(fileWith(dir, "207001_", "_绩效评价结果反馈函.pdf")).find(kDeviation) != std::string::npos);
    CHECK(pdfText(fileWith(dir, "201_", "_绩效评价结果反馈函.pdf"))
              .find("全民健身场地设施建设，评价等级为“低”：绩效较低，下年度预算从严安排，整改到位前不新增，建议下年度预算压减10%至30%"
                    "（按本年度全年预算255.18万元计，压减25.52万元至76.55万元）。") != std::string::npos);

    // The summary workbook: the 结果应用 sheet and the findings list.
    const std::string summary = xlsxText(fileWith(dir, "年度绩效自评汇总表", ".xlsx"));
    CHECK(summary.find("<sheet name=\"结果应用\"") != std::string::npos);
    CHECK(summary.find("压减50%以上直至取消") != std::string::npos);
    CHECK(summary.find("各部门合计") != std::string::npos);
    CHECK(summary.find(kCap) != std::string::npos);
    CHECK(summary.find(kDeviation) != std::string::npos);
}

TEST_CASE("national-2020 on the county sample has no 结果应用 sheet nor adjustment keys", "[app]") {
    Poco::TemporaryFile out;
    std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/county -o " + out.path() +
                      " --date 2025-03-05 --jobs 2 --documents summary >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::string results = slurp(out.path() + "/results.json");
    CHECK(results.find("adjustments") == std::string::npos);
    CHECK(results.find("result_application") == std::string::npos);
    CHECK(results.find("deduction") == std::string::npos);
    std::string workbook = xlsxText(fileWith(out.path(), "年度绩效自评汇总表", ".xlsx"));
    CHECK(workbook.find("结果应用") == std::string::npos);
}
