#include <catch2/catch.hpp>

#include "model/dataset.h"
#include "model/name_pool.h"

#include <string>
#include <thread>
#include <vector>

using namespace jixiao;

TEST_CASE("name pool: one copy per distinct value, read as the string it holds", "[model]") {
    model::NamePool pool;
    const model::Name none = pool.intern("");
    CHECK(none.empty());
    CHECK(none.str().empty());
    CHECK(pool.size() == 0);  // the empty value is never stored

    const model::Name a = pool.intern("产出指标");
    const model::Name b = pool.intern(std::string("产出") + "指标");
    const model::Name c = pool.intern("效益指标");
    CHECK(pool.size() == 2);
    CHECK(&a.str() == &b.str());  // the same copy
    CHECK(a == b);
    CHECK(a != c);
    CHECK(a == "产出指标");
    CHECK("效益指标" == c);
    CHECK(a < c);  // in byte order, as std::string
    const std::string& asString = a;
    CHECK(asString == "产出指标");
    CHECK(a.size() == std::string("产出指标").size());

    // Names stay where they are while the pool grows (and from two threads at once).
    std::vector<std::thread> workers;
    for (int w = 0; w < 2; ++w)
        workers.emplace_back([&pool, w] {
            for (int i = 0; i < 5000; ++i) pool.intern("指标" + std::to_string(i * 2 + w));
        });
    for (auto& t : workers) t.join();
    CHECK(pool.size() == 10002);
    CHECK(a.str() == "产出指标");
    CHECK(pool.intern("指标9999").str() == "指标9999");
    CHECK(pool.size() == 10002);
}

TEST_CASE("name pool: a dataset's copies share its names", "[model]") {
    model::Dataset ds;
    model::Indicator in;
    in.level3 = ds.names->intern("培训人次");
    ds.unitIndicators.push_back(in);
    const model::Dataset copy = ds;
    model::Dataset moved = std::move(ds);
    CHECK(copy.unitIndicators[0].level3 == "培训人次");
    CHECK(moved.unitIndicators[0].level3 == "培训人次");
}

TEST_CASE("name pool: names of two pools compare by their text, and pools come and go", "[model]") {
    model::NamePool first;
    model::NamePool second;
    const model::Name a = first.intern("产出指标");
    const model::Name b = second.intern("产出指标");
    const model::Name c = second.intern("效益指标");
    CHECK(a == b);
    CHECK(&a.str() != &b.str());
    CHECK(a != c);
    CHECK(a != model::Name());
    // More pools over a run than live at once (each dataset has its own).
    for (int i = 0; i < 600; ++i) {
        model::NamePool pool;
        CHECK(pool.intern("指标" + std::to_string(i)).str() == "指标" + std::to_string(i));
    }
    CHECK(a.str() == "产出指标");
}
