#include "web/server.h"

#include "publish/store_db.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <iostream>

namespace jixiao::web {

namespace {

/// Serves a file of the pages (web/) or of a dataset's public preview (`preview`: shown in the
/// publish page's frame, with the site's own inline styles; still no script but its files).
void serveStatic(Exchange& ex, const std::string& root, const std::string& relative, bool preview = false) {
    auto path = resolveInside(root, relative);
    if (!path) throw HttpError(404, "找不到所请求的地址。");
    if (preview) securityHeaders(ex.response, true, true);
    ex.response.set("Cache-Control", "no-cache");
    ex.sendFile(*path, contentTypeOf(*path), {});
}

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    Handler(Workspace& ws, const Router& router) : ws_(ws), router_(router) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        securityHeaders(response);
        Exchange ex{request, response, {}, {}, std::nullopt, {}};
        try {
            dispatch(ex);
        } catch (const HttpError& e) {
            fail(response, e.status(), e.what());
        } catch (const publish::StoreBusyError& e) {
            fail(response, 503, std::string("历史库正忙，请稍后再试：") + e.what());
        } catch (const publish::StoreRequestError& e) {
            fail(response, 400, e.what());
        } catch (const publish::StoreError& e) {
            fail(response, 500, std::string("历史库错误：") + e.what());
        } catch (const Poco::Exception& e) {
            fail(response, 500, "服务器内部错误：" + e.displayText());
        } catch (const std::exception& e) {
            fail(response, 500, std::string("服务器内部错误：") + e.what());
        }
        finishBody(request, response);
    }

private:
    /// A request body left unread (a refused request, a handler that needs none) would be
    /// read as the start of the next request on a kept-alive connection: what is left of a
    /// small one is skipped, and the connection is closed after a large or unsized one.
    static void finishBody(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        constexpr std::streamsize kSkip = 64 * 1024;
        const std::string& method = request.getMethod();
        bool sized = request.hasContentLength() || method == "GET" || method == "HEAD" || method == "DELETE";
        if (!sized || request.getChunkedTransferEncoding() || request.getContentLength64() > kSkip) {
            response.setKeepAlive(false);
            return;
        }
        try {
            request.stream().ignore(kSkip);
        } catch (const Poco::Exception&) {
            response.setKeepAlive(false);
        }
    }

    static void fail(Poco::Net::HTTPServerResponse& response, int status, const std::string& message) {
        if (response.sent()) return;  // the body was under way: the connection just ends
        sendError(response, status, message);
    }

    void dispatch(Exchange& ex) {
        Poco::URI uri;
        try {
            uri = Poco::URI(ex.request.getURI());
        } catch (const Poco::SyntaxException&) {
            throw HttpError(400, "地址格式有误。");
        }
        const std::string path = uri.getPath();  // percent-decoded: %2e%2e is ".." here
        for (const auto& [key, value] : uri.getQueryParameters()) ex.query[key] = value;
        if (path.rfind("/api/", 0) == 0) {
            bool wrongMethod = false;
            const Router::Handler* handler = router_.find(ex.request.getMethod(), path, ex.params, wrongMethod);
            if (!handler && wrongMethod) throw HttpError(405, "此地址不支持 " + ex.request.getMethod() + " 请求。");
            if (!handler) throw HttpError(404, "找不到所请求的地址：" + path);
            (*handler)(ex);
            return;
        }
        if (ex.request.getMethod() != "GET" && ex.request.getMethod() != "HEAD")
            throw HttpError(405, "此地址不支持 " + ex.request.getMethod() + " 请求。");
        if (path.rfind("/preview/", 0) == 0) {
            // A dataset's public preview: only for users who are logged in.
            authorize(ex, *ws_.store, Role::Viewer);
            std::string rest = path.substr(9);
            auto slash = rest.find('/');
            ex.params["id"] = rest.substr(0, slash);
            std::int64_t id = ex.id("id");
            if (slash == std::string::npos) throw HttpError(404, "找不到所请求的地址。");
            serveStatic(ex, ws_.options.paths.preview(id), rest.substr(slash + 1), true);
            return;
        }
        serveStatic(ex, ws_.options.paths.assets, path == "/" ? std::string("index.html") : path.substr(1));
    }

    Workspace& ws_;
    const Router& router_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(Workspace& ws, const Router& router) : ws_(ws), router_(router) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new Handler(ws_, router_); }

private:
    Workspace& ws_;
    const Router& router_;
};

}  // namespace

struct Server::Impl {
    Workspace workspace;
    Router router;
    Poco::ThreadPool pool;
    Poco::Net::ServerSocket socket;
    std::unique_ptr<Poco::Net::HTTPServer> http;

    explicit Impl(const ServeOptions& options)
        : workspace(options),
          pool(2, options.threads + 2),
          socket(Poco::Net::SocketAddress(options.host, Poco::UInt16(options.port)), 64) {}
};

Server::Server(const ServeOptions& options) : impl_(std::make_unique<Impl>(options)) {
    int left = impl_->workspace.store->markInterrupted(localNow());
    if (left > 0) std::cerr << "有 " << left << " 次运行在上次服务停止时未完成，已标记为“已中断”，可在页面上重新运行。\n";
    addApiRoutes(impl_->router, impl_->workspace);
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(128);
    params->setKeepAlive(true);
    // A kept-alive connection holds a thread until it is idle this long or has made this many
    // requests; then the next waiting connection gets the thread (a poller cannot keep it forever).
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setMaxKeepAliveRequests(100);
    params->setTimeout(Poco::Timespan(60, 0));
    params->setServerName("jixiao");
    impl_->http = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl_->workspace, impl_->router), impl_->pool, impl_->socket, params);
}

Server::~Server() { stop(); }

int Server::port() const { return impl_->socket.address().port(); }

void Server::start() { impl_->http->start(); }

void Server::stop() {
    if (!impl_ || !impl_->http) return;
    impl_->http->stopAll(true);
    impl_->http.reset();
    // A run cannot be cut short cleanly: it is recorded as interrupted before the process ends
    // (its documents are written atomically, and a run without a manifest lists no files).
    if (impl_->workspace.runs.busy()) impl_->workspace.runs.interruptAll(localNow());
}

Workspace& Server::workspace() { return impl_->workspace; }

}  // namespace jixiao::web
