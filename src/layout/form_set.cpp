#include "layout/form_set.h"

#include "layout/excel_form.h"
#include "layout/field_names.h"
#include "model/file_read.h"
#include "model/json.h"
#include "model/text.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <algorithm>
#include <map>
#include <set>

namespace jixiao::layout {

namespace {

using model::JsonValue;

const char* const kFormFile = "form.json";
const char* const kLayoutFile = "layout.json";
const char* const kWorkbookFile = "表样.xlsx";

bool exists(const std::string& path) { return Poco::File(path).exists(); }

std::string join(const std::string& dir, const std::string& relative) { return Poco::Path(dir).append(relative).toString(); }

/// The folders directly under `dir` (none when it does not exist), in name order.
std::vector<std::string> subfolders(const std::string& dir) {
    std::vector<std::string> out;
    if (dir.empty() || !Poco::File(dir).exists() || !Poco::File(dir).isDirectory()) return out;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        if (it->isDirectory() && it.name()[0] != '.') out.push_back(it.name());
    std::sort(out.begin(), out.end());
    return out;
}

/// A file name pattern may not leave the output folder or hide characters: no slash or
/// backslash, no "..", no control characters (the values filled in are made safe by publish).
std::optional<std::string> unsafeFilePattern(const std::string& source) {
    std::string pattern;  // the literal text, without the {{…}} tags ({{/if}} has a slash)
    for (std::size_t at = 0; at < source.size();) {
        const auto open = source.find("{{", at);
        pattern += source.substr(at, open == std::string::npos ? std::string::npos : open - at);
        if (open == std::string::npos) break;
        const auto close = source.find("}}", open);
        if (close == std::string::npos) break;  // the template parser reports it
        at = close + 2;
    }
    if (pattern.find('/') != std::string::npos || pattern.find('\\') != std::string::npos) return "斜杠（/ 或 \\）";
    if (pattern.find("..") != std::string::npos) return "“..”";
    for (unsigned char c : pattern)
        if (c < 0x20 || c == 0x7f) return "控制字符（如换行、制表符）";
    return std::nullopt;
}

/// A form with what its form.json says (title, short_name, per, formats, file, public, role);
/// its name and body are the caller's.
Form readFormJson(const std::string& path, const std::string& shown) {
    std::string source;
    if (model::readFile(path, source) != 0) throw TemplateError(shown + ": 无法读取。");
    JsonValue root;
    try {
        root = model::parseJson(source);
    } catch (const model::JsonSyntaxError& e) {
        throw TemplateError(shown + ":" + std::to_string(e.line()) + ":" + std::to_string(e.column()) + ": 不是有效的 JSON：" + e.what() +
                            "。");
    }
    auto fail = [&](const JsonValue& v, const std::string& message) {
        throw TemplateError(shown + ":" + std::to_string(v.line) + ":" + std::to_string(v.column) + ": " + message);
    };
    if (root.kind != JsonValue::Kind::Object) fail(root, "最外层应为 { … } 对象，如 {\"per\": \"project\", \"formats\": [\"pdf\"]}。");
    static const std::vector<std::string> known = {"说明", "title", "per", "formats", "file", "short_name", "public", "role"};
    auto text = [&](const JsonValue& v, const std::string& key) {
        if (v.kind != JsonValue::Kind::String) fail(v, model::quoted(key) + "应为文字（用双引号括起来）。");
        return v.text;
    };
    Form form;
    bool hasPer = false;
    const JsonValue* role = nullptr;
    for (const auto& [key, v] : root.members) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            auto best = model::closestMatch(key, known);
            fail(v, "未知的设置" + model::quoted(key) + "。" +
                        (best ? "是否指" + model::quoted(*best) + "？" : "可用：title、per、formats、file、short_name、public、role。"));
        }
        if (key == "title") form.title = text(v, key);
        if (key == "short_name") form.shortName = text(v, key);
        if (key == "role") {
            if (text(v, key) != "letter")
                fail(v, "“role”只能写 \"letter\"（绩效评价结果反馈函：jixiao letters issue 发文、登记文号的表），实际为" +
                            model::quoted(v.text) + "。不是反馈函的表不写 role。");
            form.isLetter = true;
            role = &v;
        }
        if (key == "public") {
            if (v.kind != JsonValue::Kind::Bool) fail(v, "“public”应为 true 或 false。");
            form.isPublic = v.boolean;
        }
        if (key == "per") {
            static const std::map<std::string, FormPer> pers = {{"project", FormPer::Project},
                                                                {"department", FormPer::Department},
                                                                {"unit", FormPer::Unit},
                                                                {"run", FormPer::Run},
                                                                {"check", FormPer::Check}};
            auto it = pers.find(text(v, key));
            if (it == pers.end())
                fail(v,
                     "“per”应为 project（每个项目）、department（每个部门）、unit（每个收到反馈函的单位）、run（每次运行一份）或 "
                     "check（问题清单），实际为" +
                         model::quoted(v.text) + "。");
            form.per = it->second;
            hasPer = true;
        }
        if (key == "formats") {
            if (v.kind != JsonValue::Kind::Array || v.items.empty()) fail(v, "“formats”应为格式的列表，如 [\"pdf\", \"xlsx\"]。");
            for (const auto& item : v.items) {
                const std::string f = text(item, "formats 中的每一项");
                FormFormat format;
                if (f == "pdf") format = FormFormat::Pdf;
                else if (f == "xlsx") format = FormFormat::Xlsx;
                else if (f == "docx") format = FormFormat::Docx;
                else if (f == "ofd") format = FormFormat::Ofd;
                else fail(item, "格式" + model::quoted(f) + "无法识别。可用：pdf、xlsx、docx、ofd。");
                if (std::find(form.formats.begin(), form.formats.end(), format) != form.formats.end())
                    fail(item, "格式" + model::quoted(f) + "写了两次。");
                form.formats.push_back(format);
            }
        }
        if (key == "file") {
            const std::string pattern = text(v, key);
            if (pattern.empty()) fail(v, "“file”（输出文件名）不能为空，如 \"{{project.code}}_{{project.name}}_自评表\"。");
            if (auto bad = unsafeFilePattern(pattern))
                fail(v, "“file”是输出文件名，不能含有" + *bad + "，文件都写在输出文件夹（按部门分的子文件夹）中。实际为" +
                            model::quoted(pattern) + "。");
            form.file = TextTemplate::parse(pattern, shown, v.line);
            form.filePattern = pattern;
        }
    }
    if (role && hasPer && form.per != FormPer::Unit)
        fail(*role, "写了 \"role\": \"letter\" 的反馈函是每个收到反馈函的单位一份：请把“per”改为 \"unit\"。");
    if (!hasPer) fail(root, "缺少“per”：每个项目一份写 \"per\": \"project\"，每个部门一份写 \"department\"。");
    if (form.formats.empty()) fail(root, "缺少“formats”：要生成的格式，如 \"formats\": [\"pdf\", \"xlsx\"]。");
    return form;
}

/// Where a form's parts are: its form.json and its folder (the body), either in the user's
/// folder or the bundled one.
struct Found {
    std::string name;
    std::string formJson;  ///< path
    std::string root;      ///< the templates folder whose `name` folder holds the body
    bool bundled = false;  ///< form.json and body both bundled, under a user's folder of its own
    std::string folder() const { return join(root, name); }
};

/// The forms of `folders`, and the folders that look like forms but have no form.json.
std::vector<Found> findForms(const TemplateFolders& folders, std::vector<std::string>& ignored) {
    std::map<std::string, Found> found;
    const bool twoFolders = !folders.user.empty() && !folders.bundled.empty() &&
                            Poco::Path(folders.user).absolute().toString() != Poco::Path(folders.bundled).absolute().toString();
    if (!folders.bundled.empty())
        for (const auto& name : subfolders(folders.bundled))
            if (exists(join(folders.bundled, name + "/" + kFormFile)))
                found[name] = {name, join(folders.bundled, name + "/" + kFormFile), folders.bundled, twoFolders};
    const std::string& user = folders.user.empty() ? folders.bundled : folders.user;
    for (const auto& name : subfolders(user)) {
        const std::string dir = join(user, name);
        const bool hasBody = exists(join(dir, kLayoutFile)) || exists(join(dir, kWorkbookFile));
        if (exists(join(dir, kFormFile))) {
            found[name] = {name, join(dir, kFormFile), user};
        } else if (hasBody && twoFolders && found.count(name)) {
            found[name].root = user;  // the user's body with the bundled form.json
            found[name].bundled = false;
        } else if (hasBody) {
            ignored.push_back(
                "文件夹 templates/" + name + " 有 " + (exists(join(dir, kLayoutFile)) ? kLayoutFile : kWorkbookFile) +
                " 但没有 form.json，不会生成。请从相近的表复制一个 form.json 放进去，例如 templates/project-table/form.json。");
        }
    }
    std::vector<Found> out;
    for (auto& [name, f] : found) out.push_back(std::move(f));
    return out;
}

std::shared_ptr<const ExcelForm> loadExcel(const std::string& path, const std::string& shown) {
    return std::make_shared<const ExcelForm>(ExcelForm::load(path, shown));
}

Form readForm(const Found& found, const TemplateFolders& folders) {
    const std::string shownDir = "templates/" + found.name + "/";
    Form form = readFormJson(found.formJson, shownDir + kFormFile);
    form.name = found.name;
    if (form.title.empty()) form.title = found.name;
    const bool hasLayout = exists(join(found.folder(), kLayoutFile));
    const bool hasWorkbook = exists(join(found.folder(), kWorkbookFile));
    if (hasLayout && hasWorkbook)
        throw TemplateError(shownDir + ": 同时有 layout.json 和 表样.xlsx，只能保留一个（表的内容来自其中之一）。");
    if (!hasLayout && !hasWorkbook)
        throw TemplateError(shownDir + ": 有 form.json 但没有表的内容：请放入 layout.json 或 表样.xlsx（可从相近的表复制）。");
    if (hasLayout) {
        form.kind = FormKind::Layout;
        // Includes and text files from the body's templates folder first, then the bundled one.
        form.layout = FormTemplate::load(TemplateFolders{found.root, folders.bundled}, found.name);
        if (form.layout->isWorkbook() &&
            (form.produces(FormFormat::Pdf) || form.produces(FormFormat::Docx) || form.produces(FormFormat::Ofd)))
            throw TemplateError(shownDir + kFormFile +
                                ": layout.json 用 sheets 描述多工作表的工作簿，只能生成 xlsx：请把 formats 改为 [\"xlsx\"]。");
    } else {
        form.kind = FormKind::Excel;
        if (form.produces(FormFormat::Docx))
            throw TemplateError(shownDir + kFormFile +
                                ": 表样.xlsx 的表生成 pdf、xlsx 和 ofd，不能生成 docx：请从 formats 中删去 \"docx\"。");
        form.excel = loadExcel(join(found.folder(), kWorkbookFile), shownDir + kWorkbookFile);
    }
    return form;
}

/// A form's file name pattern as the run reads it: form.json "file" with each field's
/// Chinese name replaced by its path (`{{项目名称}}` and `{{project.name}}` are one name),
/// spaces inside tags dropped; the folder's name without "file".
std::string canonicalPattern(const Form& form) {
    if (form.filePattern.empty()) return form.name;
    const std::string& source = form.filePattern;
    std::string out;
    for (std::size_t at = 0; at < source.size();) {
        const auto open = source.find("{{", at);
        const auto close = open == std::string::npos ? std::string::npos : source.find("}}", open);
        if (close == std::string::npos) {
            out += source.substr(at);
            break;
        }
        out += source.substr(at, open - at);
        std::string tag;
        for (char c : source.substr(open + 2, close - open - 2))
            if (c != ' ') tag += c;
        if (!tag.empty() && tag[0] != '#' && tag[0] != '/' && tag[0] != '!') {
            const auto bar = tag.find('|');
            tag = resolveFieldName(tag.substr(0, bar), "") + (bar == std::string::npos ? "" : tag.substr(bar));
        }
        out += "{{" + tag + "}}";
        at = close + 2;
    }
    return out;
}

std::string patternShown(const Form& form) {
    return form.filePattern.empty() ? "文件夹名" + model::quoted(form.name) + "（form.json 没有 file）" : model::quoted(form.filePattern);
}

}  // namespace

const char* formatName(FormFormat format) {
    switch (format) {
    case FormFormat::Pdf: return "pdf";
    case FormFormat::Xlsx: return "xlsx";
    case FormFormat::Docx: return "docx";
    case FormFormat::Ofd: break;
    }
    return "ofd";
}

std::string Form::fileStem(const Value& data) const {
    if (file) {
        std::string stem = file->render(data);
        return stem.empty() ? name : stem;
    }
    return name;
}

bool Form::produces(FormFormat format) const { return std::find(formats.begin(), formats.end(), format) != formats.end(); }

FormSet FormSet::load(const TemplateFolders& folders) {
    FormSet set;
    const std::vector<Found> found = findForms(folders, set.ignored_);
    std::vector<Form> read;
    for (const auto& f : found) read.push_back(readForm(f, folders));
    // The feedback letter (form.json "role": "letter") is one form: a user's letter form, in a
    // folder of any name, replaces the bundled one.
    bool userLetter = false;
    for (std::size_t i = 0; i < read.size(); ++i) userLetter = userLetter || (read[i].isLetter && !found[i].bundled);
    for (std::size_t i = 0; i < read.size(); ++i)
        if (!(userLetter && read[i].isLetter && found[i].bundled)) set.forms_.push_back(std::move(read[i]));
    const Form* letter = nullptr;
    for (const auto& f : set.forms_) {
        if (!f.isLetter) continue;
        if (letter)
            throw TemplateError("templates/" + letter->name + " 和 templates/" + f.name +
                                " 的 form.json 都写了 \"role\": \"letter\"，而反馈函只能有一张（jixiao letters issue 发文的就是它）："
                                "请删去不用的那个文件夹，或删去它 form.json 中的“role”。");
        letter = &f;
    }
    // A short name or "public" two forms claim (a folder copied without editing its form.json)
    // applies to neither, rather than to whichever sorts first.
    for (auto& a : set.forms_) {
        for (auto& b : set.forms_) {
            if (&a >= &b) continue;
            if (!a.shortName.empty() && a.shortName == b.shortName) {
                set.ignored_.push_back("templates/" + a.name + " 和 templates/" + b.name + " 的 form.json 都写了 short_name " +
                                       model::quoted(a.shortName) + "，这个名字暂不可用：请删去复制来的那张表中的 short_name。");
                a.shortName.clear();
                b.shortName.clear();
            }
            if (a.isPublic && b.isPublic && a.per == b.per) {
                set.ignored_.push_back(
                    "templates/" + a.name + " 和 templates/" + b.name +
                    " 的 form.json 都写了 \"public\": true，公开网站不知道显示哪一张：请删去复制来的那张表中的 public。");
                a.isPublic = false;
                b.isPublic = false;
            }
        }
    }
    return set;
}

const Form* FormSet::find(const std::string& name) const {
    for (const auto& f : forms_)
        if (f.name == name || (!f.shortName.empty() && f.shortName == name)) return &f;
    return nullptr;
}

const Form* FormSet::letter() const {
    for (const auto& f : forms_)
        if (f.isLetter) return &f;
    return nullptr;
}

const Form* FormSet::first(FormPer per) const {
    for (const auto& f : forms_)
        if (f.per == per) return &f;
    return nullptr;
}

const Form* FormSet::publicForm(FormPer per) const {
    for (const auto& f : forms_)
        if (f.per == per && f.isPublic) return &f;
    return nullptr;
}

std::vector<std::string> fileNameClashes(const std::vector<FormMade>& made) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < made.size(); ++i) {
        for (std::size_t j = i + 1; j < made.size(); ++j) {
            const Form& a = *made[i].form;
            const Form& b = *made[j].form;
            if ((a.per == FormPer::Run) != (b.per == FormPer::Run) || canonicalPattern(a) != canonicalPattern(b)) continue;
            std::string both;  // the extensions both write
            for (auto f : made[i].formats)
                if (std::find(made[j].formats.begin(), made[j].formats.end(), f) != made[j].formats.end())
                    both += (both.empty() ? "." : "、.") + std::string(formatName(f));
            if (both.empty()) continue;
            const std::string patterns = a.filePattern == b.filePattern
                                             ? "都是" + patternShown(a)
                                             : "分别是" + patternShown(a) + "和" + patternShown(b) + "，得出的文件名相同";
            out.push_back("templates/" + a.name + " 和 templates/" + b.name + " 的输出文件名（form.json 的 file）" + patterns +
                          "，都生成 " + both +
                          "：同一次运行中两张表的文件会同名，后写的无法写出。请改其中一张表 form.json 的“file”（如把表名写进去），"
                          "或用 --documents 只选其中一张。");
        }
    }
    return out;
}

std::vector<std::string> checkForms(const TemplateFolders& folders) {
    std::vector<std::string> problems;
    std::vector<std::string> ignored;
    const auto found = findForms(folders, ignored);
    problems.insert(problems.end(), ignored.begin(), ignored.end());
    for (const auto& f : found) {
        try {
            Form form = readForm(f, folders);
            const Value sample = fieldSample(form.per);
            if (form.file) form.file->check({&sample});
            if (form.layout) form.layout->check(sample);
            if (form.excel)
                for (auto& p : form.excel->check(sample)) problems.push_back(p);
        } catch (const TemplateError& e) {
            problems.push_back(e.what());
        }
    }
    if (problems.empty()) {
        // Each form reads: what the set makes of them together (short names, public, the one
        // letter, file names).
        try {
            const FormSet set = FormSet::load(folders);
            problems.insert(problems.end(), set.ignored().begin() + long(ignored.size()), set.ignored().end());
            std::vector<FormMade> made;
            for (const auto& f : set.forms())
                if (f.per != FormPer::Check) made.push_back({&f, f.formats});
            for (auto& clash : fileNameClashes(made)) problems.push_back(clash);
        } catch (const TemplateError& e) {
            problems.push_back(e.what());
        }
    }
    return problems;
}

}  // namespace jixiao::layout
