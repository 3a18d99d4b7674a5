#include <catch2/catch.hpp>

#include "support.h"

#include "app/batch.h"
#include "publish/run_store.h"
#include "publish/store_db.h"
#include "web/password.h"
#include "web/server.h"
#include "web/store.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace jixiao::web;
using jixiao::testing::slurp;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

struct Reply {
    int status = 0;
    std::string body;
    Poco::Net::HTTPResponse head;

    Poco::JSON::Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>(); }
    Poco::JSON::Array::Ptr array() const { return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>(); }
    std::string error() const { return json()->getValue<std::string>("error"); }
};

/// A server on a free loopback port over a fresh data folder, with one user per role.
struct Fixture {
    Poco::TemporaryFile data;
    ServeOptions options;
    std::unique_ptr<Server> server;

    explicit Fixture(std::int64_t maxUpload = 200ll << 20) {
        Poco::File(data.path()).createDirectories();
        options.paths.data = data.path();
        options.paths.templates = kSource + "/templates";
        options.paths.fonts = kSource + "/fonts";
        options.paths.assets = kSource + "/web";
        options.paths.site = data.path() + "/site";
        options.port = 0;
        options.maxUpload = maxUpload;
        options.jobs = 2;
        {
            auto store = WebStore::open(options.paths.store());
            store->addUser({"admin", Role::Admin, hashPassword("admin-password")}, "2025-01-01T00:00:00");
            store->addUser({"clerk", Role::Staff, hashPassword("clerk-password")}, "2025-01-01T00:00:00");
            store->addUser({"clerk2", Role::Staff, hashPassword("clerk2-password")}, "2025-01-01T00:00:00");
            store->addUser({"reader", Role::Viewer, hashPassword("reader-password")}, "2025-01-01T00:00:00");
        }
        server = std::make_unique<Server>(options);
        server->start();
    }
};

/// One browser: its cookie and CSRF token.
struct Client {
    int port;
    std::string cookie;
    std::string csrf;

    Reply send(const std::string& method, const std::string& uri, const std::string& body = {},
               const std::string& type = "application/json", bool withCsrf = true) const {
        Poco::Net::HTTPClientSession session("127.0.0.1", Poco::UInt16(port));
        session.setTimeout(Poco::Timespan(120, 0));
        Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!cookie.empty()) {
            Poco::Net::NameValueCollection cookies;
            cookies.add("jixiao_session", cookie);
            request.setCookies(cookies);
        }
        if (withCsrf && !csrf.empty()) request.set("X-CSRF-Token", csrf);
        if (method != "GET") {
            request.setContentType(type);
            request.setContentLength64(std::streamsize(body.size()));
        }
        std::ostream& out = session.sendRequest(request);
        out << body;
        Reply reply;
        std::istream& in = session.receiveResponse(reply.head);
        std::ostringstream text;
        Poco::StreamCopier::copyStream(in, text);
        reply.status = reply.head.getStatus();
        reply.body = text.str();
        return reply;
    }

    Reply login(const std::string& user, const std::string& password) {
        Reply r = send("POST", "/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}");
        if (r.status == 200) {
            csrf = r.json()->getValue<std::string>("csrf");
            std::vector<Poco::Net::HTTPCookie> cookies;
            r.head.getCookies(cookies);
            for (const auto& c : cookies)
                if (c.getName() == "jixiao_session") cookie = c.getValue();
        }
        return r;
    }
};

Client loggedIn(Fixture& f, const std::string& user) {
    Client c{f.server->port(), {}, {}};
    REQUIRE(c.login(user, user + "-password").status == 200);
    return c;
}

/// A multipart/form-data body of the sample's files (all but README.md).
std::string multipart(const std::vector<std::pair<std::string, std::string>>& files, const std::string& boundary) {
    std::string body;
    for (const auto& [name, content] : files)
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name +
                "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    return body + "--" + boundary + "--\r\n";
}

std::vector<std::pair<std::string, std::string>> sampleFiles(const std::string& sample) {
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> names;
    Poco::File(kSource + "/samples/" + sample).list(names);
    std::sort(names.begin(), names.end());
    for (const auto& n : names)
        if (n != "README.md") files.emplace_back(n, slurp(kSource + "/samples/" + sample + "/" + n));
    return files;
}

std::int64_t upload(const Client& c, const std::string& sample) {
    const std::string boundary = "----jixiao-test-boundary";
    Reply r = c.send("POST", "/api/datasets", multipart(sampleFiles(sample), boundary), "multipart/form-data; boundary=" + boundary);
    REQUIRE(r.status == 201);
    return r.json()->getValue<std::int64_t>("id");
}

Poco::JSON::Object::Ptr waitForRun(const Client& c, std::int64_t id) {
    for (int i = 0; i < 600; ++i) {
        Reply r = c.send("GET", "/api/runs/" + std::to_string(id));
        REQUIRE(r.status == 200);
        auto run = r.json();
        std::string state = run->getValue<std::string>("state");
        if (state != "queued" && state != "running") return run;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    FAIL("run " << id << " did not finish");
    return nullptr;
}

/// How many files a published folder's manifest lists.
std::size_t manifestFiles(const std::string& folder) {
    auto manifest = Poco::JSON::Parser().parse(slurp(folder + "/manifest.json")).extract<Poco::JSON::Object::Ptr>();
    return manifest->getArray("files")->size();
}

/// The codes of a sample's classified (涉密) projects, as the pipeline reads them.
std::vector<std::string> classifiedProjects(const std::string& sample) {
    auto scored = jixiao::app::scoreDataset(kSource + "/samples/" + sample, "", kSource + "/templates");
    std::vector<std::string> codes;
    for (const auto& p : scored.dataset.projects)
        if (p.classified) codes.push_back(p.code);
    return codes;
}

}  // namespace

TEST_CASE("passwords are stored as salted PBKDF2-SHA256 with at least 200,000 iterations", "[web]") {
    std::string a = hashPassword("correct horse"), b = hashPassword("correct horse");
    CHECK(a != b);  // salted
    CHECK(a.rfind("pbkdf2-sha256$210000$", 0) == 0);
    CHECK(verifyPassword("correct horse", a));
    CHECK_FALSE(verifyPassword("correct horse!", a));
    CHECK_FALSE(verifyPassword("x", "pbkdf2-sha256$abc$00$00"));
}

TEST_CASE("passwords: a stored hash made elsewhere (Python's hashlib.pbkdf2_hmac) still verifies", "[web]") {
    // pbkdf2_hmac('sha256', 'correct horse', bytes(range(16)), 210000): users already in a store
    // keep their passwords whatever computes the hash.
    const std::string stored =
        "pbkdf2-sha256$210000$000102030405060708090a0b0c0d0e0f$83195ff91afd0b9b4760d781cbab554d08bb6ca808d825235c20c8e94adb5c68";
    CHECK(verifyPassword("correct horse", stored));
    CHECK_FALSE(verifyPassword("correct horse ", stored));
    // A Chinese password, 1,000 iterations (the count is read from the hash).
    CHECK(verifyPassword(
        "办公室密码",
        "pbkdf2-sha256$1000$000102030405060708090a0b0c0d0e0f$fa3bf595e5a1baddb573b64aef11a200bb7c1536102014eade7ba22dcedaaa4b"));
}

TEST_CASE("serve: authentication, sessions, CSRF and roles", "[web]") {
    Fixture f;
    Client anonymous{f.server->port(), {}, {}};

    Reply r = anonymous.send("GET", "/api/datasets");
    CHECK(r.status == 401);
    CHECK(r.error() == "请先登录（未登录或登录已过期）。");
    CHECK(r.head.get("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(r.head.get("Content-Security-Policy").find("script-src 'self';") != std::string::npos);
    CHECK(r.head.get("X-Content-Type-Options") == "nosniff");

    r = anonymous.send("POST", "/api/login", R"({"user":"clerk","password":"wrong"})");
    CHECK(r.status == 401);
    CHECK(r.error() == "用户名或密码不正确。");

    Client clerk{f.server->port(), {}, {}};
    r = clerk.login("clerk", "clerk-password");
    REQUIRE(r.status == 200);
    CHECK(r.json()->getValue<std::string>("role") == "staff");
    std::string setCookie = r.head.get("Set-Cookie");
    CHECK(setCookie.find("HttpOnly") != std::string::npos);
    CHECK(setCookie.find("SameSite=Strict") != std::string::npos);
    CHECK(clerk.send("GET", "/api/datasets").status == 200);

    SECTION("a state-changing request without the CSRF token is refused") {
        r = clerk.send("POST", "/api/datasets/1/runs", "{}", "application/json", false);
        CHECK(r.status == 403);
        CHECK(r.error() == "请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。");
        Client forged = clerk;
        forged.csrf = std::string(64, '0');
        CHECK(forged.send("POST", "/api/datasets/1/runs", "{}").status == 403);
    }
    SECTION("roles are enforced by the server") {
        Client reader = loggedIn(f, "reader");
        r = reader.send("POST", "/api/datasets", "x", "multipart/form-data; boundary=x");
        CHECK(r.status == 403);
        CHECK(r.error() == "权限不足：此操作需要“经办”及以上角色，当前用户“reader”的角色是“查看”。");
        r = clerk.send("POST", "/api/datasets/1/publish", "{}");
        CHECK(r.status == 403);
        CHECK(r.error() == "权限不足：此操作需要“管理员”及以上角色，当前用户“clerk”的角色是“经办”。");
        CHECK(clerk.send("GET", "/api/users").status == 403);
        Client admin = loggedIn(f, "admin");
        r = admin.send("POST", "/api/users", R"({"name":"new","role":"viewer","password":"new-password-1"})");
        CHECK(r.status == 201);
        r = admin.send("GET", "/api/audit");
        REQUIRE(r.status == 200);
        auto log = r.array();
        REQUIRE(log->size() >= 2);
        CHECK(log->getObject(0)->getValue<std::string>("action") == "user-add");
        CHECK(log->getObject(0)->getValue<std::string>("user") == "admin");
        CHECK(log->getObject(0)->getValue<std::string>("target") == "new");
    }
    SECTION("unknown things are 404 with a Chinese message") {
        r = clerk.send("GET", "/api/datasets/999/check");
        CHECK(r.status == 404);
        CHECK(r.error() == "找不到编号为 999 的数据集。");
        r = clerk.send("GET", "/api/runs/77");
        CHECK(r.status == 404);
        CHECK(r.error() == "找不到编号为 77 的运行。");
        r = clerk.send("GET", "/api/nothing");
        CHECK(r.status == 404);
        CHECK(r.error() == "找不到所请求的地址：/api/nothing");
    }
    SECTION("logging out ends the session") {
        CHECK(clerk.send("POST", "/api/logout").status == 200);
        CHECK(clerk.send("GET", "/api/datasets").status == 401);
    }
    SECTION("login attempts are limited") {
        Client guesser{f.server->port(), {}, {}};
        for (int i = 0; i < 5; ++i) CHECK(guesser.login("reader", "guess" + std::to_string(i)).status == 401);
        r = guesser.login("reader", "reader-password");
        CHECK(r.status == 429);
        CHECK(r.error() == "登录失败次数过多，请 15 分钟后再试。");
    }
}

TEST_CASE("serve: no URL reaches outside the data and page folders", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    // A symlink inside the page folder pointing outside it is not followed.
    Poco::TemporaryFile assets;
    Poco::File(assets.path()).createDirectories();
    Poco::File(kSource + "/web/index.html").copyTo(assets.path());
    REQUIRE(::symlink("/etc/passwd", (assets.path() + "/passwd").c_str()) == 0);
    f.server.reset();
    f.options.paths.assets = assets.path();
    f.server = std::make_unique<Server>(f.options);
    f.server->start();
    clerk = loggedIn(f, "clerk");
    for (const std::string uri : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2Fetc%2Fpasswd", "//etc/passwd", "/passwd",
                                  "/preview/1/../../jixiao-history.db", "/preview/1/%2e%2e/%2e%2e/jixiao-history.db",
                                  "/api/runs/1/file?path=../../jixiao-history.db"}) {
        Reply r = clerk.send("GET", uri);
        INFO(uri);
        CHECK(r.status == 404);
        CHECK(r.body.find("root:") == std::string::npos);
    }
    CHECK(clerk.send("GET", "/").status == 200);
}

TEST_CASE("serve: an upload over the size limit is refused with a clear message", "[web]") {
    Fixture f(1 << 20);
    Client clerk = loggedIn(f, "clerk");
    const std::string boundary = "b0undary";
    Reply r = clerk.send("POST", "/api/datasets", multipart({{"项目.csv", std::string(2 << 20, 'x')}}, boundary),
                         "multipart/form-data; boundary=" + boundary);
    CHECK(r.status == 413);
    CHECK(r.error() == "上传内容过大：每次最多上传 1 MB。请分几次上传，或请管理员用 jixiao serve --max-upload 调大上限。");
    std::vector<std::string> left;
    Poco::File(f.options.paths.incoming()).list(left);
    CHECK(left.empty());
}

// Issue 11, defect 14: an uploaded dataset.json holding a top-level array was refused with
// Poco's English message naming a C++ type; a syntax error with Poco's English words.
TEST_CASE("serve: an uploaded dataset.json that is not a JSON object is refused in Chinese", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    const std::string boundary = "b0undary";
    auto send = [&](const std::string& json) {
        return clerk.send("POST", "/api/datasets", multipart({{"dataset.json", json}}, boundary),
                          "multipart/form-data; boundary=" + boundary);
    };
    Reply r = send("[2024]");
    CHECK(r.status == 400);
    CHECK(r.error() == "dataset.json 应为 JSON 对象（以 { 开头）。");
    r = send("{\"年度\": 2024");
    CHECK(r.status == 400);
    CHECK(r.error() ==
          "dataset.json 不是有效的 JSON（第1行第12列：此处应为逗号“,”或右花括号“}”）。"
          "请用记事本或 WPS 检查后重新上传，或不上传它、在“设置”中填写。");
}

TEST_CASE("serve: datasets are checked like `jixiao check`", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    std::int64_t broken = upload(clerk, "broken");
    Reply r = clerk.send("GET", "/api/datasets/" + std::to_string(broken) + "/check");
    REQUIRE(r.status == 200);
    auto check = r.json();
    CHECK(check->getValue<int>("errors") == 20);
    // Messages name the client's files, never the stored names.
    CHECK(r.body.find("upload-") == std::string::npos);
    CHECK(r.body.find("项目.csv") != std::string::npos);
    // Uploads are stored under generated names only.
    std::vector<std::string> stored;
    Poco::File(f.options.paths.dataset(broken)).list(stored);
    for (const auto& name : stored) CHECK((name == "dataset.json" || name.rfind("upload-", 0) == 0));

    r = clerk.send("GET", "/api/datasets/" + std::to_string(broken) + "/problems.csv");
    CHECK(r.status == 200);
    CHECK(r.body.rfind("\xEF\xBB\xBF部门,级别,文件,工作表,行,列,列名,值,问题,提示\r\n", 0) == 0);

    std::int64_t county = upload(clerk, "county");
    r = clerk.send("GET", "/api/datasets/" + std::to_string(county) + "/check");
    REQUIRE(r.status == 200);
    CHECK(r.json()->getValue<int>("errors") == 0);
    CHECK(r.json()->getValue<int>("projects") == 66);

    r = clerk.send("PUT", "/api/datasets/" + std::to_string(county) + "/settings", R"({"年度":"20x4"})");
    CHECK(r.status == 400);
    CHECK(r.error() == "“年度”应为四位数字的年份，例如 2024，实际为“20x4”。");
}

TEST_CASE("serve: two users run two datasets at once — both finish, and their documents download", "[web]") {
    Fixture f;
    Client one = loggedIn(f, "clerk"), two = loggedIn(f, "clerk2");
    std::int64_t a = upload(one, "county"), b = upload(two, "county");
    Reply ra, rb;
    std::thread first([&] { ra = one.send("POST", "/api/datasets/" + std::to_string(a) + "/runs", R"({"date":"2025-03-01"})"); });
    std::thread second([&] { rb = two.send("POST", "/api/datasets/" + std::to_string(b) + "/runs", R"({"date":"2025-03-02"})"); });
    first.join();
    second.join();
    REQUIRE(ra.status == 202);
    REQUIRE(rb.status == 202);
    // Runs of two datasets go side by side.
    bool together = false;
    for (int i = 0; i < 3000 && !together; ++i) {
        std::string stateA =
            one.send("GET", "/api/runs/" + std::to_string(ra.json()->getValue<std::int64_t>("id"))).json()->getValue<std::string>("state");
        std::string stateB =
            two.send("GET", "/api/runs/" + std::to_string(rb.json()->getValue<std::int64_t>("id"))).json()->getValue<std::string>("state");
        together = stateA == "running" && stateB == "running";
        if (stateA == "done" || stateB == "done") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(together);
    auto runA = waitForRun(one, ra.json()->getValue<std::int64_t>("id"));
    auto runB = waitForRun(two, rb.json()->getValue<std::int64_t>("id"));
    INFO(runA->getValue<std::string>("message") << " / " << runB->getValue<std::string>("message"));
    CHECK(runA->getValue<std::string>("state") == "done");
    CHECK(runB->getValue<std::string>("state") == "done");
    CHECK(runA->getValue<int>("done") == 78);
    CHECK(runA->getValue<int>("total") == 78);

    std::string id = std::to_string(runA->getValue<std::int64_t>("id"));
    Reply files = one.send("GET", "/api/runs/" + id + "/files");
    REQUIRE(files.status == 200);
    CHECK(files.json()->getArray("departments")->size() == 12);
    Reply zip = one.send("GET", "/api/runs/" + id + "/zip?department=201");
    CHECK(zip.status == 200);
    CHECK(zip.head.getContentType() == "application/zip");
    CHECK(zip.body.rfind("PK\x03\x04", 0) == 0);
    CHECK(zip.body.find("201_云溪县教育体育局_部门整体支出绩效自评表.pdf") != std::string::npos);
    CHECK(zip.body.find("202_") == std::string::npos);

    // Both runs wrote the one history store: the letters are numbered once.
    Reply letters = one.send("GET", "/api/letters");
    REQUIRE(letters.status == 200);
    REQUIRE(letters.array()->size() > 0);
    std::string letter = letters.array()->getObject(0)->getValue<std::string>("letter");
    Reply closeEarly =
        one.send("POST", "/api/letters/close", "{\"letter\":\"" + letter + "\",\"date\":\"2025-04-01\",\"note\":\"已完成\"}");
    CHECK(closeEarly.status == 400);
}

TEST_CASE("serve: a run left unfinished by a stopped server shows as interrupted", "[web]") {
    Poco::TemporaryFile data;
    Poco::File(data.path()).createDirectories();
    {
        auto store = WebStore::open(data.path() + "/jixiao-history.db");
        std::int64_t ds = store->createDataset("x", "clerk", "2025-01-01T00:00:00");
        std::int64_t id = store->createRun(ds, "2025-03-01", "clerk", "2025-01-01T00:00:00");
        auto run = *store->run(id);
        run.state = "running";
        store->updateRun(run);
    }
    ServeOptions o;
    o.paths.data = data.path();
    o.paths.assets = kSource + "/web";
    o.port = 0;
    Server server(o);
    auto run = server.workspace().store->run(1);
    REQUIRE(run);
    CHECK(run->state == "interrupted");
    CHECK(run->message == "服务在运行结束前停止，本次运行未完成；可重新运行。");
}

TEST_CASE("serve: preview and publish — roles on the server, CSRF, 公开日期, history and audit", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk"), admin = loggedIn(f, "admin"), reader = loggedIn(f, "reader");
    const std::string id = std::to_string(upload(clerk, "county"));
    const std::string staffOnly = "权限不足：此操作需要“经办”及以上角色，当前用户“reader”的角色是“查看”。";
    const std::string adminOnly = "权限不足：此操作需要“管理员”及以上角色，当前用户“clerk”的角色是“经办”。";
    const std::string noCsrf = "请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。";
    // The sample's two warnings, naming the client's file (never the stored upload name).
    const std::string warnings =
        "绩效指标完成情况.xlsx[绩效指标!I707] 警告：项目“XM21003”预算执行率分值10分与各项指标分值合计85分，共95分，不等于100分。\n"
        "绩效指标完成情况.xlsx[绩效指标!I707] "
        "警告：项目“XM21003”一级指标“产出指标”分值合计45分，与评分规则“national-2020”的默认分值50分不一致。"
        "提示：一级指标分值可以调整，请确认是有意为之。\n";

    // A viewer may not build a preview, nobody without the CSRF token.
    Reply r = reader.send("POST", "/api/datasets/" + id + "/preview", "{}");
    CHECK(r.status == 403);
    CHECK(r.error() == staffOnly);
    r = clerk.send("POST", "/api/datasets/" + id + "/preview", "{}", "application/json", false);
    CHECK(r.status == 403);
    CHECK(r.error() == noCsrf);
    CHECK_FALSE(Poco::File(f.options.paths.preview(std::stoll(id))).exists());

    // The preview: the public view, classified projects absent, in a private folder.
    r = clerk.send("POST", "/api/datasets/" + id + "/preview", "{}");
    REQUIRE(r.status == 200);
    auto preview = r.json();
    CHECK(preview->getValue<bool>("ok"));
    CHECK(preview->getValue<std::string>("url") == "/preview/" + id + "/index.html");
    CHECK(preview->getValue<std::string>("message") ==
          "预览已生成（尚未公开）：新增 " + std::to_string(manifestFiles(f.options.paths.preview(std::stoll(id)))) +
              " 个、更新 0 个、删除 0 个文件，0 个未变，已更新 manifest.json（部门 12 个，公开项目 61 个，涉密项目 5 个不予公开）。\n");
    r = clerk.send("GET", "/preview/" + id + "/index.html");
    CHECK(r.status == 200);
    CHECK(r.body.find("云溪县") != std::string::npos);
    // Shown in the publish page's frame with the site's own styles, still without inline script.
    CHECK(r.head.get("Content-Security-Policy") ==
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
          "base-uri 'none'; form-action 'self'; frame-src 'self'; frame-ancestors 'self'");
    const std::string manifest = slurp(f.options.paths.preview(std::stoll(id)) + "/manifest.json");
    const auto classified = classifiedProjects("county");
    CHECK(classified.size() == 5);
    for (const std::string& code : classified) {
        INFO(code);
        CHECK(manifest.find(code) == std::string::npos);
    }
    CHECK_FALSE(Poco::File(f.options.paths.site).exists());  // a preview publishes nothing

    // Publishing is the admin's: staff are refused, as is an admin without the CSRF token.
    r = clerk.send("POST", "/api/datasets/" + id + "/publish", "{}");
    CHECK(r.status == 403);
    CHECK(r.error() == adminOnly);
    r = admin.send("POST", "/api/datasets/" + id + "/publish", "{}", "application/json", false);
    CHECK(r.status == 403);
    CHECK(r.error() == noCsrf);
    CHECK_FALSE(Poco::File(f.options.paths.site).exists());

    // 公开日期 is honoured: not before it unless forced.
    REQUIRE(clerk.send("PUT", "/api/datasets/" + id + "/settings", R"({"公开日期":"2099-12-31"})").status == 200);
    r = admin.send("POST", "/api/datasets/" + id + "/publish", R"({"force":false})");
    CHECK(r.status == 409);
    CHECK_FALSE(r.json()->getValue<bool>("ok"));
    const std::string notDue = r.json()->getValue<std::string>("error");
    CHECK(notDue.rfind("未到公开日期：本数据集的公开日期为2099年12月31日，今天是", 0) == 0);
    CHECK(notDue.find("，未公开任何文件。到期后再运行，或用 --force 提前公开。") != std::string::npos);
    CHECK(r.json()->getValue<std::string>("problems") == warnings + notDue + "\n");
    CHECK_FALSE(Poco::File(f.options.paths.site + "/index.html").exists());
    r = admin.send("POST", "/api/datasets/" + id + "/publish", R"({"force":true})");
    REQUIRE(r.status == 200);
    CHECK(r.json()->getValue<std::string>("message").rfind("已公开到 公开文件夹：新增 ", 0) == 0);
    CHECK(r.json()->getValue<std::string>("problems") == warnings + "注意：公开日期为2099年12月31日，已按 --force 提前公开。\n");
    CHECK(Poco::File(f.options.paths.site + "/index.html").exists());

    // The publish history: newest first, who and what; the audit has every step.
    r = reader.send("GET", "/api/publish/history");
    REQUIRE(r.status == 200);
    auto history = r.array();
    REQUIRE(history->size() == 2);
    CHECK(history->getObject(0)->getValue<std::string>("user") == "admin");
    CHECK(history->getObject(0)->getValue<std::string>("dataset") == "数据集 " + id);
    CHECK(history->getObject(0)->getValue<std::string>("result").find("（提前公开）") != std::string::npos);
    CHECK(history->getObject(1)->getValue<std::string>("result") == notDue);
    r = admin.send("GET", "/api/audit");
    REQUIRE(r.status == 200);
    std::vector<std::string> actions;
    for (std::size_t i = 0; i < r.array()->size(); ++i) {
        auto e = r.array()->getObject(unsigned(i));
        if (e->getValue<std::string>("target") == "数据集 " + id)
            actions.push_back(e->getValue<std::string>("user") + " " + e->getValue<std::string>("action"));
    }
    CHECK(actions == std::vector<std::string>{"admin publish", "admin publish", "clerk dataset-settings", "clerk publish-preview",
                                              "clerk dataset-create"});
}

TEST_CASE("serve: only an admin manages users — every change is audited", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk"), admin = loggedIn(f, "admin"), reader = loggedIn(f, "reader");
    const std::string body = R"({"name":"auditor","role":"viewer","password":"auditor-password"})";

    for (Client* c : {&clerk, &reader}) {
        const std::string who = c == &clerk ? "当前用户“clerk”的角色是“经办”。" : "当前用户“reader”的角色是“查看”。";
        for (const auto& [method, uri] :
             std::vector<std::pair<std::string, std::string>>{{"GET", "/api/users"}, {"POST", "/api/users"}, {"GET", "/api/audit"}}) {
            INFO(method << " " << uri << " as " << who);
            Reply r = c->send(method, uri, method == "POST" ? body : std::string());
            CHECK(r.status == 403);
            CHECK(r.error() == "权限不足：此操作需要“管理员”及以上角色，" + who);
        }
    }
    Reply r = admin.send("POST", "/api/users", body, "application/json", false);
    CHECK(r.status == 403);
    CHECK(r.error() == "请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。");
    Client auditor{f.server->port(), {}, {}};
    CHECK(auditor.login("auditor", "auditor-password").status == 401);  // nobody was added

    r = admin.send("POST", "/api/users", R"({"name":"auditor","role":"boss","password":"auditor-password"})");
    CHECK(r.status == 400);
    CHECK(r.error() == "角色应为 admin、staff 或 viewer。");
    r = admin.send("POST", "/api/users", R"({"name":"auditor","role":"viewer","password":"short"})");
    CHECK(r.status == 400);
    CHECK(r.error() == "密码至少 10 个字符。");
    r = admin.send("POST", "/api/users", R"({"name":"clerk","role":"viewer","password":"another-password"})");
    CHECK(r.status == 409);
    CHECK(r.error() == "用户“clerk”已存在。");

    r = admin.send("POST", "/api/users", body);
    REQUIRE(r.status == 201);
    r = admin.send("GET", "/api/users");
    REQUIRE(r.status == 200);
    std::vector<std::string> users;
    for (std::size_t i = 0; i < r.array()->size(); ++i)
        users.push_back(r.array()->getObject(unsigned(i))->getValue<std::string>("name") + ":" +
                        r.array()->getObject(unsigned(i))->getValue<std::string>("role"));
    CHECK(users == std::vector<std::string>{"admin:admin", "auditor:viewer", "clerk:staff", "clerk2:staff", "reader:viewer"});

    // The new user logs in with the role given, and can read but not change.
    r = auditor.login("auditor", "auditor-password");
    REQUIRE(r.status == 200);
    CHECK(r.json()->getValue<std::string>("role") == "viewer");
    CHECK(auditor.send("GET", "/api/datasets").status == 200);
    CHECK(auditor.send("POST", "/api/datasets/1/runs", "{}").status == 403);

    r = admin.send("GET", "/api/audit");
    REQUIRE(r.status == 200);
    auto log = r.array();
    REQUIRE(log->size() >= 3);
    auto entry = [&](unsigned i) {
        auto e = log->getObject(i);
        return e->getValue<std::string>("user") + "|" + e->getValue<std::string>("action") + "|" + e->getValue<std::string>("target") +
               "|" + e->getValue<std::string>("detail") + "|" + e->getValue<std::string>("address");
    };
    CHECK(entry(0) == "auditor|login|auditor||127.0.0.1");
    CHECK(entry(1) == "admin|user-add|auditor|viewer|127.0.0.1");
    CHECK(entry(2) == "auditor|login-failed|auditor||127.0.0.1");
    const std::string at = log->getObject(1)->getValue<std::string>("at");  // when: local ISO 8601 with the offset
    CHECK(at.size() == 25);
    CHECK(at.substr(0, 4) >= "2025");
    CHECK(at[10] == 'T');
}

TEST_CASE(
    "serve: one run per dataset at a time, others queued — a second waiting run is refused — letters name their units — 作废 and 重新发文",
    "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    const std::string id = std::to_string(upload(clerk, "county"));
    Reply first = clerk.send("POST", "/api/datasets/" + id + "/runs", R"({"date":"2025-03-01"})");
    REQUIRE(first.status == 202);
    Reply other = clerk.send("POST", "/api/datasets/" + std::to_string(upload(clerk, "county")) + "/runs", R"({"date":"2025-03-01"})");
    REQUIRE(other.status == 202);
    // The first run may have started already; its dataset gets one more waiting run at most.
    Reply second = clerk.send("POST", "/api/datasets/" + id + "/runs", R"({"date":"2025-03-02"})");
    REQUIRE(second.status == 202);
    const std::string secondId = std::to_string(second.json()->getValue<std::int64_t>("id"));
    auto waiting = clerk.send("GET", "/api/runs/" + secondId).json();
    const std::string firstId = std::to_string(first.json()->getValue<std::int64_t>("id"));
    if (waiting->getValue<std::string>("state") == "queued") {
        CHECK(waiting->getValue<std::string>("message") ==
              "排队中：本数据集的运行 " + firstId + " 正在进行，它结束后自动开始（同一数据集一次只做一个运行）。");
        Reply third = clerk.send("POST", "/api/datasets/" + id + "/runs", R"({"date":"2025-03-03"})");
        CHECK(third.status == 409);
        CHECK(third.error() ==
              "数据集 " + id + " 已有一个排队中的运行（运行 " + secondId + "），无需重复提交；它开始后会使用当时的数据和设置。");
    }
    for (const Reply* r : {&first, &other, &second})
        CHECK(waitForRun(clerk, r->json()->getValue<std::int64_t>("id"))->getValue<std::string>("state") == "done");

    Reply letters = clerk.send("GET", "/api/letters");
    REQUIRE(letters.status == 200);
    REQUIRE(letters.array()->size() > 0);
    bool found = false;
    for (std::size_t i = 0; i < letters.array()->size(); ++i) {
        auto l = letters.array()->getObject(unsigned(i));
        CHECK_FALSE(l->getValue<std::string>("unitName").empty());
        if (l->getValue<std::string>("unit") == "208002") {
            found = true;
            CHECK(l->getValue<std::string>("unitName") == "云溪县城市建设综合服务中心");
        }
    }
    CHECK(found);

    // 作废 and 重新发文 in the page, as `jixiao letters void|reissue`: staff and up, CSRF, a reason, audited.
    const std::string old = "云财绩函〔2025〕2号";
    Poco::JSON::Object::Ptr before;
    for (std::size_t i = 0; i < letters.array()->size(); ++i)
        if (letters.array()->getObject(unsigned(i))->getValue<std::string>("letter") == old)
            before = letters.array()->getObject(unsigned(i));
    REQUIRE(before);
    const std::string unit = before->getValue<std::string>("unit"), issued = before->getValue<std::string>("issued");
    const std::string voidBody = "{\"letter\":\"" + old + "\",\"date\":\"2025-03-05\",\"reason\":\"主送单位名称有误\"}";
    Client reader = loggedIn(f, "reader"), admin = loggedIn(f, "admin");
    Reply r = reader.send("POST", "/api/letters/void", voidBody);
    CHECK(r.status == 403);
    CHECK(r.error() == "权限不足：此操作需要“经办”及以上角色，当前用户“reader”的角色是“查看”。");
    r = clerk.send("POST", "/api/letters/void", voidBody, "application/json", false);
    CHECK(r.status == 403);
    CHECK(r.error() == "请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。");
    r = clerk.send("POST", "/api/letters/void", "{\"letter\":\"" + old + "\",\"date\":\"2025-03-05\"}");
    CHECK(r.status == 400);
    CHECK(r.error() == "请填写作废原因（reason）。");
    r = clerk.send("POST", "/api/letters/reissue", "{\"letter\":\"" + old + "\",\"date\":\"2025-03-06\"}");
    CHECK(r.status == 400);
    // The page's user is told what to do in the page, not on the command line.
    CHECK(r.error() ==
          "反馈函 " + old +
              " 仍然有效，不能重新发文。如需改发，请先在本页“作废反馈函”中选择它、填写作废原因并作废，再在“重新发文”中选择它。");
    r = clerk.send("POST", "/api/letters/void", voidBody);
    REQUIRE(r.status == 200);
    CHECK(r.json()->getValue<std::string>("message") ==
          "已作废 " + old + "（单位 " + unit + "，成文日期 " + issued +
              "），作废日期 2025-03-05，原因：主送单位名称有误。该文号不再使用；其整改事项不再跟踪。");
    r = clerk.send("POST", "/api/letters/reissue", "{\"letter\":\"" + old + "\",\"date\":\"2025-03-06\"}");
    REQUIRE(r.status == 200);
    const std::string renumbered = r.json()->getValue<std::string>("letter");
    CHECK(r.json()->getValue<std::string>("replaces") == old);
    const std::string reissuedMessage = r.json()->getValue<std::string>("message");
    Reply again = clerk.send("POST", "/api/letters/reissue", "{\"letter\":\"" + old + "\",\"date\":\"2025-03-07\"}");
    CHECK(again.status == 400);
    CHECK(again.error() == "反馈函 " + old + " 已重新发文为 " + renumbered + "，不能再次重新发文。");
    r = admin.send("GET", "/api/audit");
    REQUIRE(r.status == 200);
    auto entry = [&](unsigned i) {
        auto e = r.array()->getObject(i);
        return e->getValue<std::string>("user") + "|" + e->getValue<std::string>("action") + "|" + e->getValue<std::string>("target") +
               "|" + e->getValue<std::string>("detail");
    };
    CHECK(entry(0) == "clerk|letter-reissue|" + old + "|新文号 " + renumbered);  // newest first; refusals are not actions
    CHECK(entry(1) == "clerk|letter-void|" + old + "|主送单位名称有误");
    CHECK(entry(2) == "admin|login|admin|");

    letters = clerk.send("GET", "/api/letters");
    REQUIRE(letters.status == 200);
    Poco::JSON::Object::Ptr voided, successor;
    for (std::size_t i = 0; i < letters.array()->size(); ++i) {
        auto l = letters.array()->getObject(unsigned(i));
        if (l->getValue<std::string>("letter") == old) voided = l;
        if (l->optValue<std::string>("replaces", "") == old) successor = l;
    }
    REQUIRE(voided);
    REQUIRE(successor);
    CHECK(successor->getValue<std::string>("letter") == renumbered);
    CHECK(reissuedMessage == "已重新发文 " + renumbered + "：单位 " + unit + "，成文日期 2025-03-06，整改期限 " +
                                 successor->getValue<std::string>("deadline") + "。\n新文号替代已作废的 " + old +
                                 "。请到“运行”页重新运行该数据集，生成带新文号的反馈函。");
    CHECK(voided->getValue<std::string>("status") == "已作废");
    CHECK(voided->getValue<std::string>("voided") == "2025-03-05");
    CHECK(voided->getValue<std::string>("voidReason") == "主送单位名称有误");
    CHECK(voided->getValue<std::string>("replacedBy") == renumbered);
    CHECK(successor->getValue<std::string>("status") == "待整改");
    CHECK(successor->getValue<std::string>("issued") == "2025-03-06");
    CHECK(successor->getValue<std::string>("unit") == unit);
    CHECK(successor->getValue<std::string>("unitName") == voided->getValue<std::string>("unitName"));
    // The list is by number: the successor, numbered last, comes last.
    CHECK(letters.array()->getObject(unsigned(letters.array()->size() - 1))->getValue<std::string>("letter") ==
          successor->getValue<std::string>("letter"));
}

TEST_CASE("serve: the store's run lock is held only while the workspace runs — `jixiao run` goes beside it", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    const std::int64_t a = upload(clerk, "county"), b = upload(clerk, "county");
    const std::string store = f.options.paths.store(), folder = f.options.paths.dataset(a);
    Poco::TemporaryFile idleOut, busyOut;

    // The server is idle: `jixiao letters issue` on its store and dataset goes ahead.
    auto idle = jixiao::testing::runJixiao("letters issue " + folder + " -o " + idleOut.path() + " --db " + store + " --date 2025-03-01");
    INFO(idle.err);
    CHECK(idle.code == 0);

    // While the server runs that dataset, `jixiao run` on the store is told to try later (75).
    Reply started = clerk.send("POST", "/api/datasets/" + std::to_string(a) + "/runs", R"({"date":"2025-03-01"})");
    REQUIRE(started.status == 202);
    const std::string run = "/api/runs/" + std::to_string(started.json()->getValue<std::int64_t>("id"));
    for (int i = 0; i < 3000 && clerk.send("GET", run).json()->getValue<std::string>("state") == "queued"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto busy = jixiao::testing::runJixiao("run " + folder + " -o " + busyOut.path() + " --db " + store + " --date 2025-03-02");
    const std::string holder = slurp(store + ".lock");  // "pid N\nstarted SINCE\n"
    const std::size_t from = holder.find("started ") + 8;
    const std::string since = holder.substr(from, holder.find('\n', from) - from);
    CHECK(busy.code == 75);
    CHECK(since.find("，浏览器工作台的运行进行中") != std::string::npos);
    CHECK(busy.err == "错误：已有另一个 jixiao 正在使用历史库 " + store + "（进程 " + std::to_string(::getpid()) + "，开始于 " + since +
                          "）。请等它结束后再运行。\n");
    CHECK(waitForRun(clerk, started.json()->getValue<std::int64_t>("id"))->getValue<std::string>("state") == "done");

    // While a `jixiao run` holds the store, the runs of two datasets wait in the queue, then both go.
    std::vector<std::int64_t> queued;
    {
        auto held = jixiao::publish::lockStore(store, "2025-03-05T09:00:00+08:00");
        for (std::int64_t dataset : {a, b}) {
            Reply r = clerk.send("POST", "/api/datasets/" + std::to_string(dataset) + "/runs", R"({"date":"2025-03-03"})");
            REQUIRE(r.status == 202);
            queued.push_back(r.json()->getValue<std::int64_t>("id"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        for (std::int64_t id : queued) {
            auto waiting = clerk.send("GET", "/api/runs/" + std::to_string(id)).json();
            CHECK(waiting->getValue<std::string>("state") == "queued");
            CHECK(waiting->getValue<std::string>("message") ==
                  "排队中：另一个 jixiao（例如命令行的 jixiao run）正在使用同一个历史库，它结束后自动开始。");
        }
    }
    for (std::int64_t id : queued) CHECK(waitForRun(clerk, id)->getValue<std::string>("state") == "done");
    // Idle again: the store is free.
    CHECK_NOTHROW(jixiao::publish::lockStore(store, "2025-03-05T10:00:00+08:00"));
}

TEST_CASE("serve: a refused request's body is not read as the next request on a kept-alive connection", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    Poco::Net::HTTPClientSession session("127.0.0.1", Poco::UInt16(f.server->port()));
    session.setKeepAlive(true);
    for (const std::string uri : {"/api/datasets/1/publish", "/api/users", "/api/users"}) {
        Poco::Net::HTTPRequest request("POST", uri, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        Poco::Net::NameValueCollection cookies;
        cookies.add("jixiao_session", clerk.cookie);
        request.setCookies(cookies);
        request.set("X-CSRF-Token", clerk.csrf);
        request.setContentType("application/json");
        const std::string body = R"({"name":"x","role":"admin","password":"0123456789"})";
        request.setContentLength64(std::streamsize(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::ostringstream text;
        Poco::StreamCopier::copyStream(session.receiveResponse(response), text);
        INFO(uri << ": " << text.str());
        CHECK(response.getStatus() == 403);
        CHECK(text.str() == "{\"error\":\"权限不足：此操作需要“管理员”及以上角色，当前用户“clerk”的角色是“经办”。\"}");
    }
}

TEST_CASE("serve: thirty browsers keeping their connections alive do not lock out the next one", "[web]") {
    Fixture f;
    Client clerk = loggedIn(f, "clerk");
    // Each open page polls over a kept-alive connection, which holds a server thread between requests.
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> pages;
    auto get = [&](Poco::Net::HTTPClientSession& session) {
        Poco::Net::HTTPRequest request("GET", "/api/session", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        Poco::Net::NameValueCollection cookies;
        cookies.add("jixiao_session", clerk.cookie);
        request.setCookies(cookies);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::ostringstream text;
        Poco::StreamCopier::copyStream(session.receiveResponse(response), text);
        return response.getStatus();
    };
    for (int i = 0; i < 31; ++i) {
        pages.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", Poco::UInt16(f.server->port())));
        pages.back()->setKeepAlive(true);
        pages.back()->setTimeout(Poco::Timespan(5, 0));  // a page left waiting for a thread fails here instead of hanging
        CHECK(get(*pages.back()) == 200);
    }
}
