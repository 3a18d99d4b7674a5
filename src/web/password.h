#pragma once

#include <string>

namespace jixiao::web {

/// PBKDF2-SHA256 iterations of a new password hash (stored in the hash, so raising it later
/// keeps old hashes valid).
constexpr int kPasswordIterations = 210000;

// SHA-256 itself (sessions are stored by the hash of their token) is publish/sha256.

/// A slow salted hash of `password`: `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`, with a
/// fresh 16-byte random salt (OpenSSL).
std::string hashPassword(const std::string& password);

/// Whether `password` matches a hash made by hashPassword (constant-time comparison). A
/// malformed hash never matches.
bool verifyPassword(const std::string& password, const std::string& hash);

/// `bytes` random bytes from OpenSSL's generator, as lowercase hex.
std::string randomHex(std::size_t bytes);

}  // namespace jixiao::web
