#include "web/auth.h"

#include <Poco/Net/NameValueCollection.h>
#include <openssl/crypto.h>

#include <ctime>

namespace jixiao::web {

std::int64_t nowSeconds() { return std::int64_t(std::time(nullptr)); }

std::int64_t LoginLimiter::wait(Count& c, int limit, std::int64_t now) const {
    if (now - c.since >= kWindowSeconds) {
        c = {};
        return 0;
    }
    return c.failures >= limit ? kWindowSeconds - (now - c.since) : 0;
}

std::int64_t LoginLimiter::waitSeconds(const std::string& user, const std::string& address, std::int64_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::max(wait(counts_["u:" + user], kMaxFailures, now), wait(counts_["a:" + address], kMaxAddressFailures, now));
}

void LoginLimiter::failed(const std::string& user, const std::string& address, std::int64_t now) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& key : {"u:" + user, "a:" + address}) {
        Count& c = counts_[key];
        wait(c, kMaxFailures, now);  // restarts a count whose window has passed
        if (c.failures == 0) c.since = now;
        ++c.failures;
    }
}

void LoginLimiter::succeeded(const std::string& user, const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    counts_.erase("u:" + user);
    (void)address;  // other names tried from this address still count
}

void authorize(Exchange& ex, WebStore& store, Role least) {
    Poco::Net::NameValueCollection cookies;
    ex.request.getCookies(cookies);
    std::string token = cookies.get(kSessionCookie, "");
    auto session = token.empty() ? std::nullopt : store.session(token, nowSeconds(), kSessionIdleSeconds);
    if (!session) throw HttpError(401, "请先登录（未登录或登录已过期）。");
    ex.session = session;
    ex.sessionToken = token;
    const std::string& method = ex.request.getMethod();
    if (method != "GET" && method != "HEAD") {
        std::string sent = ex.request.get("X-CSRF-Token", "");
        if (sent.size() != session->csrf.size() || CRYPTO_memcmp(sent.data(), session->csrf.data(), sent.size()) != 0)
            throw HttpError(403, "请求缺少有效的 CSRF 令牌（X-CSRF-Token），已拒绝。请刷新页面后重试。");
    }
    if (int(session->role) < int(least)) {
        static const char* const names[] = {"查看", "经办", "管理员"};
        throw HttpError(403, "权限不足：此操作需要“" + std::string(names[int(least)]) + "”及以上角色，当前用户“" + session->user +
                                 "”的角色是“" + names[int(session->role)] + "”。");
    }
}

std::string sessionCookie(const std::string& token, bool secure) {
    return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string clearedCookie(bool secure) {
    return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

}  // namespace jixiao::web
