// libFuzzer target: any bytes as a dataset folder's dataset.json, through the settings reader
// (encoding check, repairs of hand-written JSON, every setting). ConfigError is a correct
// refusal and problems in values are diagnostics; any other exception escapes and libFuzzer
// reports it as a crash, as it does sanitizer findings.

#include "ingest/dataset_json.h"
#include "ingest/dataset_reader.h"
#include "model/diagnostic.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

/// A private folder for the one file, made once per process.
const std::string& folder() {
    static const std::string dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/jixiao-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        return pattern;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(folder() + "/dataset.json", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    jixiao::model::Diagnostics diags;
    try {
        jixiao::ingest::readSettings(folder(), diags);
    } catch (const jixiao::ingest::ConfigError&) {
    }
    return 0;
}
