#include "web/http.h"

#include <Poco/File.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace jixiao::web {

namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return out;
}

std::string realPath(const std::string& path) {
    char buffer[PATH_MAX];
    return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

}  // namespace

std::int64_t Exchange::id(const std::string& name) const {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty() || it->second.size() > 15 ||
        it->second.find_first_not_of("0123456789") != std::string::npos)
        throw HttpError(404, "找不到所请求的对象（编号“" + (it == params.end() ? std::string() : it->second) + "”无效）。");
    return std::stoll(it->second);
}

std::string Exchange::q(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
}

Poco::JSON::Object::Ptr Exchange::jsonBody(std::size_t limit) {
    if (request.getContentLength64() > std::streamsize(limit)) throw HttpError(413, "请求内容过大。");
    std::string body;
    std::istream& in = request.stream();
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, std::size_t(in.gcount()));
        if (body.size() > limit) throw HttpError(413, "请求内容过大。");
    }
    try {
        Poco::JSON::Parser parser;
        auto value = parser.parse(body);
        auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (object) return object;
    } catch (const Poco::Exception&) {
        throw HttpError(400, "请求内容应为 JSON 对象。");  // not JSON, or JSON but not an object
    }
    throw HttpError(400, "请求内容应为 JSON 对象。");  // null
}

std::string Exchange::address() const { return request.clientAddress().host().toString(); }

void Exchange::sendJson(const Poco::Dynamic::Var& value, int status) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_PRESERVE_KEY_ORDER);
    std::string body = out.str();
    response.setStatus(Poco::Net::HTTPResponse::HTTPStatus(status));
    response.setContentType("application/json; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.setContentLength64(std::streamsize(body.size()));
    response.send() << body;
}

void Exchange::sendFile(const std::string& path, const std::string& contentType, const std::string& downloadName, bool inlineView) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw HttpError(404, "找不到所请求的文件。");
    in.seekg(0, std::ios::end);
    auto size = std::streamsize(in.tellg());
    in.seekg(0);
    if (inlineView) securityHeaders(response, true);
    response.setContentType(contentType);
    response.setContentLength64(size);
    if (!downloadName.empty()) {
        // RFC 6266/5987: the UTF-8 name percent-encoded, an ASCII fallback for old clients.
        std::string encoded;
        static const char hex[] = "0123456789ABCDEF";
        for (unsigned char c : downloadName) {
            if (std::isalnum(c) || c == '.' || c == '-' || c == '_') encoded += char(c);
            else {
                encoded += '%';
                encoded += hex[c >> 4];
                encoded += hex[c & 15];
            }
        }
        std::string ext = Poco::Path(downloadName).getExtension();
        response.set("Content-Disposition", std::string(inlineView ? "inline" : "attachment") + "; filename=\"download" +
                                                (ext.empty() ? "" : "." + ext) + "\"; filename*=UTF-8''" + encoded);
    }
    Poco::StreamCopier::copyStream(in, response.send());
}

void securityHeaders(Poco::Net::HTTPServerResponse& response, bool frameableBySelf, bool inlineStyles) {
    response.set("Content-Security-Policy",
                 std::string("default-src 'self'; script-src 'self'; style-src 'self'") + (inlineStyles ? " 'unsafe-inline'" : "") +
                     "; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self'; "
                     "frame-ancestors " +
                     (frameableBySelf ? "'self'" : "'none'"));
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", frameableBySelf ? "SAMEORIGIN" : "DENY");
    response.set("Referrer-Policy", "no-referrer");
}

void sendError(Poco::Net::HTTPServerResponse& response, int status, const std::string& message) {
    Poco::JSON::Object body;
    body.set("error", message);
    std::ostringstream out;
    body.stringify(out);
    std::string text = out.str();
    response.setStatus(Poco::Net::HTTPResponse::HTTPStatus(status));
    response.setContentType("application/json; charset=utf-8");
    response.set("Cache-Control", "no-store");
    response.setContentLength64(std::streamsize(text.size()));
    response.send() << text;
}

std::optional<std::string> urlDecode(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            auto hexValue = [](char h) -> int {
                if (h >= '0' && h <= '9') return h - '0';
                if (h >= 'a' && h <= 'f') return h - 'a' + 10;
                if (h >= 'A' && h <= 'F') return h - 'A' + 10;
                return -1;
            };
            if (i + 2 >= text.size()) return std::nullopt;
            int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += char(hi * 16 + lo);
            i += 2;
        } else if (c == '+') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> safeRelativePath(const std::string& path) {
    if (path.empty() || path.size() > 1024 || path[0] == '/') return std::nullopt;
    for (unsigned char c : path)
        if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return std::nullopt;
    for (const auto& segment : split(path))
        if (segment.empty() || segment == "." || segment == "..") return std::nullopt;
    return path;
}

std::optional<std::string> resolveInside(const std::string& root, const std::string& relative) {
    auto safe = safeRelativePath(relative);
    if (!safe) return std::nullopt;
    std::string realRoot = realPath(root);
    std::string real = realPath(root + "/" + *safe);
    if (realRoot.empty() || real.empty() || real.compare(0, realRoot.size() + 1, realRoot + "/") != 0) return std::nullopt;
    Poco::File file(real);
    if (!file.isFile()) return std::nullopt;
    return real;
}

std::string contentTypeOf(const std::string& path) {
    std::string ext = Poco::Path(path).getExtension();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "html") return "text/html; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "json") return "application/json; charset=utf-8";
    if (ext == "pdf") return "application/pdf";
    if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ext == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ext == "png") return "image/png";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "csv") return "text/csv; charset=utf-8";
    if (ext == "zip") return "application/zip";
    return "application/octet-stream";
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler) {
    routes_.push_back({method, split(pattern), std::move(handler)});
}

const Router::Handler* Router::find(const std::string& method, const std::string& path, std::map<std::string, std::string>& params,
                                    bool& methodMismatch) const {
    auto segments = split(path);
    methodMismatch = false;
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> found;
        bool match = true;
        for (std::size_t i = 0; i < segments.size() && match; ++i) {
            const auto& p = route.segments[i];
            if (p.size() > 2 && p.front() == '{' && p.back() == '}') found[p.substr(1, p.size() - 2)] = segments[i];
            else match = p == segments[i];
        }
        if (!match) continue;
        if (route.method != method) {
            methodMismatch = true;
            continue;
        }
        params = std::move(found);
        return &route.handler;
    }
    return nullptr;
}

}  // namespace jixiao::web
