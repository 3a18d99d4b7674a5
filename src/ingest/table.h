#pragma once

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

/// A sheet or a CSV file, rows in file order, fully empty rows left out.
struct Table {
    std::string file;   ///< display name of the file (as the user named it, no folder)
    std::string sheet;  ///< sheet name; empty for CSV
    std::vector<Row> rows;
};

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
