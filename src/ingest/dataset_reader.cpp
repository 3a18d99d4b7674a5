#include "ingest/dataset_reader.h"

#include "ingest/csv_reader.h"
#include "ingest/dataset_json.h"
#include "ingest/headers.h"
#include "ingest/values.h"
#include "ingest/xlsx_reader.h"
#include "model/file_read.h"
#include "model/text.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace jixiao::ingest {

using model::Decimal;
using model::Diagnostics;
using model::Position;

namespace {

std::string readBytes(const std::string& path) {
    std::string bytes;
    if (model::readFile(path, bytes) != 0) throw ReadError(Poco::Path(path).getFileName() + "：无法打开文件。");
    return bytes;
}

/// The first bytes of a file, enough for its signature (a CSV file is then read row by row,
/// never whole).
std::string readStart(const std::string& path) {
    model::FileParts file(path);
    const std::string_view part = file.next();
    if (file.error() != 0) throw ReadError(Poco::Path(path).getFileName() + "：无法打开文件。");
    return std::string(part.substr(0, 8));
}

bool isOleFile(const std::string& bytes) { return bytes.size() >= 8 && bytes.compare(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") == 0; }
bool isZipFile(const std::string& bytes) { return bytes.size() >= 4 && bytes.compare(0, 4, "PK\x03\x04") == 0; }

/// A section file by content: XLSX by its zip signature, an OLE file (.xls, .et, encrypted
/// workbooks) refused with the way out, anything else as CSV (read row by row).
Table readTableAt(const std::string& path, const std::string& start, const std::string& name, const std::string& sheet,
                  const ReadLimits& limits) {
    if (isZipFile(start)) return readXlsx(readBytes(path), name, sheet, limits, kHeldRows);
    if (isOleFile(start)) throw ReadError(name + "：这是旧版 Excel（.xls）或加密的工作簿，无法读取。请在 Excel 中另存为 .xlsx 或 CSV。");
    return readCsvFile(path, limits);
}

/// The money unit of each column of a table, once its header and settings are read.
struct MoneyColumns {
    std::set<int> yuan;        ///< columns in 元, converted to 万元 as they are read
    std::set<int> warned;      ///< columns already warned about an implausible amount
    bool plausibility = true;  ///< warn about amounts too large for 万元
    std::string section;       ///< for hints
};

/// Amounts at or above this many 万元 (10 亿元) in a 万元 column are more likely 元.
const Decimal kImplausibleWan = Decimal::fromInt(100000);

/// One data row with its table and header map: typed access with diagnostics at the cell.
class RowReader {
public:
    RowReader(const Table& table, const HeaderMap& map, const Row& row, Diagnostics& diags, MoneyColumns* money, std::uint32_t source = 0)
        : table_(table), map_(map), row_(row), diags_(diags), money_(money), source_(source) {}

    std::string project;  ///< project the row belongs to, stamped on its diagnostics

    const Cell* cell(const std::string& field) const {
        auto c = map_.column(field);
        if (!c || *c >= int(row_.cells.size())) return nullptr;
        return &row_.cells[*c];
    }
    bool has(const std::string& field) const { return map_.column(field).has_value(); }
    std::string text(const std::string& field) const {
        const Cell* c = cell(field);
        return c ? cellText(*c) : std::string();
    }
    Position at(const std::string& field) const {
        auto c = map_.column(field);
        return {table_.file, table_.sheet, row_.row, c ? *c : -1, c ? map_.headerAt(*c) : field};
    }
    model::SourceRef source() const { return {source_, row_.row}; }

    void error(const std::string& field, const std::string& value, const std::string& message, const std::string& hint = {}) {
        model::Diagnostic d{model::Severity::Error, at(field), value, message, hint, project};
        diags_.add(std::move(d));
        ok = false;
    }
    void warning(const std::string& field, const std::string& value, const std::string& message, const std::string& hint = {}) {
        diags_.add({model::Severity::Warning, at(field), value, message, hint, project});
    }

    std::string required(const std::string& field) {
        std::string t = text(field);
        if (t.empty()) error(field, t, "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "不能为空。");
        return t;
    }

    /// A number field; money is converted from 元 when the dataset says so.
    std::optional<Decimal> number(const std::string& field, bool requiredField, bool money, bool allowNegative = false) {
        const Cell* c = cell(field);
        std::string shown = c ? cellText(*c) : std::string();
        if (!c || shown.empty()) {
            if (requiredField) error(field, shown, "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "不能为空。");
            return std::nullopt;
        }
        auto n = parseNumber(*c);
        if (!n && numberTooLarge(*c)) {
            error(field, shown,
                  "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "的" + model::quoted(shown) +
                      "过大，超出了可以计算的范围（绝对值应小于 920 亿）。",
                  "请检查是否多填了数字；如果是以元为单位的金额，可以改用万元。");
            return std::nullopt;
        }
        if (!n) {
            error(
                field, shown,
                "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "应为数字，实际为" + model::quoted(shown) + "。",
                "请只填写数字，如 1234.50；可以带千分位逗号或百分号。");
            return std::nullopt;
        }
        if (money && n->percent) {
            error(field, shown,
                  "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "是金额，不应带百分号，实际为" +
                      model::quoted(shown) + "。");
            return std::nullopt;
        }
        Decimal v = n->fraction();
        if (v.isNegative() && !allowNegative) {
            error(field, shown,
                  "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "不能为负数，实际为" + model::quoted(shown) +
                      "。");
            return std::nullopt;
        }
        if (money && money_ && money_->yuan.count(at(field).column)) {
            // Exact: 元 have at most 2 decimals in practice, 万元 keep 8.
            v = v / Decimal::fromInt(10000);
        } else if (money && money_ && money_->plausibility && v >= kImplausibleWan && money_->warned.insert(at(field).column).second) {
            warning(field, shown,
                    "第" + std::to_string(row_.row) + "行" + model::quoted(at(field).header) + "为" + model::quoted(shown) +
                        "，按万元计超过10亿元，是否实为以元为单位？",
                    "如果该列以元为单位，请在列名中注明，如" + model::quoted(at(field).header + "（元）") +
                        "，或在 dataset.json 中写 "
                        "\"金额单位\": {" +
                        jsonLiteral(money_->section) + ": \"元\"}。");
        }
        return v;
    }

    int row() const { return row_.row; }
    bool ok = true;

private:
    const Table& table_;
    const HeaderMap& map_;
    const Row& row_;
    Diagnostics& diags_;
    MoneyColumns* money_;
    std::uint32_t source_;
};

/// "合计"/"总计" in the row's first non-empty cell marks the trailing total row.
bool isTotalRow(const Row& row) {
    for (const auto& cell : row.cells) {
        std::string t = cellText(cell);
        if (t.empty()) continue;
        std::string k = headerKey(t);
        return k == "合计" || k == "总计";
    }
    return false;
}

struct LoadedTable {
    Table table;
    HeaderMap map;
    std::uint32_t source = 0;  ///< file, sheet and map.columns (SourceTable::hold), shared by the rows' SourceRefs
    MoneyColumns money;
    bool present = false;
};

/// Where a section's table is to be read from.
struct Location {
    std::string file;
    std::string sheet;
    bool sheetGiven = false;  ///< dataset.json names the sheet
};

/// Money fields of a section: every amount in 万元 once read.
std::vector<std::string> moneyFields(Section section) {
    if (section == Section::Execution) return {"年初预算数", "全年预算数", "全年执行数"};
    if (section != Section::Figures) return {};
    std::vector<std::string> out;
    for (const auto& f : fieldsOf(Section::Figures))
        if (f.header != "单位编码" && f.header != "年度" && f.header != "在职人数" && f.header != "编制数") out.push_back(f.header);
    return out;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string extensionOf(const std::string& file) {
    auto dot = file.rfind('.');
    return dot == std::string::npos ? std::string() : lower(file.substr(dot));
}

std::string where(const Table& t) { return t.sheet.empty() ? t.file : t.file + "[" + t.sheet + "]"; }

/// True when no character of `utf8` can be one XML forbids, judged on the bytes without
/// decoding them: false at a C0 control but tab, LF and CR, and at any lead byte that could
/// start a surrogate, U+FFFE, U+FFFF, an overlong form or a code point above U+10FFFF (those
/// texts are decoded and checked character by character).
bool plainlyXmlSafe(std::string_view utf8) {
    const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
    const std::size_t n = utf8.size();
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char b = p[i];
        if (b >= 0x20 && b < 0xC0) continue;  // ASCII and continuation bytes
        if (b < 0x20) {
            if (b == '\t' || b == '\n' || b == '\r') continue;
            return false;
        }
        const unsigned next = i + 1 < n ? p[i + 1] : 0;
        if (b < 0xC2 || b == 0xED || b >= 0xF5) return false;
        if (b == 0xE0 && next < 0xA0) return false;
        if (b == 0xEF && next == 0xBF && i + 2 < n && p[i + 2] >= 0xBE) return false;
        if ((b == 0xF0 && next < 0x90) || (b == 0xF4 && next >= 0x90)) return false;
    }
    return true;
}

/// Removes from every cell the characters no XML file can hold (model::xmlAllows: control
/// characters pasted from other programs, U+FFFE/U+FFFF), with a warning naming the cell: one
/// of them in a name would make the XLSX parts that show it unreadable.
void dropXmlForbidden(const Table& table, Row& row, Diagnostics& diags) {
    {
        for (std::size_t col = 0; col < row.cells.size(); ++col) {
            Cell& cell = row.cells[col];
            if (plainlyXmlSafe(cell.text)) continue;
            const std::u32string cps = model::decodeUtf8(cell.text);
            if (std::all_of(cps.begin(), cps.end(), model::xmlAllows)) continue;
            std::string kept, shown, found;
            for (char32_t cp : cps) {
                if (model::xmlAllows(cp)) {
                    model::appendUtf8(kept, cp);
                    model::appendUtf8(shown, cp);
                    continue;
                }
                char code[16];
                std::snprintf(code, sizeof code, "U+%04X", unsigned(cp));
                shown += std::string("〔") + code + "〕";
                if (found.find(code) == std::string::npos) found += (found.empty() ? "" : "、") + std::string(code);
            }
            diags.warning({table.file, table.sheet, row.row, int(col), {}}, shown,
                          "第" + std::to_string(row.row) + "行第" + model::columnLetter(int(col)) + "列的“" + shown +
                              "”含有文件中不能保存的字符（" + found + "），已删除。",
                          "这类不可见字符多由复制粘贴带入，请在原表中删除。");
            cell.text = std::move(kept);
        }
    }
}

/// The same for every row of a table, those still in its file included (read once more, so
/// that the warnings come in row order before anything else is said about the table).
void dropXmlForbidden(Table& table, Diagnostics& diags) {
    for (Row& row : table.rows) dropXmlForbidden(table, row, diags);
    if (!table.rest || table.rest->xmlSafe()) return;
    Row row;
    for (auto again = table.rest->again(); again->next(row);) dropXmlForbidden(table, row, diags);
}

class DatasetReader {
public:
    DatasetReader(std::string folder, Diagnostics& diags, const ReadLimits& limits)
        : folder_(std::move(folder)), diags_(diags), limits_(limits) {}

    model::Dataset read() {
        if (!Poco::File(folder_).exists() || !Poco::File(folder_).isDirectory()) throw NoInputError(folder_ + "：数据集文件夹不存在。");
        settings_ = readSettings(folder_, diags_);
        return readTables();
    }

    Proposal propose() {
        if (!Poco::File(folder_).exists() || !Poco::File(folder_).isDirectory()) throw NoInputError(folder_ + "：数据集文件夹不存在。");
        const model::Dataset ds = readTables();
        Proposal p;
        int year = 0;
        for (const auto& f : ds.figures) year = std::max(year, f.year);
        std::string files, sheets, columns, units;
        auto add = [](std::string& list, const std::string& entry) { list += (list.empty() ? "" : ",\n    ") + entry; };
        for (Section section : allSections()) {
            const std::string name = sectionName(section);
            auto it = info_.find(section);
            if (it == info_.end()) continue;
            const TableInfo& t = it->second;
            p.found.push_back(name + "：" + (t.sheet.empty() ? t.file : t.file + "[" + t.sheet + "]"));
            add(files, jsonLiteral(name) + ": " + jsonLiteral(t.file));
            if (!t.sheet.empty()) add(sheets, jsonLiteral(name) + ": " + jsonLiteral(t.sheet));
            std::string mapped;
            for (const auto& [from, to] : t.aliases) mapped += (mapped.empty() ? "" : ", ") + jsonLiteral(from) + ": " + jsonLiteral(to);
            if (!mapped.empty()) add(columns, jsonLiteral(name) + ": {" + mapped + "}");
            if (t.units.size() == 1 && !t.units.begin()->empty()) add(units, jsonLiteral(name) + ": " + jsonLiteral(*t.units.begin()));
            else if (t.units.count(""))
                p.undecided.push_back("“" + name + "”表的金额列" + (t.units.size() > 1 ? "有的" : "") +
                                      "没有注明单位，将按万元读取；如为元，请在 dataset.json 中写 \"金额单位\": {" + jsonLiteral(name) +
                                      ": \"元\"}，或在列名中注明，如“全年预算数（元）”。");
        }
        std::string json = "{\n  \"年度\": " + (year > 0 ? std::to_string(year) : std::string("null")) + ",\n  \"发文机关\": \"\"";
        if (!units.empty()) json += ",\n  \"金额单位\": {\n    " + units + "\n  }";
        if (!files.empty()) json += ",\n  \"files\": {\n    " + files + "\n  }";
        if (!sheets.empty()) json += ",\n  \"sheets\": {\n    " + sheets + "\n  }";
        if (!columns.empty()) json += ",\n  \"columns\": {\n    " + columns + "\n  }";
        p.json = json + "\n}\n";
        if (year == 0) p.undecided.push_back("“年度”：部门整体表中没有年度，请填写预算年度，如 \"年度\": 2024。");
        p.undecided.push_back("“发文机关”：请填写反馈函的落款单位，如 \"发文机关\": \"某某县财政局\"。");
        for (const auto& d : diags_.list())
            if (d.severity != model::Severity::Note || d.message.rfind("无法识别的列名", 0) == 0) p.undecided.push_back(d.format());
        return p;
    }

private:
    /// What init reports about a table it read.
    struct TableInfo {
        std::string file, sheet;
        std::map<std::string, std::string> aliases;  ///< header as found → field, where they differ
        std::set<std::string> units;                 ///< money units the headers declare ("" for none)
    };

    model::Dataset readTables() {
        model::Dataset ds;
        ds.folder = folder_;
        ds.config = settings_.config;
        locateAll();
        readUnits(ds);
        readProjects(ds);
        readExecution(ds);
        readIndicators(ds);
        readFigures(ds);
        checkAgainstDepartments(ds);
        return ds;
    }

    /// Decides where each section is read from: dataset.json's files, else the default name,
    /// else the one table in the folder whose header is that section's.
    void locateAll() {
        std::set<std::string> taken;
        std::vector<Section> pending;
        for (Section section : allSections()) {
            const std::string name = sectionName(section);
            Location loc;
            if (auto it = settings_.sheets.find(name); it != settings_.sheets.end()) {
                loc.sheet = it->second;
                loc.sheetGiven = true;
            }
            if (auto it = settings_.files.find(name); it != settings_.files.end()) {
                if (!safeFileName(it->second)) continue;  // already reported
                loc.file = it->second;
                if (!Poco::File(Poco::Path(folder_, loc.file)).exists()) {
                    diags_.error({"dataset.json", {}, 0, -1, "files"}, loc.file,
                                 "files 中“" + name + "”指定的文件" + model::quoted(loc.file) + "不存在。");
                    continue;
                }
            } else {
                for (const char* ext : {".xlsx", ".csv", ".et"})
                    if (Poco::File(Poco::Path(folder_, name + ext)).exists()) {
                        loc.file = name + ext;
                        break;
                    }
                if (loc.file.empty() && Poco::File(Poco::Path(folder_, name + ".xls")).exists()) {
                    diags_.error({name + ".xls", {}, 0, -1, {}}, {}, name + ".xls 是旧版 Excel（.xls）格式，无法读取。",
                                 "请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”，文件名为 " + name + ".xlsx。");
                    continue;
                }
                if (loc.file.empty()) {
                    pending.push_back(section);
                    continue;
                }
            }
            taken.insert(loc.file);
            located_[section] = loc;
        }
        if (!pending.empty()) discover(pending, taken);
    }

    /// A table read while looking for a section, with the sections its header fits.
    struct Candidate {
        Table table;
        std::optional<Section> best;  ///< the section its header fits best
    };

    /// The section a table's header fits best: every required field present, then the most
    /// fields recognised (a 预算执行 export also naming 项目名称 is still 预算执行).
    std::optional<Section> bestSection(const Table& table) const {
        std::optional<Section> best;
        std::size_t most = 0;
        for (Section section : allSections()) {
            HeaderMap m = matchHeaders(table, section, settings_.columnsFor(section));
            if (hasRequired(m, section) && m.columns.size() > most) {
                best = section;
                most = m.columns.size();
            }
        }
        return best;
    }

    void discover(const std::vector<Section>& pending, const std::set<std::string>& taken) {
        std::vector<std::string> names, oldExcel;
        Poco::File(folder_).list(names);
        std::sort(names.begin(), names.end());
        std::vector<Candidate> candidates;
        for (const auto& file : names) {
            const std::string ext = extensionOf(file);
            if (taken.count(file) || file.rfind("~$", 0) == 0 || file.rfind('.', 0) == 0) continue;
            if (ext == ".xls") oldExcel.push_back(file);
            if (ext != ".xlsx" && ext != ".csv" && ext != ".et") continue;
            try {
                const std::string path = Poco::Path(folder_, file).toString();
                const std::string start = readStart(path);
                if (isOleFile(start)) {
                    oldExcel.push_back(file);
                    continue;
                }
                if (isZipFile(start)) {
                    const std::string bytes = readBytes(path);
                    for (const auto& sheet : xlsxSheetNames(bytes, file, limits_)) {
                        Candidate c{readXlsx(bytes, file, sheet, limits_, kHeldRows), std::nullopt};
                        c.best = bestSection(c.table);
                        if (c.best) candidates.push_back(std::move(c));
                    }
                } else {
                    Candidate c{readCsvFile(path, limits_), std::nullopt};
                    c.best = bestSection(c.table);
                    if (c.best) candidates.push_back(std::move(c));
                }
            } catch (const ReadError&) {
                continue;  // not a table of this dataset; a file named in files reports its own error
            }
        }
        for (Section section : pending) {
            const std::string name = sectionName(section);
            std::vector<Candidate*> fits;
            for (auto& c : candidates)
                if (c.best == section) fits.push_back(&c);
            if (fits.size() == 1) {
                Table& t = fits.front()->table;
                std::string pin = "\"files\": {" + jsonLiteral(name) + ": " + jsonLiteral(t.file) + "}";
                if (!t.sheet.empty()) pin += ", \"sheets\": {" + jsonLiteral(name) + ": " + jsonLiteral(t.sheet) + "}";
                diags_.note({t.file, t.sheet, 0, -1, {}}, {}, "“" + name + "”表按表头识别为 " + where(t) + "。",
                            "如需固定，可在 dataset.json 中写 " + pin + "。");
                located_[section] = Location{t.file, t.sheet, true};
                preloaded_[section] = std::move(t);
            } else if (fits.size() > 1) {
                std::string list;
                for (const Candidate* c : fits) list += (list.empty() ? "" : "、") + where(c->table);
                diags_.error({folder_, {}, 0, -1, {}}, {}, "“" + name + "”表有多个候选：" + list + "，无法确定读取哪一个。",
                             "请在 dataset.json 的 files 中指定，例如 \"files\": {" + jsonLiteral(name) + ": " +
                                 jsonLiteral(fits.front()->table.file) + "}。");
            } else if (section != Section::Figures) {
                std::string hint =
                    "如果文件名不同，请在 dataset.json 的 files 中指定，例如 \"files\": {" + jsonLiteral(name) + ": \"文件名.xlsx\"}。";
                for (const auto& old : oldExcel)
                    hint += old + " 是旧版 Excel（.xls）或 WPS 格式，无法读取；如果它就是“" + name + "”表，请另存为 .xlsx。";
                diags_.error(
                    {folder_, {}, 0, -1, {}}, {},
                    "找不到“" + name + "”表：没有" + name + ".xlsx 或 " + name + ".csv，文件夹中也没有表头像“" + name + "”表的表格。",
                    hint);
            }
        }
    }

    /// Reads a section's table; a section that cannot be used at all is remembered as unread.
    LoadedTable load(model::Dataset& ds, Section section, bool required) {
        LoadedTable lt = loadTable(section);
        if (!lt.present && required) ds.unreadSections.push_back(sectionName(section));
        return lt;
    }

    /// Reads the table of a located section. In a workbook whose sheet dataset.json does not
    /// name, the first sheet with the section's header is read (a 填报说明 sheet often comes first).
    LoadedTable loadTable(Section section) {
        LoadedTable lt;
        auto located = located_.find(section);
        if (located == located_.end()) return lt;
        const Location& loc = located->second;
        const std::string name = sectionName(section);
        const auto mapping = settings_.columnsFor(section);
        std::vector<std::string> sheets;
        try {
            if (auto pre = preloaded_.find(section); pre != preloaded_.end()) {
                lt.table = std::move(pre->second);
                preloaded_.erase(pre);
            } else {
                const std::string path = Poco::Path(folder_, loc.file).toString();
                const std::string start = readStart(path);
                if (isZipFile(start)) {
                    const std::string bytes = readBytes(path);
                    sheets = xlsxSheetNames(bytes, loc.file, limits_);
                    if (!loc.sheetGiven && sheets.size() > 1) {
                        for (const auto& sheet : sheets) {
                            Table t = readXlsx(bytes, loc.file, sheet, limits_, kHeldRows);
                            if (hasRequired(matchHeaders(t, section, mapping), section)) {
                                lt.table = std::move(t);
                                break;
                            }
                        }
                        if (lt.table.file.empty()) {
                            diags_.error({loc.file, {}, 0, -1, {}}, {},
                                         "找不到“" + name + "”表的表头：" + loc.file + " 的工作表" + quotedList(sheets) + "中都没有“" +
                                             name + "”表应有的列。",
                                         "请在 dataset.json 的 sheets 中指定数据所在的工作表，例如 \"sheets\": {" + jsonLiteral(name) +
                                             ": " + jsonLiteral(sheets.back()) + "}；如果列名不同，请在 columns 中对应。");
                            return lt;
                        }
                    } else {
                        lt.table = readXlsx(bytes, loc.file, loc.sheet, limits_, kHeldRows);
                    }
                } else {
                    lt.table = readTableAt(path, start, loc.file, loc.sheet, limits_);
                }
            }
        } catch (const ReadError& e) {
            diags_.error({loc.file, loc.sheet, 0, -1, {}}, {}, e.what());
            return lt;
        }
        dropXmlForbidden(lt.table, diags_);
        lt.map = mapHeaders(lt.table, section, mapping, diags_);
        lt.source = model::SourceTable::hold(model::SourceTable{lt.table.file, lt.table.sheet, lt.map.columns});
        lt.present = hasRequired(lt.map, section);
        if (!lt.present && loc.sheetGiven && sheets.size() > 1) {
            // The sheet dataset.json names is not this table: say which sheets there are.
            diags_.error(
                {lt.table.file, lt.table.sheet, 0, -1, {}}, loc.sheet,
                "dataset.json 的 sheets 为“" + name + "”表指定的工作表" + model::quoted(loc.sheet) + "中没有“" + name + "”表的表头；" +
                    loc.file + " 中的工作表有：" + quotedList(sheets) + "。",
                "请在 sheets 中改为数据所在的工作表，例如 \"sheets\": {" + jsonLiteral(name) + ": " + jsonLiteral(sheets.back()) + "}。");
        }
        if (lt.present) resolveUnits(lt, section);
        if (lt.present) remember(lt, section);
        return lt;
    }

    void remember(const LoadedTable& lt, Section section) {
        TableInfo& t = info_[section];
        t.file = lt.table.file;
        t.sheet = lt.table.sheet;
        for (const auto& [field, column] : lt.map.columns) {
            const std::string found = lt.map.headerAt(column);
            if (headerKey(found) != headerKey(field) && found.find('/') == std::string::npos) t.aliases[found] = field;
        }
        for (const auto& field : moneyFields(section))
            if (auto column = lt.map.column(field)) {
                auto u = lt.map.units.find(*column);
                t.units.insert(u != lt.map.units.end() ? u->second : lt.map.titleUnit);
            }
    }

    static std::string quotedList(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names) out += model::quoted(n);
        return out;
    }

    /// Decides the unit of each money column from what its header, a title row and
    /// dataset.json say; any two that disagree are an error (the header's unit is used).
    void resolveUnits(LoadedTable& lt, Section section) {
        const std::string name = sectionName(section);
        lt.money.section = name;
        std::string configUnit, configText;
        if (auto it = settings_.sectionUnits.find(name); it != settings_.sectionUnits.end()) {
            configUnit = it->second;
            configText = "dataset.json 的 \"金额单位\": {" + jsonLiteral(name) + ": " + jsonLiteral(configUnit) + "}";
        } else if (!settings_.moneyUnit.empty()) {
            configUnit = settings_.moneyUnit;
            configText = "dataset.json 的 \"金额单位\": " + jsonLiteral(configUnit);
        }
        const int headerRow = lt.table.rows[lt.map.headerIndex + lt.map.headerRows - 1].row;
        std::vector<std::string> converted;
        std::set<std::string> reported;
        for (const auto& field : moneyFields(section)) {
            auto column = lt.map.column(field);
            if (!column) continue;
            std::vector<std::pair<std::string, std::string>> said;  // unit, who said it
            const std::string header = lt.map.headerAt(*column);
            if (auto u = lt.map.units.find(*column); u != lt.map.units.end()) said.push_back({u->second, "列名" + model::quoted(header)});
            if (!lt.map.titleUnit.empty()) said.push_back({lt.map.titleUnit, "标题行" + model::quoted(lt.map.titleUnitText)});
            if (!configUnit.empty()) said.push_back({configUnit, configText});
            for (size_t i = 1; i < said.size(); ++i)
                if (said[i].first != said[0].first && reported.insert(said[0].second + said[i].second).second) {
                    diags_.error({lt.table.file, lt.table.sheet, headerRow, *column, header}, header,
                                 "“" + name + "”表的金额单位矛盾：" + said[0].second + "为“" + said[0].first + "”，" + said[i].second +
                                     "为“" + said[i].first + "”。",
                                 "请改正其中一处；各表单位不同时，可在 dataset.json 中按表写，例如 \"金额单位\": {" + jsonLiteral(name) +
                                     ": " + jsonLiteral(said[0].first) + "}。");
                }
            if (!said.empty() && said[0].first == "元") {
                lt.money.yuan.insert(*column);
                converted.push_back(header);
            }
        }
        if (!converted.empty())
            diags_.note({lt.table.file, lt.table.sheet, 0, -1, {}}, {},
                        "“" + name + "”表的" + quotedList(converted) + "以元为单位，已换算为万元。");
    }

    /// Calls `fn` for each data row: the rows the table holds (their cells released once
    /// read), then those still in its file, one at a time, so that a big table is never whole
    /// in memory. Total rows go to `onTotal` (valid during the call).
    template <class Fn>
    void eachRow(LoadedTable& lt, Fn&& fn, std::optional<std::function<void(const Row&)>> onTotal = {}) {
        auto visit = [&](Row& row) {
            if (isTotalRow(row)) {
                if (onTotal) (*onTotal)(row);
                return;
            }
            RowReader r(lt.table, lt.map, row, diags_, &lt.money, lt.source);
            fn(r);
        };
        for (size_t i = lt.map.firstDataIndex(); i < lt.table.rows.size(); ++i) {
            visit(lt.table.rows[i]);
            std::vector<Cell>().swap(lt.table.rows[i].cells);
        }
        if (!lt.table.rest) return;
        model::Diagnostics shown;  // the warnings were given when the table was loaded
        Row row;
        try {
            while (lt.table.rest->next(row)) {
                if (!lt.table.rest->xmlSafe()) dropXmlForbidden(lt.table, row, shown);
                visit(row);
            }
        } catch (const ReadError& e) {
            diags_.error({lt.table.file, lt.table.sheet, 0, -1, {}}, {}, e.what());
        }
        lt.table.rest.reset();
    }

    void readUnits(model::Dataset& ds) {
        auto lt = load(ds, Section::Units, true);
        if (!lt.present) return;
        std::map<std::string, int> seen;
        eachRow(lt, [&](RowReader& r) {
            model::Unit u;
            u.code = r.required("单位编码");
            u.name = r.required("单位名称");
            u.parentCode = r.text("主管部门编码");
            std::string kind = r.text("单位类型");
            if (kind.empty()) u.kind = u.parentCode.empty() ? model::UnitKind::Department : model::UnitKind::Unit;
            else if (kind == "部门" || kind == "主管部门") u.kind = model::UnitKind::Department;
            else if (kind == "单位" || kind == "预算单位" || kind == "二级单位" || kind == "基层单位") u.kind = model::UnitKind::Unit;
            else
                r.error("单位类型", kind,
                        "第" + std::to_string(r.row()) + "行“单位类型”应为“部门”或“单位”，实际为" + model::quoted(kind) + "。");
            u.contact = r.text("联系人");
            u.phone = r.text("联系电话");
            u.source = r.source();
            if (u.code.empty() || !r.ok) return;
            if (auto it = seen.find(u.code); it != seen.end()) {
                r.error("单位编码", u.code,
                        "单位编码" + model::quoted(u.code) + "重复：第" + std::to_string(it->second) + "行已有同一编码。",
                        "单位编码必须唯一。");
                return;
            }
            seen[u.code] = r.row();
            ds.units.push_back(std::move(u));
        });
        std::sort(ds.units.begin(), ds.units.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    }

    void readProjects(model::Dataset& ds) {
        auto lt = load(ds, Section::Projects, true);
        if (!lt.present) return;
        // Fail closed: without the column no project is known to be public.
        if (!lt.map.column("是否涉密"))
            diags_.error({lt.table.file, lt.table.sheet, 0, -1, {}}, {},
                         "“项目”表没有“是否涉密”列，无法判断哪些项目涉密，不能公开任何项目。",
                         "请在 " + where(lt.table) + " 中增加“是否涉密”列（也可写作“密级”），对每个项目填写“是”或“否”。");
        std::map<std::string, int> seen;
        eachRow(lt, [&](RowReader& r) {
            model::Project p;
            p.code = r.required("项目编码");
            r.project = p.code;
            p.name = r.required("项目名称");
            p.unitCode = r.required("单位编码");
            p.category = ds.names->intern(r.text("项目类别"));
            p.functionClass = ds.names->intern(r.text("功能分类科目"));
            p.fundingSource = ds.names->intern(r.text("资金来源"));
            // Fail closed: a project whose classification is unknown must not reach the public.
            if (std::string c = r.text("是否涉密"); c.empty() && r.has("是否涉密")) {
                r.error("是否涉密", c, "第" + std::to_string(r.row()) + "行“是否涉密”为空。",
                        "涉密项目不会出现在公开材料中，请对每个项目填写“是”或“否”。");
            } else if (!c.empty()) {
                auto yes = parseYesNo(c);
                if (!yes)
                    r.error("是否涉密", c,
                            "第" + std::to_string(r.row()) + "行“是否涉密”应为“是/否”或“涉密/非密”，实际为" + model::quoted(c) + "。",
                            "涉密项目不会出现在公开材料中，请务必填写明确。");
                else p.classified = *yes;
            }
            p.period = ds.names->intern(r.text("实施期"));
            checkPeriod(r, p.period);
            p.goal = ds.texts->put(r.text("年度总体目标"));
            p.achieved = ds.texts->put(r.text("总体目标完成情况"));
            p.owner = r.text("项目负责人");
            p.source = r.source();
            if (p.code.empty()) return;
            if (auto it = seen.find(p.code); it != seen.end()) {
                r.error("项目编码", p.code,
                        "项目编码" + model::quoted(p.code) + "重复：第" + std::to_string(it->second) + "行已有同一编码。",
                        "项目编码必须唯一；同一项目的多笔资金请写在预算执行表中。");
                return;
            }
            seen[p.code] = r.row();
            ds.projects.push_back(std::move(p));
        });
        ds.projects.shrink_to_fit();
        std::sort(ds.projects.begin(), ds.projects.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    }

    void checkPeriod(RowReader& r, const std::string& period) {
        if (period.empty()) return;
        std::string p = normalizeText(period);
        auto isYear = [](const std::string& s) {
            return s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
        };
        auto dash = p.find_first_of("-~");
        std::string from = dash == std::string::npos ? p : p.substr(0, dash);
        std::string to = dash == std::string::npos ? p : p.substr(dash + 1);
        for (std::string* s : {&from, &to})
            if (s->size() > 3 && s->compare(s->size() - 3, 3, "年") == 0) s->erase(s->size() - 3);
        if (!isYear(from) || !isYear(to)) {
            r.error("实施期", period,
                    "第" + std::to_string(r.row()) + "行“实施期”应为年份或年份区间，实际为" + model::quoted(period) + "。",
                    "例如 2024 或 2023-2025。");
        } else if (to < from) {
            r.error("实施期", period, "第" + std::to_string(r.row()) + "行“实施期”的结束年份早于开始年份：" + model::quoted(period) + "。",
                    "例如 2023-2025。");
        }
    }

    static std::string projectHint(const model::Dataset& ds, const std::string& code) {
        const std::string like = ds.projectCodeLike(code);
        return like.empty() ? "请检查编码是否写错，或在项目表中补充该项目。" : model::Dataset::leadingZeroHint("项目表", like);
    }
    static std::string unitHint(const model::Dataset& ds, const std::string& code) {
        const std::string like = ds.unitCodeLike(code);
        return like.empty() ? std::string() : model::Dataset::leadingZeroHint("单位表", like);
    }

    static bool projectsRead(const model::Dataset& ds) {
        return std::find(ds.unreadSections.begin(), ds.unreadSections.end(), "项目") == ds.unreadSections.end();
    }

    model::Project* findProject(model::Dataset& ds, const std::string& code) { return const_cast<model::Project*>(ds.findProject(code)); }

    void readExecution(model::Dataset& ds) {
        auto lt = load(ds, Section::Execution, true);
        if (!lt.present) return;
        Decimal allAdjusted, allExecuted;  // every data row, as a plain SUM over the column gives
        bool tenfoldWarned = false;
        std::vector<Row> totalRows;
        std::function<void(const Row&)> onTotal = [&](const Row& row) { totalRows.push_back(row); };
        eachRow(
            lt,
            [&](RowReader& r) {
                std::string code = r.required("项目编码");
                r.project = code;
                model::FundingRow f;
                std::string kind = r.text("资金类别");
                auto parsed = fundKind(kind);
                if (!parsed) {
                    r.error(
                        "资金类别", kind, "第" + std::to_string(r.row()) + "行“资金类别”无法识别：" + model::quoted(kind) + "。",
                        "应为“合计”“财政拨款”“其中：本年财政拨款”“上年结转资金”“财政专户管理资金”“单位资金”“其他资金”之一，留空表示合计。");
                } else {
                    f.kind = *parsed;
                }
                f.initial = r.number("年初预算数", false, true);
                auto adjusted = r.number("全年预算数", true, true);
                auto executed = r.number("全年执行数", true, true);
                if (adjusted) allAdjusted += *adjusted;
                if (executed) allExecuted += *executed;
                f.reason = ds.texts->put(r.text("偏差原因"));
                f.selfScore = r.number("自评得分", false, false);
                f.source = r.source();
                if (code.empty() || !r.ok || !adjusted || !executed) return;
                f.adjusted = *adjusted;
                f.executed = *executed;
                // Once per table: a unit mistake would otherwise be repeated on every row.
                if (!tenfoldWarned && f.adjusted > Decimal() && f.executed > f.adjusted * Decimal::fromInt(10) && (tenfoldWarned = true))
                    r.warning("全年执行数", r.text("全年执行数"),
                              "第" + std::to_string(r.row()) + "行" + model::quoted(r.at("全年执行数").header) + "“" +
                                  r.text("全年执行数") + "”超过" + model::quoted(r.at("全年预算数").header) + "“" + r.text("全年预算数") +
                                  "”的10倍。",
                              "请检查两列的金额单位是否一致（元与万元相差一万倍）。");
                if (f.kind == model::FundKind::Total) totalCell_[code] = {r.at("全年预算数"), r.text("全年预算数")};
                model::Project* p = findProject(ds, code);
                if (!p && !projectsRead(ds)) return;  // the unread 项目 table is the one problem
                if (!p) {
                    r.error("项目编码", code,
                            "预算执行表第" + std::to_string(r.row()) + "行的项目编码" + model::quoted(code) + "在项目表中不存在。",
                            projectHint(ds, code));
                    return;
                }
                for (const auto& other : p->funds)
                    if (other.kind == f.kind) {
                        r.error("资金类别", kind,
                                "项目" + model::quoted(code) + "的资金类别" + model::quoted(kind.empty() ? "合计" : kind) + "重复：第" +
                                    std::to_string(other.source.row) + "行已有。",
                                "同一项目每种资金类别只能有一行。");
                        return;
                    }
                p->funds.push_back(f);
            },
            onTotal);

        Decimal projectAdjusted, projectExecuted;  // each project's 年度资金总额 once
        for (auto& p : ds.projects) {
            std::stable_sort(p.funds.begin(), p.funds.end(), [](const auto& a, const auto& b) { return a.kind < b.kind; });
            bool hasTotal = !p.funds.empty() && p.funds.front().kind == model::FundKind::Total;
            for (const auto& f : p.funds)
                if (hasTotal == (f.kind == model::FundKind::Total)) {
                    projectAdjusted += f.adjusted;
                    projectExecuted += f.executed;
                }
        }
        // The trailing 合计 row is checked, never read as data. Exports differ in whether it adds
        // every row or each project's total once, so either sum is accepted.
        for (const Row& total : totalRows) {
            const Row* row = &total;
            MoneyColumns totals = lt.money;
            totals.plausibility = false;  // a total is as large as it is
            RowReader r(lt.table, lt.map, *row, diags_, &totals);
            const std::pair<const char*, std::pair<Decimal, Decimal>> checks[] = {{"全年预算数", {allAdjusted, projectAdjusted}},
                                                                                  {"全年执行数", {allExecuted, projectExecuted}}};
            for (const auto& [field, sums] : checks) {
                auto v = r.number(field, false, true);
                if (!v || *v == sums.first || *v == sums.second) continue;
                // Both in the column's own unit, as the user sees the file.
                const bool yuan = lt.money.yuan.count(r.at(field).column) > 0;
                const Decimal sum = yuan ? sums.second * Decimal::fromInt(10000) : sums.second;
                r.warning(
                    field, r.text(field),
                    "合计行" + model::quoted(r.at(field).header) + "为" + r.text(field) + "，与各项目合计" + sum.toString() + "不一致。",
                    "合计行只用于核对，不参与计算；请检查是否漏行或合计公式有误。");
            }
        }
    }

    /// 资金类别 → the line of the 项目资金 block. 财政拨款 means this year's appropriation.
    static std::optional<model::FundKind> fundKind(const std::string& text) {
        std::string k = headerKey(text);
        for (const char* prefix : {"其中:", "其中："})
            if (k.rfind(prefix, 0) == 0) k.erase(0, std::string(prefix).size());
        if (k.empty() || k == "合计" || k == "年度资金总额" || k == "资金总额" || k == "小计") return model::FundKind::Total;
        if (k == "财政拨款" || k == "本年财政拨款" || k == "当年财政拨款" || k == "财政资金") return model::FundKind::CurrentFiscal;
        if (k == "上年结转资金" || k == "上年结转" || k == "结转资金") return model::FundKind::CarryOver;
        if (k == "财政专户管理资金" || k == "财政专户资金" || k == "专户资金") return model::FundKind::FiscalSpecial;
        if (k == "单位资金" || k == "单位自有资金" || k == "自有资金") return model::FundKind::UnitOwn;
        if (k == "其他资金" || k == "其他") return model::FundKind::Other;
        return std::nullopt;
    }

    void readIndicators(model::Dataset& ds) {
        auto lt = load(ds, Section::Indicators, true);
        if (!lt.present) return;
        eachRow(lt, [&](RowReader& r) {
            model::Indicator ind;
            const std::string projectCode = r.text("项目编码");
            ind.unitCode = ds.names->intern(r.text("单位编码"));
            r.project = projectCode;
            if (projectCode.empty() == ind.unitCode.empty()) {
                r.error(projectCode.empty() ? "项目编码" : "单位编码", projectCode,
                        "绩效指标表第" + std::to_string(r.row()) + "行应填写“项目编码”或“单位编码”中的一个，" +
                            (projectCode.empty() ? "两者都为空。" : "不能同时填写。"),
                        "项目指标填项目编码；部门整体指标填单位编码。");
            }
            ind.level1 = ds.names->intern(r.required("一级指标"));
            ind.level2 = ds.names->intern(r.required("二级指标"));
            ind.level3 = ds.names->intern(r.required("三级指标"));
            ind.unitOfMeasure = ds.names->intern(normalizeText(r.text("计量单位")));
            std::string opText = r.text("指标性质");
            std::optional<model::Operator> op;
            if (!opText.empty()) {
                op = parseOperator(opText);
                if (!op)
                    r.error("指标性质", opText, "第" + std::to_string(r.row()) + "行“指标性质”无法识别：" + model::quoted(opText) + "。",
                            "应为 ≥、>、=、<、≤ 或“定性”之一。");
            }
            std::string targetText = r.required("年度指标值");
            auto target = splitQuantity(targetText);
            if (target.op) {
                if (op && *op != *target.op && r.ok)
                    r.error("年度指标值", targetText,
                            "第" + std::to_string(r.row()) + "行“年度指标值”中的符号与“指标性质”" + model::quoted(opText) + "矛盾。");
                op = target.op;
            }
            ind.target.value = target.quantity.value;
            ind.target.percentSign = target.quantity.percentSign;
            ind.target.setText(*ds.names, targetText);
            ind.op = op.value_or(target.quantity.value ? model::Operator::Ge : model::Operator::Qualitative);
            if (opText.empty() && !op && ind.op == model::Operator::Ge)
                diags_.note(r.at("指标性质"), {},
                            "第" + std::to_string(r.row()) + "行" +
                                (r.has("指标性质") ? model::quoted(r.at("指标性质").header) + "为空" : std::string("没有“指标性质”")) +
                                "，年度指标值" + model::quoted(targetText) + "中也没有符号，按“≥”（越大越好）读取。",
                            "如为越小越好的指标，请在“指标性质”中填写“≤”；定性指标填写“定性”。");
            if (ind.op != model::Operator::Qualitative && !ind.target.value && !targetText.empty())
                r.error("年度指标值", targetText,
                        "第" + std::to_string(r.row()) + "行“年度指标值”应为数字，实际为" + model::quoted(targetText) + "。",
                        "定量指标的指标值应为数字，如 95%、735；定性指标请在“指标性质”中写“定性”。");
            std::string actualText = r.text("实际完成值");
            if (!actualText.empty() && ind.op != model::Operator::Qualitative) {
                auto actual = splitQuantity(actualText);
                // An actual that starts with an operator merely repeats the target ("≥266米"):
                // kept as text so that scoring flags it, never read as a value.
                if (!actual.op) {
                    ind.actual.value = actual.quantity.value;
                    ind.actual.percentSign = actual.quantity.percentSign;
                    if (!ind.actual.value && actualText != targetText)
                        r.error("实际完成值", actualText,
                                "第" + std::to_string(r.row()) + "行“实际完成值”应为数字，实际为" + model::quoted(actualText) + "。",
                                "定量指标的实际完成值应为数字；如无法取得请留空并在偏差原因中说明。");
                } else {
                    ind.actual.percentSign = actual.quantity.percentSign;
                }
            }
            ind.actual.setText(*ds.names, actualText);
            ind.weight = r.number("分值", false, false);
            ind.reason = ds.texts->put(r.text("偏差原因分析"));
            ind.measures = ds.texts->put(r.text("改进措施"));
            ind.selfScore = r.number("自评得分", false, false);
            ind.source = r.source();
            if (!r.ok) return;
            if (!projectCode.empty()) {
                model::Project* p = findProject(ds, projectCode);
                if (!p && !projectsRead(ds)) return;
                if (!p) {
                    r.error("项目编码", projectCode,
                            "绩效指标表第" + std::to_string(r.row()) + "行的项目编码" + model::quoted(projectCode) + "在项目表中不存在。",
                            projectHint(ds, projectCode));
                    return;
                }
                p->indicators.push_back(std::move(ind));
            } else {
                if (!ds.findUnit(ind.unitCode)) {
                    r.error("单位编码", ind.unitCode,
                            "绩效指标表第" + std::to_string(r.row()) + "行的单位编码" + model::quoted(ind.unitCode.str()) +
                                "在单位表中不存在。",
                            unitHint(ds, ind.unitCode));
                    return;
                }
                ds.unitIndicators.push_back(std::move(ind));
            }
        });
        std::stable_sort(ds.unitIndicators.begin(), ds.unitIndicators.end(),
                         [](const auto& a, const auto& b) { return a.unitCode < b.unitCode; });
        // Each project's rows grew by doubling (15 rows in room for 16): exact, as they are kept
        // for the whole run (300,000 rows at 20,000 projects).
        for (auto& p : ds.projects) p.indicators.shrink_to_fit();
    }

    /// A project budget larger than its whole department's budget of the year is almost
    /// always a unit mistake (元 read as 万元, or the other way round).
    void checkAgainstDepartments(const model::Dataset& ds) {
        for (const auto& p : ds.projects) {
            auto cell = totalCell_.find(p.code);
            const model::Unit* dept = ds.departmentOf(p.unitCode);
            if (cell == totalCell_.end() || !dept || p.funds.empty()) continue;
            for (const auto& f : ds.figures) {
                if (f.unitCode != dept->code || f.year != ds.config.year) continue;
                auto budget = f.figures.find("预算数");
                if (budget == f.figures.end() || budget->second.isZero() || !(p.funds.front().adjusted > budget->second)) continue;
                const auto& [pos, raw] = cell->second;
                diags_.warning(pos, raw,
                               "项目" + model::quoted(p.code) + "的" + model::quoted(pos.header) + "为“" + raw + "”，折合" +
                                   p.funds.front().adjusted.toString() + "万元，大于所属部门" + model::quoted(dept->code) + "的" +
                                   std::to_string(f.year) + "年部门预算数" + budget->second.toString() + "万元（" + f.source.file() + "第" +
                                   std::to_string(f.source.row) + "行）。",
                               "请检查两张表的金额单位：以元为单位的列请在列名中注明，如“全年预算数（元）”。");
            }
        }
    }

    void readFigures(model::Dataset& ds) {
        auto lt = load(ds, Section::Figures, false);
        if (!lt.present) return;
        eachRow(lt, [&](RowReader& r) {
            model::DepartmentFigures f;
            f.unitCode = r.required("单位编码");
            auto year = r.number("年度", true, false);
            if (year && (year->rounded(0) != *year || *year < Decimal::fromInt(2000) || *year > Decimal::fromInt(2100)))
                r.error("年度", r.text("年度"),
                        "第" + std::to_string(r.row()) + "行“年度”应为四位年份，实际为" + model::quoted(r.text("年度")) + "。");
            for (const auto& field : fieldsOf(Section::Figures)) {
                if (field.header == "单位编码" || field.header == "年度") continue;
                bool money = field.header != "在职人数" && field.header != "编制数";
                // 预算调整数 is negative when the budget was cut during the year (调减).
                bool signedFigure = field.header == "预算调整数";
                if (auto v = r.number(field.header, false, money, signedFigure)) f.figures[field.header] = *v;
            }
            f.source = r.source();
            if (!r.ok || !year) return;
            f.year = int(year->raw() / Decimal::kScale);
            if (!ds.findUnit(f.unitCode)) {
                r.error("单位编码", f.unitCode,
                        "部门整体表第" + std::to_string(r.row()) + "行的单位编码" + model::quoted(f.unitCode) + "在单位表中不存在。",
                        unitHint(ds, f.unitCode));
                return;
            }
            for (const auto& other : ds.figures)
                if (other.unitCode == f.unitCode && other.year == f.year) {
                    r.error("年度", r.text("年度"),
                            "单位" + model::quoted(f.unitCode) + "的" + std::to_string(f.year) + "年度数据重复：第" +
                                std::to_string(other.source.row) + "行已有。");
                    return;
                }
            ds.figures.push_back(std::move(f));
        });
        std::sort(ds.figures.begin(), ds.figures.end(),
                  [](const auto& a, const auto& b) { return std::tie(a.unitCode, a.year) < std::tie(b.unitCode, b.year); });
    }

    std::string folder_;
    Diagnostics& diags_;
    const ReadLimits& limits_;
    Settings settings_;
    std::map<Section, Location> located_;
    std::map<Section, Table> preloaded_;                                 ///< tables read while discovering, not read twice
    std::map<std::string, std::pair<Position, std::string>> totalCell_;  ///< project → its 全年预算数 cell, as found
    std::map<Section, TableInfo> info_;
};

}  // namespace

Table readTableFile(const std::string& path, const std::string& sheet, const ReadLimits& limits) {
    return readTableAt(path, readStart(path), Poco::Path(path).getFileName(), sheet, limits);
}

model::Dataset readDataset(const std::string& folder, Diagnostics& diags, const ReadLimits& limits) {
    return DatasetReader(folder, diags, limits).read();
}

Proposal proposeDataset(const std::string& folder, const ReadLimits& limits) {
    Diagnostics diags;
    return DatasetReader(folder, diags, limits).propose();
}

}  // namespace jixiao::ingest
