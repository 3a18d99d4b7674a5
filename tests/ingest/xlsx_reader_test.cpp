#include "ingest/csv_reader.h"
#include "ingest/xlsx_reader.h"
#include "model/text_store.h"
#include "support.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Zip/Compress.h>
#include <catch2/catch.hpp>
#include <xlsxwriter.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace jixiao::ingest;

namespace {

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// Builds a workbook with libxlsxwriter in a temporary file and returns its bytes.
template <typename Fill>
std::string makeWorkbook(Fill fill) {
    Poco::TemporaryFile file;
    const std::string path = file.path() + ".xlsx";
    lxw_workbook* workbook = workbook_new(path.c_str());
    REQUIRE(workbook != nullptr);
    fill(workbook);
    REQUIRE(workbook_close(workbook) == LXW_NO_ERROR);
    std::string bytes = readBytes(path);
    std::filesystem::remove(path);
    return bytes;
}

struct Part {
    std::string name;
    std::string content;
};

enum class ZipStyle { Normal, DataDescriptor, Zip64, Stored };

/// Zips parts with Poco::Zip::Compress, for files libxlsxwriter would never write.
std::string makeZip(const std::vector<Part>& parts, ZipStyle style = ZipStyle::Normal) {
    std::ostringstream out(std::ios::binary);
    {
        Poco::Zip::Compress compress(out, style != ZipStyle::DataDescriptor, style == ZipStyle::Zip64);
        for (const auto& part : parts) {
            std::istringstream in(part.content);
            compress.addFile(in, Poco::DateTime(2024, 1, 1), Poco::Path(part.name, Poco::Path::PATH_UNIX),
                             style == ZipStyle::Stored ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE,
                             Poco::Zip::ZipCommon::CL_SUPERFAST);
        }
        compress.close();
    }
    return out.str();
}

const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string worksheet(const std::string& sheetData) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"") + kMain + "\"><sheetData>" +
           sheetData + "</sheetData></worksheet>";
}

std::string sharedStrings(const std::string& items) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"") + kMain + "\">" + items + "</sst>";
}

/// The parts of a one-sheet workbook ("Sheet1") around a hand-written sheet.
std::vector<Part> workbookParts(const std::string& sheetXml, const std::string& sharedXml = "") {
    std::vector<Part> parts = {
        {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
        {"_rels/.rels",
         "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
         "Target=\"xl/workbook.xml\"/></Relationships>"},
        {"xl/workbook.xml", std::string("<?xml version=\"1.0\"?><workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRel +
                                "\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
        {"xl/_rels/workbook.xml.rels",
         "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
         "Target=\"worksheets/sheet1.xml\"/>"
         "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
         "Target=\"sharedStrings.xml\"/></Relationships>"},
        {"xl/worksheets/sheet1.xml", sheetXml},
    };
    if (!sharedXml.empty()) parts.push_back({"xl/sharedStrings.xml", sharedXml});
    return parts;
}

std::string handMade(const std::string& sheetData, const std::string& sharedItems = "") {
    return makeZip(workbookParts(worksheet(sheetData), sharedItems.empty() ? "" : sharedStrings(sharedItems)));
}

/// Overwrites a little-endian field of the central directory entry of `part`, to damage a zip
/// the way a broken writer or a bad disk would.
std::string patchDirectory(std::string bytes, const std::string& part, std::size_t offset, std::uint64_t value, int width) {
    const std::size_t name = bytes.rfind(part);  // the directory copy of the name comes last
    REQUIRE(name != std::string::npos);
    const std::size_t header = name - 46;
    REQUIRE(bytes.compare(header, 4, "PK\x01\x02") == 0);
    for (int i = 0; i < width; ++i) bytes[header + offset + std::size_t(i)] = char((value >> (8 * i)) & 0xFF);
    return bytes;
}

/// The message of the ReadError that reading `bytes` throws.
std::string errorOf(const std::string& bytes, const std::string& sheet = "", const ReadLimits& limits = {}) {
    try {
        readXlsx(bytes, "项目.xlsx", sheet, limits);
    } catch (const ReadError& e) {
        return e.what();
    }
    return "(no error)";
}

const Cell& cellAt(const Table& t, std::size_t row, std::size_t column) {
    REQUIRE(row < t.rows.size());
    REQUIRE(column < t.rows[row].cells.size());
    return t.rows[row].cells[column];
}

void requireCell(const Table& t, std::size_t row, std::size_t column, CellKind kind, const std::string& text) {
    const Cell& c = cellAt(t, row, column);
    CHECK(c.kind == kind);
    CHECK(c.text == text);
}

}  // namespace

TEST_CASE("xlsx: strings, numbers, formulas, booleans and blanks from libxlsxwriter", "[ingest]") {
    const std::string bytes = makeWorkbook([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "项目表");
        lxw_format* bold = workbook_add_format(wb);
        format_set_bold(bold);
        worksheet_write_string(ws, 0, 0, "项目编码", nullptr);
        worksheet_write_string(ws, 0, 1, "项目名称", bold);
        worksheet_write_string(ws, 0, 3, "分值", nullptr);  // column C skipped
        worksheet_write_string(ws, 1, 0, "P001", nullptr);
        worksheet_write_string(ws, 1, 1, "乡村道路/桥梁改造（二期）", nullptr);
        worksheet_write_number(ws, 1, 3, 37.24, nullptr);
        worksheet_write_formula_num(ws, 1, 4, "=D2*2", nullptr, 74.48);
        worksheet_write_boolean(ws, 1, 5, 1, nullptr);
        worksheet_write_boolean(ws, 1, 6, 0, nullptr);
        worksheet_write_formula_str(ws, 1, 7, "=A2&\"-x\"", nullptr, "P001-x");
        worksheet_write_number(ws, 1, 8, 0.001, nullptr);
        worksheet_write_blank(ws, 2, 0, bold);  // formatted but empty: the row is empty
        worksheet_write_number(ws, 4, 0, 1234567, nullptr);
        lxw_datetime date = {2024, 1, 1, 0, 0, 0};
        worksheet_write_datetime(ws, 4, 1, &date, bold);
    });

    const Table t = readXlsx(bytes, "项目.xlsx", "");
    CHECK(t.file == "项目.xlsx");
    CHECK(t.sheet == "项目表");
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].row == 1);
    CHECK(t.rows[1].row == 2);
    CHECK(t.rows[2].row == 5);  // rows 3 (blank cell only) and 4 (absent) are left out

    REQUIRE(t.rows[0].cells.size() == 4);
    requireCell(t, 0, 0, CellKind::Text, "项目编码");
    requireCell(t, 0, 1, CellKind::Text, "项目名称");
    requireCell(t, 0, 2, CellKind::Empty, "");
    requireCell(t, 0, 3, CellKind::Text, "分值");

    requireCell(t, 1, 1, CellKind::Text, "乡村道路/桥梁改造（二期）");
    requireCell(t, 1, 3, CellKind::Number, "37.24");
    requireCell(t, 1, 4, CellKind::Number, "74.48");  // the formula's cached value
    requireCell(t, 1, 5, CellKind::Boolean, "TRUE");
    requireCell(t, 1, 6, CellKind::Boolean, "FALSE");
    requireCell(t, 1, 7, CellKind::Text, "P001-x");
    requireCell(t, 1, 8, CellKind::Number, "0.001");

    requireCell(t, 2, 0, CellKind::Number, "1234567");
    requireCell(t, 2, 1, CellKind::Number, "45292");  // dates stay serial numbers
}

TEST_CASE("xlsx: sheets by name, first sheet by default, a missing sheet names the others", "[ingest]") {
    const std::string bytes = makeWorkbook([](lxw_workbook* wb) {
        worksheet_write_string(workbook_add_worksheet(wb, "Sheet1"), 0, 0, "第一", nullptr);
        worksheet_write_string(workbook_add_worksheet(wb, "明细"), 0, 0, "第二", nullptr);
    });

    SECTION("first sheet in workbook order") {
        const Table t = readXlsx(bytes, "项目.xlsx", "");
        CHECK(t.sheet == "Sheet1");
        requireCell(t, 0, 0, CellKind::Text, "第一");
    }
    SECTION("by name") {
        const Table t = readXlsx(bytes, "项目.xlsx", "明细");
        CHECK(t.sheet == "明细");
        requireCell(t, 0, 0, CellKind::Text, "第二");
    }
    SECTION("by name, ignoring ASCII case as Excel does") { CHECK(readXlsx(bytes, "项目.xlsx", "sheet1").sheet == "Sheet1"); }
    SECTION("missing") { CHECK(errorOf(bytes, "项目表") == "项目.xlsx：找不到工作表“项目表”，文件中的工作表有：Sheet1、明细。"); }
}

TEST_CASE("xlsx: readXlsxFile names the file without its folder", "[ingest]") {
    const std::string bytes =
        makeWorkbook([](lxw_workbook* wb) { worksheet_write_string(workbook_add_worksheet(wb, nullptr), 0, 0, "单位编码", nullptr); });
    const std::string folder = Poco::TemporaryFile::tempName();
    std::filesystem::create_directories(folder);
    const std::string path = folder + "/单位.xlsx";
    std::ofstream(path, std::ios::binary) << bytes;

    const Table t = readXlsxFile(path, "");
    CHECK(t.file == "单位.xlsx");
    requireCell(t, 0, 0, CellKind::Text, "单位编码");

    try {
        readXlsxFile(folder + "/没有.xlsx", "");
        FAIL("no error");
    } catch (const ReadError& e) {
        CHECK(std::string(e.what()) == "没有.xlsx：无法打开文件。");
    }
    std::filesystem::remove_all(folder);
}

TEST_CASE("xlsx: hand-made parts", "[ingest]") {
    SECTION("inline strings, str results, errors and cells without r") {
        const Table t = readXlsx(handMade(R"(<row r="2"><c t="inlineStr"><is><t>资金来源</t></is></c>)"
                                          R"(<c r="C2" t="str"><f>A2</f><v>资金来源</v></c><c t="e"><f>1/0</f><v>#DIV/0!</v></c></row>)"
                                          R"(<row><c><v>1E-3</v></c><c s="3"/><c><v> 5 </v></c></row>)"
                                          R"(<row><c t="inlineStr"><is><t></t></is></c></row>)"),
                                 "项目.xlsx", "");
        REQUIRE(t.rows.size() == 2);
        CHECK(t.rows[0].row == 2);
        CHECK(t.rows[1].row == 3);  // a row without r follows the previous one
        REQUIRE(t.rows[0].cells.size() == 4);
        requireCell(t, 0, 0, CellKind::Text, "资金来源");
        requireCell(t, 0, 1, CellKind::Empty, "");
        requireCell(t, 0, 2, CellKind::Text, "资金来源");
        requireCell(t, 0, 3, CellKind::Error, "#DIV/0!");  // a cell without r follows the previous one
        REQUIRE(t.rows[1].cells.size() == 3);
        requireCell(t, 1, 0, CellKind::Number, "1E-3");
        requireCell(t, 1, 1, CellKind::Empty, "");
        requireCell(t, 1, 2, CellKind::Number, "5");
    }

    SECTION("rich text shared strings, phonetic runs left out, spaces and escapes kept") {
        const Table t =
            readXlsx(handMade(R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>)",
                              R"(<si><r><rPr><b/></rPr><t>年度</t></r><r><t xml:space="preserve"> 总体 </t></r><r><t>目标</t></r>)"
                              R"(<rPh sb="0" eb="2"><t>ネンド</t></rPh><phoneticPr fontId="1"/></si>)"
                              R"(<si><t>第一行_x000D_
第二行_x005F_x000D_</t></si><si><t/></si>)"),
                     "项目.xlsx", "");
        REQUIRE(t.rows.size() == 1);
        REQUIRE(t.rows[0].cells.size() == 2);  // the empty shared string is an empty cell
        requireCell(t, 0, 0, CellKind::Text, "年度 总体 目标");
        requireCell(t, 0, 1, CellKind::Text, "第一行\r\n第二行_x000D_");
    }

    SECTION("prefixed namespaces") {
        const std::string sheet = std::string("<x:worksheet xmlns:x=\"") + kMain +
                                  "\"><x:sheetData><x:row r=\"1\"><x:c r=\"B1\"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>";
        const Table t = readXlsx(makeZip(workbookParts(sheet)), "项目.xlsx", "");
        requireCell(t, 0, 1, CellKind::Number, "7");
    }

    SECTION("data descriptors, zip64 and stored entries read the same") {
        for (ZipStyle style : {ZipStyle::DataDescriptor, ZipStyle::Zip64, ZipStyle::Stored}) {
            const Table t =
                readXlsx(makeZip(workbookParts(worksheet(R"(<row r="1"><c r="A1"><v>42</v></c></row>)")), style), "项目.xlsx", "");
            requireCell(t, 0, 0, CellKind::Number, "42");
        }
    }

    SECTION("no package relationships: xl/workbook.xml is assumed") {
        auto parts = workbookParts(worksheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)"));
        parts.erase(parts.begin() + 1);
        CHECK(readXlsx(makeZip(parts), "项目.xlsx", "").rows.size() == 1);
    }
}

TEST_CASE("xlsx: files that are not workbooks", "[ingest]") {
    CHECK(errorOf("") == "项目.xlsx：文件为空。");
    CHECK(errorOf("项目编码,项目名称\nP001,道路\n") == "项目.xlsx：不是有效的 XLSX 文件（无法识别 ZIP 结构），请确认它是 Excel 工作簿。");
    CHECK(errorOf(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0')) ==
          "项目.xlsx：这是旧版 Excel（.xls）或加密的工作簿，无法读取。请在 Excel 中另存为 .xlsx 或 CSV。");
    CHECK(errorOf(makeZip({{"readme.txt", "hello"}})) ==
          "项目.xlsx：不是有效的 XLSX 文件（缺少 xl/workbook.xml），请确认它是 Excel 工作簿。");

    const std::string good = makeWorkbook([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
        for (int r = 0; r < 200; ++r) worksheet_write_number(ws, lxw_row_t(r), 0, r, nullptr);
    });
    SECTION("truncated") {
        CHECK(errorOf(good.substr(0, good.size() / 2)) ==
              "项目.xlsx：文件不完整（ZIP 结构被截断），可能下载或复制未完成，请重新获取该文件。");
        CHECK(errorOf(good.substr(0, good.size() - 5)) ==
              "项目.xlsx：文件不完整（ZIP 结构被截断），可能下载或复制未完成，请重新获取该文件。");
    }
    SECTION("corrupted data: the CRC catches it") {
        std::string bytes = makeZip(workbookParts(worksheet(R"(<row r="1"><c r="A1"><v>12345</v></c></row>)")), ZipStyle::Stored);
        bytes.replace(bytes.find("12345"), 5, "54321");
        CHECK(errorOf(bytes) == "项目.xlsx：xl/worksheets/sheet1.xml 校验失败（CRC 不符），文件已损坏。");
    }
    SECTION("garbage instead of deflate data") {
        std::string bytes = makeZip(workbookParts(worksheet(R"(<row r="1"><c r="A1"><v>12345</v></c></row>)")));
        const std::string name = "xl/worksheets/sheet1.xml";
        const std::size_t data = bytes.find(name) + name.size();  // the local header's name, then the data
        for (std::size_t i = data; i < data + 20; ++i) bytes[i] = '\xFF';
        CHECK(errorOf(bytes) == "项目.xlsx：xl/worksheets/sheet1.xml 解压失败，文件已损坏。");
    }
    SECTION("malformed XML") {
        CHECK(errorOf(makeZip(workbookParts("<worksheet><sheetData><row></sheetData></worksheet>"))) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 不是有效的 XML（第 1 行第 29 列），文件已损坏。");
    }
    SECTION("damaged zip directory entries") {
        const std::string bytes = makeZip(workbookParts(worksheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)")));
        const std::string sheet = "xl/worksheets/sheet1.xml";
        CHECK(errorOf(patchDirectory(bytes, sheet, 8, 0x0001, 2)) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 已加密，无法读取。请在 Excel 中取消密码后另存。");
        CHECK(errorOf(patchDirectory(bytes, sheet, 10, 12, 2)) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 使用了不支持的压缩方式（编号 12），请在 Excel 中重新保存。");
        CHECK(errorOf(patchDirectory(bytes, sheet, 20, 0x7FFFFFFF, 4)) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 的数据不完整（文件被截断），请重新获取该文件。");
        CHECK(errorOf(patchDirectory(bytes, sheet, 42, 3, 4)) == "项目.xlsx：xl/worksheets/sheet1.xml 的数据位置无效，文件已损坏。");
        std::string badOffset = bytes;
        const std::size_t end = badOffset.rfind("PK\x05\x06");
        badOffset[end + 16] = char(badOffset[end + 16] + 1);  // the directory no longer starts on an entry
        CHECK(errorOf(badOffset) == "项目.xlsx：文件已损坏（ZIP 目录无效），无法作为 XLSX 读取。");
    }
    SECTION("workbooks without sheets or relationships") {
        auto parts = workbookParts(worksheet(""));
        parts[2].content = std::string("<workbook xmlns=\"") + kMain + "\"><sheets/></workbook>";
        CHECK(errorOf(makeZip(parts)) == "项目.xlsx：工作簿中没有工作表。");
        parts = workbookParts(worksheet(""));
        parts[2].content = std::string("<workbook xmlns=\"") + kMain + "\" xmlns:r=\"" + kRel +
                           "\"><sheets><sheet name=\"汇总\" r:id=\"rId9\"/></sheets></workbook>";
        CHECK(errorOf(makeZip(parts)) == "项目.xlsx：工作表“汇总”的数据位置缺失，文件已损坏。");
        parts = workbookParts(worksheet(""));
        parts.erase(parts.begin() + 3);
        CHECK(errorOf(makeZip(parts)) == "项目.xlsx：不是有效的 XLSX 文件（缺少 xl/_rels/workbook.xml.rels），文件已损坏。");
    }
    SECTION("a sheet whose part is missing") {
        auto parts = workbookParts(worksheet(""));
        parts.pop_back();
        CHECK(errorOf(makeZip(parts)) == "项目.xlsx：工作表“Sheet1”的数据（xl/worksheets/sheet1.xml）缺失，文件已损坏。");
    }
    SECTION("a shared string that does not exist") {
        CHECK(errorOf(handMade(R"(<row r="4"><c r="B4" t="s"><v>3</v></c></row>)", "<si><t>a</t></si>")) ==
              "项目.xlsx[Sheet1!B4]：引用了不存在的共享字符串（编号 3），文件已损坏。");
    }
    SECTION("bad references") {
        CHECK(errorOf(handMade(R"(<row r="0"/>)")) == "项目.xlsx：工作表“Sheet1”的行号“0”无效，文件已损坏。");
        CHECK(errorOf(handMade(R"(<row r="3"><c r="3B"><v>1</v></c></row>)")) ==
              "项目.xlsx：工作表“Sheet1”第 3 行的单元格引用“3B”无效，文件已损坏。");
    }
}

TEST_CASE("xlsx: limits against bombs and runaway files", "[ingest]") {
    SECTION("a highly compressible huge part: the compression ratio") {
        const std::string bomb = std::string("<worksheet><sheetData>") + std::string(20u << 20, ' ') + "</sheetData></worksheet>";
        const std::string bytes = makeZip(workbookParts(bomb));
        CHECK(bytes.size() < 200'000);
        const auto start = std::chrono::steady_clock::now();
        CHECK(errorOf(bytes) == "项目.xlsx：压缩比异常（xl/worksheets/sheet1.xml 的压缩比超过 200 倍），疑似压缩炸弹，已拒绝读取。");
        CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    }
    SECTION("the size of one part, counted on what is inflated") {
        ReadLimits limits;
        limits.maxEntryBytes = 4u << 20;
        limits.maxCompressionRatio = 1e9;
        const std::string big = std::string("<worksheet><sheetData>") + std::string(5u << 20, ' ') + "</sheetData></worksheet>";
        CHECK(errorOf(makeZip(workbookParts(big)), "", limits) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 解压后超过 4 MB 的上限，文件过大或已损坏，已拒绝读取。"
              "请把数据分到几个文件中，或删除多余的工作表和格式后重新保存。");
    }
    SECTION("the size of all parts") {
        ReadLimits limits;
        limits.maxTotalBytes = 1u << 20;
        const std::string half = std::string(600u << 10, ' ');
        CHECK(errorOf(handMade("<!--" + half + "-->", "<!--" + half + "--><si><t>a</t></si>"), "", limits) ==
              "项目.xlsx：解压后的数据总量超过 1 MB，疑似压缩炸弹，已拒绝读取。");
    }
    SECTION("one long shared string in every cell: what the reader keeps") {
        ReadLimits limits;
        limits.maxTotalBytes = 1u << 20;
        std::string rows;
        for (int r = 1; r <= 100; ++r) rows += "<row r=\"" + std::to_string(r) + "\"><c t=\"s\"><v>0</v></c></row>";
        CHECK(errorOf(handMade(rows, "<si><t>" + std::string(20000, 'x') + "</t></si>"), "", limits) ==
              "项目.xlsx：展开后的数据量超过 1 MB 的上限，疑似异常文件，已拒绝读取。");
    }
    SECTION("billion laughs") {
        const std::string laughs = R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>)";
        CHECK(errorOf(makeZip(workbookParts(laughs))) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 含有 DTD 声明（<!DOCTYPE>），XLSX 文件不应包含，可能是恶意构造的文件"
              "（如“billion laughs”实体膨胀攻击），已拒绝读取。");
        // Behind a comment and a processing instruction, in the workbook part.
        auto parts = workbookParts(worksheet(""));
        parts[2].content =
            "<?xml version=\"1.0\"?><!-- <!x --><?pi <!x ?><!DOCTYPE workbook SYSTEM \"http://example.com/x.dtd\"><workbook/>";
        CHECK(errorOf(makeZip(parts)) ==
              "项目.xlsx：xl/workbook.xml 含有 DTD 声明（<!DOCTYPE>），XLSX 文件不应包含，可能是恶意构造的文件"
              "（如“billion laughs”实体膨胀攻击），已拒绝读取。");
    }
    SECTION("UTF-16 parts are refused rather than scanned blind") {
        const std::string utf16("\xFF\xFE<\0w\0/\0>\0", 10);
        CHECK(errorOf(makeZip(workbookParts(utf16))) ==
              "项目.xlsx：xl/worksheets/sheet1.xml 不是 UTF-8 编码的 XML，无法读取；请在 Excel 中重新保存后再试。");
    }
    SECTION("rows, columns and cell size") {
        ReadLimits limits;
        limits.maxRows = 2;
        limits.maxColumns = 3;
        limits.maxCellBytes = 10;
        CHECK(errorOf(handMade(R"(<row r="1"><c><v>1</v></c></row><row r="3"><c><v>1</v></c></row>)"), "", limits) ==
              "项目.xlsx：工作表“Sheet1”超过 2 行的上限（第 3 行），已拒绝读取。");
        CHECK(errorOf(handMade(R"(<row r="2"><c r="D2"><v>1</v></c></row>)"), "", limits) ==
              "项目.xlsx：工作表“Sheet1”第 2 行超过 3 列的上限，已拒绝读取。");
        CHECK(errorOf(handMade(R"(<row r="2"><c r="B2" t="inlineStr"><is><t>12345678901</t></is></c></row>)"), "", limits) ==
              "项目.xlsx[Sheet1!B2]：单元格内容超过 10 字节的上限，已拒绝读取。");
        CHECK(errorOf(handMade(R"(<row r="1"><c t="s"><v>1</v></c></row>)", "<si><t>a</t></si><si><t>一二三四</t></si>"), "", limits) ==
              "项目.xlsx：共享字符串表（xl/sharedStrings.xml）第 2 项超过 10 字节的单元格上限，已拒绝读取。");
        const Table t =
            readXlsx(handMade(R"(<row r="2"><c r="C2" t="inlineStr"><is><t>1234567890</t></is></c></row>)"), "项目.xlsx", "", limits);
        requireCell(t, 0, 2, CellKind::Text, "1234567890");
    }
}

// How fast this reads is the benchmark's business (bench/), not a unit test's.
TEST_CASE("xlsx: 100k rows read whole", "[ingest]") {
    const std::string bytes = makeWorkbook([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "指标");
        for (lxw_row_t r = 0; r < 100'000; ++r) {
            worksheet_write_string(ws, r, 0, "P001", nullptr);
            worksheet_write_string(ws, r, 1, "产出指标", nullptr);
            worksheet_write_number(ws, r, 2, double(r) + 0.5, nullptr);
            worksheet_write_number(ws, r, 3, 95, nullptr);
            worksheet_write_string(ws, r, 4, "%", nullptr);
        }
    });
    const Table t = readXlsx(bytes, "指标.xlsx", "");
    REQUIRE(t.rows.size() == 100'000);
    requireCell(t, 99'999, 2, CellKind::Number, "99999.5");
    CHECK(t.rows.back().row == 100'000);
}

TEST_CASE("fuzz regressions and seeds: only ReadError or success", "[ingest]") {
    namespace fs = std::filesystem;
    const fs::path root = fs::path(JIXIAO_SOURCE_DIR) / "tests" / "fuzz";
    int replayed = 0;
    for (const char* reader : {"xlsx", "csv"}) {
        for (const char* kind : {"regressions", "corpus"}) {
            const fs::path folder = root / kind / reader;
            if (!fs::is_directory(folder)) continue;
            for (const auto& entry : fs::directory_iterator(folder)) {
                if (!entry.is_regular_file() || entry.path().filename() == ".gitkeep") continue;
                INFO(entry.path().string());
                const std::string bytes = readBytes(entry.path().string());
                try {
                    if (std::string(reader) == "xlsx") readXlsx(bytes, "fuzz.xlsx", "");
                    else readCsv(bytes, "fuzz.csv");
                } catch (const ReadError&) {
                    // A clear refusal is a correct answer; anything else escapes and fails.
                }
                ++replayed;
            }
        }
    }
    CHECK(replayed >= 0);
}

// Run explicitly (`jixiao_tests "[corpus]"`) to rewrite the XLSX seeds of the fuzz corpus.
TEST_CASE("write the XLSX fuzz seed corpus", "[.corpus]") {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(JIXIAO_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / "xlsx";
    fs::create_directories(folder);
    auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(folder / name, std::ios::binary) << bytes;
        CHECK_NOTHROW(readXlsx(bytes, name, ""));
    };
    write("libxlsxwriter.xlsx", makeWorkbook([](lxw_workbook* wb) {
              lxw_doc_properties properties = {};
              properties.created = 1'700'000'000;  // pinned so the seed's bytes are stable
              workbook_set_properties(wb, &properties);
              lxw_worksheet* ws = workbook_add_worksheet(wb, "项目");
              worksheet_write_string(ws, 0, 0, "项目编码", nullptr);
              worksheet_write_string(ws, 0, 1, "项目名称", nullptr);
              worksheet_write_string(ws, 0, 2, "全年预算数", nullptr);
              worksheet_write_string(ws, 1, 0, "P001", nullptr);
              worksheet_write_string(ws, 1, 1, "乡村道路改造", nullptr);
              worksheet_write_number(ws, 1, 2, 1234.5, nullptr);
              worksheet_write_formula_num(ws, 1, 3, "=C2*2", nullptr, 2469);
              worksheet_write_boolean(ws, 1, 4, 1, nullptr);
              worksheet_write_number(ws, 3, 2, 95, nullptr);
              worksheet_write_string(workbook_add_worksheet(wb, "明细"), 0, 0, "备注", nullptr);
          }));
    const std::string rich =
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><r><t>实际</t></r><r><t>完成值</t></r></is></c>)"
        R"(<c r="D1" t="str"><f>A1</f><v>x_x000D_y</v></c><c t="e"><v>#N/A</v></c><c t="b"><v>0</v></c></row>)"
        R"(<row><c><v>1E-3</v></c></row>)";
    const std::string items =
        R"(<si><r><rPr><b/></rPr><t xml:space="preserve">年度 </t></r><r><t>目标</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>)";
    write("handmade.xlsx", handMade(rich, items));
    write("data_descriptor.xlsx", makeZip(workbookParts(worksheet(rich), sharedStrings(items)), ZipStyle::DataDescriptor));
    // Stored parts let the fuzzer mutate the XML itself (the CRC fails only after parsing).
    write("stored.xlsx", makeZip(workbookParts(worksheet(rich), sharedStrings(items)), ZipStyle::Stored));
    write("zip64.xlsx", makeZip(workbookParts(worksheet(rich), sharedStrings(items)), ZipStyle::Zip64));
}

namespace {

/// "row:kind text|…" per row, the rows the table holds then those from Table::rest.
std::string dumpAll(const Table& t) {
    std::vector<Row> rows = t.rows;
    if (t.rest) {
        for (Row row; t.rest->next(row);) rows.push_back(row);
    }
    std::string out;
    for (const Row& row : rows) {
        out += std::to_string(row.row) + ":";
        for (const Cell& cell : row.cells) out += std::to_string(int(cell.kind)) + cell.text + "|";
        out += "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("xlsx: rows past the held ones are spilled and come back as a whole read gives them", "[ingest]") {
    const std::string bytes = makeWorkbook([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "指标");
        for (lxw_row_t r = 0; r < 40; ++r) {
            if (r == 20) continue;  // an absent row stays absent
            worksheet_write_string(ws, r, 0, ("P" + std::to_string(r)).c_str(), nullptr);
            if (r % 3 == 0) worksheet_write_number(ws, r, 2, double(r) + 0.25, nullptr);
            if (r == 33) worksheet_write_string(ws, r, 3, "含\x01控制字符", nullptr);
            if (r == 35) worksheet_write_boolean(ws, r, 4, 1, nullptr);
        }
    });
    const Table whole = readXlsx(bytes, "指标.xlsx", "");
    CHECK_FALSE(whole.rest);
    const Table held = readXlsx(bytes, "指标.xlsx", "", {}, 11);
    CHECK(held.rows.size() == 11);
    REQUIRE(held.rest);
    CHECK(dumpAll(held) == dumpAll(whole));
    CHECK(dumpAll(whole).find("34:1P33|0|233.25|1含\x01控制字符|\n") != std::string::npos);
    // The control character in row 34 is known, and a second pass reads the same rows.
    CHECK_FALSE(held.rest->xmlSafe());
    Row row;
    auto again = held.rest->again();
    REQUIRE(again->next(row));
    CHECK(row.row == 12);
    const Table plain = readXlsx(makeWorkbook([](lxw_workbook* wb) {
                                     lxw_worksheet* ws = workbook_add_worksheet(wb, "指标");
                                     for (lxw_row_t r = 0; r < 20; ++r) worksheet_write_string(ws, r, 0, "￥", nullptr);
                                 }),
                                 "指标.xlsx", "", {}, 11);
    REQUIRE(plain.rest);
    CHECK(plain.rest->xmlSafe());
}

TEST_CASE("xlsx: a spill that cannot be written stops the read with the scratch folder's message", "[ingest]") {
    const std::string bytes = makeWorkbook([](lxw_workbook* wb) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, "指标");
        for (lxw_row_t r = 0; r < 20; ++r) worksheet_write_string(ws, r, 0, "P001", nullptr);
    });
    std::string message;
    {
        const jixiao::testing::ScopedEnv tmpdir("TMPDIR", "/nonexistent-jixiao-tmp");
        try {
            readXlsx(bytes, "指标.xlsx", "", {}, 11);
        } catch (const jixiao::model::TextStoreError& e) {
            message = e.what();
        }
    }
    CHECK(message ==
          "无法在临时文件夹 /nonexistent-jixiao-tmp 中写入临时文件（文件或文件夹不存在）。请确认磁盘有空间、该文件夹可写，"
          "或用环境变量 TMPDIR 指定另一个临时文件夹");
}
