#include "pdf/icc.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jixiao::pdf {

namespace {

void u16(std::string& out, unsigned v) {
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
    out.push_back(static_cast<char>(v & 0xFF));
}

void u32(std::string& out, std::uint32_t v) {
    u16(out, v >> 16);
    u16(out, v & 0xFFFF);
}

// s15Fixed16Number (ICC.1 5.1.3), rounded to nearest.
void s15f16(std::string& out, double v) { u32(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(std::lround(v * 65536.0)))); }

std::string xyzTag(double x, double y, double z) {
    std::string t = "XYZ ";
    u32(t, 0);
    s15f16(t, x);
    s15f16(t, y);
    s15f16(t, z);
    return t;
}

// textDescriptionType (ICC.1:2001 6.5.17): ASCII, no Unicode or ScriptCode description.
std::string descriptionTag(std::string_view text) {
    std::string t = "desc";
    u32(t, 0);
    u32(t, static_cast<std::uint32_t>(text.size() + 1));
    t.append(text);
    t.push_back('\0');
    u32(t, 0);          // Unicode language code
    u32(t, 0);          // Unicode count
    u16(t, 0);          // ScriptCode code
    t.push_back('\0');  // ScriptCode count
    t.append(67, '\0');
    return t;
}

std::string textTag(std::string_view text) {
    std::string t = "text";
    u32(t, 0);
    t.append(text);
    t.push_back('\0');
    return t;
}

// The sRGB decoding curve (IEC 61966-2.1) sampled at 16 points, as 16-bit values. A
// colour management module interpolates linearly between them; the largest difference from
// the exact curve is 0.42 of an 8-bit step (at 256 points it was 0.002), and the profile,
// stored once in every PDF, is 480 bytes shorter.
std::string curveTag() {
    std::string t = "curv";
    u32(t, 0);
    constexpr int kPoints = 16;
    u32(t, kPoints);
    for (int i = 0; i < kPoints; ++i) {
        const double v = i / double(kPoints - 1);
        const double linear = v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        u16(t, static_cast<unsigned>(std::lround(linear * 65535.0)));
    }
    return t;
}

std::string build() {
    struct Tag {
        const char* signature;
        std::string data;
    };
    // The primaries and white point of sRGB, chromatically adapted to the D50 connection
    // space with the Bradford transform (as ICC.1 Annex E asks of display profiles).
    const std::string curve = curveTag();
    const std::vector<Tag> tags = {
        {"desc", descriptionTag("sRGB IEC61966-2.1")},
        {"cprt", textTag("No copyright, use freely")},
        {"wtpt", xyzTag(0.9642, 1.0, 0.8249)},
        {"rXYZ", xyzTag(0.4361, 0.2225, 0.0139)},
        {"gXYZ", xyzTag(0.3851, 0.7169, 0.0971)},
        {"bXYZ", xyzTag(0.1431, 0.0606, 0.7141)},
        {"rTRC", curve},
        {"gTRC", curve},
        {"bTRC", curve},
    };
    std::string table;
    std::string data;
    const std::size_t dataStart = 128 + 4 + 12 * tags.size();
    std::size_t curveAt = 0;
    for (const Tag& tag : tags) {
        std::size_t at = dataStart + data.size();
        if (tag.data == curve && curveAt != 0) {
            at = curveAt;  // the three channels share one curve
        } else {
            if (tag.data == curve) curveAt = at;
            data += tag.data;
            while (data.size() % 4 != 0) data.push_back('\0');
        }
        table.append(tag.signature, 4);
        u32(table, static_cast<std::uint32_t>(at));
        u32(table, static_cast<std::uint32_t>(tag.data.size()));
    }
    std::string header;
    u32(header, static_cast<std::uint32_t>(dataStart + data.size()));
    u32(header, 0);           // preferred CMM
    u32(header, 0x02100000);  // version 2.1
    header += "mntrRGB XYZ ";
    for (unsigned v : {2025u, 1u, 1u, 0u, 0u, 0u}) u16(header, v);  // fixed creation date
    header += "acsp";
    u32(header, 0);  // primary platform
    u32(header, 0);  // flags
    u32(header, 0);  // device manufacturer
    u32(header, 0);  // device model
    u32(header, 0);  // device attributes
    u32(header, 0);
    u32(header, 0);          // rendering intent: perceptual
    s15f16(header, 0.9642);  // PCS illuminant D50
    s15f16(header, 1.0);
    s15f16(header, 0.8249);
    u32(header, 0);  // creator
    header.append(128 - header.size(), '\0');
    std::string count;
    u32(count, static_cast<std::uint32_t>(tags.size()));
    return header + count + table + data;
}

}  // namespace

const std::string& srgbIccProfile() {
    static const std::string profile = build();
    return profile;
}

}  // namespace jixiao::pdf
