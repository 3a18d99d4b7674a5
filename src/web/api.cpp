#include "web/api.h"

#include "app/cli.h"
#include "app/letters_command.h"
#include "app/publish_command.h"
#include "layout/template_text.h"
#include "model/date.h"
#include "model/file_read.h"
#include "publish/atomic_file.h"
#include "publish/letter_register.h"
#include "publish/store_db.h"
#include "render/render_error.h"
#include "web/password.h"
#include "web/upload.h"
#include "web/zip_file.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <set>
#include <sstream>

namespace jixiao::web {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string localNow() { return Poco::DateTimeFormatter::format(Poco::LocalDateTime(), Poco::DateTimeFormat::ISO8601_FORMAT); }
std::string localToday() { return Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d"); }

Workspace::Workspace(const ServeOptions& o)
    : options(o),
      store(WebStore::open(o.paths.store())),
      datasets(*store, options.paths),
      runs(*store, options.paths, datasets, o.jobs, o.parallelRuns) {
    Poco::File(options.paths.incoming()).createDirectories();
}

void Workspace::audit(const Exchange& ex, const std::string& action, const std::string& target, const std::string& detail) {
    store->audit({0, localNow(), ex.session ? ex.session->user : std::string(), action, target, detail, ex.address()});
}

namespace {

Object::Ptr object() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

std::string text(const Object::Ptr& body, const std::string& key) {
    return body->has(key) && !body->get(key).isEmpty() ? body->get(key).toString() : std::string();
}

std::string requireDate(const std::string& date, const std::string& what) {
    if (!model::Date::parse(date)) throw HttpError(400, "“" + what + "”应为 YYYY-MM-DD 格式的日期，实际为“" + date + "”。");
    return date;
}

/// A letter's 整改 item; `unitNames` (code → name, from the workspace's datasets) names its unit.
Object::Ptr itemJson(const publish::RectificationItem& item, const std::map<std::string, std::string>& unitNames) {
    Object::Ptr o = object();
    o->set("letter", item.letter.text);
    o->set("year", item.letter.year);
    o->set("unit", item.unitCode);
    auto name = unitNames.find(item.unitCode);
    o->set("unitName", name == unitNames.end() ? std::string() : name->second);
    o->set("issued", item.issuedOn);
    o->set("deadline", item.deadline);
    o->set("status", publish::rectificationStatusLabel(item.status));
    Array::Ptr reports = new Array;
    for (const auto& r : item.reports) {
        Object::Ptr ro = object();
        ro->set("date", r.date);
        ro->set("summary", r.summary);
        ro->set("file", r.file ? Poco::Path(*r.file).getFileName() : std::string());
        ro->set("sha256", r.fileSha256.value_or(""));
        reports->add(ro);
    }
    o->set("reports", reports);
    o->set("closed", item.closedOn.value_or(""));
    o->set("closeNote", item.closeNote.value_or(""));
    return o;
}

/// The files of a finished run, from its manifest (written last, so only a complete run has
/// one); 404 otherwise.
Array::Ptr manifestFiles(Workspace& ws, std::int64_t runId) {
    RunRow run = ws.runs.status(runId);
    std::string text;
    if (run.state != "done" || model::readFile(ws.options.paths.run(runId) + "/manifest.json", text) != 0)
        throw HttpError(404, "运行 " + std::to_string(runId) + " 尚未完成，没有可下载的文件。");
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Object::Ptr>()->getArray("files");
}

/// The department folder of an output path ("201_教育局/…" → "201_教育局"), "" at the top.
std::string folderOf(const std::string& path) {
    auto slash = path.find('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string codeOf(const std::string& folder) { return folder.substr(0, folder.find('_')); }

/// What runPublish said, as JSON: 200 when done, else 409 (not yet due, or another publish
/// running) or 422, with its last line (the reason) as the error the page shows.
void sendCapturedPublish(Exchange& ex, int code, const std::string& out, const std::string& err, Object::Ptr o) {
    o->set("code", code);
    o->set("ok", code == app::kExitOk);
    o->set("message", out);
    o->set("problems", err);
    if (code != app::kExitOk) {
        std::string reason = err.substr(0, err.find_last_not_of('\n') + 1);  // the last line
        auto eol = reason.rfind('\n');
        o->set("error", eol == std::string::npos ? reason : reason.substr(eol + 1));
    }
    ex.sendJson(o, code == app::kExitOk ? 200 : code == app::kExitTempFail ? 409 : 422);
}

}  // namespace

void addApiRoutes(Router& router, Workspace& workspace) {
    // Handlers outlive this function: they hold the workspace by pointer and the helpers by copy.
    Workspace* const ws = &workspace;

    // --- sessions -----------------------------------------------------------------------
    router.add("POST", "/api/login", [=](Exchange& ex) {
        auto body = ex.jsonBody(4096);
        std::string user = text(body, "user"), password = text(body, "password");
        const std::int64_t now = nowSeconds();
        if (auto wait = ws->limiter.waitSeconds(user, ex.address(), now); wait > 0)
            throw HttpError(429, "登录失败次数过多，请 " + std::to_string((wait + 59) / 60) + " 分钟后再试。");
        auto found = user.empty() ? std::nullopt : ws->store->user(user);
        // A missing user costs the same hashing as a wrong password.
        bool ok =
            verifyPassword(password, found ? found->passwordHash : std::string("pbkdf2-sha256$210000$00000000000000000000000000000000$00"));
        if (!found || !ok) {
            ws->limiter.failed(user, ex.address(), now);
            ws->store->audit({0, localNow(), user, "login-failed", user, "", ex.address()});
            throw HttpError(401, "用户名或密码不正确。");
        }
        ws->limiter.succeeded(user, ex.address());
        auto [token, csrf] = ws->store->createSession(user, now);
        ex.response.add("Set-Cookie", sessionCookie(token, ws->options.secureCookie));
        ex.session = Session{user, found->role, csrf};
        ws->audit(ex, "login", user);
        Object::Ptr o = object();
        o->set("user", user);
        o->set("role", roleName(found->role));
        o->set("csrf", csrf);
        ex.sendJson(o);
    });
    router.add("POST", "/api/logout", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        ws->store->endSession(ex.sessionToken);
        ws->audit(ex, "logout", ex.session->user);
        ex.response.add("Set-Cookie", clearedCookie(ws->options.secureCookie));
        ex.sendJson(object());
    });
    router.add("GET", "/api/session", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        Object::Ptr o = object();
        o->set("user", ex.session->user);
        o->set("role", roleName(ex.session->role));
        o->set("csrf", ex.session->csrf);
        ex.sendJson(o);
    });

    // --- datasets -----------------------------------------------------------------------
    router.add("GET", "/api/datasets", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        Array::Ptr list = new Array;
        for (const auto& d : ws->store->datasets()) {
            Object::Ptr o = object();
            o->set("id", d.id);
            o->set("name", d.name);
            o->set("by", d.createdBy);
            o->set("created", d.createdAt);
            list->add(o);
        }
        ex.sendJson(list);
    });
    router.add("POST", "/api/datasets", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        Upload upload = receiveUpload(ex, ws->options.paths.incoming(), ws->options.maxUpload);
        std::int64_t id = ws->datasets.create(upload.files, ex.session->user, localNow());
        std::string names;
        for (const auto& f : upload.files) names += (names.empty() ? "" : "、") + f.original;
        ws->audit(ex, "dataset-create", "数据集 " + std::to_string(id), names);
        Object::Ptr o = object();
        o->set("id", id);
        ex.sendJson(o, 201);
    });
    router.add("GET", "/api/datasets/{id}", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        ex.sendJson(ws->datasets.settings(ex.id("id")));
    });
    router.add("PUT", "/api/datasets/{id}/settings", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        std::int64_t id = ex.id("id");
        ws->datasets.saveSettings(id, ex.jsonBody());
        ws->audit(ex, "dataset-settings", "数据集 " + std::to_string(id));
        ex.sendJson(ws->datasets.settings(id));
    });
    router.add("GET", "/api/datasets/{id}/check", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        ex.sendJson(ws->datasets.check(ex.id("id")));
    });
    router.add("GET", "/api/datasets/{id}/problems.csv", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::int64_t id = ex.id("id");
        std::string csv = ws->datasets.problemsCsv(id);
        ex.response.setContentType("text/csv; charset=utf-8");
        ex.response.set("Content-Disposition", "attachment; filename=\"problems-" + std::to_string(id) +
                                                   ".csv\"; filename*=UTF-8''%E9%97%AE%E9%A2%98%E6%B8%85%E5%8D%95-" + std::to_string(id) +
                                                   ".csv");
        ex.response.setContentLength64(std::streamsize(csv.size()));
        ex.response.send() << csv;
    });

    // --- runs ---------------------------------------------------------------------------
    auto runList = [=](Exchange& ex, std::int64_t datasetId) {
        Array::Ptr list = new Array;
        for (const auto& r : ws->runs.list(datasetId)) list->add(runJson(r));
        ex.sendJson(list);
    };
    router.add("POST", "/api/datasets/{id}/runs", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        std::int64_t datasetId = ex.id("id");
        ws->datasets.folder(datasetId);
        auto body = ex.jsonBody(4096);
        std::string date = text(body, "date");
        requireDate(date.empty() ? localToday() : date, "成文日期");
        // The check (cached) remembers the units' names for the letters the run issues.
        ws->datasets.check(datasetId);
        std::int64_t id = ws->runs.submit(datasetId, date.empty() ? localToday() : date, ex.session->user, localNow());
        ws->audit(ex, "run", "运行 " + std::to_string(id), "数据集 " + std::to_string(datasetId) + "，成文日期 " + date);
        Object::Ptr o = object();
        o->set("id", id);
        ex.sendJson(o, 202);
    });
    router.add("GET", "/api/datasets/{id}/runs", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::int64_t id = ex.id("id");
        ws->datasets.folder(id);
        runList(ex, id);
    });
    router.add("GET", "/api/runs", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        runList(ex, 0);
    });
    router.add("GET", "/api/runs/{id}", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        ex.sendJson(runJson(ws->runs.status(ex.id("id"))));
    });
    router.add("POST", "/api/runs/{id}/restart", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        RunRow old = ws->runs.status(ex.id("id"));
        if (old.state != "interrupted" && old.state != "failed") throw HttpError(409, "只有“已中断”或“失败”的运行可以重新运行。");
        std::int64_t id = ws->runs.submit(old.datasetId, old.date, ex.session->user, localNow());
        ws->audit(ex, "run", "运行 " + std::to_string(id), "重新运行 " + std::to_string(old.id));
        Object::Ptr o = object();
        o->set("id", id);
        ex.sendJson(o, 202);
    });
    router.add("GET", "/api/runs/{id}/files", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::int64_t id = ex.id("id");
        Array::Ptr files = manifestFiles(*ws, id);
        Array::Ptr out = new Array;
        Array::Ptr departments = new Array;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < files->size(); ++i) {
            auto f = files->getObject(unsigned(i));
            std::string path = f->getValue<std::string>("path");
            std::string folder = folderOf(path);
            Object::Ptr o = object();
            o->set("path", path);
            o->set("bytes", f->get("bytes"));
            o->set("kind", f->getValue<std::string>("kind"));
            o->set("department", folder.empty() ? std::string() : codeOf(folder));
            out->add(o);
            if (!folder.empty() && seen.insert(folder).second) {
                Object::Ptr d = object();
                d->set("code", codeOf(folder));
                d->set("name", folder.size() > codeOf(folder).size() ? folder.substr(codeOf(folder).size() + 1) : folder);
                departments->add(d);
            }
        }
        Object::Ptr o = object();
        o->set("run", id);
        o->set("departments", departments);
        o->set("files", out);
        ex.sendJson(o);
    });
    router.add("GET", "/api/runs/{id}/file", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::int64_t id = ex.id("id");
        std::string wanted = ex.q("path");
        Array::Ptr files = manifestFiles(*ws, id);
        bool listed = false;
        for (std::size_t i = 0; i < files->size() && !listed; ++i)
            listed = files->getObject(unsigned(i))->getValue<std::string>("path") == wanted;
        auto path = listed ? resolveInside(ws->options.paths.run(id), wanted) : std::nullopt;
        if (!path) throw HttpError(404, "运行 " + std::to_string(id) + " 中没有文件“" + wanted + "”。");
        bool view = ex.q("inline") == "1" && contentTypeOf(*path) == "application/pdf";
        ex.sendFile(*path, contentTypeOf(*path), Poco::Path(wanted).getFileName(), view);
    });
    router.add("GET", "/api/runs/{id}/zip", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::int64_t id = ex.id("id");
        std::string department = ex.q("department");
        Array::Ptr files = manifestFiles(*ws, id);
        std::vector<std::pair<std::string, std::string>> entries;  // zip name, disk path
        std::string zipName = "运行" + std::to_string(id);
        for (std::size_t i = 0; i < files->size(); ++i) {
            std::string path = files->getObject(unsigned(i))->getValue<std::string>("path");
            std::string folder = folderOf(path);
            if (!department.empty() && (folder.empty() || codeOf(folder) != department)) continue;
            if (!department.empty()) zipName = folder;
            auto disk = resolveInside(ws->options.paths.run(id), path);
            if (disk) entries.emplace_back(department.empty() ? path : path.substr(folder.size() + 1), *disk);
        }
        if (entries.empty()) throw HttpError(404, "运行 " + std::to_string(id) + " 中没有部门“" + department + "”的文件。");
        ws->audit(ex, "download-zip", "运行 " + std::to_string(id), department.empty() ? "全部" : "部门 " + department);
        Poco::File(ws->options.paths.incoming()).createDirectories();
        Poco::TemporaryFile zip(ws->options.paths.incoming());
        writeZip(zip.path(), entries);
        ex.sendFile(zip.path(), "application/zip", zipName + ".zip");
    });

    // --- letters and 整改 -----------------------------------------------------------------
    // The letter register of the store the runs write (one connection per request: a
    // connection is not shared between threads).
    auto history = [=] { return publish::StoreDb::open(ws->options.paths.store()); };
    router.add("GET", "/api/letters", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::optional<int> year;
        if (!ex.q("year").empty()) {
            std::string y = ex.q("year");
            if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos)
                throw HttpError(400, "year 应为四位年份，实际为“" + y + "”。");
            year = std::stoi(y);
        }
        publish::StoreDb db = history();
        const publish::LetterRegister letters(db);
        const auto names = ws->store->unitNames();
        // The letters in force with their 整改, and the voided ones from the ledger, by number.
        std::map<std::pair<int, int>, Object::Ptr> byNumber;
        std::map<std::string, publish::IssuedLetter> ledger;
        for (auto& l : letters.issuedLetters(year)) ledger[l.number.text] = l;
        for (const auto& item : letters.rectifications(year, std::nullopt)) {
            Object::Ptr o = itemJson(item, names);
            auto l = ledger.find(item.letter.text);
            o->set("replaces", l != ledger.end() && l->second.replaces ? *l->second.replaces : std::string());
            byNumber[{item.letter.year, item.letter.seq}] = o;
        }
        for (const auto& [text, l] : ledger) {
            if (!l.voided()) continue;
            publish::RectificationItem shown;
            shown.letter = l.number;
            shown.unitCode = l.unitCode;
            shown.issuedOn = l.issuedOn;
            shown.deadline = l.deadline;
            Object::Ptr o = itemJson(shown, names);
            o->set("status", "已作废");
            o->set("voided", *l.voidedOn);
            o->set("voidReason", l.voidReason.value_or(""));
            o->set("replacedBy", l.replacedBy.value_or(""));
            byNumber[{l.number.year, l.number.seq}] = o;
        }
        Array::Ptr list = new Array;
        for (const auto& entry : byNumber) list->add(entry.second);
        ex.sendJson(list);
    });
    router.add("GET", "/api/letters/overdue", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        std::string today = ex.q("today").empty() ? localToday() : requireDate(ex.q("today"), "today");
        Array::Ptr list = new Array;
        publish::StoreDb db = history();
        const auto names = ws->store->unitNames();
        for (const auto& item : publish::LetterRegister(db).overdue(today)) list->add(itemJson(item, names));
        ex.sendJson(list);
    });
    router.add("POST", "/api/letters/report", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        Upload upload = receiveUpload(ex, ws->options.paths.incoming(), ws->options.maxUpload);
        std::string letter = upload.fields["letter"], summary = upload.fields["summary"];
        std::string date = requireDate(upload.fields["date"], "报送日期");
        if (letter.empty()) throw HttpError(400, "请选择反馈函（letter）。");
        if (summary.empty()) throw HttpError(400, "请填写整改情况摘要（summary）。");
        std::optional<std::string> file;
        if (upload.files.size() > 1) throw HttpError(400, "每次只能上传一份整改报告。");
        if (upload.files.size() == 1 && upload.files[0].bytes > 0) {
            std::ifstream in(upload.files[0].path, std::ios::binary);
            char magic[5] = {};
            in.read(magic, 5);
            if (std::string(magic, 5) != "%PDF-")
                throw HttpError(400, "整改报告“" + upload.files[0].original + "”不是 PDF 文件，请上传单位盖章后的 PDF。");
            Poco::File(ws->options.paths.reports()).createDirectories();
            std::string stored = ws->options.paths.reports() + "/" + randomHex(12) + ".pdf";
            Poco::File(upload.files[0].path).renameTo(stored);
            file = stored;
        }
        publish::StoreDb db = history();
        auto item = publish::LetterRegister(db).recordReport(publish::LetterRef::byNumber(letter), date, summary, file);
        ws->audit(ex, "rectify-record", letter, summary);
        ex.sendJson(itemJson(item, ws->store->unitNames()));
    });
    router.add("POST", "/api/letters/close", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        auto body = ex.jsonBody();
        std::string letter = text(body, "letter"), note = text(body, "note");
        std::string date = requireDate(text(body, "date"), "销号日期");
        if (letter.empty()) throw HttpError(400, "请选择反馈函（letter）。");
        if (note.empty()) throw HttpError(400, "请填写销号说明（note）。");
        publish::StoreDb db = history();
        auto item = publish::LetterRegister(db).closeRectification(publish::LetterRef::byNumber(letter), date, note);
        ws->audit(ex, "rectify-close", letter, note);
        ex.sendJson(itemJson(item, ws->store->unitNames()));
    });
    // 作废 and 重新发文: the same ledger calls as `jixiao letters void|reissue`.
    router.add("POST", "/api/letters/void", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        auto body = ex.jsonBody();
        std::string letter = text(body, "letter"), reason = text(body, "reason");
        std::string date = requireDate(text(body, "date"), "作废日期");
        if (letter.empty()) throw HttpError(400, "请选择反馈函（letter）。");
        if (reason.empty()) throw HttpError(400, "请填写作废原因（reason）。");
        publish::StoreDb db = history();
        publish::LetterRegister ledger(db);
        auto change = app::voidLetter(ledger, letter, date, reason);
        ws->audit(ex, "letter-void", letter, reason);
        Object::Ptr o = object();
        o->set("letter", change.letter.number.text);
        o->set("message", change.message);
        ex.sendJson(o);
    });
    router.add("POST", "/api/letters/reissue", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        auto body = ex.jsonBody();
        std::string letter = text(body, "letter");
        std::string date = requireDate(text(body, "date"), "成文日期");
        if (letter.empty()) throw HttpError(400, "请选择已作废的反馈函（letter）。");
        publish::StoreDb db = history();
        publish::LetterRegister ledger(db);
        app::LetterChange change;
        try {
            change = app::reissueLetter(ledger, letter, date);
        } catch (const publish::LetterInForceError& e) {
            throw HttpError(400, "反馈函 " + e.letter +
                                     " 仍然有效，不能重新发文。如需改发，请先在本页“作废反馈函”中选择它、填写作废原因并作废，"
                                     "再在“重新发文”中选择它。");
        }
        ws->audit(ex, "letter-reissue", letter, "新文号 " + change.letter.number.text);
        Object::Ptr o = object();
        o->set("letter", change.letter.number.text);
        o->set("replaces", *change.letter.replaces);
        o->set("message", change.message + "请到“运行”页重新运行该数据集，生成带新文号的反馈函。");
        ex.sendJson(o);
    });

    // --- publish ------------------------------------------------------------------------
    auto publishTo = [=](std::int64_t datasetId, const std::string& to, bool force) {
        app::PublishRequest p;
        p.dataset = ws->datasets.folder(datasetId);
        p.to = to;
        p.templatesDir = ws->options.paths.templates;
        p.fontsDir = ws->options.paths.fonts;
        p.today = localToday();
        p.force = force;
        std::ostringstream out, err;
        int code = app::kExitOk;
        try {
            withInputErrorsAs422([&] { code = app::runPublish(p, out, err); });
        } catch (const layout::TemplateError& e) {
            throw HttpError(500, std::string("模板错误：") + e.what());
        } catch (const render::RenderError& e) {
            throw HttpError(500, std::string("字体或排版错误：") + e.what());
        } catch (const publish::OutputError& e) {
            throw HttpError(500, std::string("无法写出文件：") + e.what());
        }
        std::string message = ws->datasets.shown(datasetId, out.str()), problems = ws->datasets.shown(datasetId, err.str());
        for (const auto& base : {to, ws->options.paths.data}) {
            for (std::size_t at; (at = message.find(base)) != std::string::npos;) message.replace(at, base.size(), "公开文件夹");
        }
        return std::make_tuple(code, message, problems);
    };
    router.add("POST", "/api/datasets/{id}/preview", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Staff);
        std::int64_t id = ex.id("id");
        auto [code, shown, err] = publishTo(id, ws->options.paths.preview(id), true);
        // What was built is a private preview, not a publication.
        std::string out = shown;
        const std::string published = "已公开到 公开文件夹", unchanged = "没有变化，未改动任何文件（公开文件夹，";
        if (out.rfind(published, 0) == 0) out = "预览已生成（尚未公开）" + out.substr(published.size());
        if (out.rfind(unchanged, 0) == 0) out = "预览已是最新（尚未公开；" + out.substr(unchanged.size());
        ws->audit(ex, "publish-preview", "数据集 " + std::to_string(id), std::to_string(code));
        Object::Ptr o = object();
        o->set("url", "/preview/" + std::to_string(id) + "/index.html");
        sendCapturedPublish(ex, code, out, err, o);
    });
    router.add("POST", "/api/datasets/{id}/publish", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Admin);
        std::int64_t id = ex.id("id");
        auto body = ex.jsonBody(4096);
        bool force = body->has("force") && body->get("force").convert<bool>();
        auto [code, out, err] = publishTo(id, ws->options.paths.site, force);
        Object::Ptr o = object();
        sendCapturedPublish(ex, code, out, err, o);
        ws->audit(ex, "publish", "数据集 " + std::to_string(id),
                  (code == app::kExitOk ? out : o->getValue<std::string>("error")) + (force ? "（提前公开）" : ""));
    });
    router.add("GET", "/api/publish/history", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Viewer);
        Array::Ptr list = new Array;
        for (const auto& e : ws->store->auditLog(200, "publish")) {
            Object::Ptr o = object();
            o->set("at", e.at);
            o->set("user", e.user);
            o->set("dataset", e.target);
            o->set("result", e.detail);
            list->add(o);
        }
        ex.sendJson(list);
    });

    // --- users and audit ----------------------------------------------------------------
    router.add("GET", "/api/users", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Admin);
        Array::Ptr list = new Array;
        for (const auto& u : ws->store->users()) {
            Object::Ptr o = object();
            o->set("name", u.name);
            o->set("role", roleName(u.role));
            list->add(o);
        }
        ex.sendJson(list);
    });
    router.add("POST", "/api/users", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Admin);
        auto body = ex.jsonBody(4096);
        std::string name = text(body, "name"), password = text(body, "password");
        auto role = parseRole(text(body, "role"));
        if (name.empty() || name.size() > 64) throw HttpError(400, "用户名不能为空，且不超过 64 个字节。");
        if (!role) throw HttpError(400, "角色应为 admin、staff 或 viewer。");
        if (password.size() < 10) throw HttpError(400, "密码至少 10 个字符。");
        try {
            ws->store->addUser({name, *role, hashPassword(password)}, localNow());
        } catch (const std::invalid_argument& e) {
            throw HttpError(409, e.what());
        }
        ws->audit(ex, "user-add", name, roleName(*role));
        Object::Ptr o = object();
        o->set("name", name);
        o->set("role", roleName(*role));
        ex.sendJson(o, 201);
    });
    router.add("GET", "/api/audit", [=](Exchange& ex) {
        authorize(ex, *ws->store, Role::Admin);
        Array::Ptr list = new Array;
        for (const auto& e : ws->store->auditLog(500)) {
            Object::Ptr o = object();
            o->set("id", e.id);
            o->set("at", e.at);
            o->set("user", e.user);
            o->set("action", e.action);
            o->set("target", e.target);
            o->set("detail", e.detail);
            o->set("address", e.address);
            list->add(o);
        }
        ex.sendJson(list);
    });
}

}  // namespace jixiao::web
