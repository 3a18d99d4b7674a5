#include <hpdf.h>
#include <hpdf_utils.h>

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <string>

// libharu copies every byte of a PDF through HPDF_MemCpy; the PDF kit's definition replaces
// the library's byte-at-a-time loop.

TEST_CASE("libharu's copies go through the PDF kit's HPDF_MemCpy", "[pdf]") {
    // The library calls HPDF_MemCpy through its symbol table: the program's definition wins.
    CHECK(::dlsym(RTLD_DEFAULT, "HPDF_MemCpy") == reinterpret_cast<void*>(&HPDF_MemCpy));
}

TEST_CASE("HPDF_MemCpy copies n bytes and returns the end of the copy", "[pdf]") {
    const std::string in = "%PDF-1.4 \xE4\xB8\xAD stream";
    std::string out(in.size() + 4, '#');
    auto* to = reinterpret_cast<HPDF_BYTE*>(out.data());
    const auto* from = reinterpret_cast<const HPDF_BYTE*>(in.data());
    CHECK(HPDF_MemCpy(to, from, static_cast<HPDF_UINT>(in.size())) == to + in.size());
    CHECK(out == in + "####");
    CHECK(HPDF_MemCpy(to, from, 0) == to);  // nothing copied, as libharu's own
    CHECK(out == in + "####");
}
