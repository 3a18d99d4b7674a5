#include "pdf/flate.h"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <string>

using namespace jixiao;

namespace {

// zlib's own decoder: checks the header, every block and the Adler-32 trailer.
std::string inflated(const std::string& stream, std::size_t size) {
    std::string out(size + 1, '\0');
    uLongf length = out.size();
    const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &length,
                              reinterpret_cast<const Bytef*>(stream.data()), stream.size());
    REQUIRE(rc == Z_OK);
    out.resize(length);
    return out;
}

// Text with the repetitions of real PDF data: compressible, but not trivially.
std::string sample(std::size_t size, unsigned seed) {
    std::string out;
    unsigned x = seed;
    while (out.size() < size) {
        x = x * 1103515245u + 12345u;
        out += "glyph " + std::to_string((x >> 16) % 977) + (x % 3 == 0 ? " moveto\n" : " lineto ");
    }
    out.resize(size);
    return out;
}

} // namespace

TEST_CASE("flate writes a zlib stream of the data", "[pdf]") {
    const std::string data = sample(100000, 1);
    const std::string packed = pdf::flate(data);
    CHECK(packed.size() < data.size() / 2);
    CHECK(inflated(packed, data.size()) == data);
    CHECK(inflated(pdf::flate(""), 0).empty());
}

TEST_CASE("a flate prefix makes streams equal to compressing them in one pass", "[pdf]") {
    const pdf::FlatePrefix prefix(sample(40000, 2));
    struct Case {
        std::string head, tail;
    };
    const Case cases[] = {
        {"", ""},
        {"sfnt table directory", ""},
        {"", sample(30000, 3)},
        {sample(200, 4), sample(60000, 5)},
        {sample(70000, 6), sample(100, 7)},  // a head longer than one stored block (65,535 bytes)
    };
    for (const Case& c : cases) {
        const std::string whole = c.head + prefix.bytes() + c.tail;
        const std::string packed = prefix.compress(c.head, c.tail);
        INFO("head " << c.head.size() << " tail " << c.tail.size());
        CHECK(inflated(packed, whole.size()) == whole);
        // The head is stored, not compressed; the rest costs about what one pass costs.
        CHECK(packed.size() <= c.head.size() + pdf::flate(prefix.bytes() + c.tail).size() + 32);
    }
}

TEST_CASE("the tail may refer back into the prefix", "[pdf]") {
    // A tail that repeats the prefix compresses to almost nothing only if the compressor
    // still sees the prefix.
    const pdf::FlatePrefix prefix(sample(20000, 8));
    const std::string packed = prefix.compress("", prefix.bytes());
    CHECK(inflated(packed, 40000) == prefix.bytes() + prefix.bytes());
    const std::size_t alone = pdf::flate(prefix.bytes()).size();
    CHECK(packed.size() - alone < alone / 5);
}
