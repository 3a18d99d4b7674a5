#include "publish/atomic_file.h"
#include "publish/background_flush.h"
#include "publish/output_tree.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

using namespace jixiao;
using jixiao::testing::slurp;
using jixiao::testing::TempDir;

namespace {

/// Waits up to 20 s for the flush thread to have made `n` flushes.
bool flushedAtLeast(const publish::BackgroundFlush& flush, std::size_t n) {
    for (int i = 0; i < 2000 && flush.flushes() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return flush.flushes() >= n;
}

}  // namespace

TEST_CASE("the background flush writes to disk each time enough bytes were written, and once more at the end", "[publish]") {
    TempDir dir;
    publish::BackgroundFlush flush(dir.path.string());
    flush.written(publish::BackgroundFlush::kEvery - 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(flush.flushes() == 0);  // not enough yet
    flush.written(1);
    CHECK(flushedAtLeast(flush, 1));
    flush.written(2 * publish::BackgroundFlush::kEvery);
    CHECK(flushedAtLeast(flush, 2));
    const std::size_t before = flush.flushes();
    flush.written(100);
    CHECK_NOTHROW(flush.finish());
    CHECK(flush.flushes() == before);  // the last flush is finish's own, on the caller's thread
    CHECK_NOTHROW(flush.finish());     // twice is harmless
}

TEST_CASE("a folder the background flush cannot open is named in the error", "[publish]") {
    TempDir dir;
    const std::string missing = (dir.path / "没有这个文件夹").string();
    CHECK_THROWS_WITH(publish::BackgroundFlush(missing), Catch::Contains("无法将 " + missing + " 中的文件写入磁盘"));
}

TEST_CASE("an output tree flushes in the background from begin on and its manifest still comes last", "[publish]") {
    TempDir dir;
    publish::OutputTree tree(dir.path.string());
    tree.begin("2025-03-05T10:00:00+08:00");
    const std::string big(publish::BackgroundFlush::kEvery / 4 + 1, 'x');
    for (int i = 0; i < 5; ++i) tree.write("新建文件夹", "f" + std::to_string(i), ".bin", big, "测试");
    CHECK((slurp(dir.path / "新建文件夹/f4.bin") == big));  // the folder made on the first file
    tree.writeManifest();
    CHECK(slurp(dir.path / "manifest.json").find("新建文件夹/f4.bin") != std::string::npos);
}
