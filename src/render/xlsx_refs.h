#pragma once

// Internal to render/xlsx_*: "{id}" and "{prefix*}" references in formulas and chart ranges,
// resolved against a sheet plan to A1 references.

#include "render/xlsx_plan.h"

#include <optional>
#include <string>
#include <vector>

namespace jixiao::render::xlsx {

/// "A1"-style name of a 0-based cell.
std::string cellName(int row, int col);

/// An explicit A1 range ("C2:C9", "$C$2", one cell) as an area; nullopt for anything else.
std::optional<Area> parseA1Range(const std::string& spec);

/// Resolves the references of one sheet's formulas and chart ranges. Throws RenderError
/// naming the sheet and the formula or chart for unknown ids and unusable ranges.
class Resolver {
public:
    Resolver(const SheetPlan& plan, const std::string& sheet) : plan_(plan), sheet_(sheet) {}

    /// The cells a reference names, in sheet order; `context` names the formula or chart.
    std::vector<Area> cells(const std::string& body, const std::string& context) const;

    /// The formula with each "{…}" reference outside string literals replaced by its cells:
    /// one cell, a contiguous "F10:F24" range, or a comma list.
    std::string formula(const std::string& text) const;

    /// A chart range: a reference or an explicit A1 range, always one rectangle.
    Area range(const std::string& spec, const std::string& context) const;

private:
    const SheetPlan& plan_;
    const std::string& sheet_;
};

}  // namespace jixiao::render::xlsx
