#include "web/password.h"

#include <Poco/DigestEngine.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace jixiao::web {

namespace {

bool fromHex(const std::string& hex, std::vector<unsigned char>& out) {
    if (hex.size() % 2 != 0) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    out.clear();
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return true;
}

std::vector<unsigned char> derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations, std::size_t length) {
    std::vector<unsigned char> key(length);
    if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), salt.data(), int(salt.size()), iterations, EVP_sha256(), int(key.size()),
                          key.data()) != 1)
        throw std::runtime_error("内部错误：OpenSSL 未能计算密码散列（PBKDF2）");
    return key;
}

}  // namespace

std::string randomHex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), int(buffer.size())) != 1) throw std::runtime_error("内部错误：OpenSSL 未能生成随机数（RAND_bytes）");
    return Poco::DigestEngine::digestToHex(buffer);
}

std::string hashPassword(const std::string& password) {
    std::vector<unsigned char> salt;
    fromHex(randomHex(16), salt);
    auto key = derive(password, salt, kPasswordIterations, 32);
    return "pbkdf2-sha256$" + std::to_string(kPasswordIterations) + "$" + Poco::DigestEngine::digestToHex(salt) + "$" +
           Poco::DigestEngine::digestToHex(key);
}

bool verifyPassword(const std::string& password, const std::string& hash) {
    const std::string scheme = "pbkdf2-sha256$";
    if (hash.compare(0, scheme.size(), scheme) != 0) return false;
    auto a = hash.find('$', scheme.size());
    auto b = a == std::string::npos ? a : hash.find('$', a + 1);
    if (b == std::string::npos) return false;
    int iterations = 0;
    try {
        iterations = std::stoi(hash.substr(scheme.size(), a - scheme.size()));
    } catch (const std::exception&) {
        return false;
    }
    std::vector<unsigned char> salt, expected;
    if (iterations < 1 || !fromHex(hash.substr(a + 1, b - a - 1), salt) || !fromHex(hash.substr(b + 1), expected) || expected.empty())
        return false;
    auto key = derive(password, salt, iterations, expected.size());
    return CRYPTO_memcmp(key.data(), expected.data(), key.size()) == 0;
}

}  // namespace jixiao::web
