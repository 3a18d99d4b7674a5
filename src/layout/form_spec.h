#pragma once

// Internal to layout/form*.cpp: a layout.json as read (form_reader.cpp), before it is built
// for one data tree (form.cpp). Lines are those of layout.json, for messages.

#include "layout/document.h"
#include "layout/form.h"
#include "layout/template_text.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace jixiao::layout {

/// A number format of a cell: how its text is written and its XLSX number format.
struct NumberFormat {
    std::string filter;  // percent, money, fixed, int
    int places = -1;
    std::string xlsx() const {
        int p = places < 0 ? (filter == "int" ? 0 : 2) : places;
        std::string frac = p > 0 ? "." + std::string(std::size_t(p), '0') : "";
        if (filter == "percent") return "0" + frac + "%";
        if (filter == "money") return "#,##0" + frac;
        return "0" + frac;
    }
};

/// A cell of a table row in a layout.
/// Where a row or cell starts in layout.json: line and column (characters), from 1.
struct SourceAt {
    int line = 0;
    int column = 0;
};

struct CellSpec {
    int line = 0;  // for messages about a key: its line
    SourceAt at;   // where the cell starts
    TextTemplate text;
    bool hasText = false;
    int colspan = 1;
    int rowspan = 1;
    Align align = Align::Auto;
    bool bold = false;
    std::optional<FontRole> role;
    std::optional<double> size;
    std::string valuePath;
    NumberFormat format;
    std::string empty = "—";
    std::optional<TextTemplate> formula;
    std::optional<TextTemplate> id;
};

struct RowSpec {
    enum class Kind { Cells, Each, If } kind = Kind::Cells;
    int line = 0;
    SourceAt at;  // where the row starts
    std::vector<CellSpec> cells;
    double minHeight = 0;
    std::string path;
    std::vector<RowSpec> rows;
    std::vector<RowSpec> elseRows;
    std::vector<int> merge;
    std::optional<TextTemplate> condition;
};

struct BlockSpec {
    enum class Kind { Heading, Paragraph, TextFile, Table, Spacer, PageBreak, Signature, Each, If, Include, Attachments } kind;
    int line = 0;
    TextTemplate text;                // heading, paragraph
    std::vector<TextTemplate> lines;  // signature
    int level = 1;
    bool bookmark = true;
    bool balanced = false;  // heading in balanced lines
    TextTemplate label;     // attachments: lead word
    TextStyle style;
    ParagraphFormat format;
    Table table;  // table settings (rows empty)
    std::vector<RowSpec> rows;
    double spacer = 5;
    std::string path;  // each
    std::optional<TextTemplate> condition;
    std::vector<BlockSpec> blocks;
    std::vector<BlockSpec> elseBlocks;
    std::shared_ptr<const FormTemplate::Spec> include;
};

struct ChartSpec {
    ChartType type = ChartType::Column;
    TextTemplate title, categories;
    std::vector<std::pair<TextTemplate, TextTemplate>> series;  // name, values
};

struct SheetSpec {
    int line = 0;
    TextTemplate name;
    std::string each;  // one sheet per item when set
    bool autofilter = false;
    int freezeRows = -1;
    std::vector<BlockSpec> blocks;
    std::vector<ChartSpec> charts;
};

struct FormTemplate::Spec {
    std::string name;
    std::string file;
    TextTemplate title, subject, keywords, headerText, watermark;
    /// 版头: the mark ("none": preprinted paper) and the 发文字号; Letterhead's other fields.
    std::optional<std::pair<TextTemplate, TextTemplate>> letterheadText;
    Letterhead letterhead;
    std::vector<std::pair<TextTemplate, TextTemplate>> colophon;  // 版记 lines: left, right
    TextTemplate colophonFormat;                                  // "信函": the 版记 without rules
    PageSetup page;
    HeaderFooter headerFooter;
    std::vector<BlockSpec> blocks;
    std::vector<SheetSpec> sheets;
};

/// Reads `<templatesDir>/<name>/layout.json` and the files it includes or names. Throws
/// TemplateError naming file and line.
std::shared_ptr<const FormTemplate::Spec> readSpec(const TemplateFolders& folders, const std::string& name);

}  // namespace jixiao::layout
