#pragma once

#include "layout/grid.h"

#include <functional>
#include <optional>
#include <string>

/// Formulas of an Excel form: their cell references moved when rows are repeated or shifted,
/// and their values computed for the cache (the XLSX's cached value, the PDF's text).
namespace jixiao::layout {

/// Which end of a reference a row belongs to.
enum class RefEnd { Single, First, Last };

/// Rewrites the rows of every A1 reference of `formula` (no leading "="; references to other
/// sheets and text in quotes are left alone) through `mapRow(row, end)` (0-based rows; `end`
/// says whether the row is a lone cell or the first or last row of a range). A reference whose
/// row maps to nothing, or a range whose ends cross, becomes the number 0.
std::string rewriteRows(const std::string& formula, const std::function<std::optional<int>(int, RefEnd)>& mapRow);

/// Moves the relative parts of every reference by (rows, columns), as Excel does when it
/// copies a formula (shared formulas); `$` parts stay.
std::string shiftReferences(const std::string& formula, int rows, int columns);

/// A formula's computed value.
struct FormulaValue {
    enum class Kind { Number, Text, Error };
    Kind kind = Kind::Number;
    model::Decimal number;
    std::string text;  ///< Text; Error: "#DIV/0!", "#VALUE!", "#NAME?", "#REF!"
};

/// Computes the formula of cell (row, column) of `grid` (other formula cells computed as
/// needed): numbers, text in quotes, references and ranges, + - * / ^ & %, comparisons and
/// SUM, MIN, MAX, AVERAGE, COUNT, COUNTA, ROUND, ROUNDUP, ROUNDDOWN, INT, ABS, IF, IFERROR,
/// AND, OR, NOT. A function outside that list gives "#NAME?".
FormulaValue evaluateFormula(const Grid& grid, int row, int column);

/// Writes every formula's computed value into its cell (a number cell, or a text cell for
/// text and errors), so that the XLSX caches it and the PDF prints it.
void computeFormulas(Grid& grid);

/// The name of the first function of `formula` the evaluator does not know; empty when it
/// knows them all.
std::string unknownFunction(const std::string& formula);

}  // namespace jixiao::layout
