#include "render/xlsx_xml.h"

#include <xlsxwriter/utility.h>
#include <xlsxwriter/xmlwriter.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

// libxlsxwriter's own attribute escaping (exported, not declared in its headers).
extern "C" char* _escape_attributes(struct xml_attribute* attribute);

namespace jixiao::render::xlsx {

namespace {

thread_local std::uint64_t tags = 0;

/// The tag being assembled (one per thread: workers write workbooks in parallel).
std::string& buffer() {
    thread_local std::string out;
    out.clear();
    return out;
}

/// ` key="value"` for each attribute, the value escaped by the library when it holds one of
/// the characters its writer escapes.
void appendAttributes(std::string& out, struct xml_attribute_list* attributes) {
    if (attributes == nullptr) return;
    for (struct xml_attribute* a = attributes->stqh_first; a != nullptr; a = a->list_entries.stqe_next) {
        out += ' ';
        out += a->key;
        out += '=';
        if (std::strpbrk(a->value, "&<>\"\n") != nullptr) {
            if (char* escaped = _escape_attributes(a)) {
                out += '"';
                out += escaped;
                out += '"';
                std::free(escaped);
            }
        } else {
            out += '"';
            out += a->value;
            out += '"';
        }
    }
}

void put(FILE* file, const std::string& out) {
    std::fwrite(out.data(), 1, out.size(), file);
    ++tags;
}

/// Copies up to the field's capacity (the library's LXW_ATTRIBUTE_COPY), without padding the
/// rest of the 2 KB field with zeros: only the string is ever read.
void copyField(char* field, const char* text) {
    const std::size_t n = strnlen(text, LXW_MAX_ATTRIBUTE_LENGTH - 1);
    std::memcpy(field, text, n);
    field[n] = '\0';
}

}  // namespace

std::uint64_t tagsWritten() { return tags; }

}  // namespace jixiao::render::xlsx

using jixiao::render::xlsx::appendAttributes;
using jixiao::render::xlsx::buffer;
using jixiao::render::xlsx::copyField;
using jixiao::render::xlsx::put;

void lxw_xml_start_tag(FILE* xmlfile, const char* tag, struct xml_attribute_list* attributes) {
    std::string& out = buffer();
    out += '<';
    out += tag;
    appendAttributes(out, attributes);
    out += '>';
    put(xmlfile, out);
}

void lxw_xml_empty_tag(FILE* xmlfile, const char* tag, struct xml_attribute_list* attributes) {
    std::string& out = buffer();
    out += '<';
    out += tag;
    appendAttributes(out, attributes);
    out += "/>";
    put(xmlfile, out);
}

void lxw_xml_end_tag(FILE* xmlfile, const char* tag) {
    std::string& out = buffer();
    out += "</";
    out += tag;
    out += '>';
    put(xmlfile, out);
}

void lxw_xml_data_element(FILE* xmlfile, const char* tag, const char* data, struct xml_attribute_list* attributes) {
    std::string& out = buffer();
    out += '<';
    out += tag;
    appendAttributes(out, attributes);
    out += '>';
    if (std::strpbrk(data, "&<>") != nullptr) {
        if (char* escaped = lxw_escape_data(data)) {
            out += escaped;
            std::free(escaped);
        }
    } else {
        out += data;
    }
    out += "</";
    out += tag;
    out += '>';
    put(xmlfile, out);
}

struct xml_attribute* lxw_new_attribute_str(const char* key, const char* value) {
    auto* a = static_cast<struct xml_attribute*>(std::malloc(sizeof(struct xml_attribute)));
    if (a == nullptr) return nullptr;
    copyField(a->key, key);
    copyField(a->value, value);
    return a;
}

struct xml_attribute* lxw_new_attribute_int(const char* key, uint32_t value) {
    auto* a = static_cast<struct xml_attribute*>(std::malloc(sizeof(struct xml_attribute)));
    if (a == nullptr) return nullptr;
    copyField(a->key, key);
    // The library prints it with "%d": as a signed int.
    const auto end = std::to_chars(a->value, a->value + LXW_ATTR_32, static_cast<int32_t>(value)).ptr;
    *end = '\0';
    return a;
}

struct xml_attribute* lxw_new_attribute_dbl(const char* key, double value) {
    auto* a = static_cast<struct xml_attribute*>(std::malloc(sizeof(struct xml_attribute)));
    if (a == nullptr) return nullptr;
    copyField(a->key, key);
    // The library prints it with "%.16G"; std::to_chars with the same precision gives the same
    // digits (C++17 [utility.to.chars]: as printf would) at a fraction of the cost, lowercase.
    char* const end = std::to_chars(a->value, a->value + LXW_ATTR_32 - 1, value, std::chars_format::general, 16).ptr;
    *end = '\0';
    for (char* c = a->value; c != end; ++c)
        if (*c >= 'a' && *c <= 'z') *c = static_cast<char>(*c - 'a' + 'A');  // 1E+20, INF, NAN
    return a;
}

void lxw_rowcol_to_cell(char* cell_name, lxw_row_t row, lxw_col_t col) {
    // The column's letters (A-Z, AA-ZZ, AAA-XFD: bijective base 26), then the 1-based row, as the
    // library names the cells a worksheet can hold (rows below 1,048,576, columns below 16,384;
    // it refuses to write others).
    char letters[4];
    int n = 0;
    for (std::uint32_t c = std::uint32_t(col) + 1; c > 0 && n < 4; c = (c - 1) / 26) letters[n++] = static_cast<char>('A' + (c - 1) % 26);
    char* p = cell_name;
    while (n > 0) *p++ = letters[--n];
    p = std::to_chars(p, cell_name + LXW_MAX_CELL_NAME_LENGTH - 1, row + 1).ptr;
    *p = '\0';
}
