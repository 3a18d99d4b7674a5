#pragma once

#include <stdexcept>

namespace jixiao::render {

/// A renderer could not produce its output (missing or unusable font, libharu failure).
/// The message names the operation and the cause: "cannot load font fonts/x.ttf (file not
/// found)", "libharu error 0x1017 (cannot open file) in loading font fonts/x.ttf".
class RenderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace jixiao::render
