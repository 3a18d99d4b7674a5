#pragma once

#include "web/http.h"
#include "web/store.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace jixiao::web {

/// Name of the session cookie.
constexpr const char* kSessionCookie = "jixiao_session";
/// A session unused this long (seconds) has ended.
constexpr std::int64_t kSessionIdleSeconds = 8 * 3600;

/// Limits password guessing: after kMaxFailures failed logins for one user name, or
/// kMaxAddressFailures from one address (an office behind one NAT shares it), within the window,
/// further attempts are refused until the window has passed.
class LoginLimiter {
public:
    static constexpr int kMaxFailures = 5;
    static constexpr int kMaxAddressFailures = 20;
    static constexpr std::int64_t kWindowSeconds = 15 * 60;

    /// Seconds to wait before the next attempt for this name/address, 0 when allowed.
    std::int64_t waitSeconds(const std::string& user, const std::string& address, std::int64_t now);
    void failed(const std::string& user, const std::string& address, std::int64_t now);
    void succeeded(const std::string& user, const std::string& address);

private:
    struct Count {
        int failures = 0;
        std::int64_t since = 0;
    };
    std::int64_t wait(Count& c, int limit, std::int64_t now) const;
    std::mutex mutex_;
    std::map<std::string, Count> counts_;
};

/// Seconds since the epoch.
std::int64_t nowSeconds();

/// Finds the session of the request's cookie (sets ex.session); 401 when there is none.
/// For a state-changing method (anything but GET/HEAD) the X-CSRF-Token header must equal the
/// session's token: 403 otherwise. Then the role: 403 when the user's role is below `least`.
void authorize(Exchange& ex, WebStore& store, Role least);

/// The Set-Cookie value for a new session (HttpOnly, SameSite=Strict, Secure when asked).
std::string sessionCookie(const std::string& token, bool secure);
/// The Set-Cookie value that ends the session cookie.
std::string clearedCookie(bool secure);

}  // namespace jixiao::web
