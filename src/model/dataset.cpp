#include "model/dataset.h"

#include <algorithm>
#include <deque>
#include <mutex>
#include <tuple>

namespace jixiao::model {

namespace {

/// The process's source tables, each held once; ids are positions + 1.
struct HeldTables {
    std::mutex mutex;
    std::deque<SourceTable> tables;  ///< never move once held
    std::map<std::tuple<std::string, std::string, std::map<std::string, int>>, std::uint32_t> ids;
};

HeldTables& held() {
    static HeldTables* tables = new HeldTables;  // never destroyed: rows may be read at exit
    return *tables;
}

const SourceTable* tableOf(std::uint32_t id) {
    if (id == 0) return nullptr;
    HeldTables& h = held();
    std::lock_guard<std::mutex> lock(h.mutex);
    return &h.tables[id - 1];
}

}  // namespace

std::uint32_t SourceTable::hold(SourceTable table) {
    HeldTables& h = held();
    std::lock_guard<std::mutex> lock(h.mutex);
    auto key = std::make_tuple(table.file, table.sheet, table.columns);
    auto found = h.ids.find(key);
    if (found != h.ids.end()) return found->second;
    h.tables.push_back(std::move(table));
    const auto id = static_cast<std::uint32_t>(h.tables.size());
    h.ids.emplace(std::move(key), id);
    return id;
}

SourceRef SourceRef::inFile(std::string file, int row) { return {SourceTable::hold(SourceTable{std::move(file), {}, {}}), row}; }

const std::string& SourceRef::file() const {
    static const std::string none;
    const SourceTable* t = tableOf(table);
    return t ? t->file : none;
}

const std::string& SourceRef::sheet() const {
    static const std::string none;
    const SourceTable* t = tableOf(table);
    return t ? t->sheet : none;
}

int SourceRef::column(const std::string& header) const {
    const SourceTable* t = tableOf(table);
    if (!t) return -1;
    auto it = t->columns.find(header);
    return it == t->columns.end() ? -1 : it->second;
}

bool Indicator::percentScale() const { return unitOfMeasure == "%" || unitOfMeasure == "％" || target.percentSign || actual.percentSign; }

namespace {
template <class T>
const T* findByCode(const std::vector<T>& items, const std::string& code) {
    auto it = std::lower_bound(items.begin(), items.end(), code, [](const T& item, const std::string& c) { return item.code < c; });
    return it != items.end() && it->code == code ? &*it : nullptr;
}
}  // namespace

const Unit* Dataset::findUnit(const std::string& code) const { return findByCode(units, code); }

const Project* Dataset::findProject(const std::string& code) const { return findByCode(projects, code); }

namespace {
std::string withoutLeadingZeros(const std::string& code) {
    auto first = code.find_first_not_of('0');
    return first == std::string::npos ? std::string() : code.substr(first);
}
template <class T>
std::string codeLike(const std::vector<T>& items, const std::string& code) {
    const std::string bare = withoutLeadingZeros(code);
    if (bare.empty()) return {};
    for (const auto& item : items)
        if (item.code != code && withoutLeadingZeros(item.code) == bare) return item.code;
    return {};
}
}  // namespace

std::string Dataset::unitCodeLike(const std::string& code) const { return codeLike(units, code); }

std::string Dataset::projectCodeLike(const std::string& code) const { return codeLike(projects, code); }

std::string Dataset::leadingZeroHint(const std::string& table, const std::string& like) {
    return table + "中有编码“" + like +
           "”，只差前导零：Excel 常把编码存成数字而去掉前导零。请把编码列设为“文本”格式后重新导出，或补上前导零。";
}

const Unit* Dataset::departmentOf(const std::string& unitCode) const {
    const Unit* unit = findUnit(unitCode);
    // Bounded walk: a cycle in 主管部门编码 is reported by validation, not followed forever.
    for (int depth = 0; unit && depth < 16; ++depth) {
        if (unit->parentCode.empty() || unit->kind == UnitKind::Department) return unit;
        unit = findUnit(unit->parentCode);
    }
    return nullptr;
}

}  // namespace jixiao::model
