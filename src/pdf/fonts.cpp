#include "pdf/fonts.h"

#include "model/file_read.h"
#include "pdf/pdf_error.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace jixiao::pdf {

namespace {

size_t slot(layout::FontRole role) { return static_cast<size_t>(role); }

// fonts.json's role names, in FontRole order.
const std::array<std::pair<const char*, layout::FontRole>, layout::kFontRoleCount> kRoles{{
    {"xiaobiaosong", layout::FontRole::Title},
    {"hei", layout::FontRole::Heading},
    {"song", layout::FontRole::Body},
    {"kai", layout::FontRole::Kai},
    {"fangsong", layout::FontRole::FangSong},
}};

// A font file (face of a collection) found under a family name.
struct Found {
    std::string path;
    unsigned index = 0;
    bool cff = false;
};

// Looks licensed fonts up by family name with fontconfig: the fonts folder first, then the
// fonts installed on the system. A private configuration, so the folder is never added to
// the process's (or anybody else's) font list.
class Finder {
public:
    explicit Finder(const std::string& dir)
        : dir_(Poco::Path(dir.empty() ? "./" : dir).makeAbsolute().toString()), config_(FcInitLoadConfigAndFonts()) {
        if (config_ != nullptr) {
            FcConfigAppFontAddDir(config_, reinterpret_cast<const FcChar8*>(dir_.c_str()));
        }
    }
    ~Finder() {
        if (config_ != nullptr) FcConfigDestroy(config_);
    }
    Finder(const Finder&) = delete;
    Finder& operator=(const Finder&) = delete;

    // The files whose family list contains `family` (fontconfig compares ignoring case and
    // blanks): one in the fonts folder before an installed one, then by path and index, so
    // the same machine always picks the same file.
    std::optional<Found> find(const std::string& family) const {
        if (config_ == nullptr) return std::nullopt;
        FcPattern* pattern = FcPatternCreate();
        FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
        FcObjectSet* objects = FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FONTFORMAT, nullptr);
        FcFontSet* set = FcFontList(config_, pattern, objects);
        std::vector<std::pair<int, Found>> all;
        for (int i = 0; set != nullptr && i < set->nfont; ++i) {
            FcChar8* file = nullptr;
            int index = 0;
            FcChar8* format = nullptr;
            if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
            FcPatternGetInteger(set->fonts[i], FC_INDEX, 0, &index);
            Found f;
            f.path = reinterpret_cast<const char*>(file);
            f.index = static_cast<unsigned>(std::max(0, index));
            f.cff = FcPatternGetString(set->fonts[i], FC_FONTFORMAT, 0, &format) == FcResultMatch &&
                    std::string(reinterpret_cast<const char*>(format)) == "CFF";
            const bool inFolder = f.path.compare(0, dir_.size(), dir_) == 0;
            all.emplace_back(inFolder ? 0 : 1, std::move(f));
        }
        if (set != nullptr) FcFontSetDestroy(set);
        FcObjectSetDestroy(objects);
        FcPatternDestroy(pattern);
        if (all.empty()) return std::nullopt;
        std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
            return std::tie(a.first, a.second.path, a.second.index) < std::tie(b.first, b.second.path, b.second.index);
        });
        return all.front().second;
    }

private:
    std::string dir_;
    FcConfig* config_;
};

Poco::JSON::Object::Ptr readConfig(const std::string& path) {
    std::string text;
    if (model::readFile(path, text) != 0) {
        throw PdfError("找不到字体配置文件 " + path + "（字体文件夹中应有 fonts.json，见随程序附带的 fonts/README.md）");
    }
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(text);
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw PdfError("字体配置文件 " + path + " 不是有效的 JSON（" + e.message() + "）。提示：请对照随程序附带的 fonts/fonts.json 修改");
    }
    throw PdfError("字体配置文件 " + path + " 应是一个 { … } 对象。提示：请对照随程序附带的 fonts/fonts.json 修改");
}

Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Object& o, const std::string& key, const std::string& where) {
    Poco::JSON::Object::Ptr p = o.getObject(key);
    if (!p) throw PdfError(where + "缺少“" + key + "”，或它不是 { … } 对象");
    return p;
}

std::vector<std::string> names(const Poco::JSON::Object& o, const std::string& key, const std::string& where) {
    std::vector<std::string> out;
    if (!o.has(key)) return out;
    Poco::JSON::Array::Ptr arr = o.getArray(key);
    if (!arr) throw PdfError(where + "的“" + key + "”应为 [ … ] 列表");
    for (std::size_t i = 0; i < arr->size(); ++i) {
        if (!arr->get(i).isString()) throw PdfError(where + "的“" + key + "”中每一项都应是带引号的文字");
        out.push_back(arr->getElement<std::string>(static_cast<unsigned>(i)));
    }
    return out;
}

}  // namespace

FontSet FontSet::bundled(const std::string& fontsDir) {
    const std::string dir = fontsDir.empty() || fontsDir.back() == '/' ? fontsDir : fontsDir + "/";
    const std::string configPath = dir + "fonts.json";
    const Poco::JSON::Object::Ptr config = readConfig(configPath);
    const std::string where = "字体配置文件 " + configPath + " 中";
    const Poco::JSON::Object::Ptr faces = objectAt(*config, "faces", where);
    const Poco::JSON::Object::Ptr roles = objectAt(*config, "roles", where);

    FontSet set;
    std::map<std::string, int> loaded;  // bundled key or found path#index → face number
    auto bundledFace = [&](const std::string& key, const std::string& role) {
        if (auto it = loaded.find(key); it != loaded.end()) return it->second;
        if (!faces->has(key)) {
            throw PdfError(where + "角色“" + role + "”的 fallback 列出了“" + key + "”，但 faces 中没有它");
        }
        const Poco::JSON::Object::Ptr f = objectAt(*faces, key, where + "faces 的");
        FaceSpec spec;
        spec.name = f->optValue<std::string>("name", key);
        spec.path = dir + f->optValue<std::string>("file", "");
        spec.index = static_cast<unsigned>(f->optValue<int>("index", 0));
        spec.bold = f->optValue<bool>("bold", false);
        const int face = set.addFace(std::move(spec));
        loaded.emplace(key, face);
        return face;
    };

    const Finder finder(dir);
    for (const auto& [roleName, role] : kRoles) {
        const std::string roleWhere = where + "角色“" + roleName + "”";
        const Poco::JSON::Object::Ptr r = objectAt(*roles, roleName, where + "roles 的");
        std::vector<int> chain;
        std::vector<int> emboldened;
        for (const std::string& family : names(*r, "licensed", roleWhere)) {
            const std::optional<Found> found = finder.find(family);
            if (!found) continue;
            if (found->cff) {
                throw PdfError("字体“" + family + "”（" + found->path +
                               "）是 OpenType/CFF 轮廓字体（.otf），"
                               "jixiao 只能嵌入 TrueType 轮廓（.ttf、.ttc）。提示：请换用该字体的 TrueType 版本，"
                               "或把它从字体文件夹中移走（" +
                               configPath + " 的角色“" + roleName + "”会改用随程序附带的字体）");
            }
            const std::string key = found->path + "#" + std::to_string(found->index);
            auto it = loaded.find(key);
            const int face = it != loaded.end() ? it->second : set.addFace(FaceSpec{family, found->path, found->index, false});
            loaded.emplace(key, face);
            chain.push_back(face);
            break;
        }
        const bool embolden = r->optValue<bool>("embolden_fallback", false);
        for (const std::string& key : names(*r, "fallback", roleWhere)) {
            const int face = bundledFace(key, roleName);
            if (std::find(chain.begin(), chain.end(), face) != chain.end()) continue;
            chain.push_back(face);
            if (embolden && !set.spec(face).bold) emboldened.push_back(face);
        }
        if (chain.empty()) throw PdfError(roleWhere + "既没有找到 licensed 字体，也没有列出 fallback 字体");
        set.setChain(role, std::move(chain), std::move(emboldened));
    }
    return set;
}

int FontSet::addFace(FaceSpec spec) {
    faces_.push_back(FontFace::load(spec.path, spec.index));
    specs_.push_back(std::move(spec));
    return static_cast<int>(specs_.size()) - 1;
}

void FontSet::setChain(layout::FontRole role, std::vector<int> faces, std::vector<int> emboldened) {
    for (int f : faces) {
        if (f < 0 || f >= faceCount()) throw PdfError("内部错误：字体角色的字体列表中有不存在的字体编号 " + std::to_string(f));
    }
    chains_.at(slot(role)) = std::move(faces);
    emboldened_.at(slot(role)) = std::move(emboldened);
}

const std::vector<int>& FontSet::chain(layout::FontRole role) const { return chains_.at(slot(role)); }

bool FontSet::emboldens(layout::FontRole role, int face) const {
    const std::vector<int>& e = emboldened_.at(slot(role));
    return std::find(e.begin(), e.end(), face) != e.end();
}

int FontSet::faceFor(layout::FontRole role, char32_t cp) const {
    for (int f : chain(role)) {
        if (faces_[static_cast<size_t>(f)]->covers(cp)) return f;
    }
    return -1;
}

}  // namespace jixiao::pdf
