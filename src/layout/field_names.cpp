#include "layout/field_names.h"

#include <cstring>

namespace jixiao::layout {

namespace {

/// The lists whose items carry relative fields: the English path of the list, the kind of
/// item it holds (FieldName::list names the kind) and a field every such item has, by which
/// an item in a scope chain is recognised.
struct ListKind {
    const char* path;
    const char* kind;
    const char* marker;
};

const ListKind kLists[] = {
    {"project.indicators", "indicators", "level3"},
    {"project.unmet", "indicators", "level3"},
    {"department.indicators", "indicators", "level3"},
    {"project.budget.funds", "funds", "label"},
    {"project.budget.fund_lines", "funds", "label"},
    {"project.budget.fund_kinds", "funds", "label"},
    {"project.findings", "findings", "severity"},
    {"department.findings", "findings", "severity"},
    {"findings", "findings", "severity"},
    {"department.projects", "projects", "findings_count"},
    {"projects", "projects", "findings_count"},
    {"departments", "departments", "ratios"},
};

}  // namespace

const std::vector<FieldName>& fieldNames() {
    static const std::vector<FieldName> names = {
        // Every document.
        {"年度", "year", "", "预算年度，如 2024"},
        {"发文机关", "authority", "", "评价机关（dataset.json 的“发文机关”）"},
        {"日期", "today", "", "本次运行的日期（--date），如 2025-03-05；加 |cn_date 写成 2025年3月5日"},
        {"评分规则", "rule_set_title", "", "评分规则的名称"},
        // A project's documents (per: project).
        {"项目编码", "project.code", "", "项目编码"},
        {"项目名称", "project.name", "", "项目名称"},
        {"项目类别", "project.category", "", "项目类别"},
        {"功能分类", "project.function_class", "", "支出功能分类"},
        {"资金来源", "project.funding_source", "", "资金来源"},
        {"实施期", "project.period", "", "项目实施期"},
        {"年度总体目标", "project.goal", "", "年度总体目标（预期目标）"},
        {"实际完成情况", "project.achieved", "", "总体目标的实际完成情况"},
        {"实施单位", "project.unit.name", "", "实施单位名称"},
        {"主管部门", "project.department.name", "", "主管部门名称"},
        {"年初预算数", "project.budget.initial", "", "年初预算数（万元）"},
        {"全年预算数", "project.budget.adjusted", "", "全年预算数（调整后，万元）"},
        {"全年执行数", "project.budget.executed", "", "全年执行数（万元）"},
        {"执行率", "project.budget.rate", "", "预算执行率（小数，加 |percent 显示为百分数）"},
        {"预算执行分值", "project.budget.weight", "", "预算执行率的分值（通常 10 分）"},
        {"预算执行得分", "project.budget.score", "", "预算执行率的得分"},
        {"预算执行偏差原因", "project.budget.reason", "", "资金表中填报的偏差原因"},
        {"总分", "project.total", "", "自评总分"},
        {"等级", "project.grade", "", "自评等级：优、良、中、差"},
        {"总分值", "project.weight_total", "", "各项分值合计（通常 100）"},
        {"指标个数", "project.indicators_count", "", "绩效指标条数"},
        {"指标", "project.indicators", "", "绩效指标列表，用于 each"},
        {"未完成指标", "project.unmet", "", "完成率低于 100% 的指标列表，用于 each"},
        {"资金", "project.budget.funds", "", "项目资金的四行（年度资金总额、当年财政拨款、上年结转、其他资金），用于 each"},
        {"资金明细", "project.budget.fund_lines", "", "项目资金中年度资金总额以下的各行，用于 each"},
        {"资金分类", "project.budget.fund_kinds", "", "按资金性质分列的资金行（含财政专户管理资金、单位资金），用于 each"},
        {"问题", "project.findings", "", "评分发现的问题列表，用于 each"},
        // A department's documents (per: department).
        {"部门编码", "department.code", "", "部门编码"},
        {"部门名称", "department.name", "", "部门名称"},
        {"全年预算数", "department.project_adjusted", "", "部门各项目全年预算数合计（万元）"},
        {"全年执行数", "department.project_executed", "", "部门各项目全年执行数合计（万元）"},
        {"执行率", "department.project_rate", "", "部门各项目的预算执行率"},
        {"项目个数", "department.project_count", "", "部门的项目个数"},
        {"项目加权平均分", "department.budget_weighted_total", "", "按全年预算数加权的项目平均分"},
        {"指标", "department.indicators", "", "部门整体绩效指标列表，用于 each"},
        {"项目", "department.projects", "", "部门的项目列表，用于 each"},
        {"问题", "department.findings", "", "部门整体评分发现的问题列表，用于 each"},
        // A feedback letter (per: unit).
        {"文号", "letter.number", "", "发文字号（草稿为空）"},
        {"成文日期", "letter.date", "", "成文日期"},
        {"整改期限", "letter.deadline", "", "整改期限"},
        {"单位名称", "unit.name", "", "收文单位名称"},
        {"单位编码", "unit.code", "", "收文单位编码"},
        {"项目", "projects", "", "反馈函涉及的项目（每项含 project.…）；汇总表中为全部项目，用于 each"},
        // The summary workbook (per: run).
        {"部门", "departments", "", "全部部门，用于 each"},
        {"问题", "findings", "", "全部问题，用于 each"},
        // Items of every list.
        {"序号", "@index", "indicators", "列表中的序号，从 1 开始"},
        {"序号", "@index", "funds", "列表中的序号，从 1 开始"},
        {"序号", "@index", "findings", "列表中的序号，从 1 开始"},
        {"序号", "@index", "projects", "列表中的序号，从 1 开始"},
        {"序号", "@index", "departments", "列表中的序号，从 1 开始"},
        // Items of 指标 (project or department indicators).
        {"一级指标", "level1", "indicators", "一级指标，如 产出指标"},
        {"二级指标", "level2", "indicators", "二级指标，如 数量指标"},
        {"三级指标", "level3", "indicators", "三级指标（指标名称）"},
        {"年度指标值", "target", "indicators", "年度指标值（含比较符和计量单位，如 ≥95%）"},
        {"实际完成值", "actual", "indicators", "实际完成值"},
        {"计量单位", "unit", "indicators", "计量单位，如 人次、%"},
        {"比较符", "operator", "indicators", "比较符：≥、≤、＝ 等"},
        {"分值", "weight", "indicators", "指标分值"},
        {"得分", "score", "indicators", "指标得分（按评分规则计算）"},
        {"自评得分", "self_score", "indicators", "单位填报的自评得分"},
        {"完成率", "completion", "indicators", "完成率（小数，加 |percent）"},
        {"偏差率", "variance", "indicators", "偏差率（小数，加 |percent）"},
        {"偏差原因", "reason", "indicators", "填报的偏差原因"},
        {"改进措施", "measures", "indicators", "填报的改进措施"},
        {"偏差原因分析", "analysis", "indicators", "偏差原因与改进措施合在一起"},
        {"扣分说明", "adjustment", "indicators", "指标偏离扣分的说明"},
        // Items of 资金.
        {"资金项目", "label", "funds", "行名，如 年度资金总额、其中：当年财政拨款"},
        {"年初预算数", "initial", "funds", "该行的年初预算数"},
        {"全年预算数", "adjusted", "funds", "该行的全年预算数"},
        {"全年执行数", "executed", "funds", "该行的全年执行数"},
        // Items of 问题.
        {"问题代码", "code", "findings", "问题代码"},
        {"问题说明", "message", "findings", "问题的说明"},
        {"严重程度", "severity", "findings", "严重程度"},
        {"扣分", "points", "findings", "扣分"},
        // Items of 项目 (department and summary lists).
        {"项目编码", "code", "projects", "项目编码"},
        {"项目名称", "name", "projects", "项目名称"},
        {"实施单位", "unit_name", "projects", "实施单位名称"},
        {"主管部门", "department_name", "projects", "主管部门名称"},
        {"全年预算数", "adjusted", "projects", "全年预算数"},
        {"全年执行数", "executed", "projects", "全年执行数"},
        {"执行率", "rate", "projects", "预算执行率"},
        {"总分", "total", "projects", "自评总分"},
        {"等级", "grade", "projects", "自评等级"},
        // Items of 部门 (summary).
        {"部门编码", "code", "departments", "部门编码"},
        {"部门名称", "name", "departments", "部门名称"},
    };
    return names;
}

std::vector<const FieldName*> fieldNamesCalled(const std::string& name) {
    std::vector<const FieldName*> out;
    for (const auto& f : fieldNames())
        if (name == f.name) out.push_back(&f);
    return out;
}

std::string resolveFieldName(const std::string& name, const std::string& list) {
    const char* kind = "";
    for (const auto& l : kLists)
        if (list == l.path) kind = l.kind;
    const FieldName* top = nullptr;
    for (const FieldName* f : fieldNamesCalled(name)) {
        if (*kind && std::strcmp(f->list, kind) == 0) return f->path;
        if (!top && !*f->list) top = f;
    }
    return top ? top->path : name;
}

std::string resolveListName(const std::string& name) { return resolveFieldName(name, ""); }

std::string listNameOfKind(const char* kind) {
    for (const auto& l : kLists) {
        if (std::strcmp(l.kind, kind) != 0) continue;
        for (const auto& f : fieldNames())
            if (!*f.list && std::strcmp(f.path, l.path) == 0) return f.name;
    }
    return kind;
}

const char* listKindMarker(const char* kind) {
    for (const auto& l : kLists)
        if (std::strcmp(l.kind, kind) == 0) return l.marker;
    return nullptr;
}

}  // namespace jixiao::layout
