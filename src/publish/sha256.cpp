#include "publish/sha256.h"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/Crypto/OpenSSLInitializer.h>

#include <algorithm>

namespace jixiao::publish {

namespace {

// Poco::Crypto counts the objects that use OpenSSL (every DigestEngine is one) and tears
// OpenSSL's locks down whenever the count falls to zero; engines made and dropped on
// several worker threads then race that set-up against the tear-down (a crash in
// OpenSSLInitializer::uninitialize under --jobs 3). One user kept for the whole process,
// made before the first engine, keeps the count above zero.
struct OpenSSLKept {
    OpenSSLKept() { static const Poco::Crypto::OpenSSLInitializer process; }
};

}  // namespace

struct Sha256::Impl {
    OpenSSLKept kept;  // first: made before the engine
    Poco::Crypto::DigestEngine engine{"SHA256"};
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::update(std::string_view part) { impl_->engine.update(part.data(), static_cast<unsigned>(part.size())); }

std::string Sha256::hex() { return Poco::DigestEngine::digestToHex(impl_->engine.digest()); }

std::array<unsigned char, 32> Sha256::digest() {
    const Poco::DigestEngine::Digest& d = impl_->engine.digest();
    std::array<unsigned char, 32> out{};
    std::copy_n(d.begin(), std::min(d.size(), out.size()), out.begin());
    return out;
}

std::string digestHex(const std::array<unsigned char, 32>& digest) {
    return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(digest.begin(), digest.end()));
}

std::string sha256Hex(std::string_view bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex();
}

}  // namespace jixiao::publish
