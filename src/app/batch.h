#pragma once

#include "model/dataset.h"
#include "model/diagnostic.h"
#include "score/evaluation.h"

#include <functional>
#include <ostream>
#include <string>

namespace jixiao::app {

/// The file formats a document is written in (`--formats`, or a form's "formats" in its
/// layout.json): PDF, XLSX (tables only) and OFD (GB/T 33190).
struct OutputFormats {
    bool pdf = true;
    bool xlsx = true;
    bool ofd = false;

    /// Parses "pdf,xlsx,ofd" (any non-empty subset). Returns nothing for an unknown name.
    static std::optional<OutputFormats> parse(const std::string& list);
};

/// What `jixiao run` was asked to do; paths already resolved by the CLI.
struct RunRequest {
    std::string dataset;
    std::string output;
    std::string rulesFile;            ///< --rules; empty = the dataset's 评分规则
    std::string templatesDir;         ///< the user's --templates, else the bundled templates
    std::string bundledTemplatesDir;  ///< the bundled templates, for forms `templatesDir` lacks; may be empty
    std::string fontsDir;
    std::string date;       ///< the run's pinned date (ISO), used for document dates
    std::string startedAt;  ///< wall-clock start of the run, for the history store only
    /// The CLI's clock (ISO 8601 local time), read for the run's finishing time only.
    std::function<std::string()> clock;
    std::string dbPath;     ///< history store; empty = <output>/jixiao-history.db
    int jobs = 1;           ///< worker threads
    bool terminal = false;  ///< stderr is a terminal: draw a progress bar
    /// --documents: forms by folder name or short name, each optionally with a format
    /// ("project-table", "table-pdf", "summary:xlsx"), comma-separated; empty or "all" = all.
    std::string documents;
    /// `letters issue`: only the feedback letter (the form whose form.json says "role":
    /// "letter"), in all its formats; `documents` is not read.
    bool lettersOnly = false;
    /// --formats: the formats of every document of the run; without it each form's own.
    std::optional<OutputFormats> formats;
    /// Told (done, total) as documents are rendered, from the worker threads; may be empty.
    std::function<void(std::size_t, std::size_t)> onProgress;
    bool plainPdf = false;      ///< --pdf-profile plain: PDFs without the PDF/A-1b objects
    bool issueLetters = false;  ///< --issue: letters take their 文号 from the store; else 草稿 without one
    /// The caller holds the store's run lock (publish::RunStore::lockForRun) for this and other
    /// runs of its own (jixiao serve runs several datasets side by side): not taken again.
    bool storeLockHeld = false;
};

/// A dataset read and checked, with the rule set that scores it: scoring's input.
struct ScoringInput {
    model::Dataset dataset;
    model::Diagnostics diags;
    score::RuleSet rules;
};

/// A dataset read, checked and scored: what `check` prints and `run` renders.
struct Scored {
    model::Dataset dataset;
    model::Diagnostics diags;
    score::RuleSet rules;
    score::Evaluation evaluation;
};

/// The templates folder whose rules/ a run reads: the user's when it has rules/, else the
/// bundled one (a user folder may hold only the forms it changes).
std::string rulesTemplatesDir(const std::string& templatesDir, const std::string& bundledTemplatesDir);

/// Reads and validates a dataset and reads its rule set (from `rulesFile`, or the dataset's
/// 评分规则 under `templatesDir`); scores nothing and creates nothing. Throws the ingest and
/// rule errors for the CLI to map.
ScoringInput readScoringInput(const std::string& folder, const std::string& rulesFile, const std::string& templatesDir);

/// Scores what readScoringInput read (adding the scoring's diagnostics to its own).
Scored scoreInput(ScoringInput input);

/// readScoringInput, then scoreInput.
Scored scoreDataset(const std::string& folder, const std::string& rulesFile, const std::string& templatesDir);

/// The whole batch: every form of the templates (layout/form_set.h) for each record it is
/// made for — each project, each department, each unit receiving a feedback letter, the run
/// — in the formats its form.json names, then results.json and the manifest, written
/// atomically under `output`. Projects are rendered over a thread pool;
/// one that fails is reported and skipped. Returns the exit code. Its phases: read (forms,
/// dataset, rules: nothing is created before they are read), score, render (the feedback
/// letters, which show projects whole, then each project's and department's documents, a
/// project's detail let go once they are made), publish (history store, the run's forms,
/// results.json, manifest).
int runBatch(const RunRequest& request, std::ostream& out, std::ostream& err);

}  // namespace jixiao::app
