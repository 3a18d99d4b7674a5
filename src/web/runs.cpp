#include "web/runs.h"

#include "app/batch.h"
#include "app/cli.h"
#include "ingest/dataset_reader.h"
#include "layout/template_text.h"
#include "publish/atomic_file.h"
#include "publish/run_store.h"
#include "publish/store_db.h"
#include "render/render_error.h"
#include "score/rules.h"
#include "web/http.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/LocalDateTime.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

namespace jixiao::web {

namespace {

std::string nowText() { return Poco::DateTimeFormatter::format(Poco::LocalDateTime(), Poco::DateTimeFormat::ISO8601_FORMAT); }

/// The last lines of what the batch wrote, for the run's message (the whole log is kept in
/// the run folder).
std::string tail(const std::string& text, std::size_t lines) {
    std::size_t at = text.size();
    for (std::size_t n = 0; at > 0 && n <= lines; ++n) {
        at = text.rfind('\n', at - 1);
        if (at == std::string::npos) return text;
    }
    return text.substr(at + 1);
}

}  // namespace

Poco::JSON::Object::Ptr runJson(const RunRow& r) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", r.id);
    o->set("dataset", r.datasetId);
    o->set("state", r.state);
    o->set("done", r.done);
    o->set("total", r.total);
    o->set("date", r.date);
    o->set("by", r.createdBy);
    o->set("created", r.createdAt);
    o->set("finished", r.finishedAt);
    o->set("message", r.message);
    return o;
}

RunQueue::RunQueue(WebStore& store, const Paths& paths, Datasets& datasets, int jobs, int parallel)
    : store_(store), paths_(paths), datasets_(datasets), jobs_(jobs), parallel_(std::max(1, parallel)) {
    for (int i = 0; i < parallel_; ++i) workers_.emplace_back([this] { work(); });
}

RunQueue::~RunQueue() { stop(); }

void RunQueue::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
}

std::int64_t RunQueue::submit(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [waiting, dataset] : queue_)
        if (dataset == datasetId)
            throw HttpError(409, "数据集 " + std::to_string(datasetId) + " 已有一个排队中的运行（运行 " + std::to_string(waiting) +
                                     "），无需重复提交；它开始后会使用当时的数据和设置。");
    std::int64_t id = store_.createRun(datasetId, date, user, at);
    queue_.emplace_back(id, datasetId);
    wake_.notify_all();
    return id;
}

bool RunQueue::busy() {
    std::lock_guard<std::mutex> lock(mutex_);
    return !running_.empty();
}

void RunQueue::live(RunRow& row) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (row.state == "running") {
        if (auto p = progress_.find(row.id); p != progress_.end()) {
            row.done = std::int64_t(p->second->done.load());
            row.total = std::int64_t(p->second->total.load());
        }
        return;
    }
    if (row.state != "queued") return;
    auto at = std::find_if(queue_.begin(), queue_.end(), [&](const auto& q) { return q.first == row.id; });
    if (at == queue_.end()) return;  // starting now
    if (running_.empty() && !storeBusy_.empty()) {
        row.message = storeBusy_;
        return;
    }
    for (const auto& [run, dataset] : running_)
        if (dataset == row.datasetId) {
            row.message = "排队中：本数据集的运行 " + std::to_string(run) + " 正在进行，它结束后自动开始（同一数据集一次只做一个运行）。";
            return;
        }
    std::string inHand;
    for (const auto& r : running_) inHand += (inHand.empty() ? "" : "、") + std::to_string(r.first);
    std::int64_t ahead = at - queue_.begin();
    row.message = "排队中：同时最多进行 " + std::to_string(parallel_) + " 个运行" +
                  (inHand.empty() ? std::string() : "，正在进行运行 " + inHand) +
                  (ahead ? "，前面还有 " + std::to_string(ahead) + " 个在排队" : std::string()) + "，轮到后自动开始。";
}

RunRow RunQueue::status(std::int64_t id) {
    auto row = store_.run(id);
    if (!row) throw HttpError(404, "找不到编号为 " + std::to_string(id) + " 的运行。");
    live(*row);
    return *row;
}

std::vector<RunRow> RunQueue::list(std::int64_t datasetId) {
    auto rows = store_.runs(datasetId);
    for (auto& r : rows) live(r);
    return rows;
}

void RunQueue::interruptAll(const std::string& at) { store_.markInterrupted(at); }

void RunQueue::work() {
    for (;;) {
        std::int64_t id = 0, dataset = 0;
        std::shared_ptr<Progress> progress;
        bool held = false;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            // The first waiting run whose dataset has none in hand.
            auto next = [this] {
                return std::find_if(queue_.begin(), queue_.end(), [this](const auto& q) {
                    return std::none_of(running_.begin(), running_.end(), [&](const auto& r) { return r.second == q.second; });
                });
            };
            wake_.wait(lock, [&] { return stopping_ || next() != queue_.end(); });
            if (stopping_) return;
            if (running_.empty() && !takeStoreLock()) {
                // A `jixiao run` has the store: look again in a second.
                wake_.wait_for(lock, std::chrono::seconds(1));
                continue;
            }
            held = storeLock_.held();
            auto it = next();
            std::tie(id, dataset) = *it;
            queue_.erase(it);
            running_[id] = dataset;
            progress = std::make_shared<Progress>();
            progress_[id] = progress;
        }
        execute(id, *progress, held);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            running_.erase(id);
            progress_.erase(id);
            if (running_.empty()) storeLock_.release();  // the store is free for `jixiao run` again
        }
        wake_.notify_all();
    }
}

bool RunQueue::takeStoreLock() {
    try {
        publish::StoreDb db = publish::StoreDb::open(paths_.store());
        // What a refused `jixiao run` is told after 开始于.
        storeLock_ = publish::RunStore(db).lockForRun(nowText() + "，浏览器工作台的运行进行中");
        storeBusy_.clear();
        return true;
    } catch (const publish::StoreBusyError&) {
        storeBusy_ = "排队中：另一个 jixiao（例如命令行的 jixiao run）正在使用同一个历史库，它结束后自动开始。";
        return false;
    } catch (const publish::StoreError&) {
        storeBusy_.clear();
        return true;
    }
}

void RunQueue::execute(std::int64_t id, Progress& progress, bool storeLockHeld) {
    auto row = store_.run(id);
    if (!row) return;
    row->state = "running";
    store_.updateRun(*row);

    app::RunRequest r;
    r.dataset = paths_.dataset(row->datasetId);
    r.output = paths_.run(id);
    r.templatesDir = paths_.templates;
    r.fontsDir = paths_.fonts;
    r.date = row->date;
    r.startedAt = nowText();
    r.clock = nowText;
    r.dbPath = paths_.store();
    r.jobs = jobs_;
    r.issueLetters = true;            // the web workflow issues its letters (numbers in the shared store); drafts are a CLI step
    r.storeLockHeld = storeLockHeld;  // the queue holds the store's run lock for all its runs in hand
    r.onProgress = [&progress](std::size_t done, std::size_t total) {
        progress.done = done;
        progress.total = total;
    };
    std::ostringstream out, err;
    int code = 70;
    std::string failure;
    try {
        Poco::File(r.output).createDirectories();
        code = app::runBatch(r, out, err);
    } catch (const ingest::NoInputError& e) {
        failure = e.what();
    } catch (const ingest::ConfigError& e) {
        failure = e.what();
    } catch (const score::RuleError& e) {
        failure = std::string("评分规则错误：") + e.what();
    } catch (const layout::TemplateError& e) {
        failure = std::string("模板错误：") + e.what();
    } catch (const render::RenderError& e) {
        failure = std::string("字体或排版错误：") + e.what();
    } catch (const publish::StoreError& e) {
        failure = std::string("历史库错误：") + e.what();
    } catch (const publish::OutputError& e) {
        failure = std::string("无法写出文件：") + e.what();
    } catch (const std::exception& e) {
        failure = std::string("内部错误：") + e.what();
    }
    // The batch's own report, kept beside the documents.
    try {
        publish::writeFileAtomic(r.output + "/run.log", out.str() + err.str());
    } catch (const publish::OutputError& e) {
        // The run's result stands; only its report is missing. Said on the server's console.
        std::cerr << "注意：运行 " << id << " 的报告 run.log 未能写出：" << e.what() << '\n';
    }
    row->done = std::int64_t(progress.done.load());
    row->total = std::int64_t(progress.total.load());
    row->finishedAt = nowText();
    if (!failure.empty()) {
        row->state = "failed";
        row->message = failure;
    } else if (code == app::kExitOk || code == app::kExitDataError) {
        row->state = "done";
        row->message = tail(out.str(), 1);
        if (code == app::kExitDataError) row->message += "数据有错误的项目未评分，详见“检查”。";
    } else {
        row->state = "failed";
        row->message = tail(err.str(), 5);
    }
    // The server's folders mean nothing to the page's users: the files are listed below it.
    for (std::size_t at; (at = row->message.find(r.output)) != std::string::npos;)
        row->message.replace(at, r.output.size(), "本次运行的文件夹");
    try {
        row->message = datasets_.shown(row->datasetId, row->message);
    } catch (const HttpError&) {
        // the dataset is gone: its names cannot be shown
    }
    store_.updateRun(*row);
}

}  // namespace jixiao::web
