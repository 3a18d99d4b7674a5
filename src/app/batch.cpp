#include "app/batch.h"

#include "app/cli.h"
#include "app/form_output.h"
#include "app/help.h"
#include "app/progress.h"
#include "ingest/dataset_json.h"
#include "ingest/dataset_reader.h"
#include "layout/context.h"
#include "layout/excel_form.h"
#include "layout/form_set.h"
#include "model/date.h"
#include "model/validate.h"
#include "publish/atomic_file.h"
#include "publish/interrupt.h"
#include "publish/letter_register.h"
#include "publish/run_store.h"
#include "publish/output_tree.h"
#include "publish/results_json.h"
#include "render/batch_setup.h"
#include "render/pdf_writer.h"
#include "pdf/pdf_error.h"
#include "render/render_error.h"
#include "render/xlsx_writer.h"
#include "score/evaluate.h"
#include "score/rules.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <malloc.h>

#include <atomic>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

namespace jixiao::app {

std::string rulesTemplatesDir(const std::string& templatesDir, const std::string& bundledTemplatesDir) {
    if (bundledTemplatesDir.empty() || Poco::File(Poco::Path(templatesDir).append("rules")).exists()) return templatesDir;
    return bundledTemplatesDir;
}

std::optional<OutputFormats> OutputFormats::parse(const std::string& list) {
    OutputFormats set{false, false, false};
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (name == "pdf") set.pdf = true;
        else if (name == "xlsx") set.xlsx = true;
        else if (name == "ofd") set.ofd = true;
        else return std::nullopt;
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return set;
}

ScoringInput readScoringInput(const std::string& folder, const std::string& rulesFile, const std::string& templatesDir) {
    ScoringInput in;
    in.dataset = ingest::readDataset(folder, in.diags);
    model::validate(in.dataset, in.diags);
    // dataset.json names a bundled set only; --rules may also give a file.
    in.rules =
        rulesFile.empty() ? score::loadRuleSet(templatesDir, in.dataset.config.ruleSet) : score::loadRulesOption(templatesDir, rulesFile);
    return in;
}

Scored scoreInput(ScoringInput input) {
    Scored s{std::move(input.dataset), std::move(input.diags), std::move(input.rules), {}};
    s.evaluation = score::evaluate(s.dataset, s.rules, s.diags);
    return s;
}

Scored scoreDataset(const std::string& folder, const std::string& rulesFile, const std::string& templatesDir) {
    return scoreInput(readScoringInput(folder, rulesFile, templatesDir));
}

namespace {

/// A form the run renders, in the formats asked for.
struct Selected {
    const layout::Form* form;
    std::vector<layout::FormFormat> formats;
    render::PdfOptions pdf;  ///< the fonts, with the glyph prefix of the form's fixed text
};

/// The forms --documents selects: a form by its folder or short name in its formats, or in one
/// ("table-pdf", "summary:xlsx"); DOCX only on request: "docx" adds it to the forms selected
/// (to every form that has it when no form is named), "all" is every form in every format.
/// Without --documents: every form in every format but DOCX. Returns a Chinese sentence for
/// a name that is no form.
std::variant<std::vector<Selected>, std::string> selectForms(const layout::FormSet& forms, const std::string& list,
                                                             const render::PdfOptions& pdf) {
    using layout::FormFormat;
    std::vector<Selected> out;
    auto add = [&](const layout::Form& form, std::optional<FormFormat> format) {
        auto it = std::find_if(out.begin(), out.end(), [&](const Selected& s) { return s.form == &form; });
        if (it == out.end()) it = out.insert(out.end(), Selected{&form, {}, pdf});
        for (auto f : form.formats)
            if ((format ? *format == f : f != FormFormat::Docx) &&
                std::find(it->formats.begin(), it->formats.end(), f) == it->formats.end())
                it->formats.push_back(f);
    };
    auto addAll = [&](std::optional<FormFormat> format) {
        for (const auto& f : forms.forms())
            if (f.per != layout::FormPer::Check && (!format || f.produces(*format))) add(f, format);
    };
    std::vector<std::string> names;
    for (std::size_t start = 0; start <= list.size();) {
        auto comma = list.find(',', start);
        names.push_back(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    bool docx = false;
    for (const auto& name : names) {
        if (list.empty()) {
            addAll(std::nullopt);
        } else if (name == "all") {
            addAll(std::nullopt);
            docx = true;
        } else if (name == "docx") {
            docx = true;
        } else if (const layout::Form* f = forms.find(name); f && f->per != layout::FormPer::Check) {
            add(*f, std::nullopt);
        } else {
            bool found = false;
            for (auto format : {FormFormat::Pdf, FormFormat::Xlsx, FormFormat::Docx}) {
                const std::string ext = layout::formatName(format);
                for (const char* sep : {"-", ":"}) {
                    const std::string suffix = sep + ext;
                    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
                    const layout::Form* g = forms.find(name.substr(0, name.size() - suffix.size()));
                    if (!g || g->per == layout::FormPer::Check) continue;
                    if (!g->produces(format))
                        return "表“" + g->name + "”不生成 " + ext + "（form.json 的 formats 中没有），实际写了“" + name + "”。";
                    add(*g, format);
                    found = true;
                }
            }
            if (!found) {
                std::string all;
                for (const auto& g : forms.forms())
                    if (g.per != layout::FormPer::Check) all += (all.empty() ? "" : "、") + g.name;
                return "--documents 中的“" + name + "”不是 templates 下的表。可用：" + all +
                       "，可加 -pdf、-xlsx 或 -docx 只生成一种格式，写 docx 另存可编辑的 DOCX，或写 all。";
            }
        }
    }
    if (docx) {
        if (out.empty()) addAll(FormFormat::Docx);
        for (auto& s : out)
            if (s.form->produces(FormFormat::Docx) && std::find(s.formats.begin(), s.formats.end(), FormFormat::Docx) == s.formats.end())
                s.formats.push_back(FormFormat::Docx);
    }
    return out;
}

/// The form's PDF options with the glyph prefix of its document for an empty record
/// (`blank`) and its fixed text (prefixDocument), for a paged form rendered as PDF or OFD.
void withPrefix(Selected& s, const layout::Value& blank, const layout::FixedDate& created) {
    const layout::Form& form = *s.form;
    auto has = [&](layout::FormFormat f) { return std::find(s.formats.begin(), s.formats.end(), f) != s.formats.end(); };
    const bool paged = has(layout::FormFormat::Pdf) || has(layout::FormFormat::Ofd);
    if (!paged || (form.kind == layout::FormKind::Layout && form.layout->isWorkbook())) return;
    if (form.kind == layout::FormKind::Excel) s.pdf = render::withGridGlyphPrefix(s.pdf, [&] { return form.excel->fill(blank); });
    else s.pdf = render::withGlyphPrefix(s.pdf, [&] { return prefixDocument(form, blank, created); });
}

/// `--formats` laid over the selection: PDF and XLSX where selected and asked for, OFD (the
/// same pages as the PDF) for a paged form (a document or a 表样.xlsx form) whose PDF was
/// selected, DOCX as selected.
void overrideFormats(std::vector<Selected>& selected, const OutputFormats& formats) {
    using layout::FormFormat;
    for (auto& s : selected) {
        const layout::Form& form = *s.form;
        const bool document = form.kind == layout::FormKind::Excel || !form.layout->isWorkbook();
        auto has = [&](FormFormat f) { return std::find(s.formats.begin(), s.formats.end(), f) != s.formats.end(); };
        std::vector<FormFormat> out;
        if (formats.pdf && has(FormFormat::Pdf)) out.push_back(FormFormat::Pdf);
        if (formats.xlsx && has(FormFormat::Xlsx)) out.push_back(FormFormat::Xlsx);
        if (formats.ofd && document && (has(FormFormat::Pdf) || has(FormFormat::Ofd))) out.push_back(FormFormat::Ofd);
        if (std::find(s.formats.begin(), s.formats.end(), FormFormat::Docx) != s.formats.end()) out.push_back(FormFormat::Docx);
        s.formats = out;
    }
}

/// Hands the memory freed so far back to the system. Freed blocks scattered among those still
/// held count in the run's resident size until then; the worker threads allocate in arenas of
/// their own and would not reuse what the main thread freed. After scoring (the rows and cells
/// ingest let go: 228 -> 188 MiB at 20,000 projects), every 4,096 projects released and after the
/// documents (60,000 projects: 470 -> 249 MiB).
void handBackFreedMemory() { ::malloc_trim(0); }

/// Each project's detail — its indicator and funding rows as read and its indicator results —
/// let go once its documents are made and results.json is past it: what the run makes after
/// the documents (the department documents, the store, the summary) reads of a project only
/// its figures and findings; the feedback letters, which show a project whole, are made
/// before. At 60,000 projects the detail is most of what a run holds.
class DetailRelease {
public:
    explicit DetailRelease(Scored& scored) : scored_(scored) {}

    /// Project i's documents are made (any worker thread).
    void rendered(std::size_t i) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!resultsWritten_) {
                waiting_.push_back(i);
                return;
            }
        }
        release(i);
    }

    /// results.json is written (on its thread): the projects rendered before go too.
    void resultsWritten() {
        std::vector<std::size_t> waiting;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            resultsWritten_ = true;
            waiting.swap(waiting_);
        }
        for (std::size_t i : waiting) release(i);
    }

private:
    void release(std::size_t i) {
        score::ProjectResult& p = scored_.evaluation.projects[i];
        std::vector<score::IndicatorResult>().swap(p.indicators);  // they point into the rows below
        model::Dataset& ds = scored_.dataset;
        if (const model::Project* found = ds.findProject(p.code)) {
            model::Project& src = ds.projects[static_cast<std::size_t>(found - ds.projects.data())];
            std::vector<model::Indicator>().swap(src.indicators);
            std::vector<model::FundingRow>().swap(src.funds);
        }
        // Freed among blocks still held, the rows would count until the documents are done.
        if (++released_ % 4096 == 0) handBackFreedMemory();
    }

    Scored& scored_;
    std::mutex mutex_;
    bool resultsWritten_ = false;
    std::vector<std::size_t> waiting_;
    std::atomic<std::size_t> released_{0};
};

/// Everything the workers share; read-only except the output tree and the failure list.
struct Job {
    const Scored& scored;
    const layout::RunFacts facts;
    layout::FixedDate created;
    publish::OutputTree& tree;
    std::string outputDir;   // scratch for big workbooks (the summary): disk, like the output
    std::string scratchDir;  // scratch for the many small per-project workbooks
    std::vector<Selected> projectForms, departmentForms, unitForms, runForms;
};

/// Writes `form`'s files for the record `data` into `folder`.
void writeForm(const Job& job, const Selected& s, const layout::Value& data, const layout::FixedDate& created, const std::string& folder,
               const std::string& tempDir, const std::vector<std::string>& sources = {}) {
    const std::string stem = s.form->fileStem(data);
    for (auto& file : formFiles(*s.form, data, created, s.formats, s.pdf, tempDir))
        job.tree.write(folder, stem, file.extension, file.bytes, s.form->title, sources);
}

std::string source(const model::SourceRef& s) {
    std::string out = s.file() + "[";
    if (!s.sheet().empty()) out += s.sheet() + "!";
    return out + std::to_string(s.row) + "]";
}

std::string departmentFolder(const model::Dataset& ds, const std::string& code) {
    const model::Unit* u = ds.findUnit(code);
    return code.empty() ? std::string("未归属部门") : code + "_" + (u ? u->name : std::string());
}

/// One project's documents: every form made per project (none, and no context made, when
/// the run makes only other forms: `--documents summary`, `letters issue`).
void renderProject(const Job& job, const score::ProjectResult& p) {
    if (job.projectForms.empty()) return;
    const auto& ds = job.scored.dataset;
    layout::Value ctx = layout::projectContext(p, ds, job.facts);
    const std::string folder = departmentFolder(ds, p.departmentCode);
    const std::vector<std::string> sources{source(p.source), source(p.budgetSource)};
    for (const auto& s : job.projectForms) writeForm(job, s, ctx, job.created, folder, job.scratchDir, sources);
}

/// The forms made once per run (the summary workbook), written at the top of the output on a
/// thread of their own while the last documents render, rather than after them on one core.
/// What they show is the evaluation's figures and findings (never a project's detail, which the
/// documents let go meanwhile) and the rectifications past their deadline (any year), read
/// from the register when they are made: after the letters, before the store takes this run's
/// results, which they do not read.
class RunForms {
public:
    RunForms(const Job& job, const publish::LetterRegister& letters) : job_(job) {
        if (job.runForms.empty()) return;
        for (const auto& item : letters.overdue(job.facts.today)) {
            const model::Unit* unit = job.scored.dataset.findUnit(item.unitCode);
            overdue_.push_back({item.letter.text, item.unitCode, unit ? unit->name : item.unitCode, item.issuedOn, item.deadline,
                                publish::rectificationStatusLabel(item.status)});
        }
    }

    /// Begins making them (once; any thread).
    void start() {
        std::call_once(started_, [this] {
            made_ = std::async(std::launch::async, [this] {
                // A workbook is built and written one sheet at a time (formFiles).
                for (const auto& s : job_.runForms) {
                    const layout::Value data = layout::summaryContext(job_.scored.evaluation, job_.scored.dataset, job_.facts, overdue_);
                    writeForm(job_, s, data, job_.created, {}, job_.outputDir);
                }
            });
        });
    }

    /// Waits until they are written (beginning them if no document did); rethrows what making
    /// them threw.
    void finish() {
        start();
        made_.get();
    }

private:
    const Job& job_;
    std::vector<layout::OverdueRectification> overdue_;
    std::once_flag started_;
    std::future<void> made_;
};

void renderDepartment(const Job& job, const score::DepartmentResult& d) {
    const auto& ds = job.scored.dataset;
    layout::Value ctx = layout::departmentContext(d, job.scored.evaluation, ds, job.facts, false);
    const std::string folder = departmentFolder(ds, d.code);
    for (const auto& s : job.departmentForms) writeForm(job, s, ctx, job.created, folder, job.scratchDir);
}

/// Adds last year's 部门整体 figures from the store, for units whose input has this year's only.
void addFiguresFromStore(const publish::RunStore& store, model::Dataset& ds) {
    int year = ds.config.year;
    std::vector<model::DepartmentFigures> added;
    for (const auto& f : ds.figures) {
        if (f.year != year) continue;
        bool hasLast = std::any_of(ds.figures.begin(), ds.figures.end(),
                                   [&](const auto& g) { return g.unitCode == f.unitCode && g.year == year - 1; });
        if (hasLast) continue;
        auto stored = store.lastYearFigures(f.unitCode, year);
        if (stored.empty()) continue;
        model::DepartmentFigures last{f.unitCode, year - 1, {}, model::SourceRef::inFile("历史库", 0)};
        for (const auto& [name, text] : stored)
            if (auto d = model::Decimal::parse(text)) last.figures[name] = *d;
        added.push_back(std::move(last));
    }
    ds.figures.insert(ds.figures.end(), added.begin(), added.end());
    std::sort(ds.figures.begin(), ds.figures.end(),
              [](const auto& a, const auto& b) { return std::tie(a.unitCode, a.year) < std::tie(b.unitCode, b.year); });
}

/// Saves this year's project results and 部门整体 figures, for next year's ratios and for
/// year-over-year comparison.
void saveHistory(publish::RunStore& store, std::int64_t runId, const Scored& s) {
    auto text = [](const std::optional<model::Decimal>& d) { return d ? std::optional<std::string>(d->toString()) : std::nullopt; };
    const auto& projects = s.evaluation.projects;
    store.saveResults(runId, s.evaluation.year, projects.size(), [&](std::size_t i) {
        const auto& p = projects[i];
        return publish::ProjectYear{p.code,       p.unitCode,    p.departmentCode, p.name, p.adjusted.toString(), p.executed.toString(),
                                    text(p.rate), text(p.total), p.grade};
    });
    for (const auto& f : s.dataset.figures) {
        if (f.year != s.dataset.config.year) continue;
        std::map<std::string, std::string> figures;
        for (const auto& [name, value] : f.figures) figures[name] = value.toString();
        store.saveFigures(runId, f.year, f.unitCode, figures);
    }
}

/// Runs `work(i)` for i in [0, count) on up to `jobs` threads (the calling one among them). An
/// error stops the items not yet begun; the error of the lowest item that failed is rethrown
/// after the join, as a loop over the items in order would have thrown it.
void inParallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& work) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::size_t failedAt = count;
    std::exception_ptr error;
    auto body = [&] {
        for (std::size_t i; !stop && (i = next++) < count;) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (i < failedAt) {
                    failedAt = i;
                    error = std::current_exception();
                }
                stop = true;
            }
        }
    };
    const std::size_t helpers = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, jobs)), count) - (count > 0 ? 1 : 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < helpers; ++t) threads.emplace_back(body);
    body();
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
}

/// The forms made per unit (the feedback letter) for each unit with a project the rule set sends a letter for (grade 中/差
/// or a finding to rectify), in unit-code order so numbers follow the codes. Without `issue`
/// the letters are 草稿: watermarked, no number taken, nothing stored. With it each takes its
/// number from the store, which never changes it: a letter issued before keeps its number,
/// date and deadline, and the run says so. Prints the numbers to `out`. The numbers are taken
/// one letter at a time; the letters are then made on `jobs` threads (the same bytes).
void issueLetters(const Job& job, publish::LetterRegister& letters, std::int64_t runId, bool issue, int jobs, std::ostream& out) {
    const auto& s = job.scored;
    std::map<std::string, std::vector<const score::ProjectResult*>> byUnit;
    for (const auto& p : s.evaluation.projects)
        if (p.scored() && score::needsFeedback(p, s.rules)) byUnit[p.unitCode].push_back(&p);
    const int letterYear = job.created.year;
    // Without --issue a letter issued before is made again as issued, never as a 草稿 (which
    // would replace it in the output folder).
    std::map<std::string, publish::IssuedLetter> inForce;
    if (!issue)
        for (const auto& letter : letters.issuedLetters(std::nullopt))
            if (!letter.voided()) inForce[letter.evaluationKey] = letter;
    int drafts = 0;
    /// A letter to make: its unit, projects and what the register gave it.
    struct Letter {
        const model::Unit* unit;
        const std::vector<const score::ProjectResult*>* projects;
        layout::LetterFacts facts;
    };
    std::vector<Letter> made;
    for (const auto& [unitCode, projects] : byUnit) {
        const model::Unit* unit = s.dataset.findUnit(unitCode);
        if (!unit) continue;
        // The run date is checked by the CLI and 整改期限 by ingest (1–365 days); only a run
        // dated at the very end of 9999 has no deadline.
        const int days = s.dataset.config.rectificationDays;
        const auto deadline = model::Date::parse(job.facts.today).value().plusDays(days);
        if (!deadline)
            throw publish::StoreRequestError("日期 " + job.facts.today + " 加 " + std::to_string(days) + " 天超出可表示的范围。");
        layout::LetterFacts facts{"", job.facts.today, deadline->iso(), true};
        const std::string key = std::to_string(s.evaluation.year) + "/" + unitCode;  // one letter per key, ever
        if (issue) {
            publish::LetterRequest req;
            req.year = letterYear;
            req.prefix = s.dataset.config.letterPrefix + "函";
            req.unitCode = unitCode;
            req.evaluationKey = key;
            req.issuedOn = facts.date;
            req.deadline = facts.deadline;
            req.runId = runId;
            const publish::IssuedLetter letter = letters.issueLetter(req);
            if (letter.voided()) {
                // Only `letters reissue` gives a voided letter a successor: the run makes a 草稿.
                out << "反馈函 " << letter.number.text << "（" << unit->name << "）已于 " << *letter.voidedOn
                    << " 作废，本次只生成草稿，不发文。如需改发，请运行 jixiao letters reissue " << letter.number.text
                    << "，再运行 jixiao letters issue。\n";
            } else if (letter.newlyIssued) {
                out << "已发文 " << letter.number.text << "：" << unit->name << "，成文日期 " << letter.issuedOn << "，整改期限 "
                    << letter.deadline << "\n";
            } else if (letter.issuedOn != facts.date) {
                out << "反馈函 " << letter.number.text << "（" << unit->name << "）已于 " << letter.issuedOn
                    << " 发出，沿用原成文日期和整改期限 " << letter.deadline << "，不采用本次的日期 " << facts.date
                    << "。已发出的反馈函文号和日期不会改变。\n";
            }
            if (!letter.voided()) facts = {letter.number.text, letter.issuedOn, letter.deadline, false};
        } else if (const auto issued = inForce.find(key); issued != inForce.end()) {
            const publish::IssuedLetter& letter = issued->second;
            out << "反馈函 " << letter.number.text << "（" << unit->name << "）已于 " << letter.issuedOn
                << " 发出，按原文号、成文日期和整改期限 " << letter.deadline << " 重新生成，不再出草稿。\n";
            facts = {letter.number.text, letter.issuedOn, letter.deadline, false};
        } else {
            ++drafts;
        }
        made.push_back({unit, &projects, facts});
    }
    inParallel(made.size(), jobs, [&](std::size_t i) {
        const Letter& letter = made[i];
        const layout::Value ctx = layout::letterContext(*letter.unit, *letter.projects, s.dataset, job.facts, letter.facts);
        const model::Unit* department = s.dataset.departmentOf(letter.unit->code);
        for (const auto& form : job.unitForms)
            writeForm(job, form, ctx, layout::fixedDate(letter.facts.date), departmentFolder(s.dataset, department ? department->code : ""),
                      job.scratchDir);
    });
    if (drafts > 0) {
        out << "已生成 " << drafts << " 份反馈函草稿（带“草稿”水印，未取文号）。核对无误后加 --issue 重新运行即正式发文。\n";
    }
}

/// Runs `work(i)` for i in [0, count) on `jobs` threads (inParallel). An item whose document
/// cannot be made (RenderError, PdfError) is recorded and skipped; any other error — output, a
/// full disk, a stop request — stops the batch and is rethrown after the join.
class Pool {
public:
    template <class Fn>
    static std::vector<std::pair<std::size_t, std::string>> run(std::size_t count, int jobs, Progress& progress, Fn work) {
        std::mutex mutex;
        std::vector<std::pair<std::size_t, std::string>> failures;
        auto skip = [&](std::size_t i, const char* what) {
            std::lock_guard<std::mutex> lock(mutex);
            failures.emplace_back(i, what);
        };
        inParallel(count, jobs, [&](std::size_t i) {
            try {
                work(i);
            } catch (const render::ScratchFileError&) {
                throw;  // The disk, not the document: every later document would fail the same way.
            } catch (const render::RenderError& e) {
                skip(i, e.what());
            } catch (const pdf::PdfError& e) {
                skip(i, e.what());
            }
            progress.step();
        });
        std::sort(failures.begin(), failures.end());
        return failures;
    }
};

}  // namespace

namespace {

// The phases of runBatch, in order: read, score, render, publish.

/// Read: the forms the run makes (--documents, or the feedback letter alone for `letters
/// issue`; --formats), each with the PDF options of the fonts. A name that is no form is said
/// on `err`: returns nothing. No letter form for `letters issue`, or two forms writing files of
/// the same name: TemplateError, before anything is written (the output folder would refuse
/// the second file only half-way through the run).
std::optional<std::vector<Selected>> readSelection(const layout::FormSet& forms, const RunRequest& req, std::ostream& err) {
    const render::PdfOptions base{pdf::FontSet::bundled(req.fontsDir), true, nullptr,
                                  req.plainPdf ? pdf::Profile::Plain : pdf::Profile::PdfA1b};
    std::vector<Selected> selected;
    if (req.lettersOnly) {
        const layout::Form* letter = forms.letter();
        if (!letter)
            throw layout::TemplateError(
                "templates 中没有反馈函：没有哪张表的 form.json 写了 \"role\": \"letter\"，letters issue 无法发文。"
                "请在反馈函的 form.json 中加上 \"role\": \"letter\"（可参照自带的 templates/feedback-letter/form.json）。");
        selected.push_back({letter, letter->formats, base});
    } else {
        auto selection = selectForms(forms, req.documents, base);
        if (auto* problem = std::get_if<std::string>(&selection)) {
            err << "jixiao：" << *problem << '\n';
            return std::nullopt;
        }
        selected = std::move(std::get<std::vector<Selected>>(selection));
    }
    if (req.formats) overrideFormats(selected, *req.formats);
    std::vector<layout::FormMade> made;
    for (const auto& s : selected) made.push_back({s.form, s.formats});
    if (const auto clashes = layout::fileNameClashes(made); !clashes.empty())
        throw layout::TemplateError(clashes.front() + "未生成任何文件。");
    return selected;
}

/// Read: refuses a dataset.json with errors (said on `err` with the other diagnostics) before
/// anything is created.
void refuseSettingsErrors(const model::Diagnostics& diags, std::ostream& err) {
    const int n = ingest::settingsErrors(diags);
    if (n == 0) return;
    for (const auto& d : diags.list()) err << d.format() << '\n';
    throw ingest::ConfigError("dataset.json 有 " + std::to_string(n) + " 处错误（见上），未生成任何文件。请改正 dataset.json 后重新运行。");
}

/// What a run writes to, opened once its inputs are read — the first things a run creates: the
/// output folder (locked; the old manifest goes before any file is replaced), the history
/// store and its run lock (unless the caller holds it).
struct Outputs {
    publish::OutputTree tree;
    std::optional<publish::StoreDb> db;
    std::optional<publish::RunStore> store;
    std::optional<publish::LetterRegister> letters;
    publish::FileLock storeLock;

    explicit Outputs(const RunRequest& req) : tree(req.output) {
        tree.begin(req.startedAt);
        publish::sweepOrphans(render::smallWorkbookScratchDir(req.output));  // /dev/shm: scratch files of killed runs
        db.emplace(publish::StoreDb::open(req.dbPath.empty() ? req.output + "/jixiao-history.db" : req.dbPath));
        store.emplace(*db);
        letters.emplace(*db);
        if (!req.storeLockHeld) storeLock = store->lockForRun(req.startedAt);
    }
};

/// Score: how many projects were scored.
int scoredProjects(const Scored& scored) {
    const auto& all = scored.evaluation.projects;
    return int(std::count_if(all.begin(), all.end(), [](const auto& p) { return p.scored(); }));
}

/// Render: what the workers share — the run's facts and the selected forms by the record they
/// are made for, each paged PDF form with the glyph prefix of its document for an empty record
/// (no project, department or evaluation: it depends on the templates, the fonts and the run's
/// facts only).
Job prepareRendering(const RunRequest& req, const Scored& scored, const std::vector<Selected>& selected, publish::OutputTree& tree) {
    const auto& ds = scored.dataset;
    Job job{scored,
            layout::runFacts(scored.evaluation, ds, req.date),
            layout::fixedDate(req.date),
            tree,
            req.output,
            render::smallWorkbookScratchDir(req.output),
            {},
            {},
            {},
            {}};
    const layout::Value blankProject = layout::projectContext({}, ds, job.facts);
    const layout::Value blankDepartment = layout::departmentContext({}, score::Evaluation{}, ds, job.facts, false);
    // Each form's prefix (a document laid out, its glyphs subset and deflated) on `req.jobs` threads.
    std::vector<Selected> prefixed(selected);
    inParallel(prefixed.size(), req.jobs, [&](std::size_t i) {
        Selected& s = prefixed[i];
        if (s.form->per == layout::FormPer::Project) withPrefix(s, blankProject, job.created);
        if (s.form->per == layout::FormPer::Department) withPrefix(s, blankDepartment, job.created);
    });
    for (Selected& s : prefixed) {
        switch (s.form->per) {
        case layout::FormPer::Project: job.projectForms.push_back(std::move(s)); break;
        case layout::FormPer::Department: job.departmentForms.push_back(std::move(s)); break;
        case layout::FormPer::Unit: job.unitForms.push_back(std::move(s)); break;
        case layout::FormPer::Run: job.runForms.push_back(std::move(s)); break;
        case layout::FormPer::Check: break;  // written by `jixiao check --problems`
        }
    }
    return job;
}

/// What rendering the records did.
struct Rendered {
    std::size_t projects = 0;
    std::size_t departments = 0;  ///< 0 when no form is made per department
    std::size_t failed = 0;       ///< records skipped because a document could not be made
};

/// The item of the documents that begins the run's forms: the last sixteenth of the items are
/// left after it. The summary costs about an eightieth of a project's documents per project
/// (callgrind, 300 projects: 0.5 M instructions against 41 M), so it is done before the
/// documents left after it; begun later it would end the run on one core,
/// begun sooner it would hold its workbook while more projects still hold their detail.
std::size_t runFormsStart(std::size_t items) { return items - (items + 15) / 16; }

/// Render: every project's and department's documents over the thread pool (`req.jobs`), with
/// progress on `err`, the run's forms begun near their end (runFormsStart). A record whose
/// document cannot be made is said on `err` and skipped.
Rendered renderRecords(const Job& job, const RunRequest& req, DetailRelease& release, RunForms& runForms, std::ostream& err) {
    const auto& projects = job.scored.evaluation.projects;
    const auto& departments = job.departmentForms.empty() ? std::vector<score::DepartmentResult>{} : job.scored.evaluation.departments;
    const std::size_t count = projects.size() + departments.size();
    Progress progress(err, req.terminal, count, "项目与部门", req.onProgress);
    const std::size_t runFormsAt = runFormsStart(count);
    auto failures = Pool::run(count, req.jobs, progress, [&](std::size_t i) {
        publish::throwIfStopRequested();
        if (i == runFormsAt) runForms.start();
        if (i < projects.size()) {
            renderProject(job, projects[i]);
            release.rendered(i);
        } else {
            renderDepartment(job, departments[i - projects.size()]);
        }
    });
    progress.finish();
    handBackFreedMemory();
    for (const auto& [i, message] : failures) {
        std::string what = i < projects.size() ? "项目“" + projects[i].code + "”" : "部门“" + departments[i - projects.size()].code + "”";
        err << "错误：" << what << "的文档生成失败，已跳过：" << message << "。" << renderFailureAdvice() << '\n';
    }
    return {projects.size(), departments.size(), failures.size()};
}

/// Publish, begun alongside rendering: results.json needs only the evaluation, so it is written
/// while the workers render rather than after them on one core (about a second at 20,000
/// projects). The future rethrows what writing it threw.
std::future<void> publishResultsAlongside(publish::OutputTree& tree, const Scored& scored, DetailRelease& release) {
    return std::async(std::launch::async, [&tree, &scored, &release] {
        const publish::JsonNode json = publish::resultsJson(scored.evaluation, scored.diags);
        tree.writeStreamed(
            {}, "results", ".json", [&json](const publish::ByteSink& sink) { publish::writeJson(json, sink); }, "评分结果");
        release.resultsWritten();
    });
}

/// Publish: the store (this year's results and figures), then the run's forms (the summary,
/// begun while the last documents rendered) and results.json waited for, the manifest last (it
/// lists every other file), and the run recorded as finished. Returns the exit code.
int publishRun(const RunRequest& req, const Job& job, Outputs& outputs, std::int64_t runId, const Rendered& rendered, RunForms& runForms,
               std::future<void>& results, std::ostream& out) {
    const Scored& scored = job.scored;
    saveHistory(*outputs.store, runId, scored);
    runForms.finish();
    results.get();
    // A run that made every document replaces the previous run's: its files this run made no
    // more (a 草稿 once the letter is issued) go.
    if (rendered.failed == 0) {
        const std::vector<std::string> removed = outputs.tree.removeReplaced();
        if (!removed.empty()) {
            out << "已删除上次运行生成、本次已不再生成的 " << removed.size() << " 个文件：";
            for (std::size_t i = 0; i < removed.size() && i < 5; ++i) out << (i > 0 ? "、" : "") << removed[i];
            out << (removed.size() > 5 ? " 等" : "") << "\n";
        }
    }
    outputs.tree.writeManifest();

    outputs.store->finishRun(runId, rendered.failed == 0 ? publish::RunStatus::Completed : publish::RunStatus::Failed, req.clock());
    out << "已生成 " << outputs.tree.fileCount() + 1 << " 个文件到 " << req.output << "（评分项目 " << scoredProjects(scored) << "/"
        << rendered.projects << " 个，部门 " << rendered.departments << " 个）\n";
    // A document that cannot be made is the templates' or fonts' doing (a loop running past
    // the page limit, a 发文机关 too long for its box): configuration. 73 is for writing.
    if (rendered.failed > 0) return kExitConfig;
    return scored.diags.errors() > 0 ? kExitDataError : kExitOk;
}

/// Score: says the diagnostics on `err`. Returns false when there is nothing to render: no
/// project could be scored and the data has errors (then said on `err` as the whole answer,
/// rather than a template that finds no project to chart).
bool reportScoring(const Scored& scored, std::ostream& err) {
    for (const auto& d : scored.diags.list()) err << d.format() << '\n';
    if (scoredProjects(scored) > 0 || scored.diags.errors() == 0) return true;
    err << "错误：数据有 " << scored.diags.errors() << " 条错误，没有一个项目可以评分，未生成文件。请按上面的提示修改后重新运行。\n";
    return false;
}

}  // namespace

int runBatch(const RunRequest& req, std::ostream& out, std::ostream& err) {
    // Read: everything the run is configured by (templates, fonts, dataset.json, rules) is
    // read before anything is created or locked: a configuration error leaves no output
    // folder, no store and no run behind.
    const layout::FormSet forms = layout::FormSet::load({req.templatesDir, req.bundledTemplatesDir});
    for (const auto& note : forms.ignored()) err << "注意：" << note << '\n';
    const std::optional<std::vector<Selected>> selected = readSelection(forms, req, err);
    if (!selected) return kExitUsage;
    ScoringInput input = readScoringInput(req.dataset, req.rulesFile, rulesTemplatesDir(req.templatesDir, req.bundledTemplatesDir));
    refuseSettingsErrors(input.diags, err);
    Outputs outputs(req);
    addFiguresFromStore(*outputs.store, input.dataset);  // last year's 部门整体 figures, for the ratios

    // Score; the run is recorded in the store from here on.
    Scored scored = scoreInput(std::move(input));
    handBackFreedMemory();
    const std::int64_t runId = outputs.store->beginRun(
        {req.dataset, scored.evaluation.year, scored.evaluation.authority, req.startedAt, scored.evaluation.ruleSet});
    try {
        if (!reportScoring(scored, err)) {
            outputs.store->finishRun(runId, publish::RunStatus::Failed, req.clock());
            return kExitDataError;
        }
        // Render, with results.json (publish) written alongside from here on.
        DetailRelease release(scored);
        std::future<void> results = publishResultsAlongside(outputs.tree, scored, release);
        const Job job = prepareRendering(req, scored, *selected, outputs.tree);
        // The feedback letters show their projects whole: made before the documents, after
        // which a project's detail goes.
        if (!job.unitForms.empty()) issueLetters(job, *outputs.letters, runId, req.issueLetters, req.jobs, out);
        RunForms runForms(job, *outputs.letters);
        const Rendered rendered = renderRecords(job, req, release, runForms, err);
        // Publish.
        return publishRun(req, job, outputs, runId, rendered, runForms, results, out);
    } catch (...) {
        // The run is over: recorded as failed rather than left running until the next run.
        try {
            outputs.store->finishRun(runId, publish::RunStatus::Failed, req.clock());
        } catch (const std::exception& e) {
            // A note only: the error rethrown below is what the user has to act on.
            err << "注意：历史库未能把本次运行记为失败（" << e.what() << "）。\n";
        }
        throw;
    }
}

}  // namespace jixiao::app
