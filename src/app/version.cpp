#include "app/version.h"

#include "publish/sha256.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <vector>

namespace jixiao::app {

namespace {

/// Names of the entries of `dir` for which `keep` holds, sorted.
template <typename Keep>
std::vector<std::string> entries(const std::string& dir, Keep keep) {
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        if (keep(*it)) names.push_back(it.name());
    std::sort(names.begin(), names.end());
    return names;
}

/// Fingerprint of `files` under `dir`: each name and its bytes, in the order given.
std::string fingerprint(const std::string& dir, const std::vector<std::string>& files) {
    publish::Sha256 sha;
    for (const auto& name : files) {
        sha.update(name + '\0');
        Poco::FileInputStream in(dir + "/" + name);
        std::string bytes;
        Poco::StreamCopier::copyToString(in, bytes);
        sha.update(bytes);
    }
    return sha.hex().substr(0, 12);
}

bool hasExtension(const std::string& name, const std::string& extension) {
    return name.size() > extension.size() && name.compare(name.size() - extension.size(), extension.size(), extension) == 0;
}

}  // namespace

std::string versionText(const std::string& dataDir, const std::string& dataProblem) {
    std::string text = std::string("jixiao ") + JIXIAO_VERSION + "\n";
    if (!dataProblem.empty()) return text + dataProblem + "\n";
    text += "数据文件夹：" + dataDir + "\n";
    const std::string templates = dataDir + "/templates";
    const std::string rules = templates + "/rules";
    text += "评分规则：\n";
    if (Poco::File(rules).exists())
        for (const auto& file : entries(rules, [](const Poco::File& f) { return f.isFile() && hasExtension(f.path(), ".json"); }))
            text += "  " + file.substr(0, file.size() - 5) + "  " + fingerprint(rules, {file}) + "\n";
    text += "模板：\n";
    for (const auto& name :
         entries(templates, [](const Poco::File& f) { return f.isDirectory() && Poco::Path(f.path()).getFileName() != "rules"; })) {
        const std::string dir = templates + "/" + name;
        text += "  " + name + "  " + fingerprint(dir, entries(dir, [](const Poco::File& f) { return f.isFile(); })) + "\n";
    }
    return text;
}

}  // namespace jixiao::app
