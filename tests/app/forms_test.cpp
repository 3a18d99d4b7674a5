// Forms as folders (issue 16): a user's templates folder, --documents by folder name,
// `check --templates`, and the recipe of templates/README.md run as written.

#include "support.h"
#include "layout/excel_test_book.h"

#include <Poco/DirectoryIterator.h>

#include <regex>

using namespace jixiao::testing;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

std::vector<std::string> filesUnder(const std::string& dir) {
    std::vector<std::string> out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
        if (it->isDirectory())
            for (const auto& f : filesUnder(it->path())) out.push_back(it.name() + "/" + f);
        else if (it.name().size() < 5 || it.name().compare(it.name().size() - 5, 5, ".lock") != 0)
            out.push_back(it.name());  // the run's lock files left out
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// A 表样.xlsx: 项目名称 and its value, then a row per indicator: its 三级指标 and `field`.
std::string indicatorBook(const std::string& field) {
    ::jixiao::testing::TestBook b;
    worksheet_write_string(b.sheet, 0, 0, "项目名称", nullptr);
    worksheet_write_string(b.sheet, 0, 1, "{{项目名称}}", nullptr);
    worksheet_write_string(b.sheet, 1, 0, "{{#each 指标}}{{三级指标}}", nullptr);
    worksheet_write_string(b.sheet, 1, 1, ("{{" + field + "}}{{/each}}").c_str(), nullptr);
    return b.bytes();
}

/// The form.json of "excel-table" making `formats` (a JSON list).
std::string excelTableForm(const std::string& formats) {
    return R"({"title": "表样自评表", "per": "project", "formats": )" + formats + R"(, "file": "{{项目编码}}_表样自评表"})";
}

/// Runs `data` with the form "excel-table" of the `user` templates folder into `out`, `more`
/// options added; the run must succeed.
void runExcelTable(const TinyDataset& data, const std::string& user, const std::string& out, const std::string& more = "") {
    auto r = runJixiao("run " + data.path() + " -o " + out + " --date 2025-03-05 --templates " + user + " --documents excel-table" + more);
    INFO(r.err);
    REQUIRE(r.code == 0);
}

}  // namespace

TEST_CASE("a user's templates folder adds a form that --documents selects by folder name", "[app]") {
    Poco::TemporaryFile user, out;
    write(user.path() + "/my-table/form.json",
          R"({"title": "我的表", "per": "project", "formats": ["pdf", "xlsx"], "file": "{{项目编码}}_我的表"})");
    write(user.path() + "/my-table/layout.json", R"({ "blocks": [ { "table": { "columns": [30, 60], "rows": [
        [ "项目名称", "{{项目名称}}" ],
        { "each": "指标", "rows": [ [ "{{三级指标}}", "{{实际完成值}}{{计量单位}}" ] ] } ] } } ] })");
    const TinyDataset data;
    auto r = runJixiao("run " + data.path() + " -o " + out.path() + " --date 2025-03-05 --templates " + user.path() +
                       " --documents my-table,summary");
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(filesUnder(out.path()) == std::vector<std::string>{"101_测试局/P001_我的表.pdf", "101_测试局/P001_我的表.xlsx",
                                                             "2024年度绩效自评汇总表.xlsx", "jixiao-history.db", "manifest.json",
                                                             "results.json"});
    const std::string text = capture("pdftotext -layout " + out.path() + "/101_测试局/P001_我的表.pdf -");
    CHECK(text.find("培训项目") != std::string::npos);
    CHECK(text.find("700人次") != std::string::npos);
    CHECK(slurp(out.path() + "/manifest.json").find("我的表") != std::string::npos);

    // One format of a form, by folder or short name; a name that is no form is a usage error.
    Poco::TemporaryFile out2;
    r = runJixiao("run " + data.path() + " -o " + out2.path() + " --date 2025-03-05 --templates " + user.path() +
                  " --documents my-table-xlsx,report");
    REQUIRE(r.code == 0);
    CHECK(filesUnder(out2.path() + "/101_测试局") == std::vector<std::string>{"P001_培训项目_绩效自评报告.pdf", "P001_我的表.xlsx"});
    auto bad = runJixiao("run " + data.path() + " -o " + out2.path() + " --templates " + user.path() + " --documents my-tabel");
    CHECK(bad.code == 64);
    CHECK(bad.err ==
          "jixiao：--documents 中的“my-tabel”不是 templates 下的表。可用：department-table、feedback-letter、my-table、"
          "project-report、project-table、summary，可加 -pdf、-xlsx 或 -docx 只生成一种格式，写 docx 另存可编辑的 DOCX，或写 all。\n");
    bad = runJixiao("run " + data.path() + " -o " + out2.path() + " --documents report-xlsx");
    CHECK(bad.code == 64);
    CHECK(bad.err == "jixiao：表“project-report”不生成 xlsx（form.json 的 formats 中没有），实际写了“report-xlsx”。\n");
}

TEST_CASE("check --templates reports every mistake in Chinese with file, line and column, exit 78", "[app]") {
    Poco::TemporaryFile user;
    write(user.path() + "/my-table/form.json", R"({"per": "project", "formats": ["pdf"], "file": "{{项目编码}}_我的表"})");
    write(user.path() + "/my-table/layout.json",
          "{ \"blocks\": [ { \"table\": { \"columns\": [30, 60],\n"
          "  \"rows\": [\n"
          "    [ \"项目名称\", { \"text\": \"{{项目名称}}\", \"colspan\": 2 } ] ] } } ] }\n");
    write(user.path() + "/other/form.json", R"({"per": "project", "formats": ["pdf"]})");
    write(user.path() + "/other/layout.json", "{ \"blocks\": [ { \"paragraph\": \"{{三级指标}}\" } ] }");
    write(user.path() + "/loose/layout.json", "{ \"blocks\": [] }");
    auto r = runJixiao("check --templates " + user.path());
    CHECK(r.code == 78);
    CHECK(r.out ==
          "模板错误：文件夹 templates/loose 有 layout.json 但没有 form.json，不会生成。请从相近的表复制一个 form.json 放进去，例如 "
          "templates/project-table/form.json。\n"
          "模板错误：templates/my-table/layout.json:3:15: colspan 为 2，从第 2 列起超出了表格的最后一列：表格共 2 列（columns 中有 2 "
          "个列宽）。"
          "请把 colspan 改为 1 或更小。\n"
          "模板错误：templates/other/layout.json:1: “三级指标”是列表“指标”中每一项的字段，只能写在 {{#each 指标}} 与 {{/each}} 之间。\n");
    CHECK(r.err == "模板有 3 处问题，请按上面的提示修改后再运行 jixiao check --templates " + user.path() + "。\n");

    // The same colspan mistake stops a run with the same sentence and exit 78 (it was exit 70 in English).
    Poco::TemporaryFile out;
    const TinyDataset data;
    auto run =
        runJixiao("run " + data.path() + " -o " + out.path() + " --date 2025-03-05 --templates " + user.path() + " --documents my-table");
    CHECK(run.code == 78);
    CHECK(run.err.find("模板错误：templates/my-table/layout.json:3:15: colspan 为 2，从第 2 列起超出了表格的最后一列") !=
          std::string::npos);

    auto ok = runJixiao("check --templates " + kSource + "/templates");
    CHECK(ok.code == 0);
    CHECK(ok.out.empty());
    CHECK(ok.err == "已检查 6 张表（" + kSource + "/templates），没有发现问题。\n");
}

TEST_CASE("the recipe of templates/README.md works as written", "[app]") {
    // The section "做一张新表" between its markers: ```sh blocks are run in order, ```json <file>
    // blocks are written to <file>, in a folder holding a copy of templates/ and samples/tiny.
    const std::string readme = slurp(kSource + "/templates/README.md");
    const auto begin = readme.find("<!-- recipe:begin -->"), end = readme.find("<!-- recipe:end -->");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    const std::string recipe = readme.substr(begin, end - begin);
    Poco::TemporaryFile work;
    Poco::File(work.path()).createDirectories();
    Poco::File(kSource + "/templates").copyTo(work.path() + "/templates");
    Poco::File(kSource + "/samples/tiny").copyTo(work.path() + "/样例数据");
    const std::string binDir = Poco::Path(JIXIAO_BINARY).parent().toString();
    std::regex block("```(sh|json) ?([^\\n]*)\\n([\\s\\S]*?)```");
    int commands = 0, files = 0;
    for (std::sregex_iterator it(recipe.begin(), recipe.end(), block), stop; it != stop; ++it) {
        const std::string kind = (*it)[1], target = (*it)[2], body = (*it)[3];
        if (kind == "json") {
            write(work.path() + "/" + target, body);
            ++files;
            continue;
        }
        write(work.path() + "/step.sh", "set -e\n" + body);
        auto r = runProgram("bash", work.path() + "/step.sh", "cd " + work.path() + " && PATH=" + binDir + ":$PATH");
        INFO(body << r.out << r.err);
        REQUIRE(r.code == 0);
        ++commands;
    }
    CHECK(commands >= 3);
    CHECK(files >= 1);
    // The new form's PDF and XLSX, with the label the recipe changed.
    const auto outputs = filesUnder(work.path() + "/输出");
    std::vector<std::string> mine, pdfs;
    for (const auto& f : outputs)
        if (f.find("我的自评表") != std::string::npos) mine.push_back(f);
    for (const auto& f : mine)
        if (f.size() > 4 && f.compare(f.size() - 4, 4, ".pdf") == 0) pdfs.push_back(f);
    CHECK(mine.size() == 6);  // the three projects of samples/tiny, PDF and XLSX each
    REQUIRE(pdfs.size() == 3);
    const std::string pdf = work.path() + "/输出/" + pdfs[0];
    const std::string text = capture("pdftotext -layout '" + pdf + "' -");
    CHECK(text.find("偏差原因及改进措施") != std::string::npos);
    CHECK(text.find("偏差原因分析及改进措施") == std::string::npos);
}

TEST_CASE("a 表样.xlsx form in a user's folder renders to PDF and XLSX and is checked by cell", "[app]") {
    Poco::TemporaryFile user, out;
    write(user.path() + "/excel-table/form.json", excelTableForm(R"(["pdf", "xlsx"])"));
    write(user.path() + "/excel-table/表样.xlsx", indicatorBook("实际完成值"));
    REQUIRE(runJixiao("check --templates " + user.path()).code == 0);
    runExcelTable(TinyDataset(), user.path(), out.path());
    CHECK(filesUnder(out.path() + "/101_测试局") == std::vector<std::string>{"P001_表样自评表.pdf", "P001_表样自评表.xlsx"});
    const std::string text = capture("pdftotext -layout " + out.path() + "/101_测试局/P001_表样自评表.pdf -");
    CHECK(text.find("培训项目") != std::string::npos);
    CHECK(text.find("培训人次") != std::string::npos);
    // A misspelt field is named by its cell.
    write(user.path() + "/excel-table/表样.xlsx", indicatorBook("实际完成"));
    auto bad = runJixiao("check --templates " + user.path());
    CHECK(bad.code == 78);
    CHECK(bad.out.find("模板错误：templates/excel-table/表样.xlsx[Sheet1!B2]") == 0);
    CHECK(bad.out.find("是否指“实际完成值”？") != std::string::npos);
}

TEST_CASE("two forms writing the same file name stop the run before anything is written — layout.json formats point to form.json",
          "[app]") {
    // A copied table whose form.json keeps the bundled file name (Chinese names for the same fields).
    Poco::TemporaryFile user, out;
    Poco::File(kSource + "/templates/project-table").copyTo(user.path() + "/my-table");
    write(user.path() + "/my-table/form.json",
          R"({"per": "project", "formats": ["pdf", "xlsx"], "file": "{{项目编码}}_{{项目名称}}_项目支出绩效自评表"})");
    const TinyDataset data;
    auto run = runJixiao("run " + data.path() + " -o " + out.path() + " --date 2025-03-05 --templates " + user.path());
    CHECK(run.code == 78);
    CHECK(run.out.empty());
    CHECK(run.err ==
          "模板错误：templates/my-table 和 templates/project-table 的输出文件名（form.json 的 file）分别是"
          "“{{项目编码}}_{{项目名称}}_项目支出绩效自评表”和“{{project.code}}_{{project.name}}_项目支出绩效自评表”，得出的文件名相同，"
          "都生成 .pdf、.xlsx：同一次运行中两张表的文件会同名，后写的无法写出。请改其中一张表 form.json 的“file”（如把表名写进去），"
          "或用 --documents 只选其中一张。未生成任何文件。\n");
    CHECK_FALSE(Poco::File(out.path()).exists());
    // Either one alone is fine.
    auto one =
        runJixiao("run " + data.path() + " -o " + out.path() + " --date 2025-03-05 --templates " + user.path() + " --documents my-table");
    INFO(one.err);
    CHECK(one.code == 0);
    CHECK(filesUnder(out.path() + "/101_测试局") ==
          std::vector<std::string>{"P001_培训项目_项目支出绩效自评表.pdf", "P001_培训项目_项目支出绩效自评表.xlsx"});

    // layout.json's old "formats" key: an error (not silently dropped) saying where it goes.
    Poco::TemporaryFile user2;
    write(user2.path() + "/my-table/form.json", R"({"per": "project", "formats": ["pdf"], "file": "{{项目编码}}_我的表"})");
    write(user2.path() + "/my-table/layout.json",
          "{\n  \"formats\": [\"pdf\", \"ofd\"],\n  \"blocks\": [ { \"paragraph\": \"{{项目名称}}\" } ] }\n");
    auto check = runJixiao("check --templates " + user2.path());
    CHECK(check.code == 78);
    CHECK(check.out ==
          "模板错误：templates/my-table/layout.json:2:14: “formats”（输出格式）已改在 form.json 中设置，layout.json 中的不再生效："
          "请删去这一项，在 templates/my-table/form.json 中写 \"formats\": [\"pdf\", \"ofd\"]（form.json 已有“formats”时改那一行）。\n");
    CHECK(check.err == "模板有 1 处问题，请按上面的提示修改后再运行 jixiao check --templates " + user2.path() + "。\n");
}

// Issue 18: a 表样.xlsx form draws on paper like a document, so it has an OFD of the same
// pages as its PDF, by form.json or by --formats; only DOCX stays refused.
TEST_CASE("a 表样.xlsx form writes an OFD of its PDF's pages", "[app]") {
    Poco::TemporaryFile user, out, out2;
    write(user.path() + "/excel-table/表样.xlsx", indicatorBook("实际完成值"));
    write(user.path() + "/excel-table/form.json", excelTableForm(R"(["pdf", "ofd"])"));
    REQUIRE(runJixiao("check --templates " + user.path()).code == 0);
    const TinyDataset data;
    runExcelTable(data, user.path(), out.path());
    CHECK(filesUnder(out.path() + "/101_测试局") == std::vector<std::string>{"P001_表样自评表.ofd", "P001_表样自评表.pdf"});
    const std::string ofd = slurp(out.path() + "/101_测试局/P001_表样自评表.ofd");
    CHECK(ofd.compare(0, 4, "PK\x03\x04") == 0);
    CHECK(ofd.find("Doc_0/Pages/Page_0/Content.xml") != std::string::npos);
    CHECK(ofd.find("Doc_0/Pages/Page_1/Content.xml") == std::string::npos);  // one page, as the PDF
    const std::string info = capture("pdfinfo " + out.path() + "/101_测试局/P001_表样自评表.pdf");
    CHECK(std::regex_search(info, std::regex("\nPages: +1\n")));

    // --formats asks for it too.
    write(user.path() + "/excel-table/form.json", excelTableForm(R"(["pdf", "xlsx"])"));
    runExcelTable(data, user.path(), out2.path(), " --formats pdf,ofd");
    CHECK(filesUnder(out2.path() + "/101_测试局") == std::vector<std::string>{"P001_表样自评表.ofd", "P001_表样自评表.pdf"});
    CHECK(slurp(out2.path() + "/101_测试局/P001_表样自评表.ofd") == ofd);

    write(user.path() + "/excel-table/form.json", R"({"per": "project", "formats": ["pdf", "docx"]})");
    auto bad = runJixiao("check --templates " + user.path());
    CHECK(bad.code == 78);
    CHECK(bad.out.find(
              "templates/excel-table/form.json: 表样.xlsx 的表生成 pdf、xlsx 和 ofd，不能生成 docx：请从 formats 中删去 \"docx\"。") !=
          std::string::npos);
}
