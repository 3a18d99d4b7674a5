#include "web/command.h"

#include "app/cli.h"
#include "app/data_dir.h"
#include "app/help.h"
#include "publish/store_db.h"
#include "web/api.h"
#include "web/password.h"
#include "web/server.h"

#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/Net/NetException.h>
#include <Poco/Path.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <thread>

namespace jixiao::web {

namespace {

int usage(const std::string& command, const std::string& message) {
    std::cerr << "jixiao：" << message << "\n\n" << *app::commandHelp(command);
    return app::kExitUsage;
}

/// --name value / --name=value options and the remaining words.
struct Parsed {
    std::map<std::string, std::string> options;
    std::vector<std::string> words;
};

std::optional<Parsed> parse(const std::vector<std::string>& args, const std::vector<std::string>& flags, std::string& error) {
    Parsed p;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.rfind("--", 0) != 0) {
            p.words.push_back(a);
            continue;
        }
        std::string name = a.substr(2), value;
        auto eq = name.find('=');
        bool isFlag = std::find(flags.begin(), flags.end(), name) != flags.end();
        if (eq != std::string::npos) {
            value = name.substr(eq + 1);
            name = name.substr(0, eq);
        } else if (!isFlag) {
            if (i + 1 >= args.size()) {
                error = "选项 --" + name + " 缺少取值。";
                return std::nullopt;
            }
            value = args[++i];
        }
        p.options[name] = value;
    }
    return p;
}

/// A resource folder: the option when given, else in jixiao's data folder (as for the CLI).
std::string resource(const std::string& option, const std::string& name, std::string& dataDir) {
    if (!option.empty()) return Poco::Path(option).makeAbsolute().toString();
    if (dataDir.empty()) dataDir = app::findDataDir(app::programDir("."), Poco::Environment::get("JIXIAO_DATA", ""));
    return dataDir + "/" + name;
}

int userCommand(const std::vector<std::string>& args) {
    std::string error;
    auto p = parse(std::vector<std::string>(args.begin() + 1, args.end()), {"password-stdin"}, error);
    if (!p) return usage(args[0], error);
    for (const auto& [name, value] : p->options)
        if (name != "role" && name != "data" && name != "password-stdin") return usage("user", "user 不认识选项 --" + name + "。");
    if (p->words.size() != 2 || p->words[0] != "add")
        return usage("user", "用法为 jixiao user add 用户名 --role 角色 --data 文件夹 --password-stdin。");
    const std::string name = p->words[1];
    auto role = parseRole(p->options["role"]);
    if (!role) return usage("user", "--role 应为 admin、staff 或 viewer，实际为“" + p->options["role"] + "”。");
    if (p->options["data"].empty()) return usage("user", "需要用 --data 指定数据文件夹。");
    if (!p->options.count("password-stdin")) return usage("user", "密码只从标准输入读取：请加 --password-stdin。");
    if (name.empty() || name.size() > 64) return usage("user", "用户名不能为空，且不超过 64 个字节。");
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < 10) {
        std::cerr << "jixiao：密码至少 10 个字符。\n";
        return app::kExitUsage;
    }
    Paths paths;
    paths.data = p->options["data"];
    Poco::File(paths.data).createDirectories();
    auto store = WebStore::open(paths.store());
    try {
        store->addUser({name, *role, hashPassword(password)}, localNow());
    } catch (const std::invalid_argument& e) {
        std::cerr << "jixiao：" << e.what() << '\n';
        return app::kExitUsage;
    }
    store->audit({0, localNow(), "(命令行)", "user-add", name, roleName(*role), "local"});
    std::cout << "已添加用户“" << name << "”（" << roleName(*role) << "）。\n";
    return app::kExitOk;
}

int serveCommand(const std::vector<std::string>& args) {
    std::string error;
    auto p = parse(std::vector<std::string>(args.begin() + 1, args.end()), {"secure-cookie"}, error);
    if (!p) return usage(args[0], error);
    if (!p->words.empty()) return usage("serve", "serve 不接受“" + p->words[0] + "”：数据文件夹用 --data 指定。");
    static const std::vector<std::string> known{"data",          "listen",    "site",  "max-upload", "jobs",
                                                "secure-cookie", "templates", "fonts", "assets"};
    for (const auto& [name, value] : p->options)
        if (std::find(known.begin(), known.end(), name) == known.end()) return usage("serve", "serve 不认识选项 --" + name + "。");
    ServeOptions o;
    if (p->options["data"].empty()) return usage("serve", "serve 需要用 --data 指定数据文件夹。");
    o.paths.data = Poco::Path(p->options["data"]).makeAbsolute().toString();
    if (!o.paths.data.empty() && o.paths.data.back() == '/') o.paths.data.pop_back();
    o.paths.site = p->options["site"].empty() ? o.paths.data + "/site" : Poco::Path(p->options["site"]).makeAbsolute().toString();
    std::string dataDir;
    o.paths.templates = resource(p->options["templates"], "templates", dataDir);
    o.paths.fonts = resource(p->options["fonts"], "fonts", dataDir);
    o.paths.assets = resource(p->options["assets"], "web", dataDir);
    if (auto listen = p->options["listen"]; !listen.empty()) {
        auto colon = listen.rfind(':');
        std::string port = colon == std::string::npos ? std::string() : listen.substr(colon + 1);
        if (colon == std::string::npos || port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(port) > 65535)
            return usage("serve", "--listen 应为 地址:端口，例如 127.0.0.1:8080，实际为“" + listen + "”。");
        o.host = listen.substr(0, colon);
        o.port = std::stoi(port);
    }
    if (auto mb = p->options["max-upload"]; !mb.empty()) {
        if (mb.size() > 6 || mb.find_first_not_of("0123456789") != std::string::npos || std::stoi(mb) < 1)
            return usage("serve", "--max-upload 应为正整数（MB），实际为“" + mb + "”。");
        o.maxUpload = std::int64_t(std::stoi(mb)) * 1024 * 1024;
    }
    o.jobs = std::max(1, int(std::thread::hardware_concurrency()));
    if (auto jobs = p->options["jobs"]; !jobs.empty()) {
        if (jobs.size() > 3 || jobs.find_first_not_of("0123456789") != std::string::npos || std::stoi(jobs) < 1)
            return usage("serve", "--jobs 应为1到256之间的整数，实际为“" + jobs + "”。");
        o.jobs = std::stoi(jobs);
    }
    o.secureCookie = p->options.count("secure-cookie") > 0;
    if (!Poco::File(o.paths.assets + "/index.html").exists()) {
        std::cerr << "jixiao：找不到工作台页面 " << o.paths.assets << "/index.html，请用 --assets 指定 web 文件夹。\n";
        return app::kExitConfig;
    }
    Poco::File(o.paths.data).createDirectories();

    // SIGINT/SIGTERM are taken by this thread (sigwait), not delivered to the server's threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::unique_ptr<Server> server;
    try {
        server = std::make_unique<Server>(o);
    } catch (const Poco::Net::NetException& e) {
        std::cerr << "jixiao：无法在 " << o.host << ":" << o.port << " 监听（" << e.displayText() << "）。端口可能已被占用。\n";
        return app::kExitTempFail;
    } catch (const Poco::IOException& e) {
        std::cerr << "jixiao：无法在 " << o.host << ":" << o.port << " 监听（" << e.displayText() << "）。端口可能已被占用。\n";
        return app::kExitTempFail;
    }
    if (server->workspace().store->users().empty())
        std::cerr << "注意：还没有任何用户，请先运行 jixiao user add 用户名 --role admin --data " << o.paths.data << " --password-stdin\n";
    server->start();
    std::cerr << "jixiao 工作台已启动：http://" << o.host << ":" << server->port() << "/ （数据文件夹 " << o.paths.data
              << "；按 Ctrl+C 停止）\n";
    int received = 0;
    sigwait(&signals, &received);
    std::cerr << "正在停止……\n";
    bool busy = server->workspace().runs.busy();
    server->stop();
    if (busy) {
        // The run in hand is recorded as interrupted; its thread cannot be stopped cleanly.
        std::cerr << "正在进行的运行已标记为“已中断”。\n";
        std::_Exit(app::kExitOk);
    }
    return app::kExitOk;
}

}  // namespace

bool isWebCommand(const std::vector<std::string>& args) { return !args.empty() && (args[0] == "serve" || args[0] == "user"); }

int webCommand(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (a == "--help" || a == "-h") {
            std::cout << *app::commandHelp(args[0]);
            return app::kExitOk;
        }
    try {
        if (args[0] == "user") return userCommand(args);
        return serveCommand(args);
    } catch (const app::DataDirError& e) {
        std::cerr << "jixiao：" << e.what() << '\n';
        return app::kExitConfig;
    } catch (const publish::StoreBusyError& e) {
        std::cerr << "jixiao：" << e.what() << '\n';
        return app::kExitTempFail;
    } catch (const publish::StoreError& e) {
        std::cerr << "历史库错误：" << e.what() << '\n';
        return app::kExitCannotCreate;
    }
}

}  // namespace jixiao::web
