#include "pdf/flate.h"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <string>
#include <thread>
#include <vector>

using namespace jixiao;

namespace {

// zlib's own decoder: checks the header, every block and the Adler-32 trailer.
std::string inflated(const std::string& stream, std::size_t size) {
    std::string out(size + 1, '\0');
    uLongf length = out.size();
    const int rc = uncompress(reinterpret_cast<Bytef*>(out.data()), &length, reinterpret_cast<const Bytef*>(stream.data()), stream.size());
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

}  // namespace

TEST_CASE("flate writes a zlib stream of the data", "[pdf]") {
    const std::string data = sample(100000, 1);
    const std::string packed = pdf::flate(data);
    CHECK(packed.size() < data.size() / 2);
    CHECK(inflated(packed, data.size()) == data);
    CHECK(inflated(pdf::flate(""), 0).empty());
}

TEST_CASE("flateFast writes a zlib stream of the data, page contents a little larger than flate's", "[pdf]") {
    const std::string data = sample(100000, 1);
    CHECK(inflated(pdf::flateFast(data), data.size()) == data);
    CHECK(inflated(pdf::flateFast(""), 0).empty());
    // A page's operators as PdfCanvas writes them: the fast level stays within 10 % of flate's size.
    std::string page;
    for (int row = 0; row < 400; ++row) {
        const std::string y = std::to_string(700 - row) + "." + std::to_string(row % 97);
        page += "42.51968 " + y + " 56.69291 19.75394 re\nS\nBT\n/F2 9 Tf\n1 0 0 1 52.86614 " + y + " Tm\n(\x00" +
                std::string(1, static_cast<char>(row % 200 + 1)) + ") Tj\nET\n";
    }
    const std::string fast = pdf::flateFast(page);
    CHECK(inflated(fast, page.size()) == page);
    CHECK(fast.size() < pdf::flate(page).size() * 11 / 10);
}

// zlib's size for `data` at its default level (the prefix, compressed at libdeflate's level 12, is smaller).
std::size_t zlibSize(const std::string& data) {
    uLongf size = compressBound(data.size());
    std::string out(size, '\0');
    REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), data.size(), 6) == Z_OK);
    return size;
}

TEST_CASE("a flate prefix makes streams of head, prefix and tail", "[pdf]") {
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
        // The head is stored (5 bytes per block of up to 65,535), the prefix and the tail
        // cost at most what each costs compressed on its own (give or take the block ends; the
        // tail at flateFast()'s level, as deflateTail makes it).
        const std::size_t storedHead = c.head.size() + 5 * ((c.head.size() + 65534) / 65535);
        CHECK(packed.size() <= storedHead + zlibSize(prefix.bytes()) + pdf::flateFast(c.tail).size() + 16);
    }
}

TEST_CASE("a tail deflated once ends several streams", "[pdf]") {
    // A document's PDF and OFD end their font programs with the same glyph outlines.
    const pdf::FlatePrefix prefix(sample(20000, 21));
    for (const std::string& tailBytes : {std::string(), sample(40000, 22)}) {
        const pdf::DeflatedTail tail = pdf::deflateTail(tailBytes);
        CHECK(tail.size == tailBytes.size());
        // A tail is deflated at flateFast()'s level: its blocks, without the zlib wrapper.
        CHECK(tail.blocks.size() + 6 <= pdf::flateFast(tailBytes).size());
        for (const std::string& head : {std::string(), std::string("OFD subset directory and cmap"), sample(3000, 23)}) {
            INFO("head " << head.size() << " tail " << tailBytes.size());
            CHECK(inflated(pdf::flate(head, tail), head.size() + tailBytes.size()) == head + tailBytes);
            const std::string whole = head + prefix.bytes() + tailBytes;
            CHECK(inflated(prefix.compress(head, tail), whole.size()) == whole);
            CHECK(prefix.compress(head, tail) == prefix.compress(head, tailBytes));
            // Deflating the parts apart costs little: the block ends. (The head, a font's
            // tables before its outlines, is deflated at flateFast()'s level.)
            CHECK(pdf::flate(head, tail).size() <= pdf::flateFast(head).size() + tail.blocks.size() + 8);
        }
    }
}

TEST_CASE("a stream made with a flate prefix is the same on every thread", "[pdf]") {
    const pdf::FlatePrefix prefix(sample(20000, 8));
    const std::string head = sample(100, 9), tail = sample(50000, 10);
    const std::string once = prefix.compress(head, tail);
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (std::string& r : results) {
        threads.emplace_back([&prefix, &head, &tail, &r] {
            for (int i = 0; i < 3; ++i) r = prefix.compress(head, tail);
        });
    }
    for (std::thread& t : threads) t.join();
    for (const std::string& r : results) CHECK(r == once);
    CHECK(inflated(once, head.size() + prefix.bytes().size() + tail.size()) == head + prefix.bytes() + tail);
}

TEST_CASE("a flate prefix's blocks end anywhere a stream may go on from", "[pdf]") {
    // Prefixes of many lengths end their last block at every bit position of a byte; each
    // must be reopened (not final) and taken to a byte boundary, whatever follows.
    for (std::size_t size : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 9u, 16u, 31u, 100u, 257u, 1000u, 4099u, 70001u}) {
        for (unsigned seed : {11u, 12u, 13u}) {
            const pdf::FlatePrefix prefix(sample(size, seed));
            for (const std::string& tail : {std::string(), std::string("x"), sample(3000, seed + 100)}) {
                INFO("prefix " << size << " seed " << seed << " tail " << tail.size());
                const std::string whole = "head" + prefix.bytes() + tail;
                CHECK(inflated(prefix.compress("head", tail), whole.size()) == whole);
            }
        }
    }
}
