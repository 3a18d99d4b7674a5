#include "render/table_geometry.h"

#include <algorithm>
#include <cstddef>

namespace jixiao::render {

std::vector<double> tableColumnEdges(const layout::Table& table, double typeWidth, double perMm) {
    double sum = 0.0;
    for (double w : table.columnWidths) sum += w;
    const bool relative = table.widthUnit == layout::WidthUnit::Relative;
    double scale = relative ? (sum > 0.0 ? typeWidth / sum : 1.0) : perMm;
    if (!relative && sum * scale > typeWidth) scale = typeWidth / sum;
    std::vector<double> edges{0.0};
    double x = 0.0;
    for (double w : table.columnWidths) edges.push_back(x += w * scale);
    return edges;
}

void fitRowHeights(std::vector<double>& rowHeights, const std::vector<RowsNeed>& needs) {
    std::vector<const RowsNeed*> spans;
    for (const RowsNeed& n : needs) {
        if (n.firstRow == n.lastRow) {
            double& h = rowHeights[static_cast<std::size_t>(n.firstRow)];
            h = std::max(h, n.height);
        } else {
            spans.push_back(&n);
        }
    }
    std::stable_sort(spans.begin(), spans.end(),
                     [](const RowsNeed* a, const RowsNeed* b) { return a->lastRow - a->firstRow < b->lastRow - b->firstRow; });
    for (const RowsNeed* n : spans) {
        double have = 0.0;
        for (int r = n->firstRow; r <= n->lastRow; ++r) have += rowHeights[static_cast<std::size_t>(r)];
        if (n->height > have) {
            const double extra = (n->height - have) / static_cast<double>(n->lastRow - n->firstRow + 1);
            for (int r = n->firstRow; r <= n->lastRow; ++r) rowHeights[static_cast<std::size_t>(r)] += extra;
        }
    }
}

}  // namespace jixiao::render
