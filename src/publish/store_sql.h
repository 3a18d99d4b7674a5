#pragma once

// What the parts of the history store (run store, letter register) share to talk to its
// SQLite file. Included by publish/*.cpp only: it brings in Poco::Data.

#include "publish/store_db.h"
#include "publish/write_transaction.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>

#include <cstdint>
#include <optional>
#include <string>

namespace jixiao::publish {

using OptText = Poco::Nullable<std::string>;

struct StoreDb::Impl {
    std::string path;
    Poco::Data::Session session;
    int version = 0;

    Impl(std::string storePath, const Poco::Data::Session& opened) : path(std::move(storePath)), session(opened) {}

    /// Throws StoreRequestError when there is no run `runId`.
    void requireRun(std::int64_t runId);
};

/// Long enough to queue behind a run's short write transactions (a `rectify record` while a
/// run saves results), short enough that a stuck process is reported rather than waited on.
constexpr int kStoreBusyTimeoutMs = 10000;

/// A library error as the Chinese reason in a StoreError.
std::string describeStoreError(const Poco::Exception& e);
/// The StoreBusyError of a write that waited out the busy timeout.
[[noreturn]] void throwStoreBusy(const std::string& path);

/// Runs `f`, turning library exceptions into StoreError naming the store.
template <class F>
auto guarded(const std::string& path, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const Poco::Data::SQLite::DBLockedException&) {
        throwStoreBusy(path);
    } catch (const Poco::Data::SQLite::TableLockedException&) {
        throwStoreBusy(path);
    } catch (const Poco::Exception& e) {
        throw StoreError("历史库 " + path + " 读写失败（" + describeStoreError(e) + "）。");
    }
}

std::optional<std::string> fromNullable(const OptText& value);
OptText toNullable(const std::optional<std::string>& value);

/// Request checks: each throws StoreRequestError saying what was expected.
void requireYear(int year);
void requireText(const std::string& what, const std::string& value);
void requireDate(const std::string& what, const std::string& value);

}  // namespace jixiao::publish
