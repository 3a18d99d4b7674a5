#pragma once

#include <cstdint>

namespace jixiao::render::xlsx {

/// libxlsxwriter 1.1.4 writes every XML tag of a part through a few exported helpers, called
/// through its symbol table: lxw_xml_start_tag, lxw_xml_empty_tag, lxw_xml_end_tag,
/// lxw_xml_data_element, _fprint_escaped_attributes (each several fprintf calls) and
/// lxw_new_attribute_str/int/dbl (a 4 KB attribute whose two fields strncpy pads with zeros,
/// a double printed by snprintf), and names every cell with lxw_rowcol_to_cell (an snprintf a
/// cell). This module defines them with the same output, byte for byte: a tag is assembled in a
/// buffer and handed to the part's stream with one fwrite; numbers are printed by std::to_chars;
/// escaping is left to the library's own _escape_attributes and lxw_escape_data, called only
/// when a value needs it.

/// How many tags this module has written in the process: the evidence (for the guard test)
/// that libxlsxwriter's calls reach it.
std::uint64_t tagsWritten();

}  // namespace jixiao::render::xlsx
