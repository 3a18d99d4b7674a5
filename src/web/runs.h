#pragma once

#include "publish/file_lock.h"
#include "web/store.h"
#include "web/workspace.h"

#include <Poco/JSON/Object.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jixiao::web {

/// Runs started from the workspace, done by `jixiao run`'s own batch (app::runBatch) on worker
/// threads: one run per dataset at a time (a dataset's next run waits as `queued` until the
/// one in hand ends), runs of different datasets side by side up to `parallel` at once, the
/// rest queued in order. The runs share the history store's run lock (RunStore::lockForRun):
/// taken when the first run starts, released when the last one ends, so a `jixiao run` on the
/// same store goes ahead while the workspace is idle and exits 75 while it runs; a workspace run
/// waits as `queued` while a `jixiao run` holds it. Progress is kept in memory, so polling it
/// costs the run nothing.
class RunQueue {
public:
    /// `datasets` names the uploads in a run's messages as their users know them.
    RunQueue(WebStore& store, const Paths& paths, Datasets& datasets, int jobs, int parallel);
    ~RunQueue();

    /// Queues a run of the dataset with the given 成文日期; returns its id. HttpError 409 when
    /// the dataset already has a run waiting (a second click).
    std::int64_t submit(std::int64_t datasetId, const std::string& date, const std::string& user, const std::string& at);
    /// The run with live progress; HttpError 404 when unknown.
    RunRow status(std::int64_t id);
    /// The runs of a dataset (all when 0) with live progress, newest first.
    std::vector<RunRow> list(std::int64_t datasetId);
    /// Whether a run is being done now.
    bool busy();
    /// Marks the runs being done and those waiting as interrupted (the server is stopping).
    void interruptAll(const std::string& at);
    /// Stops the workers after the runs in hand (used by tests and a clean shutdown).
    void stop();

private:
    struct Progress {
        std::atomic<std::size_t> done{0};
        std::atomic<std::size_t> total{0};
    };

    void work();
    /// With mutex_ held and no run in hand: takes the store's run lock for the runs about to
    /// start. False when a `jixiao run` holds it (said in storeBusy_); other store errors are
    /// left to the run, whose batch then takes the lock itself and reports them.
    bool takeStoreLock();
    void execute(std::int64_t id, Progress& progress, bool storeLockHeld);
    /// Adds what only the queue knows to a stored row: a running run's progress, and for a
    /// queued one what it waits for (message).
    void live(RunRow& row);

    WebStore& store_;
    const Paths& paths_;
    Datasets& datasets_;
    int jobs_;
    int parallel_;
    std::mutex mutex_;
    std::condition_variable wake_;
    /// Waiting runs in order, with their datasets.
    std::deque<std::pair<std::int64_t, std::int64_t>> queue_;
    /// Runs in hand: run id → dataset id, and their progress.
    std::map<std::int64_t, std::int64_t> running_;
    std::map<std::int64_t, std::shared_ptr<Progress>> progress_;
    /// The store's run lock, held while running_ is not empty.
    publish::FileLock storeLock_;
    /// Why the queued runs wait for the store (empty when they do not).
    std::string storeBusy_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

/// A run as JSON (id, dataset, state, done, total, date, by, created, finished, message).
Poco::JSON::Object::Ptr runJson(const RunRow& run);

}  // namespace jixiao::web
