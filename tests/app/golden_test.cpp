// Golden tests: the whole pipeline on samples/tiny with the date pinned, compared by
// structure (text in reading order, page counts, embedded fonts, XLSX cells), not by bytes.
// JIXIAO_UPDATE_GOLDEN=1 rewrites the expected files under tests/golden/; review the diff.

#include <catch2/catch.hpp>
#include "support.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using jixiao::testing::capture;
using jixiao::testing::checkGolden;
using jixiao::testing::shellQuote;
using jixiao::testing::slurp;
using jixiao::testing::write;

/// The run every golden test looks at, made once.
const std::string& tinyRun() {
    // A unique folder per test process: ctest runs the test cases in parallel processes.
    static Poco::TemporaryFile folder;
    static const std::string dir = [] {
        std::string out = folder.path();
        std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/tiny -o " + out +
                          " --date 2025-03-05 --jobs 2 >/dev/null 2>&1";
        int rc = std::system(cmd.c_str());
        REQUIRE(rc == 0);
        return out;
    }();
    return dir;
}

std::string xlsxPart(const std::string& file, const std::string& part) {
    std::ifstream in(file, std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    auto it = archive.findHeader(part);
    if (it == archive.headerEnd()) return {};
    std::ifstream again(file, std::ios::binary);
    Poco::Zip::ZipInputStream zin(again, it->second);
    std::ostringstream s;
    s << zin.rdbuf();
    return s.str();
}

const char* kTable = "/101_青山县民政局/T001_居家养老服务补助_项目支出绩效自评表";

}  // namespace

TEST_CASE("golden: project self-evaluation table text, pages and fonts", "[golden]") {
    std::string pdf = tinyRun() + kTable + ".pdf";
    REQUIRE(Poco::File(pdf).exists());
    checkGolden("T001_table.txt", capture("pdftotext -layout " + shellQuote(pdf) + " -"));
    std::string info = capture("pdfinfo " + shellQuote(pdf));
    CHECK(std::atoi(info.substr(info.find("Pages:") + 6).c_str()) == 1);
    CHECK(info.find("青山县财政局") != std::string::npos);  // Author: the issuing authority
    CHECK(slurp(pdf).find("/CreationDate (D:20250305000000+08'00')") != std::string::npos);
    std::string fonts = capture("pdffonts " + shellQuote(pdf));
    CHECK(fonts.find(" no ") == std::string::npos);  // every font embedded (emb column "yes")
    CHECK(fonts.find("yes") != std::string::npos);
}

TEST_CASE("golden: project self-evaluation workbook cells and formulas", "[golden]") {
    std::string sheet = xlsxPart(tinyRun() + kTable + ".xlsx", "xl/worksheets/sheet1.xml");
    REQUIRE_FALSE(sheet.empty());
    // Cells with their values and formulas, one per line, shared strings resolved, for a
    // readable diff.
    std::vector<std::string> strings;
    std::string shared = xlsxPart(tinyRun() + kTable + ".xlsx", "xl/sharedStrings.xml");
    std::regex si("<si><t[^>]*>(.*?)</t></si>");
    for (auto it = std::sregex_iterator(shared.begin(), shared.end(), si); it != std::sregex_iterator(); ++it)
        strings.push_back((*it)[1].str());
    std::string cells;
    std::regex cell("<c r=\"([A-Z]+[0-9]+)\"([^>]*?)(?:/>|>(.*?)</c>)");
    std::regex value("<v>([0-9]+)</v>");
    for (auto it = std::sregex_iterator(sheet.begin(), sheet.end(), cell); it != std::sregex_iterator(); ++it) {
        std::string body = (*it)[3].str();
        if (body.empty()) continue;
        std::smatch m;
        if ((*it)[2].str().find("t=\"s\"") != std::string::npos && std::regex_search(body, m, value) &&
            std::stoul(m[1].str()) < strings.size())
            body = "\"" + strings[std::stoul(m[1].str())] + "\"";
        cells += (*it)[1].str() + " " + body + "\n";
    }
    checkGolden("T001_table.sheet1.txt", cells);
    CHECK(sheet.find("<f>ROUND(") != std::string::npos);
    CHECK(xlsxPart(tinyRun() + kTable + ".xlsx", "xl/workbook.xml").find("_xlnm.Print_Titles") != std::string::npos);
}

TEST_CASE("golden: self-evaluation report outline and department table", "[golden]") {
    std::string report = tinyRun() + "/101_青山县民政局/T001_居家养老服务补助_绩效自评报告.pdf";
    std::string text = capture("pdftotext " + shellQuote(report) + " -");
    for (const char* heading : {"一、基本情况", "二、绩效目标完成情况", "三、自评结论", "四、存在的问题及原因分析", "五、下一步改进措施",
                                "附：项目支出绩效自评表"}) {
        INFO(heading);
        CHECK(text.find(heading) != std::string::npos);
    }
    std::string outline = capture("pdfinfo -dests " + shellQuote(report) + " 2>/dev/null; pdftk 2>/dev/null");
    checkGolden("T001_report.txt", text);
    std::string dept =
        capture("pdftotext -layout " + shellQuote(tinyRun() + "/101_青山县民政局/101_青山县民政局_部门整体支出绩效自评表.pdf") + " -");
    checkGolden("101_department.txt", dept);
}

namespace {

/// One project with `n` indicators and long analysis texts.
std::string longDataset(const std::string& dir, int n) {
    write(dir + "/dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局"})");
    write(dir + "/单位.csv", "单位编码,单位名称\n101,测试局\n");
    write(dir + "/项目.csv",
          "项目编码,项目名称,单位编码,是否涉密,年度总体目标,总体目标完成情况\n"
          "P060,六十项指标的综合治理项目,101,否,完成全年各项建设任务并通过验收,已完成全年各项建设任务\n");
    write(dir + "/预算执行.csv", "项目编码,全年预算数,全年执行数\nP060,500,480\n");
    std::string rows = "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值,偏差原因分析\n";
    const char* level2[] = {"数量指标", "质量指标", "时效指标", "成本指标"};
    for (int i = 1; i <= n; ++i) {
        std::string reason = i % 3 == 0 ? "受汛期影响，部分工程延期开工，已调整施工计划并加强调度，确保下一年度按期完成全部建设内容" : "";
        rows += "P060,产出指标," + std::string(level2[(i - 1) * 4 / n]) + ",第" + std::to_string(i) + "项建设任务完成数量,≥,100,个,1.5," +
                std::to_string(90 + i % 11) + "," + reason + "\n";
    }
    write(dir + "/绩效指标.csv", rows);
    return dir;
}

}  // namespace

TEST_CASE("a project with 60 indicators and long texts paginates with repeated headers", "[golden]") {
    Poco::TemporaryFile folder, out;
    std::string ds = longDataset(folder.path(), 60);
    std::string cmd = std::string(JIXIAO_BINARY) + " run " + ds + " -o " + out.path() + " --date 2025-03-05 >/dev/null 2>&1";
    int rc = std::system(cmd.c_str());
    INFO("exit status " << rc);
    std::string pdf = out.path() + "/101_测试局/P060_六十项指标的综合治理项目_项目支出绩效自评表.pdf";
    REQUIRE(Poco::File(pdf).exists());
    std::string info = capture("pdfinfo " + shellQuote(pdf));
    int pages = std::atoi(info.substr(info.find("Pages:") + 6).c_str());
    CHECK(pages >= 3);
    for (int p = 1; p <= pages; ++p) {
        std::string text = capture("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) + " " + shellQuote(pdf) + " -");
        INFO("page " << p);
        CHECK(text.find("三级指标") != std::string::npos);  // the header row repeats on every page
        CHECK(text.find("第 " + std::to_string(p) + " 页 共 " + std::to_string(pages) + " 页") != std::string::npos);
    }
    std::string all = capture("pdftotext " + shellQuote(pdf) + " -");
    all.erase(std::remove(all.begin(), all.end(), '\n'), all.end());  // cells wrap their text
    for (int i = 1; i <= 60; ++i) {
        INFO(i);
        CHECK(all.find("第" + std::to_string(i) + "项建设任务完成数量") != std::string::npos);
    }
}

TEST_CASE("an edited template changes the output without rebuilding", "[golden]") {
    Poco::TemporaryFile templates, out;
    std::string src = std::string(JIXIAO_SOURCE_DIR) + "/templates";
    REQUIRE(std::system(("cp -r " + shellQuote(src) + " " + shellQuote(templates.path())).c_str()) == 0);
    std::string layout = templates.path() + "/project-table/layout.json";
    std::string text = slurp(layout);
    auto at = text.find("偏差原因分析及改进措施");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("偏差原因分析及改进措施").size(), "未完成原因及整改计划");
    std::ofstream(layout, std::ios::binary) << text;
    std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/tiny -o " + out.path() + " --templates " +
                      templates.path() + " --date 2025-03-05 >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::string pdf = out.path() + kTable + ".pdf";
    std::string rendered = capture("pdftotext " + shellQuote(pdf) + " -");
    rendered.erase(std::remove(rendered.begin(), rendered.end(), '\n'), rendered.end());
    CHECK(rendered.find("未完成原因及整改计划") != std::string::npos);
    CHECK(rendered.find("偏差原因分析及改进措施") == std::string::npos);
}

TEST_CASE("a template mistake stops the run with file, line and exit 78", "[golden]") {
    Poco::TemporaryFile templates, out;
    std::string src = std::string(JIXIAO_SOURCE_DIR) + "/templates";
    REQUIRE(std::system(("cp -r " + shellQuote(src) + " " + shellQuote(templates.path())).c_str()) == 0);
    std::string report = templates.path() + "/project-report/report.txt";
    std::string text = slurp(report);
    text.replace(text.find("{{project.code}}"), 16, "{{project.cod}}");
    std::ofstream(report, std::ios::binary) << text;
    std::string cmd = std::string(JIXIAO_BINARY) + " run " + JIXIAO_SOURCE_DIR + "/samples/tiny -o " + out.path() + " --templates " +
                      templates.path() + " --date 2025-03-05 2>&1";
    std::string err = capture(cmd + "; echo \"exit=$?\"");
    CHECK(err.find("模板错误：templates/project-report/report.txt:6: 未知字段“project.cod”。是否指“project.code”？") != std::string::npos);
    CHECK(err.find("exit=78") != std::string::npos);
}
