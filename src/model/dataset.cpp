#include "model/dataset.h"

#include <algorithm>

namespace jixiao::model {

int SourceRef::column(const std::string& header) const {
    if (!columns) return -1;
    auto it = columns->find(header);
    return it == columns->end() ? -1 : it->second;
}

bool Indicator::percentScale() const {
    return unitOfMeasure == "%" || unitOfMeasure == "％" || target.percentSign || actual.percentSign;
}

namespace {
template <class T>
const T* findByCode(const std::vector<T>& items, const std::string& code) {
    auto it = std::lower_bound(items.begin(), items.end(), code,
                               [](const T& item, const std::string& c) { return item.code < c; });
    return it != items.end() && it->code == code ? &*it : nullptr;
}
} // namespace

const Unit* Dataset::findUnit(const std::string& code) const { return findByCode(units, code); }

const Project* Dataset::findProject(const std::string& code) const { return findByCode(projects, code); }

const Unit* Dataset::departmentOf(const std::string& unitCode) const {
    const Unit* unit = findUnit(unitCode);
    // Bounded walk: a cycle in 主管部门编码 is reported by validation, not followed forever.
    for (int depth = 0; unit && depth < 16; ++depth) {
        if (unit->parentCode.empty() || unit->kind == UnitKind::Department) return unit;
        unit = findUnit(unit->parentCode);
    }
    return nullptr;
}

} // namespace jixiao::model
