#include "web/workspace.h"

#include "app/batch.h"
#include "ingest/dataset_reader.h"
#include "layout/template_text.h"
#include "model/file_read.h"
#include "model/json.h"
#include "publish/atomic_file.h"
#include "score/rules.h"
#include "web/http.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Path.h>

#include <typeinfo>
#include <set>
#include <sstream>

namespace jixiao::web {

namespace {

/// The settings the form edits, besides files/sheets/columns.
const char* const kTextSettings[] = {"发文机关", "文号前缀", "金额单位", "公开日期", "评分规则"};

std::string readFile(const std::string& path) {
    std::string bytes;
    if (model::readFile(path, bytes) != 0) return {};
    return bytes;
}

Poco::JSON::Object::Ptr parseObject(const std::string& text, const std::string& what) {
    // The project's own reader says where and what is wrong in Chinese; Poco's says it in
    // English, and names a C++ type for a top-level array.
    try {
        model::parseJson(text);
    } catch (const model::JsonSyntaxError& e) {
        throw HttpError(400, what + "不是有效的 JSON（第" + std::to_string(e.line()) + "行第" + std::to_string(e.column()) + "列：" +
                                 e.what() + "）。请用记事本或 WPS 检查后重新上传，或不上传它、在“设置”中填写。");
    }
    try {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var value = parser.parse(text);
        if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
            auto object = value.extract<Poco::JSON::Object::Ptr>();
            if (object) return object;
        }
    } catch (const Poco::Exception&) {
        throw HttpError(400, what + "应为 JSON 对象（以 { 开头）。");  // what the project's reader took, Poco refused
    }
    throw HttpError(400, what + "应为 JSON 对象（以 { 开头）。");
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(object, out, 2, -1, Poco::JSON_PRESERVE_KEY_ORDER);
    return out.str() + "\n";
}

std::string lower(std::string text) {
    for (auto& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

/// The table a file name suggests, or "" (部门整体 before 单位: "部门整体" never contains 单位,
/// but "单位" names are checked last as the most general word).
std::string guessSection(const std::string& name) {
    for (const char* section : {"部门整体", "绩效指标", "预算执行", "项目", "单位"})
        if (name.find(section) != std::string::npos) return section;
    return {};
}

/// A quoted CSV field; a leading = + - @ is neutralised so WPS and Excel show it as text.
std::string csvField(const std::string& text) {
    std::string out = "\"";
    if (!text.empty() && std::string("=+-@").find(text[0]) != std::string::npos) out += '\'';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

const std::vector<std::string>& sectionNames() {
    static const std::vector<std::string> names{"单位", "项目", "预算执行", "绩效指标", "部门整体"};
    return names;
}

std::string Datasets::folder(std::int64_t id) {
    if (!store_.dataset(id)) throw HttpError(404, "找不到编号为 " + std::to_string(id) + " 的数据集。");
    return paths_.dataset(id);
}

std::int64_t Datasets::create(const std::vector<ReceivedFile>& files, const std::string& user, const std::string& at) {
    Poco::JSON::Object::Ptr config;
    std::vector<const ReceivedFile*> tables;
    for (const auto& f : files) {
        std::string ext = lower(Poco::Path(f.original).getExtension());
        if (lower(f.original) == "dataset.json") {
            if (config) throw HttpError(400, "一次只能上传一个 dataset.json。");
            config = parseObject(readFile(f.path), "dataset.json ");
        } else if (ext == "csv" || ext == "xlsx") {
            tables.push_back(&f);
        } else {
            throw HttpError(400, "不能上传文件“" + f.original + "”：只接受导出的 .xlsx、.csv 表格和 dataset.json。");
        }
    }
    if (tables.empty()) throw HttpError(400, "没有收到表格文件：请选择或拖入导出的 .xlsx 或 .csv 文件（可多选）。");
    if (!config) {
        config = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    }
    // The tables by the client's names in dataset.json, else by the names of the files.
    Poco::JSON::Object::Ptr named = config->getObject("files");
    Poco::JSON::Object::Ptr mapped = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::string name = config->optValue<std::string>("发文机关", "");
    std::int64_t id = store_.createDataset(name.empty() ? std::string("新数据集") : name, user, at);
    const std::string dir = paths_.dataset(id);
    Poco::File(dir).createDirectories();
    for (const ReceivedFile* f : tables) {
        std::string ext = lower(Poco::Path(f->original).getExtension());
        std::string stored = "upload-" + std::to_string(mapped->size() + 1) + "-" + f->path.substr(f->path.size() - 8) + "." + ext;
        Poco::File(f->path).renameTo(dir + "/" + stored);
        store_.addUpload(id, {stored, f->original, f->bytes});
        std::string section;
        if (named)
            for (const auto& s : sectionNames())
                if (named->optValue<std::string>(s, "") == f->original) section = s;
        if (section.empty()) section = guessSection(f->original);
        if (!section.empty() && !mapped->has(section)) mapped->set(section, stored);
    }
    config->set("files", mapped);
    publish::writeFileAtomic(dir + "/dataset.json", stringify(config));
    return id;
}

Poco::JSON::Object::Ptr Datasets::settings(std::int64_t id) {
    const std::string dir = folder(id);
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object::Ptr config;
    try {
        config = parseObject(readFile(dir + "/dataset.json"), "dataset.json ");
    } catch (const HttpError&) {
        config = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    }
    result->set("id", id);
    result->set("settings", config);
    Poco::JSON::Array::Ptr uploads = new Poco::JSON::Array;
    for (const auto& u : store_.uploads(id)) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("stored", u.stored);
        o->set("name", u.original);
        o->set("bytes", u.bytes);
        uploads->add(o);
    }
    result->set("uploads", uploads);
    Poco::JSON::Array::Ptr sections = new Poco::JSON::Array;
    for (const auto& s : sectionNames()) sections->add(s);
    result->set("sections", sections);
    return result;
}

void Datasets::saveSettings(std::int64_t id, const Poco::JSON::Object::Ptr& form) {
    const std::string dir = folder(id);
    Poco::JSON::Object::Ptr config = parseObject(readFile(dir + "/dataset.json"), "dataset.json ");
    if (form->has("年度")) {
        std::string year = form->get("年度").toString();
        if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos)
            throw HttpError(400, "“年度”应为四位数字的年份，例如 2024，实际为“" + year + "”。");
        config->set("年度", std::stoi(year));
    }
    for (const char* key : kTextSettings) {
        if (!form->has(key)) continue;
        std::string value = form->get(key).toString();
        if (value.empty()) config->remove(key);
        else config->set(key, value);
    }
    std::set<std::string> stored;
    for (const auto& u : store_.uploads(id)) stored.insert(u.stored);
    for (const char* mapName : {"files", "sheets", "columns"}) {
        if (!form->has(mapName)) continue;
        Poco::JSON::Object::Ptr given = form->getObject(mapName);
        if (!given) throw HttpError(400, std::string("“") + mapName + "”应为对象。");
        Poco::JSON::Object::Ptr clean = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [key, value] : *given) {
            std::string text = value.toString();
            if (text.empty()) continue;
            if (std::string(mapName) == "files" && !stored.count(text))
                throw HttpError(400, "“" + key + "”表应选择本数据集已上传的文件之一。");
            clean->set(key, text);
        }
        config->set(mapName, clean);
    }
    publish::writeFileAtomic(dir + "/dataset.json", stringify(config));
    if (config->has("发文机关")) store_.renameDataset(id, config->getValue<std::string>("发文机关"));
    invalidate(id);
}

void Datasets::invalidate(std::int64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    checks_.erase(id);
}

namespace {

std::string shownWith(const std::map<std::string, std::string>& names, const std::string& dir, std::string text) {
    for (const auto& [stored, original] : names) replaceAll(text, stored, original);
    replaceAll(text, dir, "数据集");
    return text;
}

}  // namespace

void withInputErrorsAs422(const std::function<void()>& work) {
    try {
        work();
    } catch (const ingest::NoInputError& e) {
        throw HttpError(422, e.what());
    } catch (const ingest::ConfigError& e) {
        throw HttpError(422, e.what());
    } catch (const score::RuleError& e) {
        throw HttpError(422, std::string("评分规则错误：") + e.what());
    }
}

std::string Datasets::shown(std::int64_t id, std::string text) { return shownWith(displayNames(id), folder(id), std::move(text)); }

std::map<std::string, std::string> Datasets::displayNames(std::int64_t id) {
    std::map<std::string, std::string> names;
    for (const auto& u : store_.uploads(id)) names[u.stored] = u.original;
    return names;
}

Poco::JSON::Object::Ptr Datasets::check(std::int64_t id) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = checks_.find(id); it != checks_.end()) return it->second;
    }
    const std::string dir = folder(id);
    app::Scored s;
    withInputErrorsAs422([&] { s = app::scoreDataset(dir, "", paths_.templates); });
    const auto names = displayNames(id);
    auto shown = [&](std::string text) { return shownWith(names, dir, std::move(text)); };
    // Problems grouped by the department of their project, in order of first appearance.
    std::vector<std::string> order;
    std::map<std::string, Poco::JSON::Array::Ptr> groups;
    std::map<std::string, std::string> groupNames;
    for (const auto& d : s.diags.list()) {
        std::string dept;
        if (const model::Project* p = s.dataset.findProject(d.projectCode))
            if (const model::Unit* u = s.dataset.departmentOf(p->unitCode)) {
                dept = u->code;
                groupNames[dept] = u->code + " " + u->name;
            }
        if (!groups.count(dept)) {
            groups[dept] = new Poco::JSON::Array;
            order.push_back(dept);
        }
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        o->set("severity", d.severity == model::Severity::Error ? "error" : d.severity == model::Severity::Warning ? "warning" : "note");
        o->set("file", shown(d.at.file));
        o->set("sheet", d.at.sheet);
        o->set("row", d.at.row);
        o->set("column", d.at.column >= 0 ? model::columnLetter(d.at.column) : std::string());
        o->set("header", d.at.header);
        o->set("value", d.value);
        o->set("message", shown(d.message));
        o->set("hint", shown(d.hint));
        o->set("project", d.projectCode);
        model::Diagnostic copy = d;
        copy.at.file = shown(d.at.file);
        copy.message = shown(d.message);
        copy.hint = shown(d.hint);
        o->set("text", copy.format());
        groups[dept]->add(o);
    }
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("errors", s.diags.errors());
    result->set("warnings", s.diags.warnings());
    result->set("suppressed", s.diags.suppressed());
    int departments = 0, classified = 0;
    for (const auto& u : s.dataset.units) departments += u.kind == model::UnitKind::Department;
    for (const auto& p : s.dataset.projects) classified += p.classified;
    result->set("year", s.dataset.config.year);
    result->set("authority", s.dataset.config.authority);
    result->set("units", int(s.dataset.units.size()));
    result->set("departments", departments);
    result->set("projects", int(s.dataset.projects.size()));
    result->set("classified", classified);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& dept : order) {
        Poco::JSON::Object::Ptr g = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        g->set("department", dept);
        g->set("name", dept.empty() ? std::string("全数据集（不属于某个部门）") : groupNames[dept]);
        g->set("problems", groups[dept]);
        list->add(g);
    }
    result->set("groups", list);
    std::vector<std::pair<std::string, std::string>> unitNames;
    for (const auto& u : s.dataset.units) unitNames.emplace_back(u.code, u.name);
    store_.saveUnitNames(id, unitNames);
    std::lock_guard<std::mutex> lock(mutex_);
    checks_[id] = result;
    return result;
}

std::string Datasets::problemsCsv(std::int64_t id) {
    auto result = check(id);
    std::string out = "\xEF\xBB\xBF部门,级别,文件,工作表,行,列,列名,值,问题,提示\r\n";
    auto groups = result->getArray("groups");
    for (std::size_t g = 0; g < groups->size(); ++g) {
        auto group = groups->getObject(unsigned(g));
        auto problems = group->getArray("problems");
        for (std::size_t i = 0; i < problems->size(); ++i) {
            auto p = problems->getObject(unsigned(i));
            std::string severity = p->getValue<std::string>("severity");
            std::string row = p->getValue<int>("row") > 0 ? std::to_string(p->getValue<int>("row")) : std::string();
            out += csvField(group->getValue<std::string>("name")) + "," +
                   csvField(severity == "error"     ? "错误"
                            : severity == "warning" ? "警告"
                                                    : "说明") +
                   "," + csvField(p->getValue<std::string>("file")) + "," + csvField(p->getValue<std::string>("sheet")) + "," +
                   csvField(row) + "," + csvField(p->getValue<std::string>("column")) + "," + csvField(p->getValue<std::string>("header")) +
                   "," + csvField(p->getValue<std::string>("value")) + "," + csvField(p->getValue<std::string>("message")) + "," +
                   csvField(p->getValue<std::string>("hint")) + "\r\n";
        }
    }
    return out;
}

}  // namespace jixiao::web
