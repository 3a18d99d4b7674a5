#pragma once

// What the ingest tests share: a dataset folder written file by file (text files, workbooks
// made with libxlsxwriter) and the diagnostics as the lines a user reads. Each test file
// adds its own base dataset (`Self::base()`).

#include "model/diagnostic.h"

#include <catch2/catch.hpp>
#include <xlsxwriter.h>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::testing {

template <class Self>
struct DatasetFolder {
    Poco::TemporaryFile dir;
    DatasetFolder() { dir.createDirectories(); }
    Self& file(const std::string& name, const std::string& bytes) {
        std::ofstream(dir.path() + "/" + name, std::ios::binary) << bytes;
        return self();
    }
    Self& remove(const std::string& name) {
        Poco::File(dir.path() + "/" + name).remove();
        return self();
    }
    /// A workbook of sheets of text rows, written with libxlsxwriter.
    Self& workbook(const std::string& name, const std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>>& sheets) {
        lxw_workbook* wb = workbook_new((dir.path() + "/" + name).c_str());
        for (const auto& [sheet, rows] : sheets) {
            lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.c_str());
            for (size_t r = 0; r < rows.size(); ++r)
                for (size_t c = 0; c < rows[r].size(); ++c)
                    if (!rows[r][c].empty()) worksheet_write_string(ws, lxw_row_t(r), lxw_col_t(c), rows[r][c].c_str(), nullptr);
        }
        REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
        return self();
    }
    std::string path() const { return dir.path(); }

private:
    Self& self() { return static_cast<Self&>(*this); }
};

/// The diagnostics as the lines a user reads.
inline std::vector<std::string> messages(const model::Diagnostics& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags.list()) out.push_back(d.format());
    return out;
}

}  // namespace jixiao::testing
