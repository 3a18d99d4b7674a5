#pragma once

#include "web/api.h"

#include <memory>

namespace jixiao::web {

/// `jixiao serve`: the workspace's pages (web/) and its JSON API over Poco's HTTPServer.
class Server {
public:
    /// Opens the store, marks runs a previous server left unfinished as interrupted, and binds
    /// the address (port 0: a free port). Throws Poco::Net exceptions when it cannot bind.
    explicit Server(const ServeOptions& options);
    ~Server();

    /// The port bound (useful with port 0).
    int port() const;
    /// Starts answering requests on the server's threads.
    void start();
    /// Stops answering; a run in hand is marked interrupted (the process is about to end).
    void stop();

    Workspace& workspace();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace jixiao::web
