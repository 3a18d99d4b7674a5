#pragma once

#include "web/store.h"

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace jixiao::web {

/// Where the workspace keeps things under the data folder, and the resources a run needs.
struct Paths {
    std::string data;       ///< --data
    std::string templates;  ///< document templates (as for the CLI)
    std::string fonts;      ///< fonts (as for the CLI)
    std::string assets;     ///< the pages (web/)
    std::string site;       ///< the published disclosure site (--site; default <data>/site)

    std::string store() const { return data + "/jixiao-history.db"; }
    std::string dataset(std::int64_t id) const { return data + "/datasets/" + std::to_string(id); }
    std::string run(std::int64_t id) const { return data + "/runs/" + std::to_string(id); }
    std::string preview(std::int64_t datasetId) const { return data + "/preview/" + std::to_string(datasetId); }
    std::string reports() const { return data + "/reports"; }
    std::string incoming() const { return data + "/incoming"; }
};

/// A file received in an upload, already stored under a generated name.
struct ReceivedFile {
    std::string original;  ///< the client's file name, for display only (no folders)
    std::string path;      ///< where it is stored
    std::int64_t bytes = 0;
};

/// Runs `work` — a step of the CLI's pipeline over a dataset — and turns the errors of unusable
/// input (no data, dataset.json, the scoring rules) into HttpError 422 with their message: the
/// one mapping for every request that reads a dataset.
void withInputErrorsAs422(const std::function<void()>& work);

/// The five input tables of a dataset, as dataset.json's "files" names them.
const std::vector<std::string>& sectionNames();

/// The workspace's datasets: a folder per dataset with the uploads under generated names and
/// a dataset.json that maps the tables to them; checked with the CLI's own pipeline.
class Datasets {
public:
    Datasets(WebStore& store, const Paths& paths) : store_(store), paths_(paths) {}

    /// Creates a dataset from uploaded exports (.csv, .xlsx) and an optional dataset.json.
    /// Each table is matched to its file by dataset.json's "files" (by the client's names) or
    /// else by its name in the file name. Throws HttpError (400) for an unusable upload.
    std::int64_t create(const std::vector<ReceivedFile>& files, const std::string& user, const std::string& at);

    /// dataset.json as stored, the uploads (stored and client names) and the table mapping.
    Poco::JSON::Object::Ptr settings(std::int64_t id);
    /// Writes the settings form back to dataset.json (atomically). Throws HttpError (400).
    void saveSettings(std::int64_t id, const Poco::JSON::Object::Ptr& form);

    /// The check of the dataset, as `jixiao check` would report it, grouped by department.
    /// Cached until the settings change.
    Poco::JSON::Object::Ptr check(std::int64_t id);
    /// The problem list as CSV (UTF-8 with BOM, opens in WPS and Excel).
    std::string problemsCsv(std::int64_t id);

    /// The dataset folder; HttpError 404 when there is no such dataset.
    std::string folder(std::int64_t id);
    /// A message of the pipeline about the dataset as its users know it: the stored upload
    /// names replaced by the client's, the folder by “数据集”.
    std::string shown(std::int64_t id, std::string text);

private:
    /// Client file names for the stored ones, to show in messages.
    std::map<std::string, std::string> displayNames(std::int64_t id);
    void invalidate(std::int64_t id);

    WebStore& store_;
    const Paths& paths_;
    std::mutex mutex_;
    std::map<std::int64_t, Poco::JSON::Object::Ptr> checks_;
};

}  // namespace jixiao::web
