#pragma once

#include "web/store.h"
#include "web/workspace.h"

#include <Poco/JSON/Object.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace jixiao::web {

/// Runs started from the workspace, done by `jixiao run`'s own batch (app::runBatch) one at a
/// time on a worker thread: runs write the same history store (letter numbers), which takes one
/// run at a time, so the others wait in order as `queued`. Progress is kept in memory, so
/// polling it costs the run nothing.
class RunQueue {
public:
    RunQueue(WebStore& store, const Paths& paths, int jobs);
    ~RunQueue();

    /// Queues a run of the dataset with the given 成文日期; returns its id.
    std::int64_t submit(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at);
    /// The run with live progress; HttpError 404 when unknown.
    RunRow status(std::int64_t id);
    /// The runs of a dataset (all when 0) with live progress, newest first.
    std::vector<RunRow> list(std::int64_t datasetId);
    /// Whether a run is being done now.
    bool busy() const { return current_ != 0; }
    /// Marks the run being done and those waiting as interrupted (the server is stopping).
    void interruptAll(const std::string& at);
    /// Stops the worker after the run in hand (used by tests and a clean shutdown).
    void stop();

private:
    void work();
    void execute(std::int64_t id);

    WebStore& store_;
    const Paths& paths_;
    int jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::int64_t> queue_;
    bool stopping_ = false;
    std::atomic<std::int64_t> current_{0};
    std::atomic<std::size_t> done_{0};
    std::atomic<std::size_t> total_{0};
    std::thread worker_;
};

/// A run as JSON (id, dataset, state, done, total, date, by, created, finished, message).
Poco::JSON::Object::Ptr runJson(const RunRow& run);

} // namespace jixiao::web
