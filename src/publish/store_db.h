#pragma once

#include <memory>
#include <stdexcept>
#include <string>

namespace jixiao::publish {

/// The history store cannot be opened, read or written. The message is Chinese and names the
/// store's path.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Another process holds the store: a second run at the same time, or a write that waited
/// out the busy timeout. Trying again later can succeed.
class StoreBusyError : public StoreError {
public:
    using StoreError::StoreError;
};

/// The request itself is wrong (unknown letter, invalid date, closing an item twice, …);
/// the store is unchanged. The message says what was expected.
class StoreRequestError : public StoreError {
public:
    using StoreError::StoreError;
};

/// `--db` names no store where a command needs an existing one (exit 66).
class StoreMissingError : public StoreError {
public:
    using StoreError::StoreError;
};

/// The history store's file: one SQLite database (WAL, synchronous=FULL) with a versioned
/// schema, shared by the run store (run_store.h) and the letter register
/// (letter_register.h). Every change is one transaction, so an interrupted process leaves
/// either all of a change or none of it. Not thread-safe: use one StoreDb per thread.
/// Keep it on a local disk (WAL does not work reliably on network file systems).
class StoreDb {
public:
    /// The schema version this build writes; older stores are migrated on open.
    static constexpr int kSchemaVersion = 3;

    /// Whether open may create the store: only a run does; commands that only read or
    /// update what runs recorded refuse a missing store (a mistyped --db).
    enum class Open { CreateIfMissing, ExistingOnly };

    /// Opens the store at `path` (creating it and its folder if needed and allowed) and
    /// migrates it. Throws StoreMissingError when it does not exist and may not be created:
    /// 历史库 <path> 不存在。请检查 --db 的路径；历史库由 jixiao run 创建。
    /// Throws StoreError when the file cannot be opened, is not a jixiao store, or was written
    /// by a newer jixiao (its schema version is above kSchemaVersion).
    static StoreDb open(const std::string& path, Open mode = Open::CreateIfMissing);

    StoreDb(StoreDb&& other) noexcept;
    StoreDb& operator=(StoreDb&& other) noexcept;
    ~StoreDb();

    /// The path the store was opened with.
    const std::string& path() const;
    /// The schema version of the file (kSchemaVersion after open).
    int schemaVersion() const;

    /// The connection, for the store's parts (store_sql.h, inside publish only).
    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    explicit StoreDb(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace jixiao::publish
