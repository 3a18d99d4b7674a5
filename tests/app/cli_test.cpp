#include <catch2/catch.hpp>

#include "support.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

using namespace jixiao::testing;

TEST_CASE("help and version exit 0", "[app]") {
    auto help = runJixiao("--help");
    CHECK(help.code == 0);
    CHECK(help.out.find("用法：jixiao <命令>") == 0);
    auto version = runJixiao("--version");
    CHECK(version.code == 0);
    CHECK(version.out.find("jixiao 0.1.0\n数据文件夹：" + std::string(JIXIAO_SOURCE_DIR) + "\n评分规则：\n  ") == 0);
    CHECK(version.out.find("\n  national-2020  ") != std::string::npos);
    CHECK(version.out.find("\n模板：\n  department-table  ") != std::string::npos);
}

TEST_CASE("the version lists the data folder's rule sets and templates with fingerprints", "[app]") {
    Poco::TemporaryFile data;
    write(data.path() + "/templates/rules/a.json", R"({"name": "a"})");
    write(data.path() + "/templates/letter/layout.json", "{}");
    write(data.path() + "/templates/letter/letter.txt", "x");
    Poco::File(data.path() + "/fonts").createDirectories();
    auto version = runJixiao("--version", "JIXIAO_DATA=" + data.path());
    CHECK(version.code == 0);
    CHECK(version.out == "jixiao 0.1.0\n数据文件夹：" + data.path() + "\n评分规则：\n  a  412ef43e715b\n模板：\n  letter  0bff687b4aee\n");
    auto missing = runJixiao("--version", "JIXIAO_DATA=" + data.path() + "/templates");
    CHECK(missing.code == 0);
    CHECK(missing.out == "jixiao 0.1.0\n环境变量 JIXIAO_DATA 指向的“" + data.path() +
                             "/templates”不是 jixiao 的数据文件夹（其中应有 templates 和 fonts 两个文件夹）。"
                             "请改正 JIXIAO_DATA，或删除它（unset JIXIAO_DATA）以使用安装时自带的数据。\n");
}

TEST_CASE("help names every command and explains each with examples", "[app]") {
    auto overview = runJixiao("help");
    CHECK(overview.code == 0);
    CHECK(overview.out == runJixiao("--help").out);
    for (const std::string command : {"check", "run", "publish", "rectify", "letters"}) {
        CAPTURE(command);
        CHECK(overview.out.find("\n  " + command + " ") != std::string::npos);
        auto help = runJixiao("help " + command);
        CHECK(help.code == 0);
        CHECK(help.out.find("用法：jixiao " + command + " ") == 0);
        CHECK(help.out.find("\n示例：\n  jixiao " + command + " ") != std::string::npos);
        CHECK(runJixiao(command + " --help").out == help.out);
    }
    CHECK(runJixiao("help run")
              .out.find("用法：jixiao run 数据集 -o 输出文件夹\n"
                        "检查、评分并生成全部自评表、自评报告、反馈函、汇总表和 results.json。\n\n选项：\n") == 0);
    auto unknown = runJixiao("help chek");
    CHECK(unknown.code == 64);
    CHECK(unknown.err.find("jixiao：没有命令“chek”。\n\n用法：jixiao <命令>") == 0);
}

TEST_CASE("a program without its data folder says where it looked, in Chinese", "[app]") {
    Poco::TemporaryFile prefix;
    Poco::File(prefix.path() + "/bin").createDirectories();
    Poco::File(JIXIAO_BINARY).copyTo(prefix.path() + "/bin/jixiao");
    TinyDataset ds;
    auto r = runProgram(prefix.path() + "/bin/jixiao", "check " + ds.path(), "env -u JIXIAO_DATA");
    std::string above = Poco::Path(prefix.path()).parent().toString();  // "/tmp/"
    above.pop_back();
    CHECK(r.code == 78);
    CHECK(r.err == "错误：找不到 jixiao 的数据文件夹（模板、字体和评分规则，其中应有 templates 和 fonts 两个文件夹），已查找：“" +
                       prefix.path() + "/share/jixiao”、“" + above +
                       "”。请重新安装 jixiao 软件包，或用环境变量 JIXIAO_DATA 指定数据文件夹，"
                       "例如：JIXIAO_DATA=/usr/share/jixiao jixiao check 数据集文件夹\n");
    auto pointed = runProgram(prefix.path() + "/bin/jixiao", "check " + ds.path(), "JIXIAO_DATA=" + std::string(JIXIAO_SOURCE_DIR));
    CHECK(pointed.code == 0);
    CHECK(pointed.out.empty());  // no problems; the summary is on stderr
}

TEST_CASE("a log file gets every line with its time and level, and quiet keeps only problems", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile log;
    auto checked = runJixiao("--log " + log.path() + " check " + ds.path());
    CHECK(checked.code == 0);
    CHECK(checked.err.find("错误 0 条，警告 0 条\n") != std::string::npos);
    write(ds.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,abc,37.24\n");
    auto failed = runJixiao("check " + ds.path() + " --quiet --log=" + log.path());
    CHECK(failed.code == 65);
    // The problems stay (on stdout, where check prints them); the summary goes.
    CHECK(failed.err.empty());
    CHECK(failed.out.find("错误：") != std::string::npos);

    std::istringstream lines(slurp(log.path()));
    std::vector<std::string> levels, texts;
    const std::regex stamped(R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[(信息|警告|错误)\] (.*)$)");
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        REQUIRE(std::regex_match(line, m, stamped));
        levels.push_back(m[1]);
        texts.push_back(m[2]);
    }
    REQUIRE(texts.size() >= 6);
    CHECK(texts.front() == "开始：jixiao --log " + log.path() + " check " + ds.path());
    CHECK(levels.front() == "信息");
    const auto secondStart = std::find(texts.begin(), texts.end(), "开始：jixiao check " + ds.path() + " --quiet --log=" + log.path());
    REQUIRE(secondStart != texts.end());
    const auto firstEnd = *(secondStart - 1);
    CHECK(std::regex_match(firstEnd, std::regex("结束：退出码 0，用时 [0-9]+\\.[0-9] 秒")));
    CHECK(std::find(texts.begin(), secondStart, "错误 0 条，警告 0 条") != secondStart);
    CHECK(std::regex_match(texts.back(), std::regex("结束：退出码 65，用时 [0-9]+\\.[0-9] 秒")));
    CHECK(levels.back() == "错误");
    // The error the quiet run still showed is in the log, as an error, word for word.
    std::string shown = failed.out.substr(0, failed.out.find('\n'));
    const auto logged = std::find(secondStart, texts.end(), shown);
    REQUIRE(logged != texts.end());
    CHECK(levels[std::size_t(logged - texts.begin())] == "错误");
}

TEST_CASE("a log file that cannot be written exits 73 in Chinese", "[app]") {
    TinyDataset ds;
    auto r = runJixiao("check " + ds.path() + " --log /nonexistent/jixiao.log");
    CHECK(r.code == 73);
    CHECK(r.err ==
          "错误：无法写入日志文件“/nonexistent/jixiao.log”（所在的文件夹不存在）。"
          "请先建好文件夹、给运行 jixiao 的用户写入权限，或用 --log 指定别的文件。\n");
    CHECK(r.out.empty());
}

TEST_CASE("missing fonts are a Chinese error that says what to do", "[app]") {
    TinyDataset ds;
    Poco::TemporaryFile out, fonts;
    fonts.createDirectories();
    auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --fonts " + fonts.path());
    CHECK(r.code == 78);
    CHECK(r.err == "生成 PDF 出错：找不到字体配置文件 " + fonts.path() +
                       "/fonts.json（字体文件夹中应有 fonts.json，见随程序附带的 fonts/README.md）。"
                       "请确认字体文件夹完整（重新安装 jixiao 软件包，或用 --fonts 指定字体文件夹），"
                       "输出文件夹和临时文件夹所在的磁盘有空间；仍然出错时，请把这条信息发给技术支持。\n");
}

TEST_CASE("usage errors exit 64 with a Chinese message", "[app]") {
    auto none = runJixiao("");
    CHECK(none.code == 64);
    CHECK(none.err.find("jixiao：缺少命令。\n") == 0);
    auto unknown = runJixiao("chek x");
    CHECK(unknown.code == 64);
    CHECK(unknown.err.find("jixiao：未知命令“chek”。\n") == 0);
    auto badOption = runJixiao("check --frobnicate x");
    CHECK(badOption.code == 64);
    CHECK(badOption.err.find("jixiao：没有选项“--frobnicate”，可用的选项见下。\n\n用法：jixiao <命令>") == 0);
    auto noValue = runJixiao("run x -o");
    CHECK(noValue.code == 64);
    CHECK(noValue.err.find("jixiao：选项 --output 后面缺少取值。\n\n") == 0);
    auto unwanted = runJixiao("publish x --to y --force=1");
    CHECK(unwanted.code == 64);
    CHECK(unwanted.err.find("jixiao：选项 --force 不带取值，实际写成了“--force=1”。\n\n") == 0);
    auto twice = runJixiao("check x --date 2025-01-01 --date 2025-01-02");
    CHECK(twice.code == 64);
    CHECK(twice.err.find("jixiao：选项 --date 只能写一次。\n\n") == 0);
    auto noOutput = runJixiao("run somewhere");
    CHECK(noOutput.code == 64);
    CHECK(noOutput.err.find("jixiao：run 需要用 -o 指定输出文件夹。\n") == 0);
}

TEST_CASE("a missing dataset exits 66", "[app]") {
    auto r = runJixiao("check /nonexistent/dataset");
    CHECK(r.code == 66);
    CHECK(r.err == "错误：/nonexistent/dataset：数据集文件夹不存在。\n");
    Poco::TemporaryFile empty;
    empty.createDirectories();
    auto noJson = runJixiao("check " + empty.path());
    CHECK(noJson.code == 66);
    CHECK(noJson.err ==
          "错误：" + empty.path() + "：找不到 dataset.json。每个数据集文件夹都需要一个 dataset.json，至少写明“年度”和“发文机关”。\n");
}

TEST_CASE("a dataset.json that is not JSON exits 78", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/dataset.json", "{\"年度\": 2024,");
    auto r = runJixiao("check " + ds.path());
    CHECK(r.code == 78);
    CHECK(r.err == "错误：dataset.json 第1行第13列：此处应为用双引号括起的键名。提示：键名要用半角双引号括起，例如 \"年度\"。\n");
}

TEST_CASE("check prints a summary and exits 0 on a clean dataset", "[app]") {
    TinyDataset ds;
    auto r = runJixiao("check " + ds.path());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(r.err.find("单位 1 个（其中部门 1 个），项目 1 个（其中涉密 0 个），绩效指标 3 条（其中部门整体指标 0 条）\n") !=
          std::string::npos);
    CHECK(r.err.find("错误 0 条") != std::string::npos);
}

TEST_CASE("check reports a bad number with its position and exits 65", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,约30万,37.24\n");
    auto r = runJixiao("check " + ds.path());
    CHECK(r.code == 65);
    // Problems go to stdout, so that `jixiao check 数据 > 问题.txt` keeps them.
    CHECK(r.out.find("预算执行.csv[C2] 错误：第2行“全年预算数”应为数字，实际为“约30万”。"
                     "提示：请只填写数字，如 1234.50；可以带千分位逗号或百分号。\n") != std::string::npos);
}

TEST_CASE("the broken sample reports its 20 deliberate mistakes at their positions", "[app]") {
    auto r = runJixiao(std::string("check ") + JIXIAO_SOURCE_DIR + "/samples/broken");
    CHECK(r.code == 78);  // one of them is in dataset.json: configuration
    CHECK(r.err.find("错误 20 条，警告 0 条\n其中 1 条在 dataset.json 中（配置错误），请先改正 dataset.json。\n") != std::string::npos);
    // One line per mistake of samples/broken/README.md, in its order of files.
    const char* expected[] = {
        "dataset.json[7] 错误：“公开日期”不是有效日期：“2025-13-01”。",
        "单位.csv[A6] 错误：单位编码“301001”重复：第3行已有同一编码。",
        "项目.csv[G3] 错误：第3行“是否涉密”应为“是/否”或“涉密/非密”，实际为“不详”。",
        "项目.csv[H3] 错误：第3行“实施期”的结束年份早于开始年份：“2025-2023”。",
        "项目.csv[B4] 错误：第4行“项目名称”不能为空。",
        "项目.csv[6] 错误：项目“QH005”的单位编码“309”在单位表中不存在。",
        "项目.csv[6] 错误：项目“QH005”在预算执行表中没有数据。",
        "项目.csv[6] 错误：项目“QH005”在绩效指标表中没有指标。",
        "项目.csv[A7] 错误：项目编码“QH001”重复：第2行已有同一编码。",
        "预算执行.csv[E4] 错误：第4行“全年执行数”应为数字，实际为“约35万”。",
        "预算执行.csv[B7] 错误：第7行“资金类别”无法识别：“中央补助资金”。",
        "预算执行.csv[D9] 错误：第9行“全年预算数”不能为负数，实际为“-45.00”。",
        "预算执行.csv[A11] 错误：预算执行表第11行的项目编码“QH009”在项目表中不存在。",
        "绩效指标.xlsx[Sheet1!I3] 错误：第3行“分值”应为数字，实际为“十分”。",
        "绩效指标.xlsx[Sheet1!F4] 错误：第4行“指标性质”无法识别：“约等于”。",
        "绩效指标.xlsx[Sheet1!C7] 错误：第7行“一级指标”为“其他指标”，不是评分规则“national-2020”中的一级指标",
        "绩效指标.xlsx[Sheet1!J34] 错误：第34行“实际完成值”应为定性指标的评价用语，实际为“还行”",
        "绩效指标.xlsx[Sheet1!A38] 错误：绩效指标表第38行的项目编码“QH008”在项目表中不存在。",
        "绩效指标.xlsx[Sheet1!A39] 错误：绩效指标表第39行应填写“项目编码”或“单位编码”中的一个，两者都为空。",
        "部门整体.csv[1] 错误：“部门整体”表缺少必需的列“单位编码”。提示：第A列“单位编”是否指“单位编码”？",
    };
    for (const char* line : expected) {
        INFO(line);
        bool found = r.out.find(std::string("\n") + line) != std::string::npos || r.out.rfind(line, 0) == 0;
        CHECK(found);
    }
    CHECK(r.out.find("部门整体.csv[A1] 说明：无法识别的列名“单位编”，是否指“单位编码”？") != std::string::npos);
}

TEST_CASE("run writes documents, results.json and a manifest, byte-identical twice", "[app]") {
    Poco::TemporaryFile a, b;
    std::string tiny = std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny";
    auto first = runJixiao("run " + tiny + " -o " + a.path() + " --date 2025-03-05 --jobs 2");
    INFO(first.err);
    REQUIRE(first.code == 0);
    auto second = runJixiao("run " + tiny + " -o " + b.path() + " --date 2025-03-05 --jobs 1");
    REQUIRE(second.code == 0);
    std::string manifest = slurp(a.path() + "/manifest.json");
    CHECK(manifest == slurp(b.path() + "/manifest.json"));
    CHECK(manifest.find("\"path\": \"results.json\"") != std::string::npos);
    CHECK(manifest.find("项目支出绩效自评表.pdf") != std::string::npos);
    CHECK(manifest.find("项目支出绩效自评表.xlsx") != std::string::npos);
    CHECK(manifest.find("绩效自评报告.pdf") != std::string::npos);
    CHECK(manifest.find("部门整体支出绩效自评表.pdf") != std::string::npos);
    CHECK(manifest.find("年度绩效自评汇总表.xlsx") != std::string::npos);
    CHECK(slurp(a.path() + "/results.json").find("\"year\": 2024") != std::string::npos);
}

TEST_CASE("run makes the same summary alongside the documents as alone", "[app]") {
    // samples/county has projects enough for the summary to begin before the last documents
    // render; with --documents summary no document is made beside it.
    Poco::TemporaryFile all, alone;
    const std::string county = std::string(JIXIAO_SOURCE_DIR) + "/samples/county";
    auto full = runJixiao("run " + county + " -o " + all.path() + " --date 2025-03-05 --jobs 2");
    INFO(full.err);
    REQUIRE(full.code == 0);
    auto summary = runJixiao("run " + county + " -o " + alone.path() + " --date 2025-03-05 --jobs 1 --documents summary");
    INFO(summary.err);
    REQUIRE(summary.code == 0);
    const std::string workbook = "/2024年度绩效自评汇总表.xlsx";
    const std::string made = slurp(all.path() + workbook);
    CHECK(made.size() > 10000);
    CHECK(made == slurp(alone.path() + workbook));
    const std::string manifest = slurp(alone.path() + "/manifest.json");
    CHECK(manifest.find("项目支出绩效自评表") == std::string::npos);
}

TEST_CASE("run refuses a bad date and a bad job count", "[app]") {
    auto date = runJixiao("run x -o y --date 2025-02-30");
    CHECK(date.code == 64);
    CHECK(date.err.find("jixiao：--date 应为 YYYY-MM-DD 格式的日期，实际为“2025-02-30”。\n") == 0);
    auto jobs = runJixiao("run x -o y --jobs 0");
    CHECK(jobs.code == 64);
    CHECK(jobs.err.find("jixiao：--jobs 应为1到256之间的整数，实际为“0”。\n") == 0);
}

TEST_CASE("letters are numbered once and rectification is tracked until closed", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局", "文号前缀": "测财绩", "联系处室": "绩效管理股"})");
    write(ds.path() + "/单位.csv", "单位编码,单位名称,主管部门编码\n101,测试局,\n102,测试中心,101\n");
    write(ds.path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,102,否\nP002,维修项目,101,否\n");
    write(ds.path() + "/预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,100,40\nP002,100,99\n");
    // P001 reaches a third of its target: grade 差, so unit 102 gets a letter; P002 is 优.
    write(ds.path() + "/绩效指标.csv",
          "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值,偏差原因分析\n"
          "P001,产出指标,数量指标,培训人次,≥,900,人次,50,300,报名不足\n"
          "P001,效益指标,社会效益指标,技能提升率,≥,90,%,30,30%,报名不足\n"
          "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,60%,报名不足\n"
          "P002,产出指标,数量指标,维修面积,≥,100,平方米,50,100,\n"
          "P002,效益指标,社会效益指标,使用率,≥,90,%,30,95%,\n"
          "P002,满意度指标,服务对象满意度指标,满意度,≥,90,%,10,95%,\n");
    Poco::TemporaryFile out0, out1, out2, db;
    // Without --issue: a 草稿, watermarked, without a number, and nothing stored.
    auto draft = runJixiao("run " + ds.path() + " -o " + out0.path() + " --db " + db.path() + " --date 2025-03-01");
    INFO(draft.err);
    REQUIRE(draft.code == 0);
    CHECK(draft.out.find("已生成 1 份反馈函草稿（带“草稿”水印，未取文号）。核对无误后加 --issue 重新运行即正式发文。\n") !=
          std::string::npos);
    const std::string draftPdf = out0.path() + "/101_测试局/102_测试中心_绩效评价结果反馈函（草稿）.pdf";
    REQUIRE(Poco::File(draftPdf).exists());
    const std::string draftText = capture("pdftotext '" + draftPdf + "' -");
    CHECK(draftText.find("测财绩函") == std::string::npos);
    // The watermark is diagonal (pdftotext leaves such text out): light grey on the raster.
    auto greyPixels = [](const std::string& pdf) {
        const std::string ppm = capture("pdftoppm -r 20 -f 1 -l 1 -gray '" + pdf + "'");
        const std::size_t header = ppm.find("255\n") + 4;
        int n = 0;
        for (std::size_t i = header; i < ppm.size(); ++i) n += (unsigned char)ppm[i] >= 200 && (unsigned char)ppm[i] <= 232;
        return n;
    };
    const int draftGrey = greyPixels(draftPdf);
    CHECK(runJixiao("rectify list --db " + db.path()).out == "共 0 项。\n");

    auto first = runJixiao("run " + ds.path() + " -o " + out1.path() + " --db " + db.path() + " --date 2025-03-05 --issue");
    INFO(first.err);
    REQUIRE(first.code == 0);
    CHECK(first.out.find("已发文 测财绩函〔2025〕1号：测试中心，成文日期 2025-03-05，整改期限 2025-04-04\n") != std::string::npos);
    std::string manifest = slurp(out1.path() + "/manifest.json");
    CHECK(manifest.find("102_测试中心_绩效评价结果反馈函.pdf") != std::string::npos);
    CHECK(manifest.find("101_测试局_绩效评价结果反馈函.pdf") == std::string::npos);
    const std::string issuedText = capture("pdftotext '" + out1.path() + "/101_测试局/102_测试中心_绩效评价结果反馈函.pdf' -");
    CHECK(issuedText.find("测财绩函〔2025〕1号") != std::string::npos);
    CHECK(draftGrey > greyPixels(out1.path() + "/101_测试局/102_测试中心_绩效评价结果反馈函.pdf") + 200);
    // A later re-run keeps the letter's number, date and deadline, and says so.
    auto second = runJixiao("run " + ds.path() + " -o " + out2.path() + " --db " + db.path() + " --date 2025-06-01 --issue");
    REQUIRE(second.code == 0);
    CHECK(second.out.find("反馈函 测财绩函〔2025〕1号（测试中心）已于 2025-03-05 发出，沿用原成文日期和整改期限 2025-04-04，"
                          "不采用本次的日期 2025-06-01。已发出的反馈函文号和日期不会改变。\n") != std::string::npos);
    std::string letter1 = slurp(out1.path() + "/101_测试局/102_测试中心_绩效评价结果反馈函.pdf");
    CHECK(letter1 == slurp(out2.path() + "/101_测试局/102_测试中心_绩效评价结果反馈函.pdf"));

    auto list = runJixiao("rectify list --db " + db.path());
    CHECK(list.code == 0);
    CHECK(list.out == "测财绩函〔2025〕1号\t102\t发函 2025-03-05\t期限 2025-04-04\t待整改\n共 1 项。\n");
    auto overdue = runJixiao("rectify overdue --db " + db.path() + " --date 2025-04-05");
    CHECK(overdue.code == 1);
    CHECK(overdue.out.find("截至 2025-04-05，逾期未整改 1 项。") != std::string::npos);
    auto record =
        runJixiao("rectify record --db " + db.path() + " --letter 测财绩函〔2025〕1号 --date 2025-04-01 --summary 已调整培训计划");
    CHECK(record.code == 0);
    CHECK(record.out == "测财绩函〔2025〕1号\t102\t发函 2025-03-05\t期限 2025-04-04\t已报送\t报送 2025-04-01：已调整培训计划\n");
    auto close = runJixiao("rectify close --db " + db.path() + " --letter 测财绩函〔2025〕1号 --date 2025-04-20 --summary 整改到位");
    CHECK(close.code == 0);
    CHECK(close.out.find("已销号") != std::string::npos);
    auto none = runJixiao("rectify overdue --db " + db.path() + " --date 2025-05-01");
    CHECK(none.code == 0);
    auto bad = runJixiao("rectify list --db " + db.path() + " --status 完成");
    CHECK(bad.code == 64);
    CHECK(bad.err == "jixiao：--status 应为“待整改”“已报送”或“已销号”，实际为“完成”。\n");
}

TEST_CASE("run with --documents renders only the documents asked for", "[app]") {
    Poco::TemporaryFile out;
    std::string tiny = std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny";
    auto r = runJixiao("run " + tiny + " -o " + out.path() + " --date 2025-03-05 --documents table-pdf,summary");
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string manifest = slurp(out.path() + "/manifest.json");
    CHECK(manifest.find("项目支出绩效自评表.pdf") != std::string::npos);
    CHECK(manifest.find("年度绩效自评汇总表.xlsx") != std::string::npos);
    CHECK(manifest.find("项目支出绩效自评表.xlsx") == std::string::npos);
    CHECK(manifest.find("绩效自评报告") == std::string::npos);
    CHECK(manifest.find("部门整体") == std::string::npos);
    CHECK(manifest.find("results.json") != std::string::npos);
    auto bad = runJixiao("run " + tiny + " -o " + out.path() + " --documents pdf");
    CHECK(bad.code == 64);
    CHECK(bad.err ==
          "jixiao：--documents 中的“pdf”不是 templates 下的表。可用：department-table、feedback-letter、project-report、"
          "project-table、summary，可加 -pdf、-xlsx 或 -docx 只生成一种格式，写 docx 另存可编辑的 DOCX，或写 all。\n");
}

TEST_CASE("run with --formats writes the formats asked for", "[app]") {
    Poco::TemporaryFile out;
    std::string tiny = std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny";
    auto r = runJixiao("run " + tiny + " -o " + out.path() + " --date 2025-03-05 --documents table-pdf,department --formats ofd,xlsx");
    INFO(r.err);
    REQUIRE(r.code == 0);
    std::string manifest = slurp(out.path() + "/manifest.json");
    CHECK(manifest.find("项目支出绩效自评表.ofd") != std::string::npos);
    CHECK(manifest.find("部门整体支出绩效自评表.ofd") != std::string::npos);
    CHECK(manifest.find("部门整体支出绩效自评表.xlsx") != std::string::npos);
    CHECK(manifest.find(".pdf") == std::string::npos);
    // table-pdf asks for the table, not its workbook: no project table XLSX.
    CHECK(manifest.find("项目支出绩效自评表.xlsx") == std::string::npos);
    auto bad = runJixiao("run " + tiny + " -o " + out.path() + " --formats pdf,docx");
    CHECK(bad.code == 64);
    CHECK(bad.err.find("jixiao：--formats 应为 pdf、xlsx、ofd 中的一个或几个，逗号分隔，实际为“pdf,docx”。\n") == 0);
}

TEST_CASE("a project's documents do not change when another project's data does", "[app]") {
    // Fonts are subset per document, starting with the characters of each form's fixed text
    // (the glyph prefix), never with another project's: so unchanged projects keep their
    // checksums when a colleague's project is corrected and the batch is run again.
    auto fill = [](const TinyDataset& d, const std::string& otherName, const std::string& otherIndicator) {
        write(d.path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,101,否\nP002," + otherName + ",101,否\n");
        write(d.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,43.2,37.24\nP002,10,12,11.5\n");
        write(d.path() + "/绩效指标.csv",
              "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
              "P001,产出指标,数量指标,培训人次,≥,735,人次,50,700\n"
              "P001,效益指标,社会效益指标,技能提升,定性,明显提升,,30,达成\n"
              "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,95%\n"
              "P002,产出指标,数量指标," +
                  otherIndicator + ",≥,12,个,90,12\n");
    };
    const TinyDataset before, after;
    fill(before, "乡村道路养护", "养护里程");
    fill(after, "河湖清淤整治工程", "清淤河道数量");
    Poco::TemporaryFile a, b;
    REQUIRE(runJixiao("run " + before.path() + " -o " + a.path() + " --date 2025-03-05 --documents table-pdf,report").code == 0);
    REQUIRE(runJixiao("run " + after.path() + " -o " + b.path() + " --date 2025-03-05 --documents table-pdf,report").code == 0);
    int compared = 0;
    for (const char* doc : {"项目支出绩效自评表.pdf", "绩效自评报告.pdf"}) {
        Poco::File folder(a.path() + "/101_测试局");
        std::vector<std::string> names;
        folder.list(names);
        for (const std::string& name : names) {
            if (name.rfind("P001", 0) != 0 || name.find(doc) == std::string::npos) continue;
            INFO(name);
            const std::string first = slurp(a.path() + "/101_测试局/" + name);
            CHECK(!first.empty());
            CHECK(first == slurp(b.path() + "/101_测试局/" + name));
            ++compared;
        }
    }
    CHECK(compared == 2);
}

TEST_CASE("check --problems writes the problem list: 全部 and a sheet per department", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,约30万,37.24\n");
    Poco::TemporaryFile out;
    const std::string xlsx = out.path() + ".xlsx";
    auto r = runJixiao("check " + ds.path() + " --problems " + xlsx + " --date 2025-03-05");
    INFO(r.err);
    CHECK(r.code == 65);
    CHECK(r.err.find("问题清单已写出到 " + xlsx + "（2 条）\n") != std::string::npos);
    // The parts of the workbook as text: its sheets by name, and every cell's string.
    std::ifstream in(xlsx, std::ios::binary);
    Poco::Zip::ZipArchive archive(in);
    auto part = [&](const std::string& name) {
        std::ifstream again(xlsx, std::ios::binary);
        auto header = archive.findHeader(name);
        REQUIRE(header != archive.headerEnd());
        Poco::Zip::ZipInputStream zin(again, header->second);
        std::ostringstream text;
        text << zin.rdbuf();
        return text.str();
    };
    const std::string workbook = part("xl/workbook.xml");
    CHECK(workbook.find("name=\"全部\"") != std::string::npos);
    CHECK(workbook.find("name=\"101测试局\"") != std::string::npos);
    const std::string strings = part("xl/sharedStrings.xml");
    for (const char* text :
         {"文件", "工作表", "单元格", "行", "列", "取值", "类别", "问题", "如何修改", "预算执行.csv", "C2", "全年预算数", "约30万", "错误",
          "第2行“全年预算数”应为数字，实际为“约30万”。", "请只填写数字，如 1234.50；可以带千分位逗号或百分号。"}) {
        INFO(text);
        CHECK(strings.find(std::string(">") + text + "<") != std::string::npos);
    }
    Poco::File(xlsx).remove();
}

TEST_CASE("run with every project in error reports the data errors and exits 65", "[app]") {
    TinyDataset ds;
    write(ds.path() + "/预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,约30万,37.24\n");
    Poco::TemporaryFile out;
    auto r = runJixiao("run " + ds.path() + " -o " + out.path() + " --date 2025-03-05");
    CHECK(r.code == 65);
    CHECK(r.err ==
          "预算执行.csv[C2] 错误：第2行“全年预算数”应为数字，实际为“约30万”。提示：请只填写数字，如 1234.50；可以带千分位逗号或百分号。\n"
          "项目.csv[2] 错误：项目“P001”在预算执行表中没有数据。提示：每个项目至少需要一行预算执行数据（年度资金总额）。\n"
          "错误：数据有 2 条错误，没有一个项目可以评分，未生成文件。请按上面的提示修改后重新运行。\n");
}

TEST_CASE("init writes a dataset.json from what the exports show, and lists what is left", "[app]") {
    Poco::TemporaryFile dir;
    write(dir.path() + "/a_单位.csv", "2024年度单位信息\n预算单位代码,预算单位名称,上级单位编码\n101,测试局,\n");
    write(dir.path() + "/b_项目.csv", "项目代码,项目名称,预算单位代码,项目期限\nP001,培训项目,101,2024\n");
    write(dir.path() + "/c_执行.csv", "项目代码,预算数(元),支出数(元)\nP001,432000,372400\n");
    write(dir.path() + "/d_指标.csv",
          "项目代码,一级指标,二级指标,指标名称,指标方向,指标值,计量单位,指标权重,实际值,备注\n"
          "P001,产出指标,数量指标,培训人次,≥,735,人次,90,700,\n");
    write(dir.path() + "/e_部门.csv", "单位编码,年份,预算数,执行数\n101,2024,500,480\n");
    auto r = runJixiao("init " + dir.path());
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(slurp(dir.path() + "/dataset.json") ==
          "{\n"
          "  \"年度\": 2024,\n"
          "  \"发文机关\": \"\",\n"
          "  \"金额单位\": {\n    \"预算执行\": \"元\"\n  },\n"
          "  \"files\": {\n    \"单位\": \"a_单位.csv\",\n    \"项目\": \"b_项目.csv\",\n    \"预算执行\": \"c_执行.csv\",\n"
          "    \"绩效指标\": \"d_指标.csv\",\n    \"部门整体\": \"e_部门.csv\"\n  },\n"
          "  \"columns\": {\n"
          "    \"单位\": {\"上级单位编码\": \"主管部门编码\", \"预算单位代码\": \"单位编码\", \"预算单位名称\": \"单位名称\"},\n"
          "    \"项目\": {\"项目代码\": \"项目编码\", \"项目期限\": \"实施期\", \"预算单位代码\": \"单位编码\"},\n"
          "    \"预算执行\": {\"支出数(元)\": \"全年执行数\", \"项目代码\": \"项目编码\", \"预算数(元)\": \"全年预算数\"},\n"
          "    \"绩效指标\": {\"实际值\": \"实际完成值\", \"指标值\": \"年度指标值\", \"指标名称\": \"三级指标\", "
          "\"指标方向\": \"指标性质\", \"指标权重\": \"分值\", \"项目代码\": \"项目编码\"},\n"
          "    \"部门整体\": {\"年份\": \"年度\"}\n"
          "  }\n"
          "}\n");
    CHECK(r.out ==
          "已写出 " + dir.path() +
              "/dataset.json。识别出的表：\n"
              "  单位：a_单位.csv\n  项目：b_项目.csv\n  预算执行：c_执行.csv\n  绩效指标：d_指标.csv\n  部门整体：e_部门.csv\n"
              "还需确认或修改（4 项）：\n"
              "  “部门整体”表的金额列没有注明单位，将按万元读取；如为元，请在 dataset.json 中写 \"金额单位\": {\"部门整体\": \"元\"}，"
              "或在列名中注明，如“全年预算数（元）”。\n"
              "  “发文机关”：请填写反馈函的落款单位，如 \"发文机关\": \"某某县财政局\"。\n"
              "  b_项目.csv 错误：“项目”表没有“是否涉密”列，无法判断哪些项目涉密，不能公开任何项目。"
              "提示：请在 b_项目.csv 中增加“是否涉密”列（也可写作“密级”），对每个项目填写“是”或“否”。\n"
              "  d_指标.csv[J1] 说明：无法识别的列名“备注”，该列将被忽略。\n");
    // What init wrote reads back; 发文机关 is left to fill in (a configuration error: 78).
    auto check = runJixiao("check " + dir.path());
    CHECK(check.code == 78);
    CHECK(check.out.find("dataset.json[3] 错误：缺少必填项“发文机关”。") != std::string::npos);

    auto again = runJixiao("init " + dir.path());
    CHECK(again.code == 73);
    CHECK(again.err == "错误：" + dir.path() + "/dataset.json 已存在，未覆盖。如需重新生成，请先把它改名。\n");
}
