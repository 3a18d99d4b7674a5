#include "layout/document.h"
#include "render/xlsx_writer.h"
#include "render/xlsx_zip.h"
#include "support.h"

#include <xlsxwriter/third_party/zip.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

// libxlsxwriter's packaging (its five minizip calls) goes to render/xlsx_zip: an archive built in
// memory, parts deflated by libdeflate, repeated parts deflated once.

namespace fs = std::filesystem;
using namespace jixiao;
using render::xlsx::archivesOpened;
using render::xlsx::kWholePartLimit;
using render::xlsx::takeZipFailure;

namespace {

/// Python's zipfile reads every member and checks its CRC-32 (`-t`); 0 when the archive is sound.
int pythonZipTest(const fs::path& path) { return std::system(("python3 -m zipfile -t '" + path.string() + "' >/dev/null 2>&1").c_str()); }

zip_fileinfo excelDate() {
    zip_fileinfo info{};
    info.tmz_date.tm_year = 1980;
    info.tmz_date.tm_mday = 1;
    return info;
}

int openPart(zipFile zip, const char* name, int method, int zip64 = 0) {
    const zip_fileinfo info = excelDate();
    return zipOpenNewFileInZip4_64(zip, name, &info, nullptr, 0, nullptr, 0, nullptr, method, Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, 8,
                                   Z_DEFAULT_STRATEGY, nullptr, 0, 0, 0, zip64);
}

void addPart(zipFile zip, const char* name, const std::string& bytes, int method = Z_DEFLATED) {
    REQUIRE(openPart(zip, name, method) == ZIP_OK);
    for (std::size_t at = 0; at < bytes.size(); at += 16384) {
        const std::size_t n = std::min<std::size_t>(16384, bytes.size() - at);
        REQUIRE(zipWriteInFileInZip(zip, bytes.data() + at, static_cast<unsigned>(n)) == ZIP_OK);
    }
    REQUIRE(zipCloseFileInZip(zip) == ZIP_OK);
}

/// The internal file attributes of each entry of the central directory, by name.
std::map<std::string, int> internalAttributes(const std::string& zip) {
    std::map<std::string, int> out;
    const std::string signature("PK\x01\x02", 4);
    for (std::size_t at = zip.find(signature); at != std::string::npos && at + 46 <= zip.size(); at = zip.find(signature, at + 4)) {
        const auto u16 = [&](std::size_t o) {
            return static_cast<unsigned char>(zip[at + o]) | static_cast<unsigned char>(zip[at + o + 1]) << 8;
        };
        out[zip.substr(at + 46, static_cast<std::size_t>(u16(28)))] = u16(36);
    }
    return out;
}

std::string patterned(std::size_t n, unsigned seed) {
    std::string s(n, '\0');
    unsigned x = seed;
    for (std::size_t i = 0; i < n; ++i) {
        x = x * 1103515245u + 12345u;
        s[i] = (i % 61 == 60) ? '\n' : static_cast<char>('a' + (x >> 16) % 7);
    }
    return s;
}

layout::Document smallWorkbook() {
    layout::Document doc;
    doc.meta.title = "项目支出绩效自评表";
    doc.meta.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    layout::Table table;
    table.columnWidths = {100, 200};
    layout::TableRow row;
    row.cells = {layout::Cell::label("项目名称"), layout::Cell::label("乡村道路养护")};
    table.rows.push_back(row);
    doc.blocks.push_back(table);
    return doc;
}

}  // namespace

TEST_CASE("xlsx zip: libxlsxwriter packs every workbook with jixiao's zip writer", "[render][xlsx]") {
    // If a libxlsxwriter bound its own minizip, the XLSX would still come out, only slower:
    // the call counter is what notices.
    for (const char* name : {"zipOpen", "zipOpenNewFileInZip4_64", "zipWriteInFileInZip", "zipCloseFileInZip", "zipClose"}) {
        INFO(name);
        CHECK(::dlsym(RTLD_DEFAULT, name) != nullptr);
    }
    CHECK(::dlsym(RTLD_DEFAULT, "zipOpen") == reinterpret_cast<void*>(&zipOpen));
    const std::uint64_t before = archivesOpened();
    const std::string bytes = render::renderXlsx(smallWorkbook());
    CHECK(archivesOpened() == before + 1);

    const auto parts = testing::unzipParts(bytes);
    for (const char* name : {"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
                             "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/theme/theme1.xml", "xl/worksheets/sheet1.xml"}) {
        INFO(name);
        REQUIRE(parts.count(name) == 1);
        CHECK(parts.at(name).rfind("<?xml", 0) == 0);
    }
    const std::string strings =
        parts.count("xl/sharedStrings.xml") ? parts.at("xl/sharedStrings.xml") : parts.at("xl/worksheets/sheet1.xml");
    CHECK(strings.find("乡村道路养护") != std::string::npos);

    const testing::TempDir temp("jixiao-zip-test-workbook-");
    const fs::path& dir = temp.path;
    std::ofstream(dir / "book.xlsx", std::ios::binary) << bytes;
    CHECK(pythonZipTest(dir / "book.xlsx") == 0);
    // The same workbook again (its constant parts now from the cache of repeated parts): same bytes.
    CHECK(render::renderXlsx(smallWorkbook()) == bytes);
    CHECK(render::renderXlsx(smallWorkbook()) == bytes);
    fs::remove_all(dir);
}

TEST_CASE("xlsx zip: small, big and stored parts read back, dated as Excel dates them", "[render][xlsx]") {
    const testing::TempDir temp("jixiao-zip-test-parts-");
    const fs::path& dir = temp.path;
    const fs::path path = dir / "parts.zip";
    const std::string small = "<?xml version=\"1.0\"?><a/>";
    // Deflated as it arrives; incompressible, so the archive goes to the file before the part
    // ends and its header's sizes are written into the file afterwards.
    std::string big(kWholePartLimit + kWholePartLimit / 2 + 12345, '\0');
    unsigned x = 7;
    for (char& c : big) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 23);
    const std::string stored = patterned(5000, 11);
    const auto pack = [&](const fs::path& to) {
        zipFile zip = zipOpen(to.c_str(), APPEND_STATUS_CREATE);
        REQUIRE(zip != nullptr);
        addPart(zip, "small.xml", small);
        addPart(zip, "xl/big.xml", big);
        addPart(zip, "stored.bin", stored, 0);
        addPart(zip, "empty.xml", "");
        addPart(zip, "tail.bin", std::string("<a>text\tand\r\n") + '\x01');  // binary in the last, short word
        REQUIRE(zipClose(zip, nullptr) == ZIP_OK);
    };
    pack(path);
    CHECK(takeZipFailure().empty());

    const std::string bytes = testing::slurp(path.string());
    CHECK(bytes.size() < big.size() + small.size() + stored.size() + 2000);
    const auto parts = testing::unzipParts(bytes);
    REQUIRE(parts.size() == 5);
    CHECK(parts.at("small.xml") == small);
    CHECK(parts.at("xl/big.xml") == big);
    CHECK(parts.at("stored.bin") == stored);
    CHECK(parts.at("empty.xml").empty());
    // Local header of the first part: time 00:00:00, date 1980-01-01 (day 1 + month 1 * 32).
    REQUIRE(bytes.size() > 14);
    CHECK(bytes.substr(10, 4) == std::string("\x00\x00\x21\x00", 4));
    // Bit 0, "text", as minizip set it from zlib's guess: XML yes, random bytes and empty parts no.
    const auto attributes = internalAttributes(bytes);
    CHECK(attributes.at("small.xml") == 1);
    CHECK(attributes.at("xl/big.xml") == 0);
    CHECK(attributes.at("stored.bin") == 1);
    CHECK(attributes.at("empty.xml") == 0);
    CHECK(attributes.at("tail.bin") == 0);
    CHECK(pythonZipTest(path) == 0);

    // The same archive built in memory (render::xlsx::MemoryArchive): the same bytes, the big
    // part's header patched in memory, and no file made.
    const fs::path unused = dir / "never-made.zip";
    render::xlsx::MemoryArchive memory;
    pack(unused);
    CHECK(memory.take() == bytes);
    CHECK_FALSE(fs::exists(unused));

    // A request for memory that no archive used is withdrawn with its object: the next archive
    // goes to its file again.
    { render::xlsx::MemoryArchive unusedRequest; }
    zipFile again = zipOpen(path.c_str(), APPEND_STATUS_CREATE);
    REQUIRE(again != nullptr);
    addPart(again, "small.xml", small);
    REQUIRE(zipClose(again, nullptr) == ZIP_OK);
    CHECK(testing::unzipParts(testing::slurp(path.string())).at("small.xml") == small);
    fs::remove_all(dir);
}

TEST_CASE("xlsx zip: a part seen again is deflated once and gives the same archive", "[render][xlsx]") {
    // Content no earlier test wrote: the first archive deflates it, the second deflates it and
    // keeps it, the third takes it from the cache.
    const std::string part = "<theme>" + std::to_string(::getpid()) + patterned(20000, 3) + "</theme>";
    const testing::TempDir temp("jixiao-zip-test-repeat-");
    const fs::path& dir = temp.path;
    std::string first;
    for (int i = 0; i < 3; ++i) {
        const fs::path path = dir / ("r" + std::to_string(i) + ".zip");
        zipFile zip = zipOpen(path.c_str(), APPEND_STATUS_CREATE);
        REQUIRE(zip != nullptr);
        addPart(zip, "xl/theme/theme1.xml", part);
        REQUIRE(zipClose(zip, nullptr) == ZIP_OK);
        const std::string bytes = testing::slurp(path.string());
        if (i == 0) first = bytes;
        INFO("archive " << i);
        CHECK(bytes == first);
        CHECK(testing::unzipParts(bytes).at("xl/theme/theme1.xml") == part);
    }
    fs::remove_all(dir);
}

TEST_CASE("xlsx zip: what it does not write is refused", "[render][xlsx]") {
    const testing::TempDir temp("jixiao-zip-test-refuse-");
    const fs::path& dir = temp.path;
    const fs::path path = dir / "refused.zip";
    zipFile zip = zipOpen(path.c_str(), APPEND_STATUS_CREATE);
    REQUIRE(zip != nullptr);
    CHECK(openPart(zip, "xl/worksheets/sheet1.xml", Z_DEFLATED, 1) == ZIP_PARAMERROR);
    CHECK(takeZipFailure() == "XLSX 的 ZIP64 格式未实现（xl/worksheets/sheet1.xml）");
    CHECK(openPart(zip, "a.bin", 12) == ZIP_PARAMERROR);        // bzip2
    CHECK(zipWriteInFileInZip(zip, "x", 1) == ZIP_PARAMERROR);  // no part open
    CHECK(zipClose(zip, nullptr) == ZIP_OK);                    // an empty archive is still one
    CHECK(pythonZipTest(path) == 0);

    CHECK(zipOpen(path.c_str(), APPEND_STATUS_ADDINZIP) == nullptr);
    errno = 0;
    CHECK(zipOpen((dir / "missing" / "book.xlsx").c_str(), APPEND_STATUS_CREATE) == nullptr);
    CHECK(errno == ENOENT);
    fs::remove_all(dir);
}
