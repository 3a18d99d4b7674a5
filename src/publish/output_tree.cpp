#include "publish/output_tree.h"

#include "publish/atomic_file.h"
#include "publish/json_writer.h"

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

// SHA-256 by OpenSSL through Poco::Crypto: about ten times faster than Poco::SHA2Engine,
// which took a tenth of a whole batch's CPU time in a callgrind profile.
class Sha256 {
public:
    void update(std::string_view part) { engine_.update(part.data(), static_cast<unsigned>(part.size())); }
    std::string hex() { return Poco::DigestEngine::digestToHex(engine_.digest()); }

private:
    OpenSSLKept kept_;  // first: made before the engine
    Poco::Crypto::DigestEngine engine_{"SHA256"};
};

} // namespace

std::string sha256Hex(const std::string& bytes) {
    Sha256 sha;
    sha.update(bytes);
    return sha.hex();
}

OutputTree::OutputTree(std::string root) : root_(std::move(root)) {}

std::string OutputTree::write(const std::string& folder, const std::string& stem, const std::string& ext,
                              const std::string& bytes, const std::string& kind, std::vector<std::string> sources) {
    return writeStreamed(folder, stem, ext, [&bytes](const ByteSink& sink) { sink(bytes); }, kind, std::move(sources));
}

std::string OutputTree::writeStreamed(const std::string& folder, const std::string& stem, const std::string& ext,
                                      const std::function<void(const ByteSink&)>& fill, const std::string& kind,
                                      std::vector<std::string> sources) {
    std::string rel = folder.empty() ? std::string() : safeName(folder) + "/";
    rel += safeName(stem) + ext;
    {
        // Reserved before writing: a second document on the same path is refused, whichever
        // thread comes first, and never replaces the first one's file.
        std::lock_guard<std::mutex> lock(mutex_);
        if (!paths_.insert(rel).second) {
            const bool changed = (folder.empty() ? std::string() : folder + "/") + stem + ext != rel;
            throw OutputError("两个文件要写到同一路径 " + rel + (changed ? "（名称中的特殊字符已替换为“_”）" : "") +
                              "，后一个未写出。请检查项目或单位的编码与名称是否重复。");
        }
    }
    AtomicFile file(root_ + "/" + rel, Durability::Later);
    Sha256 sha;
    std::size_t size = 0;
    fill([&](std::string_view part) {
        file.append(part);
        sha.update(part);
        size += part.size();
    });
    file.commit();
    ManifestEntry e{rel, size, sha.hex(), kind, std::move(sources)};
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(std::move(e));
    return rel;
}

std::vector<ManifestEntry> OutputTree::entries() const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto out = entries_;
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

std::string OutputTree::manifestJson() const {
    JsonNode files = JsonNode::array();
    for (const auto& e : entries()) {
        JsonNode f = JsonNode::object();
        f.set("path", JsonNode::string(e.path));
        f.set("bytes", JsonNode::integer(static_cast<long long>(e.bytes)));
        f.set("sha256", JsonNode::string(e.sha256));
        f.set("kind", JsonNode::string(e.kind));
        JsonNode sources = JsonNode::array();
        for (const auto& s : e.sources) sources.push(JsonNode::string(s));
        f.set("sources", std::move(sources));
        files.push(std::move(f));
    }
    JsonNode root = JsonNode::object();
    root.set("files", std::move(files));
    return toJson(root);
}

void OutputTree::writeManifest() const {
    const std::string manifest = manifestJson();
    syncFileSystem(root_);
    writeFileAtomic(root_ + "/manifest.json", manifest);
}

} // namespace jixiao::publish
