#pragma once

#include <map>
#include <string>
#include <vector>

namespace jixiao::model {

enum class Severity { Error, Warning, Note };

/// Where a value came from, as the user sees it in Excel: file, sheet, 1-based row
/// (header counted), 0-based column index (shown as a letter), and the column's header.
struct Position {
    std::string file;
    std::string sheet;   ///< empty for CSV
    int row = 0;         ///< 0 when the problem concerns the whole file
    int column = -1;     ///< -1 when the problem concerns the whole row or file
    std::string header;  ///< the header text found in the file for that column
};

/// Column index 0 → "A", 27 → "AB".
std::string columnLetter(int column);

/// One problem found in the input, phrased for a finance user.
struct Diagnostic {
    Severity severity = Severity::Error;
    Position at;
    std::string value;        ///< the offending value as found (may be empty)
    std::string message;      ///< Chinese sentence: what was expected and what was found
    std::string hint;         ///< Chinese suggestion, may be empty
    std::string projectCode;  ///< the project the row belongs to, when known

    /// `指标.xlsx[Sheet1!D17] 错误：第17行“分值”应为数字，实际为“十分”。提示：……`
    std::string format() const;
};

/// Collects diagnostics for a whole run; caps how many are kept per file so that a file full
/// of errors does not drown the others (the count of dropped ones is still reported).
class Diagnostics {
public:
    explicit Diagnostics(int capPerFile = 200) : capPerFile_(capPerFile) {}

    void add(Diagnostic d);
    void error(const Position& at, std::string value, std::string message, std::string hint = {});
    void warning(const Position& at, std::string value, std::string message, std::string hint = {});
    void note(const Position& at, std::string value, std::string message, std::string hint = {});

    const std::vector<Diagnostic>& list() const { return list_; }
    int errors() const { return errors_; }
    int warnings() const { return warnings_; }
    /// How many were not kept because their file reached the cap.
    int suppressed() const { return suppressed_; }
    /// True when some error concerns this project.
    bool hasErrorFor(const std::string& projectCode) const;

private:
    int capPerFile_;
    std::vector<Diagnostic> list_;
    std::map<std::string, int> perFile_;
    int errors_ = 0;
    int warnings_ = 0;
    int suppressed_ = 0;
};

}  // namespace jixiao::model
