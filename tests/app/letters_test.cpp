#include <catch2/catch.hpp>

#include "pdf_measure.h"
#include "support.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace jixiao::testing;

namespace {

/// Two units whose projects reach a third of their targets (grade 差): each gets a letter.
struct TwoLetterDataset : TinyDataset {
    TwoLetterDataset() {
        write(path() + "/dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局", "文号前缀": "测财绩", "联系处室": "绩效管理股"})");
        write(path() + "/单位.csv", "单位编码,单位名称,主管部门编码\n101,测试局,\n102,测试中心,101\n103,测试站,101\n");
        write(path() + "/项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,102,否\nP002,维修项目,103,否\n");
        write(path() + "/预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,100,40\nP002,100,40\n");
        write(path() + "/绩效指标.csv",
              "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值,偏差原因分析\n"
              "P001,产出指标,数量指标,培训人次,≥,900,人次,50,300,报名不足\n"
              "P001,效益指标,社会效益指标,技能提升率,≥,90,%,30,30%,报名不足\n"
              "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,60%,报名不足\n"
              "P002,产出指标,数量指标,维修面积,≥,100,平方米,50,30,延期\n"
              "P002,效益指标,社会效益指标,使用率,≥,90,%,30,30%,延期\n"
              "P002,满意度指标,服务对象满意度指标,满意度,≥,90,%,10,50%,延期\n");
    }
};

const std::string kFolder = "/101_测试局/";

}  // namespace

TEST_CASE("letters: issue, void, reissue — a voided number stays in the ledger and is never given again", "[app][letter]") {
    TwoLetterDataset ds;
    Poco::TemporaryFile out, db;
    const std::string store = " --db " + db.path();

    auto empty = runJixiao("letters list" + store);
    CHECK(empty.code == 66);  // only a run creates a store
    auto issued = runJixiao("letters issue " + ds.path() + " -o " + out.path() + store + " --date 2025-03-05");
    INFO(issued.err);
    REQUIRE(issued.code == 0);
    CHECK(issued.out ==
          "已发文 测财绩函〔2025〕1号：测试中心，成文日期 2025-03-05，整改期限 2025-04-04\n"
          "已发文 测财绩函〔2025〕2号：测试站，成文日期 2025-03-05，整改期限 2025-04-04\n"
          "已生成 6 个文件到 " +
              out.path() + "（评分项目 2/2 个，部门 0 个）\n");
    // Only the letters: no 自评表 or report.
    const std::string manifest = slurp(out.path() + "/manifest.json");
    CHECK(manifest.find("自评表") == std::string::npos);
    CHECK(capture("pdftotext '" + out.path() + kFolder + "103_测试站_绩效评价结果反馈函.pdf' -").find("测财绩函〔2025〕2号") !=
          std::string::npos);

    auto list = runJixiao("letters list" + store);
    CHECK(list.code == 0);
    CHECK(list.out ==
          "文号                 单位  评价年度  成文日期    整改期限    状态  说明\n"
          "测财绩函〔2025〕1号  102   2024      2025-03-05  2025-04-04  有效\n"
          "测财绩函〔2025〕2号  103   2024      2025-03-05  2025-04-04  有效\n"
          "共 2 份反馈函，其中已作废 0 份。\n");

    auto voided = runJixiao("letters void 测财绩函[2025]2号 --reason 单位名称有误 --date 2025-03-10" + store);
    CHECK(voided.code == 0);
    CHECK(voided.out ==
          "已作废 测财绩函〔2025〕2号（单位 103，成文日期 2025-03-05），作废日期 2025-03-10，原因：单位名称有误。"
          "该文号不再使用；其整改事项不再跟踪。\n"
          "如需改发，请运行 jixiao letters reissue 测财绩函〔2025〕2号 --db " +
              db.path() + "。\n");
    auto twice = runJixiao("letters void 测财绩函〔2025〕2号 --reason 再次 --date 2025-03-11" + store);
    CHECK(twice.code == 65);
    CHECK(twice.err == "错误：反馈函 测财绩函〔2025〕2号 已于 2025-03-10 作废，不能重复作废。\n");
    // Its rectification is no longer tracked, and cannot be reported on.
    CHECK(runJixiao("rectify list" + store).out == "测财绩函〔2025〕1号\t102\t发函 2025-03-05\t期限 2025-04-04\t待整改\n共 1 项。\n");
    auto report = runJixiao("rectify record --letter 测财绩函〔2025〕2号 --date 2025-03-20 --summary 已整改" + store);
    CHECK(report.code == 65);
    CHECK(report.err == "错误：反馈函 测财绩函〔2025〕2号 已于 2025-03-10 作废，其整改不再跟踪。\n");

    // A run does not silently give the voided letter's evaluation a new number: a 草稿, and a note.
    Poco::TemporaryFile out2;
    auto rerun = runJixiao("letters issue " + ds.path() + " -o " + out2.path() + store + " --date 2025-03-11");
    REQUIRE(rerun.code == 0);
    CHECK(rerun.out.find("反馈函 测财绩函〔2025〕2号（测试站）已于 2025-03-10 作废，本次只生成草稿，不发文。"
                         "如需改发，请运行 jixiao letters reissue 测财绩函〔2025〕2号，再运行 jixiao letters issue。\n") !=
          std::string::npos);
    CHECK(rerun.out.find("已发文") == std::string::npos);
    const std::string draft = out2.path() + kFolder + "103_测试站_绩效评价结果反馈函（草稿）.pdf";
    REQUIRE(Poco::File(draft).exists());
    CHECK(capture("pdftotext '" + draft + "' -").find("测财绩函") == std::string::npos);

    auto notVoided = runJixiao("letters reissue 测财绩函〔2025〕1号 --date 2025-03-12" + store);
    CHECK(notVoided.code == 65);
    CHECK(notVoided.err == "错误：反馈函 测财绩函〔2025〕1号 未作废，不能重新发文。如需改发，请先作废它（jixiao letters void）。\n");
    auto early = runJixiao("letters reissue 测财绩函〔2025〕2号 --date 2025-03-09" + store);
    CHECK(early.code == 65);
    CHECK(early.err == "错误：重新发文日期 2025-03-09 早于反馈函 测财绩函〔2025〕2号 的作废日期 2025-03-10。\n");
    auto reissued = runJixiao("letters reissue 测财绩函〔2025〕2号 --date 2025-03-12" + store);
    CHECK(reissued.code == 0);
    // The next number (2 is never reused), the voided letter's 30 days to the deadline.
    CHECK(reissued.out ==
          "已重新发文 测财绩函〔2025〕3号：单位 103，成文日期 2025-03-12，整改期限 2025-04-11。\n"
          "新文号替代已作废的 测财绩函〔2025〕2号。请用同一历史库再运行一次 jixiao letters issue 数据集 -o 输出文件夹，"
          "生成带新文号的反馈函。\n");
    auto again = runJixiao("letters reissue 测财绩函〔2025〕2号 --date 2025-03-13" + store);
    CHECK(again.code == 65);
    CHECK(again.err == "错误：反馈函 测财绩函〔2025〕2号 已重新发文为 测财绩函〔2025〕3号，不能再次重新发文。\n");

    // The next run renders the reissued letter with its own number and date.
    Poco::TemporaryFile out3;
    auto third = runJixiao("letters issue " + ds.path() + " -o " + out3.path() + store + " --date 2025-03-12");
    REQUIRE(third.code == 0);
    const std::string letter3 = capture("pdftotext '" + out3.path() + kFolder + "103_测试站_绩效评价结果反馈函.pdf' -");
    CHECK(letter3.find("测财绩函〔2025〕3号") != std::string::npos);
    CHECK(letter3.find("2025年3月12日") != std::string::npos);

    auto ledger = runJixiao("letters list --year 2025" + store);
    CHECK(ledger.code == 0);
    CHECK(ledger.out ==
          "文号                 单位  评价年度  成文日期    整改期限    状态    说明\n"
          "测财绩函〔2025〕1号  102   2024      2025-03-05  2025-04-04  有效\n"
          "测财绩函〔2025〕2号  103   2024      2025-03-05  2025-04-04  已作废  2025-03-10 作废：单位名称有误；已重新发文为 "
          "测财绩函〔2025〕3号\n"
          "测财绩函〔2025〕3号  103   2024      2025-03-12  2025-04-11  有效    重新发文，替代 测财绩函〔2025〕2号\n"
          "共 3 份反馈函，其中已作废 1 份。\n");
    auto onlyVoided = runJixiao("letters list --status 已作废" + store);
    CHECK(onlyVoided.out ==
          "文号                 单位  评价年度  成文日期    整改期限    状态    说明\n"
          "测财绩函〔2025〕2号  103   2024      2025-03-05  2025-04-04  已作废  2025-03-10 作废：单位名称有误；已重新发文为 "
          "测财绩函〔2025〕3号\n"
          "共 1 份反馈函，其中已作废 1 份。\n");
    CHECK(runJixiao("letters list --year 2026" + store).out == "共 0 份反馈函，其中已作废 0 份。\n");
    auto reportNew = runJixiao("rectify record --letter 测财绩函〔2025〕2号 --date 2025-03-20 --summary 已整改" + store);
    CHECK(reportNew.err ==
          "错误：反馈函 测财绩函〔2025〕2号 已于 2025-03-10 作废，其整改不再跟踪；请改用重新发出的 测财绩函〔2025〕3号。\n");
}

TEST_CASE("letters: usage errors exit 64 and say what is missing", "[app][letter]") {
    Poco::TemporaryFile db;
    auto none = runJixiao("letters");
    CHECK(none.code == 64);
    CHECK(none.err.find("jixiao：letters 需要一个操作：list、issue、void 或 reissue。\n\n用法：") == 0);
    auto bad = runJixiao("letters cancel --db " + db.path());
    CHECK(bad.code == 64);
    CHECK(bad.err == "jixiao：letters 的操作应为 list、issue、void 或 reissue，实际为“cancel”。\n");
    auto noDb = runJixiao("letters list");
    CHECK(noDb.code == 64);
    CHECK(noDb.err == "jixiao：letters list 需要 --db=历史库文件。\n");
    auto noNumber = runJixiao("letters void --db " + db.path() + " --reason x");
    CHECK(noNumber.code == 64);
    CHECK(noNumber.err == "jixiao：letters void 需要 反馈函文号，例如 jixiao letters void 某财绩函〔2025〕3号。\n");
    auto noReason = runJixiao("letters void 某财绩函〔2025〕3号 --db " + db.path());
    CHECK(noReason.code == 64);
    CHECK(noReason.err == "jixiao：letters void 需要 --reason=作废原因。\n");
    auto status = runJixiao("letters list --status 作废 --db " + db.path());
    CHECK(status.code == 64);
    CHECK(status.err == "jixiao：--status 应为“有效”或“已作废”，实际为“作废”。\n");
    auto documents = runJixiao("letters issue x -o y --documents report");
    CHECK(documents.code == 64);
    CHECK(documents.err.find("jixiao：letters issue 只生成反馈函，不能再用 --documents。\n") == 0);
    auto missing = runJixiao("letters void 某财绩函〔2025〕3号 --reason x --db " + db.path() + ".none");
    CHECK(missing.code == 66);
    CHECK(Poco::File(db.path() + ".none").exists() == false);
}

TEST_CASE("letters issue issues a bureau's own letter form (form.json role letter), whatever its folder is called", "[app][letter]") {
    TwoLetterDataset ds;
    Poco::TemporaryFile user, out, db;
    const std::string source = JIXIAO_SOURCE_DIR;
    Poco::File(source + "/templates/feedback-letter").copyTo(user.path() + "/my-letter");
    // The bureau's changes: its own file name and salutation; form.json otherwise as copied.
    auto edit = [](const std::string& path, const std::string& from, const std::string& to) {
        std::string text = slurp(path);
        REQUIRE(text.find(from) != std::string::npos);
        write(path, text.replace(text.find(from), from.size(), to));
    };
    edit(user.path() + "/my-letter/form.json", "_绩效评价结果反馈函", "_整改通知书");
    edit(user.path() + "/my-letter/layout.json", "\"{{unit.name}}：\"", "\"{{unit.name}}（本局格式）：\"");
    auto issued = runJixiao("letters issue " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05 --templates " +
                            user.path());
    INFO(issued.err);
    REQUIRE(issued.code == 0);
    CHECK(issued.out ==
          "已发文 测财绩函〔2025〕1号：测试中心，成文日期 2025-03-05，整改期限 2025-04-04\n"
          "已发文 测财绩函〔2025〕2号：测试站，成文日期 2025-03-05，整改期限 2025-04-04\n"
          "已生成 6 个文件到 " +
              out.path() + "（评分项目 2/2 个，部门 0 个）\n");
    std::vector<std::string> files;
    for (Poco::DirectoryIterator it(out.path() + kFolder), end; it != end; ++it) files.push_back(it.name());
    std::sort(files.begin(), files.end());
    // The bundled letter is not made beside it.
    CHECK(files == std::vector<std::string>{"102_测试中心_整改通知书.docx", "102_测试中心_整改通知书.pdf", "103_测试站_整改通知书.docx",
                                            "103_测试站_整改通知书.pdf"});
    const std::string text = capture("pdftotext '" + out.path() + kFolder + "102_测试中心_整改通知书.pdf' -");
    CHECK(text.find("测试中心（本局格式）：") != std::string::npos);
    CHECK(text.find("测财绩函〔2025〕1号") != std::string::npos);

    // Installed templates without a letter form (role taken out): refused before anything is written.
    Poco::TemporaryFile data, out2;
    Poco::File(source + "/templates").copyTo(data.path() + "/templates");
    std::filesystem::create_directory_symlink(source + "/fonts", data.path() + "/fonts");
    edit(data.path() + "/templates/feedback-letter/form.json", "\"role\": \"letter\",", "");
    auto none = runJixiao("letters issue " + ds.path() + " -o " + out2.path() + " --date 2025-03-05", "JIXIAO_DATA=" + data.path());
    CHECK(none.code == 78);
    CHECK(none.err ==
          "模板错误：templates 中没有反馈函：没有哪张表的 form.json 写了 \"role\": \"letter\"，letters issue 无法发文。"
          "请在反馈函的 form.json 中加上 \"role\": \"letter\"（可参照自带的 templates/feedback-letter/form.json）。\n");
    CHECK_FALSE(Poco::File(out2.path()).exists());
}

TEST_CASE("a re-run into the same folder replaces its 草稿 letters; an issued letter never turns back into one", "[app][letter]") {
    TwoLetterDataset ds;
    Poco::TemporaryFile out, db;
    const std::string args = ds.path() + " -o " + out.path() + " --db " + db.path() + " --documents letter";
    const std::string draft = out.path() + kFolder + "102_测试中心_绩效评价结果反馈函（草稿）";
    const std::string issued = out.path() + kFolder + "102_测试中心_绩效评价结果反馈函";
    REQUIRE(runJixiao("run " + args + ",docx --date 2025-03-01").code == 0);
    REQUIRE(Poco::File(draft + ".pdf").exists());
    REQUIRE(Poco::File(draft + ".docx").exists());
    // The letters issued: their 草稿 files (PDF and DOCX) go, and the run says so.
    auto first = runJixiao("run " + args + ",docx --date 2025-03-05 --issue");
    INFO(first.err);
    REQUIRE(first.code == 0);
    CHECK(first.out.find("已删除上次运行生成、本次已不再生成的 4 个文件：101_测试局/102_测试中心_绩效评价结果反馈函（草稿）.docx、"
                         "101_测试局/102_测试中心_绩效评价结果反馈函（草稿）.pdf、101_测试局/103_测试站_绩效评价结果反馈函（草稿）.docx、"
                         "101_测试局/103_测试站_绩效评价结果反馈函（草稿）.pdf\n") != std::string::npos);
    CHECK_FALSE(Poco::File(draft + ".pdf").exists());
    CHECK_FALSE(Poco::File(draft + ".docx").exists());
    REQUIRE(Poco::File(issued + ".pdf").exists());
    const std::string letter = slurp(issued + ".pdf");
    // A later run without --issue makes the issued letter again as it was issued, not as a
    // 草稿; the folder keeps it, and the DOCX (not made this run) stays too.
    auto plain = runJixiao("run " + args + " --date 2025-06-01");
    INFO(plain.err);
    REQUIRE(plain.code == 0);
    CHECK(plain.out.find("反馈函 测财绩函〔2025〕1号（测试中心）已于 2025-03-05 发出，按原文号、成文日期和整改期限 2025-04-04 "
                         "重新生成，不再出草稿。\n") != std::string::npos);
    CHECK(plain.out.find("已删除") == std::string::npos);
    CHECK(slurp(issued + ".pdf") == letter);
    CHECK(Poco::File(issued + ".docx").exists());
    CHECK_FALSE(Poco::File(draft + ".pdf").exists());
}

namespace {

/// The characters a PDF shows (page `page` only, if given), whitespace left out, in reading
/// order.
std::vector<std::string> characters(const std::string& pdf, int page = 0) {
    const std::string pages = page > 0 ? "-f " + std::to_string(page) + " -l " + std::to_string(page) + " " : std::string();
    const std::string text = capture("pdftotext " + pages + shellQuote(pdf) + " -");
    std::vector<std::string> chars;
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char lead = static_cast<unsigned char>(text[i]);
        const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        std::string c = text.substr(i, n);
        i += n;
        if (c != " " && c != "\n" && c != "\t" && c != "\f" && c != "\u3000") chars.push_back(c);
    }
    return chars;
}

std::string joined(const std::vector<std::string>& chars) {
    std::string out;
    for (const auto& c : chars) out += c;
    return out;
}

/// The same characters sorted: the same text whatever order a tool reads table cells and
/// footers in.
std::string sortedText(const std::string& pdf, int page = 0) {
    std::vector<std::string> chars = characters(pdf, page);
    std::sort(chars.begin(), chars.end());
    return joined(chars);
}

std::string pageCount(const std::string& pdf) {
    const std::string info = capture("pdfinfo '" + pdf + "'");
    const std::size_t at = info.find("Pages:");
    if (at == std::string::npos) return "";
    const std::size_t start = info.find_first_not_of(' ', at + 6);
    return info.substr(start, info.find('\n', start) - start);
}

}  // namespace

TEST_CASE("docx: letters and reports open in LibreOffice with the PDF's pages — the same text on each, the 版记 at the foot",
          "[app][letter][docx]") {
    // One dataset with the 版记 of GB/T 9704 7.4 (rules, 抄送, 印发机关 and 印发日期), one with
    // the 信函格式 版记 of 10.1 (抄送 only).
    TwoLetterDataset ds, strict;
    const std::string config =
        R"("年度": 2024, "发文机关": "测试县财政局", "文号前缀": "测财绩", "联系处室": "绩效管理股", "抄送": "县审计局")";
    write(ds.path() + "/dataset.json", "{" + config + R"(, "印发机关": "测试县财政局办公室"})");
    write(strict.path() + "/dataset.json", "{" + config + R"(, "版记格式": "信函"})");
    Poco::TemporaryFile out, db, strictOut, strictDb, tiny, lo;
    auto letters = runJixiao("letters issue " + ds.path() + " -o " + out.path() + " --db " + db.path() + " --date 2025-03-05");
    INFO(letters.err);
    REQUIRE(letters.code == 0);
    REQUIRE(
        runJixiao("letters issue " + strict.path() + " -o " + strictOut.path() + " --db " + strictDb.path() + " --date 2025-03-05").code ==
        0);
    auto reports = runJixiao("run " + std::string(JIXIAO_SOURCE_DIR) + "/samples/tiny -o " + tiny.path() +
                             " --date 2025-03-05 --documents report,docx");
    REQUIRE(reports.code == 0);
    // samples/county with a 版记: a letter of two pages and an attached table of two.
    Poco::TemporaryFile county, countyDb;
    copyCounty(county.path() + "/data", R"("抄送": "县审计局，县发展和改革局", "印发机关": "云溪县财政局办公室")");
    REQUIRE(runJixiao("run " + county.path() + "/data -o " + county.path() + "/out --db " + countyDb.path() +
                      " --date 2025-03-05 --documents letter,docx --issue")
                .code == 0);
    const std::vector<std::string> stems{
        out.path() + kFolder + "102_测试中心_绩效评价结果反馈函", strictOut.path() + kFolder + "102_测试中心_绩效评价结果反馈函",
        tiny.path() + "/101_青山县民政局/T001_居家养老服务补助_绩效自评报告",
        tiny.path() + "/101_青山县民政局/T003_救助管理信息系统安全保障_绩效自评报告",
        county.path() + "/out/208_云溪县住房和城乡建设局/208002_云溪县城市建设综合服务中心_绩效评价结果反馈函"};
    // The two letters have the same name: the 信函 one is converted from a copy named apart.
    Poco::File(lo.path()).createDirectories();
    std::string files;
    std::vector<std::string> converts;
    for (std::size_t i = 0; i < stems.size(); ++i) {
        REQUIRE(Poco::File(stems[i] + ".docx").exists());
        std::string docx = stems[i] + ".docx";
        if (i == 1) {
            Poco::File(docx).copyTo(lo.path() + "/信函版记.docx");
            docx = lo.path() + "/信函版记.docx";
        }
        files += " " + shellQuote(docx);
        converts.push_back(lo.path() + "/" + Poco::Path(docx).getBaseName() + ".pdf");
    }
    // A private profile: a second soffice would otherwise hand the job to a running one.
    const std::string converted =
        capture("cd '" + lo.path() + "' && HOME='" + lo.path() + "' timeout 300 soffice --headless -env:UserInstallation=file://" +
                lo.path() + "/profile --convert-to pdf --outdir '" + lo.path() + "'" + files + " 2>&1");
    INFO(converted);
    for (std::size_t i = 0; i < stems.size(); ++i) {
        const std::string &pdf = converts[i], ours = stems[i] + ".pdf";
        CAPTURE(stems[i]);
        REQUIRE(Poco::File(pdf).exists());
        const std::string pages = pageCount(ours);
        REQUIRE(pageCount(pdf) == pages);
        REQUIRE(pages != "");
        CHECK(sortedText(pdf) == sortedText(ours));
    }
    // Page by page where LibreOffice's substitutes for the Office fonts (仿宋_GB2312 and the
    // others are not free) break no line elsewhere: the county letter's own pages have the same
    // text in the same order, its attached table pages the same characters (two cells wrap
    // elsewhere). With many figures in a line (the test letters, the reports) a line may break
    // one character earlier, and only the whole text is the same.
    REQUIRE(pageCount(stems.back() + ".pdf") == "4");
    for (int page = 1; page <= 4; ++page) {
        CAPTURE(page);
        const std::string &pdf = converts.back(), ours = stems.back() + ".pdf";
        CHECK(sortedText(pdf, page) == sortedText(ours, page));
        if (page <= 2) CHECK(joined(characters(pdf, page)) == joined(characters(ours, page)));
    }
    // The 版记 at the foot of the last page's type area, where the PDF has it: the lines and the
    // separator rules (GB/T 9704 7.4.1) of the DOCX as LibreOffice draws them.
    const double oneChar = 14.0 * 25.4 / 72.0;
    const int last = std::stoi(pageCount(converts[0]));
    const std::vector<Word> ours = words(stems[0] + ".pdf"), theirs = words(converts[0]);
    const Word& copy = find(ours, "抄送：县审计局。", last - 1);
    const Word& loCopy = find(theirs, "抄送：县审计局。", last - 1);
    CHECK(loCopy.x0 == Approx(28.0 + oneChar).margin(0.5));
    CHECK(loCopy.y0 == Approx(copy.y0).margin(0.5));
    CHECK(find(theirs, "测试县财政局办公室", last - 1).y0 == Approx(find(ours, "测试县财政局办公室", last - 1).y0).margin(0.5));
    CHECK(find(theirs, "日印发", last - 1).x1 == Approx(184.0 - oneChar).margin(0.5));
    auto colophonRules = [&](const std::string& pdf, double above) {
        std::vector<std::pair<double, double>> found;  // those above belong to the attached table
        for (const auto& rule : rules(pdf, last))
            if (rule.second > above - 3.0) found.push_back(rule);
        return found;
    };
    const auto ourRules = colophonRules(stems[0] + ".pdf", copy.y0), loRules = colophonRules(converts[0], loCopy.y0);
    REQUIRE(ourRules.size() == 3);
    REQUIRE(loRules.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        CAPTURE(k);
        CHECK(loRules[k].first == Approx(ourRules[k].first).margin(0.15));
        CHECK(loRules[k].second == Approx(ourRules[k].second).margin(0.15));
    }
    // The 信函 版记: 抄送 alone on the type area's last line, no rules.
    const int strictLast = std::stoi(pageCount(converts[1]));
    const std::vector<Word> strictOurs = words(stems[1] + ".pdf"), strictTheirs = words(converts[1]);
    const Word& strictCopy = find(strictTheirs, "抄送：县审计局。", strictLast - 1);
    CHECK(strictCopy.y0 == Approx(find(strictOurs, "抄送：县审计局。", strictLast - 1).y0).margin(0.5));
    CHECK(strictCopy.y1 <= 262.0 + 0.1);
    CHECK(strictCopy.y0 > 262.0 - 24.0 * 25.4 / 72.0);
    for (const auto& rule : rules(converts[1], strictLast)) CHECK(rule.second < strictCopy.y0 - 3.0);
    for (const Word& w : strictTheirs) CHECK_FALSE(contains(w.text, "印发"));

    // The letter's parts: 版头 in the first page's header, fonts by role, the 28-character
    // grid as character spacing on the 22-line pitch.
    const std::string docx = slurp(stems[0] + ".docx");
    CHECK(docx.find("word/header3.xml") != std::string::npos);
    const std::string document = capture("unzip -p '" + stems[0] + ".docx' word/document.xml");
    CHECK(document.find("<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/>") != std::string::npos);
    CHECK(document.find("<w:titlePg/>") != std::string::npos);
    CHECK(document.find("w:eastAsia=\"仿宋_GB2312\"") != std::string::npos);
    CHECK(document.find("w:eastAsia=\"方正小标宋简体\"") != std::string::npos);
    CHECK(document.find("<w:spacing w:val=\"-5\"/>") != std::string::npos);  // 28 × (16 − 0.25) pt fit 156 mm
    const std::string header = capture("unzip -p '" + stems[0] + ".docx' word/header3.xml");
    CHECK(header.find("<w:color w:val=\"FF0000\"/>") != std::string::npos);
    CHECK(header.find(">测试县财政局</w:t>") != std::string::npos);
    CHECK(header.find("w:val=\"thickThinSmallGap\"") != std::string::npos);
    // Same input and date, same bytes.
    Poco::TemporaryFile again, db2;
    REQUIRE(runJixiao("letters issue " + ds.path() + " -o " + again.path() + " --db " + db2.path() + " --date 2025-03-05").code == 0);
    CHECK(slurp(again.path() + kFolder + "102_测试中心_绩效评价结果反馈函.docx") == docx);
}
