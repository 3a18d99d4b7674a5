#pragma once

// A write transaction on an SQLite session (Poco::Data): the history store's parts and the web
// workspace's tables (web/store) write through it.

#include <Poco/Data/Session.h>

namespace jixiao::publish {

/// BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
/// writes (next letter number) could interleave with another process's and fail on upgrade.
/// Rolled back unless committed, so an exception midway leaves nothing behind.
class WriteTransaction {
public:
    explicit WriteTransaction(Poco::Data::Session& session);
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction();
    void commit();

private:
    Poco::Data::Session& session_;
    bool done_ = false;
};

}  // namespace jixiao::publish
