#pragma once

// A one-sheet workbook drawn with libxlsxwriter, as a finance user draws a 表样.xlsx in Excel,
// for the Excel form tests; bytes() closes it and returns the file.

#include "layout/grid.h"

#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace jixiao::testing {

class TestBook {
public:
    TestBook() {
        char name[] = "/tmp/jixiao-testbook-XXXXXX";
        const int fd = ::mkstemp(name);
        if (fd < 0) throw std::runtime_error("mkstemp failed");
        ::close(fd);
        path_ = name;
        book_ = workbook_new(path_.c_str());
        sheet = workbook_add_worksheet(book_, nullptr);
    }
    ~TestBook() {
        if (book_) workbook_close(book_);
        std::remove(path_.c_str());
    }
    TestBook(const TestBook&) = delete;
    TestBook& operator=(const TestBook&) = delete;

    lxw_format* format() { return workbook_add_format(book_); }

    std::string bytes() {
        if (book_) {
            if (workbook_close(book_) != LXW_NO_ERROR) throw std::runtime_error("workbook_close failed");
            book_ = nullptr;
        }
        std::ifstream in(path_, std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }

    lxw_worksheet* sheet = nullptr;

private:
    std::string path_;
    lxw_workbook* book_ = nullptr;
};

/// Inserts a column before `at` (> 0) in a template grid, as a user does in Excel: every row
/// gets a copy of the cell to its left (style and text), widths and merges move right, and a
/// merge spanning the place or ending just before it grows (a label over the columns to its
/// left takes the new one in).
inline void insertColumn(layout::Grid& g, int at, double width) {
    for (auto& row : g.rows) row.insert(row.begin() + at, row[std::size_t(at) - 1]);
    g.columnWidths.insert(g.columnWidths.begin() + at, width);
    ++g.columns;
    for (auto& m : g.merges) {
        if (m.col0 >= at) ++m.col0;
        if (m.col1 >= at - 1) ++m.col1;
    }
}

}  // namespace jixiao::testing
