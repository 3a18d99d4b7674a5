#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace jixiao::publish {

/// The one SHA-256 of the program (manifests, the site's manifest, rectification report
/// files, the version fingerprint of templates and rules): OpenSSL through Poco::Crypto, about
/// ten times faster than Poco::SHA2Engine. Safe to use on several threads at once (one
/// object per thread).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(std::string_view part);

    /// The digest as lowercase hex; the object is reset afterwards.
    std::string hex();
    /// The digest's 32 bytes; the object is reset afterwards.
    std::array<unsigned char, 32> digest();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// SHA-256 of `bytes` as lowercase hex.
std::string sha256Hex(std::string_view bytes);

/// A digest's 32 bytes as lowercase hex.
std::string digestHex(const std::array<unsigned char, 32>& digest);

}  // namespace jixiao::publish
