#include "web/runs.h"

#include "app/batch.h"
#include "app/cli.h"
#include "ingest/dataset_reader.h"
#include "layout/template_text.h"
#include "publish/atomic_file.h"
#include "publish/store_db.h"
#include "render/render_error.h"
#include "score/rules.h"
#include "web/http.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/LocalDateTime.h>

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

} // namespace

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

RunQueue::RunQueue(WebStore& store, const Paths& paths, int jobs) : store_(store), paths_(paths), jobs_(jobs) {
    worker_ = std::thread([this] { work(); });
}

RunQueue::~RunQueue() { stop(); }

void RunQueue::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

std::int64_t RunQueue::submit(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at) {
    std::int64_t id = store_.createRun(datasetId, date, user, at);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(id);
    }
    wake_.notify_one();
    return id;
}

RunRow RunQueue::status(std::int64_t id) {
    auto row = store_.run(id);
    if (!row) throw HttpError(404, "找不到编号为 " + std::to_string(id) + " 的运行。");
    if (current_ == id && row->state == "running") {
        row->done = std::int64_t(done_.load());
        row->total = std::int64_t(total_.load());
    }
    return *row;
}

std::vector<RunRow> RunQueue::list(std::int64_t datasetId) {
    auto rows = store_.runs(datasetId);
    for (auto& r : rows)
        if (r.id == current_ && r.state == "running") {
            r.done = std::int64_t(done_.load());
            r.total = std::int64_t(total_.load());
        }
    return rows;
}

void RunQueue::interruptAll(const std::string& at) { store_.markInterrupted(at); }

void RunQueue::work() {
    for (;;) {
        std::int64_t id = 0;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            id = queue_.front();
            queue_.pop_front();
        }
        execute(id);
    }
}

void RunQueue::execute(std::int64_t id) {
    auto row = store_.run(id);
    if (!row) return;
    done_ = 0;
    total_ = 0;
    current_ = id;
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
    r.issueLetters = true;  // the web workflow issues its letters (numbers in the shared store); drafts are a CLI step
    r.onProgress = [this](std::size_t done, std::size_t total) {
        done_ = done;
        total_ = total;
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
    } catch (const publish::OutputError&) {
    }
    row->done = std::int64_t(done_.load());
    row->total = std::int64_t(total_.load());
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
    store_.updateRun(*row);
    current_ = 0;
}

} // namespace jixiao::web
