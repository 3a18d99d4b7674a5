#pragma once

#include "layout/context.h"
#include "layout/form.h"
#include "layout/template_text.h"
#include "layout/value.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace jixiao::layout {

/// The files a form is rendered to (form.json "formats"). DOCX (for editing in WPS or Word) is
/// made on request only: `--documents docx` or `all`.
enum class FormFormat { Pdf, Xlsx, Docx, Ofd };

/// "pdf", "xlsx", "docx", "ofd": the file extension without the dot, as form.json and --documents write it.
const char* formatName(FormFormat format);

/// The body of a form: `layout.json` (layout/form.h) or a workbook drawn in Excel or WPS
/// (`表样.xlsx`, layout/excel_form.h).
enum class FormKind { Layout, Excel };

class ExcelForm;

/// A form: a folder under templates/ holding a form.json and its body.
struct Form {
    std::string name;       ///< the folder's name, as --documents selects it
    std::string title;      ///< form.json "title": the document's name (manifest, XLSX sheet)
    std::string shortName;  ///< form.json "short_name": another name for --documents
    FormPer per = FormPer::Project;
    std::vector<FormFormat> formats;
    FormKind kind = FormKind::Layout;
    std::optional<FormTemplate> layout;      ///< kind Layout
    std::shared_ptr<const ExcelForm> excel;  ///< kind Excel
    std::optional<TextTemplate> file;        ///< form.json "file"
    std::string filePattern;                 ///< form.json "file" as written; empty without one
    bool isPublic = false;                   ///< form.json "public": shown on the disclosure site
    /// form.json "role": "letter": the feedback letter, numbered by the letter register and
    /// the one form `jixiao letters issue` makes.
    bool isLetter = false;

    /// The output file stem for `data` (form.json "file", else the folder's name), before
    /// publish makes it safe.
    std::string fileStem(const Value& data) const;
    bool produces(FormFormat format) const;
};

/// Every form of a run: the bundled ones (templates/ of jixiao's data folder) with the user's
/// folder (--templates) laid over them, a user's form replacing the bundled form of the same
/// name. A user folder with a layout.json but no form.json keeps the bundled form.json of its
/// name; one without either is reported in `ignored`.
class FormSet {
public:
    /// Reads every form. Throws TemplateError naming the file, line and column of the first
    /// mistake.
    static FormSet load(const TemplateFolders& folders);

    /// In name order.
    const std::vector<Form>& forms() const { return forms_; }
    /// The form named `name` (folder or short name), or nullptr.
    const Form* find(const std::string& name) const;
    /// The feedback letter (form.json "role": "letter"), or nullptr. A user's letter form,
    /// whatever its folder's name, replaces the bundled one; two letter forms in one folder
    /// are refused by load (TemplateError).
    const Form* letter() const;
    /// The first form made `per`, or nullptr.
    const Form* first(FormPer per) const;
    /// The first form made `per` that the disclosure site shows (form.json "public": true).
    const Form* publicForm(FormPer per) const;
    /// Folders that look like forms but are not (a layout.json without form.json): Chinese
    /// sentences for the run to print.
    const std::vector<std::string>& ignored() const { return ignored_; }

private:
    std::vector<Form> forms_;
    std::vector<std::string> ignored_;
};

/// A form with the formats a run makes of it.
struct FormMade {
    const Form* form;
    std::vector<FormFormat> formats;
};

/// Two forms of `made` whose files would have the same name in one run: the same "file"
/// pattern (Chinese field names read as their paths; a form without one is named after its
/// folder), a format in common, and written into the same folders (per run at the top of the
/// output, the others in the department folders). One Chinese sentence per pair naming both
/// forms and the pattern; empty when every file name is the forms' own.
std::vector<std::string> fileNameClashes(const std::vector<FormMade>& made);

/// `jixiao check --templates`: reads every form and checks each against a record of its kind
/// holding one of everything (layout/context.h fieldSample): fields, each/if, table shapes,
/// form.json, two forms writing files of the same name. Returns every problem (Chinese, file:line:column first); empty when all is well.
std::vector<std::string> checkForms(const TemplateFolders& folders);

}  // namespace jixiao::layout
