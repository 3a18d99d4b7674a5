#include <catch2/catch.hpp>

#include "model/dataset.h"
#include "model/text_store.h"
#include "support.h"

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace jixiao;

TEST_CASE("text store: narratives read back as put, before and after the buffer is written", "[model]") {
    model::TextStore store(4096);  // a few texts in memory, the rest through the file
    CHECK(store.bytes() == 0);
    const model::Text none = store.put("");
    CHECK(none.empty());
    CHECK(none.str().empty());
    CHECK(store.bytes() == 0);  // an empty text costs nothing

    const model::Text goal = store.put("完成农村义务教育营养改善计划，覆盖学生 1.2 万人");
    CHECK(goal.size() == std::string("完成农村义务教育营养改善计划，覆盖学生 1.2 万人").size());
    CHECK(goal.str() == "完成农村义务教育营养改善计划，覆盖学生 1.2 万人");  // in memory

    // Enough texts to pass the buffer several times; each reads back whole and in place.
    std::vector<model::Text> texts;
    std::vector<std::string> expected;
    for (int i = 0; i < 20000; ++i) {
        expected.push_back("偏差原因第" + std::to_string(i) + "条：" + std::string(static_cast<std::size_t>(i % 50), 'x'));
        texts.push_back(store.put(expected.back()));
    }
    CHECK(goal.str() == "完成农村义务教育营养改善计划，覆盖学生 1.2 万人");
    for (std::size_t i = 0; i < texts.size(); i += 997) CHECK(texts[i].str() == expected[i]);
    CHECK(texts.back().str() == expected.back());

    // Workers read in parallel.
    std::vector<int> bad(2, 0);
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w)
        workers.emplace_back([&, w] {
            for (std::size_t i = static_cast<std::size_t>(w); i < texts.size(); i += 2)
                if (texts[i].str() != expected[i]) ++bad[static_cast<std::size_t>(w)];
        });
    for (auto& t : workers) t.join();
    CHECK(bad[0] == 0);
    CHECK(bad[1] == 0);
}

TEST_CASE("text store: a scratch folder that cannot be written is said in Chinese", "[model]") {
    std::string message;
    {
        const testing::ScopedEnv tmpdir("TMPDIR", "/nonexistent-jixiao-tmp");
        model::TextStore store(0);  // nothing held in memory: the first text goes to the file
        try {
            store.put("年度总体目标");
        } catch (const model::TextStoreError& e) {
            message = e.what();
        }
    }
    CHECK(message ==
          "无法在临时文件夹 /nonexistent-jixiao-tmp 中写入临时文件（文件或文件夹不存在）。请确认磁盘有空间、该文件夹可写，"
          "或用环境变量 TMPDIR 指定另一个临时文件夹");
}

TEST_CASE("text store: texts go to the file once one does not fit in memory, and all read back", "[model]") {
    model::TextStore store(100);
    const std::string a(40, 'a'), b(40, 'b'), c(40, 'c'), d(10, 'd');
    const model::Text ta = store.put(a), tb = store.put(b);
    const model::Text tc = store.put(c);  // 120 > 100: to the file
    const model::Text td = store.put(d);  // would fit in memory, but the file has begun: order stays
    CHECK(store.bytes() == 130);
    CHECK(ta.str() == a);
    CHECK(tb.str() == b);
    CHECK(tc.str() == c);
    CHECK(td.str() == d);
    {
        // Texts kept in memory need no scratch folder at all.
        const testing::ScopedEnv tmpdir("TMPDIR", "/nonexistent-jixiao-tmp");
        model::TextStore small;
        const model::Text t = small.put("年度总体目标");
        CHECK(t.str() == "年度总体目标");
    }
}

TEST_CASE("text store: a dataset's copies share its narratives", "[model]") {
    model::Dataset ds;
    model::Project p;
    p.goal = ds.texts->put("年度总体目标");
    ds.projects.push_back(p);
    const model::Dataset copy = ds;
    model::Dataset moved = std::move(ds);
    CHECK(copy.projects[0].goal.str() == "年度总体目标");
    CHECK(moved.projects[0].goal.str() == "年度总体目标");
}
