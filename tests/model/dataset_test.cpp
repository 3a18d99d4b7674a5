#include <catch2/catch.hpp>

#include "model/dataset.h"

#include <string>

using namespace jixiao;

TEST_CASE("dataset rows are compact: an indicator row in 96 bytes", "[model]") {
    // 900,000 indicator rows at 60,000 projects: every byte of a row is ~1 MB of the run.
    CHECK(sizeof(model::Name) == 4);
    CHECK(sizeof(model::Text) == 8);
    CHECK(sizeof(model::SourceRef) == 8);
    CHECK(sizeof(model::OptionalDecimal) == 8);
    CHECK(sizeof(model::Quantity) == 16);
    CHECK(sizeof(model::Indicator) == 96);
}

TEST_CASE("a quantity holds its text only when it is not the number's own rendering", "[model]") {
    model::NamePool pool;
    auto make = [&pool](const std::string& text, const char* value) {
        model::Quantity q;
        if (value) q.value = model::Decimal::parse(value);
        q.setText(pool, text);
        return q;
    };
    const model::Quantity plain = make("90.86", "90.86");
    CHECK(pool.size() == 0);  // the number says it
    CHECK(plain.text() == "90.86");
    CHECK_FALSE(plain.empty());

    const model::Quantity padded = make("100.0", "100");
    const model::Quantity percent = make("95%", "95");
    const model::Quantity words = make("达成", nullptr);
    CHECK(pool.size() == 3);
    CHECK(padded.text() == "100.0");
    CHECK(padded.value->toString() == "100");
    CHECK(percent.text() == "95%");
    CHECK(words.text() == "达成");
    CHECK_FALSE(words.value);

    const model::Quantity none = make("", nullptr);
    CHECK(none.empty());
    CHECK(none.text().empty());
}

TEST_CASE("source refs: a table held once per distinct content, its file, sheet and columns read back", "[model]") {
    const std::uint32_t a = model::SourceTable::hold({"绩效指标.xlsx", "Sheet1", {{"年度指标值", 5}, {"实际完成值", 8}}});
    const std::uint32_t b = model::SourceTable::hold({"绩效指标.xlsx", "Sheet1", {{"年度指标值", 5}, {"实际完成值", 8}}});
    const std::uint32_t c = model::SourceTable::hold({"绩效指标.xlsx", "Sheet2", {{"年度指标值", 5}}});
    CHECK(a == b);
    CHECK(a != c);
    const model::SourceRef ref{a, 34};
    CHECK(ref.file() == "绩效指标.xlsx");
    CHECK(ref.sheet() == "Sheet1");
    CHECK(ref.column("实际完成值") == 8);
    CHECK(ref.column("分值") == -1);
    CHECK(ref.row == 34);

    const model::SourceRef history = model::SourceRef::inFile("历史库", 0);
    CHECK(history.file() == "历史库");
    CHECK(history.sheet().empty());
    CHECK(history.table == model::SourceRef::inFile("历史库", 3).table);

    const model::SourceRef none;
    CHECK(none.file().empty());
    CHECK(none.sheet().empty());
    CHECK(none.column("年度指标值") == -1);
}
