#pragma once

#include "web/auth.h"
#include "web/http.h"
#include "web/runs.h"
#include "web/store.h"
#include "web/workspace.h"

#include <cstdint>
#include <memory>

namespace jixiao::web {

/// What `jixiao serve` was asked for.
struct ServeOptions {
    Paths paths;
    std::string host = "127.0.0.1";
    int port = 8080;
    std::int64_t maxUpload = 200ll * 1024 * 1024;  ///< bytes per request
    int jobs = 1;                                  ///< threads of a run
    int parallelRuns = 2;                          ///< runs of different datasets at once
    /// Connections served at once. A kept-alive connection holds its thread between requests,
    /// and every open page polls: enough for some tens of users' browsers.
    int threads = 64;
    bool secureCookie = false;  ///< behind a TLS proxy: cookies only over HTTPS
};

/// Everything the handlers share.
struct Workspace {
    explicit Workspace(const ServeOptions& options);

    ServeOptions options;
    std::unique_ptr<WebStore> store;
    Datasets datasets;
    RunQueue runs;
    LoginLimiter limiter;

    /// Writes who did what to whom into the audit log.
    void audit(const Exchange& ex, const std::string& action, const std::string& target, const std::string& detail = {});
};

/// The JSON API under /api/ (docs/api.md).
void addApiRoutes(Router& router, Workspace& ws);

/// Local date and time as ISO 8601; today as YYYY-MM-DD.
std::string localNow();
std::string localToday();

}  // namespace jixiao::web
