#include "layout/document.h"
#include "render/xlsx_writer.h"
#include "render/xlsx_xml.h"

#include <xlsxwriter/utility.h>
#include <xlsxwriter/xmlwriter.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

// libxlsxwriter's XML helpers are defined by render/xlsx_xml with the library's output, byte for
// byte: checked here against the library's own definitions (the next ones after the program's).

using namespace jixiao;

namespace {

template <class F>
F library(const char* name) {
    void* f = ::dlsym(RTLD_NEXT, name);
    INFO(name);
    REQUIRE(f != nullptr);
    REQUIRE(f != ::dlsym(RTLD_DEFAULT, name));
    return reinterpret_cast<F>(f);
}

using NewStr = struct xml_attribute* (*)(const char*, const char*);
using NewInt = struct xml_attribute* (*)(const char*, uint32_t);
using NewDbl = struct xml_attribute* (*)(const char*, double);
using Tag = void (*)(FILE*, const char*, struct xml_attribute_list*);
using EndTag = void (*)(FILE*, const char*);
using DataElement = void (*)(FILE*, const char*, const char*, struct xml_attribute_list*);

/// An attribute list as the library's macros build it.
struct Attributes {
    struct xml_attribute_list list {};
    std::vector<struct xml_attribute*> items;

    Attributes() { list.stqh_last = &list.stqh_first; }
    ~Attributes() {
        for (auto* a : items) std::free(a);
    }
    void add(struct xml_attribute* a) {
        REQUIRE(a != nullptr);
        a->list_entries.stqe_next = nullptr;
        *list.stqh_last = a;
        list.stqh_last = &a->list_entries.stqe_next;
        items.push_back(a);
    }
};

/// What `write` puts into a stream.
template <class Write>
std::string written(Write&& write) {
    char* data = nullptr;
    std::size_t size = 0;
    FILE* f = ::open_memstream(&data, &size);
    REQUIRE(f != nullptr);
    write(f);
    std::fclose(f);
    std::string out(data, size);
    std::free(data);
    return out;
}

const std::string kLong(3000, 'x');

/// The same attributes made by `str`, `num` and `dbl` (the library's or the program's).
void fill(Attributes& a, NewStr str, NewInt num, NewDbl dbl) {
    a.add(str("name", "项目支出绩效自评表"));
    a.add(str("formula", "IF(A1<>\"\",A1&\"元\",\"—\")"));
    a.add(str("lines", "first\nsecond"));
    a.add(str("empty", ""));
    a.add(str("long", kLong.c_str()));
    a.add(num("r", 0));
    a.add(num("s", 42));
    a.add(num("max", 0xFFFFFFFFu));
    a.add(dbl("w", 13.140625));
    a.add(dbl("third", 1.0 / 3.0));
    a.add(dbl("big", 1e20));
    a.add(dbl("zero", -0.0));
    // Row heights and widths: "%.16G" is not the shortest form of every two-decimal value.
    for (double v : {0.07, 0.56, 0.69, 15.6, 19.75, 9.95, 123456789.12, 1e15, 1e16, 1.5e-7, -2.5, 0.0}) a.add(dbl("v", v));
    for (double v :
         {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
          std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()})
        a.add(dbl("edge", v));
}

}  // namespace

TEST_CASE("xlsx xml: the library's tag helpers write what the library itself writes", "[render][xlsx]") {
    const auto libStr = library<NewStr>("lxw_new_attribute_str");
    const auto libInt = library<NewInt>("lxw_new_attribute_int");
    const auto libDbl = library<NewDbl>("lxw_new_attribute_dbl");
    const auto libStart = library<Tag>("lxw_xml_start_tag");
    const auto libEmpty = library<Tag>("lxw_xml_empty_tag");
    const auto libEnd = library<EndTag>("lxw_xml_end_tag");
    const auto libData = library<DataElement>("lxw_xml_data_element");

    Attributes theirs;
    Attributes ours;
    fill(theirs, libStr, libInt, libDbl);
    fill(ours, lxw_new_attribute_str, lxw_new_attribute_int, lxw_new_attribute_dbl);
    REQUIRE(theirs.items.size() == ours.items.size());
    for (std::size_t i = 0; i < ours.items.size(); ++i) {
        INFO("attribute " << i);
        CHECK(std::string(ours.items[i]->key) == theirs.items[i]->key);
        CHECK(std::string(ours.items[i]->value) == theirs.items[i]->value);
    }
    CHECK(std::string(ours.items[4]->value).size() == LXW_MAX_ATTRIBUTE_LENGTH - 1);  // truncated as the library does
    CHECK(std::string(ours.items[7]->value) == "-1");                                 // "%d" of 0xFFFFFFFF

    for (struct xml_attribute_list* attrs : {&ours.list, static_cast<struct xml_attribute_list*>(nullptr)}) {
        CHECK(written([&](FILE* f) { lxw_xml_start_tag(f, "row", attrs); }) == written([&](FILE* f) { libStart(f, "row", attrs); }));
        CHECK(written([&](FILE* f) { lxw_xml_empty_tag(f, "c", attrs); }) == written([&](FILE* f) { libEmpty(f, "c", attrs); }));
        for (const char* data : {"plain", "", "A&B <tag> \"quoted\"\nnext", "绩效 > 90 & 满意度 < 100"}) {
            INFO(data);
            CHECK(written([&](FILE* f) { lxw_xml_data_element(f, "t", data, attrs); }) ==
                  written([&](FILE* f) { libData(f, "t", data, attrs); }));
        }
    }
    CHECK(written([](FILE* f) { lxw_xml_end_tag(f, "sheetData"); }) == written([&](FILE* f) { libEnd(f, "sheetData"); }));
    CHECK(written([&](FILE* f) {
              lxw_xml_empty_tag(f, "x", &ours.list);
          }).rfind("<x name=\"项目支出绩效自评表\" formula=\"IF(A1&lt;&gt;", 0) == 0);
}

TEST_CASE("xlsx xml: cell names are the library's", "[render][xlsx]") {
    using CellName = void (*)(char*, lxw_row_t, lxw_col_t);
    const auto libCell = library<CellName>("lxw_rowcol_to_cell");
    for (lxw_row_t row : {0u, 1u, 8u, 9u, 99u, 65535u, 65536u, 999999u, 1048575u})
        for (lxw_col_t col : {0, 1, 25, 26, 27, 51, 52, 701, 702, 703, 16383}) {  // what a worksheet holds
            char ours[LXW_MAX_CELL_NAME_LENGTH] = {};
            char theirs[LXW_MAX_CELL_NAME_LENGTH] = {};
            lxw_rowcol_to_cell(ours, row, col);
            libCell(theirs, row, col);
            INFO("row " << row << " col " << col);
            CHECK(std::string(ours) == theirs);
        }
    char name[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(name, 1048575, 16383);
    CHECK(std::string(name) == "XFD1048576");
}

TEST_CASE("xlsx xml: libxlsxwriter writes its parts through jixiao's tag helpers", "[render][xlsx]") {
    // If a libxlsxwriter bound its helpers internally, the parts would still come out, only slower.
    const std::uint64_t before = render::xlsx::tagsWritten();
    layout::Document doc;
    doc.meta.created = layout::FixedDate{2025, 3, 5, 9, 30, 0, 480};
    const std::string bytes = render::renderXlsx(doc);
    CHECK(!bytes.empty());
    CHECK(render::xlsx::tagsWritten() > before + 100);
}
