#pragma once

#include "layout/value.h"
#include "model/dataset.h"
#include "score/evaluation.h"

#include <string>
#include <vector>

namespace jixiao::layout {

/// What every document's data shares: year, issuing authority, pinned date, rule set.
struct RunFacts {
    int year = 0;
    std::string authority;
    std::string today;  ///< ISO date of the run, pinned by the app ("2025-03-05")
    std::string ruleSet;
    std::string ruleSetTitle;
    std::string letterPrefix;                         ///< 文号前缀
    std::vector<score::ApplicationRule> application;  ///< the rule set's 结果应用 table, if any
};

/// The data of one project's documents (self-evaluation table, report): `project` with its
/// budget block, indicators, findings, unit and department names. Personal data (联系人,
/// 电话, 项目负责人) is never put into a context, so no template can print it by mistake.
Value projectContext(const score::ProjectResult& project, const model::Dataset& dataset, const RunFacts& facts);

/// The data of one department's documents: `department` with its ratios, own indicators and
/// the list of its projects (code, name, unit, budget, rate, total, grade, findings count).
/// With `publicView`, classified projects are left out and only counted.
Value departmentContext(const score::DepartmentResult& department, const score::Evaluation& evaluation, const model::Dataset& dataset,
                        const RunFacts& facts, bool publicView);

/// What the history store decided for one feedback letter.
struct LetterFacts {
    std::string number;    ///< 发文字号, e.g. 某财绩函〔2025〕3号
    std::string date;      ///< 成文日期, ISO
    std::string deadline;  ///< last day to report the rectification, ISO
    bool draft = false;    ///< 草稿: no number taken yet (`number` empty), watermarked
};

/// The data of one feedback letter (绩效评价结果反馈函) to `unit`: `letter`, `unit`,
/// `contact` (the issuing office from dataset.json, never a private person) and `projects`,
/// each item holding a `project` as projectContext gives it, for the attached tables.
Value letterContext(const model::Unit& unit, const std::vector<const score::ProjectResult*>& projects, const model::Dataset& dataset,
                    const RunFacts& facts, const LetterFacts& letter);

/// A rectification past its deadline (any year), for the summary's `overdue` sheet.
struct OverdueRectification {
    std::string letter;  ///< 发文字号 of the feedback letter
    std::string unitCode;
    std::string unitName;
    std::string issuedOn;  ///< ISO
    std::string deadline;  ///< ISO
    std::string status;    ///< Chinese label
};

/// The data of the run's summary workbook: all projects, departments and findings, and the
/// rectifications past their deadline (`overdue`). The lists of projects, findings and
/// departments are generated (Value::generated): each item is made while a template walks
/// it, so `evaluation` and `dataset` must outlive the value (or take its resolved() copy).
Value summaryContext(const score::Evaluation& evaluation, const model::Dataset& dataset, const RunFacts& facts,
                     const std::vector<OverdueRectification>& overdue);

/// The data of a problem list (问题清单.xlsx) to send back to each department: `problems`, every
/// diagnostic with file, sheet, cell, row, column header, value, message and hint, and
/// `departments`, each with the problems of its projects and units (those of no department are
/// only in `problems`).
Value problemsContext(const model::Diagnostics& diagnostics, const model::Dataset& dataset, const RunFacts& facts);

/// What one copy of a form is made for (form.json "per"), and so which data it sees.
enum class FormPer {
    Project,     ///< "project": each project (projectContext)
    Department,  ///< "department": each department (departmentContext)
    Unit,        ///< "unit": each unit that receives a feedback letter (letterContext)
    Run,         ///< "run": once per run (summaryContext)
    Check,       ///< "check": the problem list of `jixiao check --problems` (problemsContext)
};

/// A record of kind `per` holding one of everything (each list one item, the execution-rate
/// cap and 结果应用 present), to check a template's fields without data: every field a real
/// record of that kind can have is in it.
Value fieldSample(FormPer per);

/// The facts of a run, from the evaluation and the dataset config.
RunFacts runFacts(const score::Evaluation& evaluation, const model::Dataset& dataset, const std::string& today);

}  // namespace jixiao::layout
