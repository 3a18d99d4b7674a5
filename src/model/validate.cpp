#include "model/validate.h"
#include "model/text.h"

#include <algorithm>

namespace jixiao::model {

namespace {
Position at(const SourceRef& ref, int column = -1, std::string header = {}) {
    return {ref.file(), ref.sheet(), ref.row, column, std::move(header)};
}
}  // namespace

void validate(const Dataset& dataset, Diagnostics& diags) {
    auto read = [&](const char* section) {
        return std::find(dataset.unreadSections.begin(), dataset.unreadSections.end(), section) == dataset.unreadSections.end();
    };
    const bool checkFunds = read("预算执行");
    const bool checkIndicators = read("绩效指标");
    for (const auto& unit : dataset.units) {
        if (unit.parentCode.empty()) continue;
        if (!dataset.findUnit(unit.parentCode)) {
            diags.error(at(unit.source, -1, "主管部门编码"), unit.parentCode,
                        "单位" + model::quoted(unit.code) + "的主管部门编码" + model::quoted(unit.parentCode) + "在单位表中不存在。",
                        dataset.unitCodeLike(unit.parentCode).empty()
                            ? "请检查编码是否写错，或在单位表中补充该部门。"
                            : Dataset::leadingZeroHint("单位表", dataset.unitCodeLike(unit.parentCode)));
        } else if (!dataset.departmentOf(unit.code)) {
            diags.error(at(unit.source, -1, "主管部门编码"), unit.parentCode,
                        "单位" + model::quoted(unit.code) + "的主管部门关系形成循环，找不到所属部门。", "部门本身的主管部门编码应留空。");
        }
    }
    for (const auto& project : dataset.projects) {
        Diagnostic d;
        d.projectCode = project.code;
        if (!dataset.findUnit(project.unitCode)) {
            d.at = at(project.source, -1, "单位编码");
            d.value = project.unitCode;
            d.message = "项目" + model::quoted(project.code) + "的单位编码" + model::quoted(project.unitCode) + "在单位表中不存在。";
            const std::string like = dataset.unitCodeLike(project.unitCode);
            d.hint = like.empty() ? "请检查编码是否写错，或在单位表中补充该单位。" : Dataset::leadingZeroHint("单位表", like);
            diags.add(d);
        }
        if (checkFunds && project.funds.empty()) {
            d.at = at(project.source);
            d.value.clear();
            d.message = "项目" + model::quoted(project.code) + "在预算执行表中没有数据。";
            d.hint = "每个项目至少需要一行预算执行数据（年度资金总额）。";
            diags.add(d);
        }
        if (checkIndicators && project.indicators.empty()) {
            d.at = at(project.source);
            d.value.clear();
            d.message = "项目" + model::quoted(project.code) + "在绩效指标表中没有指标。";
            d.hint = "每个项目至少需要一条三级绩效指标。";
            diags.add(d);
        }
    }
}

}  // namespace jixiao::model
