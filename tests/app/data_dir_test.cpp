#include "app/data_dir.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <string>

namespace {

/// A temporary folder tree in which `dirs` exist.
struct Tree {
    Poco::TemporaryFile root;
    explicit Tree(std::initializer_list<std::string> dirs) {
        root.createDirectories();
        for (const auto& d : dirs) Poco::File(root.path() + "/" + d).createDirectories();
    }
    std::string operator/(const std::string& sub) const { return root.path() + "/" + sub; }
};

}  // namespace

using jixiao::app::DataDirError;
using jixiao::app::findDataDir;

TEST_CASE("the data folder of an installed program is ../share/jixiao beside it", "[app]") {
    Tree t{"usr/bin", "usr/share/jixiao/templates", "usr/share/jixiao/fonts"};
    CHECK(findDataDir(t / "usr/bin", "") == t / "usr/share/jixiao");
}

TEST_CASE("a program run from build/src finds the source tree's data", "[app]") {
    Tree t{"build/src", "templates", "fonts"};
    CHECK(findDataDir(t / "build/src", "") == t.root.path());
}

TEST_CASE("JIXIAO_DATA overrides the data folder", "[app]") {
    Tree t{"usr/bin", "usr/share/jixiao/templates", "usr/share/jixiao/fonts", "mine/templates", "mine/fonts"};
    CHECK(findDataDir(t / "usr/bin", t / "mine/") == t / "mine");
}

TEST_CASE("a JIXIAO_DATA without templates and fonts is refused in Chinese", "[app]") {
    Tree t{"usr/bin", "usr/share/jixiao/templates", "usr/share/jixiao/fonts", "mine/templates"};
    CHECK_THROWS_MATCHES(findDataDir(t / "usr/bin", t / "mine"), DataDirError,
                         Catch::Message("环境变量 JIXIAO_DATA 指向的“" + (t / "mine") +
                                        "”不是 jixiao 的数据文件夹（其中应有 templates 和 fonts 两个文件夹）。"
                                        "请改正 JIXIAO_DATA，或删除它（unset JIXIAO_DATA）以使用安装时自带的数据。"));
}

TEST_CASE("a missing data folder is a Chinese error naming where it was looked for", "[app]") {
    Tree t{"opt/bin", "opt/share/jixiao/templates"};
    CHECK_THROWS_MATCHES(
        findDataDir(t / "opt/bin", ""), DataDirError,
        Catch::Message("找不到 jixiao 的数据文件夹（模板、字体和评分规则，其中应有 templates 和 fonts 两个文件夹），已查找：“" +
                       (t / "opt/share/jixiao") + "”、“" + t.root.path() +
                       "”。请重新安装 jixiao 软件包，或用环境变量 JIXIAO_DATA 指定数据文件夹，"
                       "例如：JIXIAO_DATA=/usr/share/jixiao jixiao check 数据集文件夹"));
}
