#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::ingest {

enum class CellKind { Empty, Text, Number, Boolean, Error };

/// One cell as the file holds it, before any interpretation.
struct Cell {
    CellKind kind = CellKind::Empty;
    /// UTF-8. Text: the string. Number: the literal as stored ("37.24", "1E-3"), never
    /// reformatted through a double. Boolean: "TRUE"/"FALSE". Error: "#DIV/0!" etc.
    std::string text;
};

/// One row; `row` is the number Excel shows for it (1-based, header counted). For CSV it is
/// the record's number, so a quoted multi-line cell still counts as one row.
struct Row {
    int row = 0;
    std::vector<Cell> cells;  ///< index = column (A = 0); trailing empty cells may be absent
};

/// The rows of a table that follow the ones it holds, read from the file as they are asked
/// for (CSV), so that a province's export is never held whole.
class RowSource {
public:
    virtual ~RowSource() = default;
    /// Fills `row` with the next row (fully empty rows left out), reusing its storage; false
    /// after the last. Throws ReadError only if the file changed or became unreadable since
    /// the table was opened (every limit was checked then).
    virtual bool next(Row& row) = 0;
    /// A new source of the same rows from the start, for a second pass over them.
    virtual std::unique_ptr<RowSource> again() const = 0;
    /// False when some cell may hold a character XML forbids (a control character, U+FFFE or
    /// U+FFFF): known from the bytes when the table was opened.
    virtual bool xmlSafe() const = 0;
};

/// A sheet or a CSV file, rows in file order, fully empty rows left out.
struct Table {
    std::string file;   ///< display name of the file (as the user named it, no folder)
    std::string sheet;  ///< sheet name; empty for CSV
    /// Every row, or for a table opened to be read row by row (readCsvFile) the first
    /// kHeldRows, where the header is looked for; the others then come from `rest`.
    std::vector<Row> rows;
    std::unique_ptr<RowSource> rest;
};

/// Rows a table read row by row holds: the header is looked for in the first ten, and a
/// two-row header reads one more.
constexpr std::size_t kHeldRows = 11;

/// Bounds on what a reader accepts, against zip bombs and runaway files.
struct ReadLimits {
    std::size_t maxEntryBytes = 256u << 20;  ///< uncompressed size of one XLSX part
    std::size_t maxTotalBytes = 512u << 20;  ///< uncompressed size of all parts read
    double maxCompressionRatio = 200.0;      ///< uncompressed / compressed, per part above 1 MiB
    std::size_t maxRows = 1'048'576;         ///< Excel's own row limit
    std::size_t maxColumns = 16'384;         ///< Excel's own column limit
    std::size_t maxCellBytes = 32'767 * 4;   ///< Excel's 32,767 characters, in UTF-8
};

/// A file that cannot be read at all. `what()` is a complete Chinese sentence that names the
/// file (and the sheet or part where it applies), e.g.
/// `项目.xlsx：压缩比异常（xl/worksheets/sheet1.xml 解压后超过 256 MB），疑似压缩炸弹，已拒绝读取。`
class ReadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace jixiao::ingest
