// libFuzzer target: any bytes through the XLSX reader. A ReadError is a correct refusal; any
// other exception escapes and libFuzzer reports it as a crash, as it does sanitizer findings.

#include "ingest/xlsx_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    try {
        jixiao::ingest::readXlsx(bytes, "fuzz.xlsx", "");
    } catch (const jixiao::ingest::ReadError&) {
    }
    return 0;
}
