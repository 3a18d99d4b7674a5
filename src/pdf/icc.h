#pragma once

#include <string>

namespace jixiao::pdf {

/// An ICC profile (version 2.1, display class, RGB to XYZ) of the sRGB colour space
/// (IEC 61966-2.1): the sRGB primaries adapted to D50, and the sRGB tone curve as a
/// 256-entry table. Made by this code rather than read from a file, so every PDF/A carries
/// the same bytes without a data file to install; it is the DestOutputProfile of a PDF/A
/// OutputIntent (ISO 19005-1 6.2.2).
const std::string& srgbIccProfile();

}  // namespace jixiao::pdf
