#pragma once

// The Chinese names of template fields (`{{项目名称}}` for `{{project.name}}`): the one table
// that layout.json templates, text files and 表样.xlsx forms share, and that templates/README.md
// documents.

#include <string>
#include <vector>

namespace jixiao::layout {

/// One Chinese name of a field. `list` is "" for a field of the whole record (its `path` is
/// absolute, e.g. "project.name"), else the list whose items carry it (its `path` is relative
/// to an item, e.g. "level3" in "project.indicators"). A name may appear once per list.
struct FieldName {
    const char* name;
    const char* path;
    const char* list;
    const char* note;  ///< what the field holds, for the README
};

/// Every documented Chinese name, in the README's order.
const std::vector<FieldName>& fieldNames();

/// The English path a Chinese name stands for inside an `each` over `list` ("" = outside any
/// list): the entry of that list first, then the top-level one. Anything else is returned
/// unchanged (English paths pass through).
std::string resolveFieldName(const std::string& name, const std::string& list);

/// The English path of a list for `each`: "指标" → "project.indicators". Anything else is
/// returned unchanged.
std::string resolveListName(const std::string& name);

/// The entries named `name`, in table order (empty when it is no Chinese name).
std::vector<const FieldName*> fieldNamesCalled(const std::string& name);

/// The Chinese name of the first list whose items are of `kind` ("indicators" → "指标").
std::string listNameOfKind(const char* kind);

/// A field every list item of `kind` (FieldName::list) holds, by which templates recognise
/// such an item in their scope chain; nullptr for an unknown kind.
const char* listKindMarker(const char* kind);

}  // namespace jixiao::layout
