#pragma once

#include "layout/value.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::layout {

/// A mistake in a template. `what()` reads `templates/report/sentences.txt:12: 未知字段“执行率”，
/// 是否指“budget.rate”？` — file and line first, as editors and finance staff can follow it.
class TemplateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A parsed text template. The language is small on purpose, so that finance staff can edit
/// the sentences of a document without a programmer:
///   {{ path | filter:arg }}              insert a value (paths: `project.budget.rate`, `@index`,
///                                        or a Chinese name of layout/field_names.h: `执行率`)
///   {{#if cond}} … {{#elif cond}} … {{#else}} … {{/if}}
///   {{#each path}} … {{/each}}           repeat for each item; `@index` (from 1), `@first`, `@last`
///   {{! comment }}
/// Conditions: `path`, `not path`, `path < 0.9`, `grade == "优"`, joined with `and` / `or`.
/// Filters: percent[:places] (0.862 → 86.20%), fixed[:places], money (1,234.50), int,
/// default:"—", cn_date (2025-03-05 → 2025年3月5日), cn_num (3 → 三), abs.
class TextTemplate {
public:
    /// Parses `source`; `file` and `firstLine` are used in error messages. Throws TemplateError.
    static TextTemplate parse(const std::string& source, const std::string& file, int firstLine = 1);

    /// Renders against `data`. A path that names no field (as opposed to a null one) is a
    /// template mistake: TemplateError with the closest existing field as a suggestion.
    std::string render(const Value& data) const;
    /// Renders in a scope chain (innermost last), as block-level loops in layouts need.
    std::string render(const std::vector<const Value*>& scopes) const;
    /// Checks that every field the template names exists in `scopes` (a sample record, see
    /// layout/context.h fieldSample), in every branch of every {{#if}}, an {{#each}} body
    /// against the list's first item. Throws TemplateError as render does.
    void check(const std::vector<const Value*>& scopes) const;
    /// The template's own text without any field: every branch of every {{#if}} and each
    /// {{#each}} body once, in the order written (the characters any record may show besides
    /// its data; FormTemplate::fixedText).
    std::string fixedText() const;

    struct Node;

private:
    std::shared_ptr<const std::vector<Node>> nodes_;
    std::string file_;
};

/// The names a loop adds to the scope of each item: @index (from 1), @first, @last. One map
/// per loop, its fields set again for each item.
struct LoopVariables {
    LoopVariables();
    LoopVariables(const LoopVariables&) = delete;
    LoopVariables& operator=(const LoopVariables&) = delete;
    /// Sets the fields for item `i` of `count`.
    void at(std::size_t i, std::size_t count);
    Value scope;

private:
    Value* index_;
    Value* first_;
    Value* last_;
};

/// Looks a dotted path up in a scope chain (innermost last), as templates do; `file` and
/// `line` name the place for the TemplateError an unknown field raises.
const Value& resolvePath(const std::vector<const Value*>& scopes, const std::string& path, const std::string& file, int line);

/// Formats a number with a filter name as the templates do; shared with table cells so that
/// PDF text and XLSX cached values agree. Returns nothing for an unknown filter.
std::optional<std::string> formatNumber(const model::Decimal& value, const std::string& filter, int places);

}  // namespace jixiao::layout
