#include "app/publish_command.h"

#include "app/batch.h"
#include "app/cli.h"
#include "ingest/dataset_json.h"
#include "layout/context.h"
#include "layout/form_set.h"
#include "model/date.h"
#include "publish/interrupt.h"
#include "publish/site.h"
#include "render/pdf_writer.h"
#include "score/public_view.h"

#include <optional>

namespace jixiao::app {

namespace {

/// The form the disclosure site shows per project or department (form.json "public": true);
/// the site draws it as a document, so it must be a layout.json with blocks.
const layout::Form& publicForm(const layout::FormSet& forms, layout::FormPer per, const std::string& perName) {
    const layout::Form* form = forms.publicForm(per);
    if (!form)
        throw layout::TemplateError("templates 中没有公开的表：请在一张 per 为 " + perName + " 的表的 form.json 中写 \"public\": true。");
    if (form->kind != layout::FormKind::Layout || form->layout->isWorkbook())
        throw layout::TemplateError("templates/" + form->name +
                                    "/form.json: 公开网站只能显示 layout.json 描述的文档（blocks），这张表不能设为 \"public\": true。");
    return *form;
}

}  // namespace

int runPublish(const PublishRequest& req, std::ostream& out, std::ostream& err) {
    Scored scored = scoreDataset(req.dataset, req.rulesFile, rulesTemplatesDir(req.templatesDir, req.bundledTemplatesDir));
    for (const auto& d : scored.diags.list()) err << d.format() << '\n';
    if (const int n = ingest::settingsErrors(scored.diags)) {
        err << "错误：dataset.json 有 " << n << " 处错误，未公开任何文件。请先改正 dataset.json（jixiao check 会列出）。\n";
        return kExitConfig;
    }
    if (scored.diags.errors() > 0) {
        err << "错误：数据集有 " << scored.diags.errors() << " 条错误，未公开任何文件。请先用 jixiao check 检查并修正。\n";
        return kExitDataError;
    }

    // ISO dates compare as text. Documents carry the 公开日期, not the day of the run, so a
    // daily scheduled run changes nothing once the site is up to date.
    std::string date = scored.dataset.config.publishDate;
    if (date.empty() && !req.force) {
        err << "错误：dataset.json 没有填写“公开日期”，无法确定何时可以公开，未公开任何文件。"
               "请填写“公开日期”（例如 \"公开日期\": \"2025-08-20\"），或用 --force 立即公开。\n";
        return kExitConfig;
    }
    if (date.empty()) date = req.today;
    if (req.today < date) {
        if (!req.force) {
            err << "未到公开日期：本数据集的公开日期为" << model::chineseDate(date) << "，今天是" << model::chineseDate(req.today)
                << "，未公开任何文件。到期后再运行，或用 --force 提前公开。\n";
            return kExitTempFail;
        }
        err << "注意：公开日期为" << model::chineseDate(date) << "，已按 --force 提前公开。\n";
        // The site says when it was actually published, not a day still to come.
        date = req.today;
    }

    std::optional<publish::PublishLock> lock;
    try {
        lock.emplace(req.to);
    } catch (const publish::PublishLockedError& e) {
        err << "错误：" << e.what() << '\n';
        return kExitTempFail;
    }

    const score::PublicEvaluation view = score::publicView(scored.evaluation, scored.dataset);
    const layout::FormSet forms = layout::FormSet::load({req.templatesDir, req.bundledTemplatesDir});
    const layout::Form& departmentForm = publicForm(forms, layout::FormPer::Department, "department");
    const layout::Form& projectForm = publicForm(forms, layout::FormPer::Project, "project");
    const layout::RunFacts facts = layout::runFacts(view.evaluation, view.dataset, date);
    const render::PdfOptions pdf{pdf::FontSet::bundled(req.fontsDir), true, nullptr};
    publish::SiteStaging staging;
    const publish::SiteSummary site = publish::buildSite({view, departmentForm, projectForm, facts, layout::fixedDate(date), pdf}, staging);
    const std::string manifest = publish::siteManifestJson(staging.files(), view.evaluation.year, view.evaluation.authority, date);
    // The last safe point: once begun, the commit runs to its end (it is short), so a stop
    // never leaves a site half old, half new.
    publish::throwIfStopRequested();
    const publish::CommitReport report = publish::commitSite(staging, manifest, req.to);

    const std::string counts = "部门 " + std::to_string(site.departments) + " 个，公开项目 " + std::to_string(site.projects) +
                               " 个，涉密项目 " + std::to_string(site.classified) + " 个不予公开";
    if (report.nothingChanged()) {
        out << "没有变化，未改动任何文件（" << req.to << "，共 " << staging.files().size() + 1 << " 个文件；" << counts << "）。\n";
    } else {
        out << "已公开到 " << req.to << "：新增 " << report.added << " 个、更新 " << report.updated << " 个、删除 " << report.removed
            << " 个文件，" << report.unchanged << " 个未变" << (report.manifestWritten ? "，已更新 manifest.json" : "") << "（" << counts
            << "）。\n";
    }
    return kExitOk;
}

}  // namespace jixiao::app
