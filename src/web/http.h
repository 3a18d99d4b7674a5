#pragma once

#include "web/store.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

namespace jixiao::web {

/// A request that ends in an error response: `status` with {"error": message} (Chinese).
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

/// One request being answered: the Poco request and response, the route's {parameters}, the
/// query and, once authenticated, the session.
struct Exchange {
    Poco::Net::HTTPServerRequest& request;
    Poco::Net::HTTPServerResponse& response;
    std::map<std::string, std::string> params;
    std::map<std::string, std::string> query;
    std::optional<Session> session;
    std::string sessionToken;

    /// A route parameter as a positive integer id; 404 otherwise.
    std::int64_t id(const std::string& name) const;
    /// A query parameter, or "".
    std::string q(const std::string& name) const;
    /// The request body parsed as a JSON object (400 with a Chinese message otherwise).
    Poco::JSON::Object::Ptr jsonBody(std::size_t limit = 1 << 20);
    /// The client's address (for the audit log and the login limit).
    std::string address() const;

    void sendJson(const Poco::Dynamic::Var& value, int status = 200);
    /// Sends a file from disk. `inlinePdf` lets a PDF show in the page's preview frame.
    void sendFile(const std::string& path, const std::string& contentType, const std::string& downloadName, bool inlineView = false);
};

/// The security headers every response carries: a CSP without inline script, nosniff, no
/// framing by other sites, no referrer.
/// `inlineStyles` is for the disclosure site's preview only (its pages carry their styles).
void securityHeaders(Poco::Net::HTTPServerResponse& response, bool frameableBySelf = false, bool inlineStyles = false);

/// Sends {"error": message} with `status`.
void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& message);

/// A relative path from a URL or a client, checked segment by segment: no empty, "." or ".."
/// segment (after percent-decoding), no absolute path, no backslash, no control character.
/// Returns nothing when the path is unsafe.
std::optional<std::string> safeRelativePath(const std::string& path);

/// `root`/`relative` when the file exists and its real path (symlinks resolved) lies inside
/// the real path of `root`; nothing otherwise.
std::optional<std::string> resolveInside(const std::string& root, const std::string& relative);

/// Percent-decodes a URL component; nothing when malformed.
std::optional<std::string> urlDecode(const std::string& text);

/// Content type by file extension (the few kinds the workspace serves).
std::string contentTypeOf(const std::string& path);

/// Method + path pattern ("/api/datasets/{id}/check") → handler.
class Router {
public:
    using Handler = std::function<void(Exchange&)>;
    void add(const std::string& method, const std::string& pattern, Handler handler);
    /// The handler for the request path and method, filling `params`. `methodMismatch` is set
    /// when the path matches some route but not this method.
    const Handler* find(const std::string& method, const std::string& path, std::map<std::string, std::string>& params,
                        bool& methodMismatch) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace jixiao::web
