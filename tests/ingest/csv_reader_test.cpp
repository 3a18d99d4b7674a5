#include <catch2/catch.hpp>

#include "ingest/csv_reader.h"
#include "ingest/encoding.h"
#include "support.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

using jixiao::ingest::CellKind;
using jixiao::ingest::ReadError;
using jixiao::ingest::ReadLimits;
using jixiao::ingest::Table;
namespace ingest = jixiao::ingest;
namespace fs = std::filesystem;

namespace {

using jixiao::testing::TempDir;

/// One line per row, "row:cell|cell"; an Empty cell shows as <>, a line break in a cell as \n.
/// The rows a table read row by row leaves in its file are read too.
std::string dump(const Table& table) {
    std::vector<jixiao::ingest::Row> rows = table.rows;
    if (table.rest) {
        for (jixiao::ingest::Row row; table.rest->next(row);) rows.push_back(row);
    }
    std::string out;
    for (const auto& row : rows) {
        out += std::to_string(row.row) + ":";
        for (std::size_t c = 0; c < row.cells.size(); ++c) {
            if (c > 0) out += '|';
            const auto& cell = row.cells[c];
            if (cell.kind == CellKind::Empty) {
                out += "<>";
                continue;
            }
            CHECK(cell.kind == CellKind::Text);
            for (char ch : cell.text) {
                if (ch == '\n') out += "\\n";
                else out += ch;
            }
        }
        out += '\n';
    }
    return out;
}

std::string read(const std::string& bytes, const ReadLimits& limits = {}) { return dump(ingest::readCsv(bytes, "项目.csv", limits)); }

const std::string kProjects =
    "项目编码,项目名称,单位编码\r\n"
    "XM001,农村道路建设（二期）,001\r\n"
    "XM002,“两癌”免费检查,002\r\n";

const std::string kProjectsDump =
    "1:项目编码|项目名称|单位编码\n"
    "2:XM001|农村道路建设（二期）|001\n"
    "3:XM002|“两癌”免费检查|002\n";

}  // namespace

TEST_CASE("readCsv reads UTF-8 with or without BOM and GBK alike", "[ingest]") {
    auto [label, bytes] = GENERATE(table<std::string, std::string>({
        {"UTF-8", kProjects},
        {"UTF-8 with BOM", "\xEF\xBB\xBF" + kProjects},
        {"GBK as Excel saves it", ingest::utf8ToGb18030(kProjects)},
    }));
    CAPTURE(label);
    Table table = ingest::readCsv(bytes, "项目.csv");
    CHECK(table.file == "项目.csv");
    CHECK(table.sheet.empty());
    CHECK(dump(table) == kProjectsDump);
}

TEST_CASE("readCsv numbers rows by record, as Excel shows them", "[ingest]") {
    auto [label, bytes, expected] = GENERATE(table<std::string, std::string, std::string>({
        {"multi-line quoted cells count as one row",
         "项目编码,年度总体目标\r\n"
         "XM001,\"完成道路建设\r\n确保通车\"\r\n"
         "XM002,\"第一行\n第二行\n第三行\"\r\n"
         "XM003,普通\r\n",
         "1:项目编码|年度总体目标\n"
         "2:XM001|完成道路建设\\n确保通车\n"
         "3:XM002|第一行\\n第二行\\n第三行\n"
         "4:XM003|普通\n"},
        {"empty records are skipped but counted", "a,b\n\n,\n  ,\xE3\x80\x80\n\"\",\"\"\n1,2\n\n",
         "1:a|b\n"
         "6:1|2\n"},
        {"doubled quotes, separators and quotes inside cells", "名称,说明\n\"含\"\"引号\"\"和,逗号\",\"\"\"\"\n",
         "1:名称|说明\n"
         "2:含\"引号\"和,逗号|\"\n"},
        {"a quote inside an unquoted cell is text", "a\"b,c\"\n", "1:a\"b|c\"\n"},
        {"text after a closing quote is kept, as Excel does", "\"ab\"c,d\n", "1:abc|d\n"},
        {"empty quoted cell is empty", "a,\"\",c\n", "1:a|<>|c\n"},
        {"spaces are kept in cells", " a , b \n", "1: a | b \n"},
        {"trailing empty cells are kept", "a,b,\n1,,\n", "1:a|b|<>\n2:1|<>|<>\n"},
        {"CRLF", "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n"},
        {"LF", "a,b\n1,2\n", "1:a|b\n2:1|2\n"},
        {"CR alone", "a,b\r1,2\r", "1:a|b\n2:1|2\n"},
        {"no trailing line break", "a,b\r\n1,2", "1:a|b\n2:1|2\n"},
        {"mixed line breaks", "a\r\nb\nc\rd", "1:a\n2:b\n3:c\n4:d\n"},
        {"CRLF and CR inside a quoted cell become LF", "\"x\r\ny\rz\"\n", "1:x\\ny\\nz\n"},
        {"empty file", "", ""},
        {"only a BOM", "\xEF\xBB\xBF", ""},
        {"only line breaks", "\r\n\r\n", ""},
    }));
    CAPTURE(label);
    CHECK(read(bytes) == expected);
}

TEST_CASE("readCsv detects semicolon and TAB separators from the header line", "[ingest]") {
    auto [label, bytes, expected] = GENERATE(table<std::string, std::string, std::string>({
        {"semicolons", "编码;名称;金额\n1;a,b;1,5\n", "1:编码|名称|金额\n2:1|a,b|1,5\n"},
        {"tabs", "编码\t名称\n1\t\"a\tb\"\n", "1:编码|名称\n2:1|a\tb\n"},
        {"commas win a tie", "a;b,c\n1;2,3\n", "1:a;b|c\n2:1;2|3\n"},
        {"separators inside quotes do not count", "\"a;b;c\",d\n", "1:a;b;c|d\n"},
        {"a single column", "名称\n甲\n", "1:名称\n2:甲\n"},
    }));
    CAPTURE(label);
    CHECK(read(bytes) == expected);
}

TEST_CASE("readCsv names the row where an unterminated quote starts", "[ingest]") {
    auto [bytes, message] = GENERATE(table<std::string, std::string>({
        {"a,b\n1,\"abc\n2,3\n",
         "项目.csv：第2行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。请检查该行是否少了一个英文双引号。"},
        {"a,b\n1,\"多\n行\"\n\n2,\"x\"\"\n3,4\n",
         "项目.csv：第4行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。请检查该行是否少了一个英文双引号。"},
        {"\"", "项目.csv：第1行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。请检查该行是否少了一个英文双引号。"},
    }));
    CAPTURE(bytes);
    CHECK_THROWS_MATCHES(ingest::readCsv(bytes, "项目.csv"), ReadError, Catch::Message(message));
}

TEST_CASE("readCsv rejects bytes in no known encoding", "[ingest]") {
    auto bytes = GENERATE(as<std::string>{},
                          "\xFF\xFE"
                          "a\0b\0",
                          "a,b\n\xD6\n", "\x81\x30\x20\x30");
    CHECK_THROWS_MATCHES(ingest::readCsv(bytes, "单位.csv"), ReadError,
                         Catch::Message("单位.csv：无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）。"
                                        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。"));
}

TEST_CASE("readCsv enforces the limits", "[ingest]") {
    ReadLimits limits;
    limits.maxRows = 3;
    limits.maxColumns = 3;
    limits.maxCellBytes = 6;

    SECTION("rows up to the limit are read, blank ones past it ignored") { CHECK(read("a\nb\nc\n\n\n", limits) == "1:a\n2:b\n3:c\n"); }
    SECTION("a row past the limit") {
        CHECK_THROWS_MATCHES(read("a\nb\n\n\"\"\nc\n", limits), ReadError,
                             Catch::Message("项目.csv：第5行超出了行数上限（3行）。请把文件拆分后再导入。"));
    }
    SECTION("columns") {
        CHECK(read("a,b,c\n", limits) == "1:a|b|c\n");
        CHECK_THROWS_MATCHES(read("a,b,c\n1,2,3,\n", limits), ReadError,
                             Catch::Message("项目.csv：第2行的列数超出了上限（3列）。请检查该行的分隔符和引号是否正确。"));
    }
    SECTION("cell bytes") {
        CHECK(read("a,项目\n", limits) == "1:a|项目\n");
        CHECK_THROWS_MATCHES(read("a,b\n1,\"项目x\",3\n", limits), ReadError,
                             Catch::Message("项目.csv：第2行B列的单元格超出了长度上限（6字节）。"
                                            "请检查该单元格前后的英文双引号是否成对。"));
    }
}

TEST_CASE("readCsvFile reads a file and names it without its folder", "[ingest]") {
    TempDir dir;
    fs::path path = dir.path / "项目.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << ingest::utf8ToGb18030(kProjects);
    }
    Table table = ingest::readCsvFile(path.string());
    CHECK(table.file == "项目.csv");
    CHECK(dump(table) == kProjectsDump);

    fs::path broken = dir.path / "单位.csv";
    {
        std::ofstream out(broken, std::ios::binary);
        out << "a,\"b\n";
    }
    CHECK_THROWS_MATCHES(ingest::readCsvFile(broken.string()), ReadError,
                         Catch::Message("单位.csv：第1行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。"
                                        "请检查该行是否少了一个英文双引号。"));
}

TEST_CASE("readCsvFile reports a file it cannot open", "[ingest]") {
    TempDir dir;
    auto path = GENERATE(as<std::string>{}, "缺失.csv", "");
    std::string full = (dir.path / path).string();
    CHECK_THROWS_MATCHES(ingest::readCsvFile(full), ReadError,
                         Catch::Message("无法打开文件“" + full + "”。请确认文件存在，并且没有被其他程序独占打开。"));
}

namespace {

/// A file of a dozen short rows and one long one, then the row "T," + `cell` + ",end" placed so that the
/// part edge (64 KiB) falls `into` bytes into it, then 20 more rows; in `encoding`.
std::string acrossPartEdge(const std::string& cell, std::size_t into, const std::string& encoding) {
    auto encode = [&](const std::string& utf8) { return encoding == "GBK" ? ingest::utf8ToGb18030(utf8) : utf8; };
    std::string bytes = (encoding == "UTF-8 with BOM" ? "\xEF\xBB\xBF" : "") + encode("编码,名称,说明\r\n");
    const std::size_t edge = 65536 - into;
    for (int i = 0; i < 12; ++i) bytes += "F" + std::to_string(i) + ",filler,text\r\n";
    bytes += "P," + std::string(edge - bytes.size() - 3, 'x') + "\r\n";
    bytes += encode("T," + cell + ",end\r\n");
    for (int i = 0; i < 20; ++i) bytes += encode("A" + std::to_string(i) + ",后面的行,说明\r\n");
    return bytes;
}

}  // namespace

TEST_CASE("readCsvFile reads a file in parts as readCsv reads it whole, whatever a part edge cuts", "[ingest]") {
    TempDir dir;
    const std::string path = (dir.path / "项目.csv").string();
    auto [cell, shown] = GENERATE(table<std::string, std::string>({
        {"\"含\"\"引号\"\"和,逗号\"", "含\"引号\"和,逗号"},
        {"\"第一行\r\n第二行\r第三行\"", "第一行\\n第二行\\n第三行"},
        {"中文￥€𠀀字符", "中文￥€𠀀字符"},
        {"\"ab\"c字", "abc字"},
        {"\"\"", "<>"},
        {"x\xEF\xBF\xBEy", "x\xEF\xBF\xBEy"},  // U+FFFE (GBK has no code for it: '?')
        {"\"a\x01\"", "a\x01"},
    }));
    auto encoding = GENERATE(as<std::string>{}, "UTF-8", "UTF-8 with BOM", "GBK");
    for (std::size_t into = 0; into < cell.size() + 12; ++into) {
        CAPTURE(cell, encoding, into);
        const std::string bytes = acrossPartEdge(cell, into, encoding);
        REQUIRE(bytes.size() > 65536 + 20);
        {
            std::ofstream out(path, std::ios::binary);
            out << bytes;
        }
        Table table = ingest::readCsvFile(path);
        CHECK(table.rows.size() == ingest::kHeldRows);
        const std::string whole = dump(ingest::readCsv(bytes, "项目.csv"));
        CHECK(dump(table) == whole);
        std::string want = shown;
        if (const auto at = want.find("\xEF\xBF\xBE"); encoding == "GBK" && at != std::string::npos) want.replace(at, 3, "?");
        CHECK(whole.find(":T|" + want + "|end\n") != std::string::npos);
        CHECK(whole.find(":A19|后面的行|说明\n") != std::string::npos);
        // Known from the bytes while the file is judged: a cell the XML writers could not carry.
        CHECK(table.rest->xmlSafe() == (whole.find('\x01') == std::string::npos && whole.find("\xEF\xBF\xBE") == std::string::npos));
    }
}

TEST_CASE("readCsvFile finds every error before it gives a row, in rows past the first too", "[ingest]") {
    TempDir dir;
    const std::string path = (dir.path / "项目.csv").string();
    auto rows = [](int n) {
        std::string s = "a,b\n";
        for (int i = 2; i <= n; ++i) s += std::to_string(i) + ",x\n";
        return s;
    };
    ReadLimits limits;
    limits.maxRows = 30;
    limits.maxColumns = 3;
    limits.maxCellBytes = 6;
    auto [bytes, message] = GENERATE_COPY(table<std::string, std::string>({
        {rows(20) + "21,\"abc\n22,3\n",
         "项目.csv：第21行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。请检查该行是否少了一个英文双引号。"},
        {rows(20) + "21,项目x\n22,\"abc\n", "项目.csv：第21行B列的单元格超出了长度上限（6字节）。请检查该单元格前后的英文双引号是否成对。"},
        {rows(20) + "21,\"abcde\"\"f\"\n", "项目.csv：第21行B列的单元格超出了长度上限（6字节）。请检查该单元格前后的英文双引号是否成对。"},
        {rows(20) + "21,1,2,3\n", "项目.csv：第21行的列数超出了上限（3列）。请检查该行的分隔符和引号是否正确。"},
        {rows(31), "项目.csv：第31行超出了行数上限（30行）。请把文件拆分后再导入。"},
        {rows(20) + "\xFF\n",
         "项目.csv：无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。"},
    }));
    CAPTURE(bytes);
    {
        std::ofstream out(path, std::ios::binary);
        out << bytes;
    }
    CHECK_THROWS_MATCHES(ingest::readCsvFile(path, limits), ReadError, Catch::Message(message));
    CHECK_THROWS_MATCHES(ingest::readCsv(bytes, "项目.csv", limits), ReadError, Catch::Message(message));
    // Blank records past the row limit are harmless, as in a whole read.
    {
        std::ofstream out(path, std::ios::binary);
        out << rows(30) + "\n\n,\n";
    }
    Table table = ingest::readCsvFile(path, limits);
    CHECK(dump(table) == dump(ingest::readCsv(rows(30), "项目.csv", limits)));
}

TEST_CASE("readCsvFile bounds a long cell across parts by the limit, not by the file", "[ingest]") {
    TempDir dir;
    const std::string path = (dir.path / "项目.csv").string();
    ReadLimits limits;
    limits.maxCellBytes = 90'000;
    const std::string within = "a,b\n1,\"" + std::string(89'990, 'y') + "\"\"\"\n2,z\n";
    {
        std::ofstream out(path, std::ios::binary);
        out << within;
    }
    CHECK(dump(ingest::readCsvFile(path, limits)) == "1:a|b\n2:1|" + std::string(89'990, 'y') + "\"\n3:2|z\n");
    // 300,000 bytes of one quoted cell: the message names the cell, whichever way it goes on.
    for (const std::string& after : {std::string("\"\n3,4\n"), std::string()}) {
        {
            std::ofstream out(path, std::ios::binary);
            out << "a,b\n1,\"" + std::string(300'000, 'y') + after;
        }
        CHECK_THROWS_MATCHES(ingest::readCsvFile(path, limits), ReadError,
                             Catch::Message(after.empty() ? "项目.csv：第2行的引号没有闭合（从该行开始的单元格一直延续到文件末尾）。"
                                                            "请检查该行是否少了一个英文双引号。"
                                                          : "项目.csv：第2行B列的单元格超出了长度上限（90000字节）。"
                                                            "请检查该单元格前后的英文双引号是否成对。"));
    }
}
