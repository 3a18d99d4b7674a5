#pragma once

#include "layout/document.h"
#include "layout/template_text.h"
#include "layout/value.h"

#include <memory>
#include <string>
#include <vector>

namespace jixiao::layout {

/// Where templates are read: the user's folder (--templates) first, then the bundled one
/// (templates/ of jixiao's data folder). Either may be empty; equal ones are one folder.
struct TemplateFolders {
    std::string user;
    std::string bundled;
    /// `<folder>/<relative>` of the first folder holding `relative`; in the user's folder (or
    /// the bundled one when there is no user folder) when neither holds it.
    std::string find(const std::string& relative) const;
};

/// A document template: `templates/<name>/layout.json` (page setup, blocks, tables with
/// column widths, header rows, merges and bindings) plus the text snippets it names. Parsed
/// once per run and then built for each project or department; see templates/README.md.
class FormTemplate {
public:
    /// Loads `<templatesDir>/<name>/layout.json`. Throws TemplateError naming file, line and,
    /// for unknown keys, the closest known one.
    static FormTemplate load(const std::string& templatesDir, const std::string& name);
    /// Loads `<name>/layout.json` from `folders`; includes and text files are looked up in
    /// the user's folder, then the bundled one.
    static FormTemplate load(const TemplateFolders& folders, const std::string& name);

    /// Checks the template against `sample`, a record holding one of everything (layout/
    /// context.h fieldSample): every field in every branch, each lists, the shape of every
    /// table. Throws TemplateError naming layout.json's line (and column for table cells).
    void check(const Value& sample) const;

    /// Builds the document for `data` (a context from layout/context.h), dated `created`.
    /// Throws TemplateError when the template describes a workbook (`sheets`).
    Document build(const Value& data, const FixedDate& created) const;

    /// The running text of the template's paragraphs and snippets (text_file; their "#"
    /// headings in the heading faces) as written, every branch of their ifs and each body once,
    /// no field filled (TextTemplate::fixedText); one paragraph each. Not a document anyone
    /// reads: with the document for an empty record it names the characters the documents of
    /// the form draw from their sentences (the PDF glyph prefix). Most records show most of a
    /// report's conditional sentences; paragraphs in an if block (notes few records have),
    /// table cells, headings and signatures are left out. Throws TemplateError for a workbook.
    std::vector<Block> fixedText() const;

    /// True when the template describes a multi-sheet workbook (`sheets` instead of `blocks`).
    bool isWorkbook() const;

    /// Builds the workbook of a `sheets` template: one sheet per entry, or per item of the
    /// entry's `each` list, with its flow, filter, frozen rows and charts.
    Workbook buildWorkbook(const Value& data, const FixedDate& created) const;
    /// The same workbook handed to `sink` as it is built, one sheet at a time.
    void buildWorkbook(const Value& data, const FixedDate& created, WorkbookSink& sink) const;

    /// The template's name (its folder).
    const std::string& name() const;

    struct Spec;

private:
    std::shared_ptr<const Spec> spec_;
};

/// "2025-03-05" → a FixedDate at midnight China time; throws TemplateError for anything else.
FixedDate fixedDate(const std::string& isoDate);

}  // namespace jixiao::layout
