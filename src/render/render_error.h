#pragma once

#include <stdexcept>

namespace jixiao::render {

/// A renderer could not produce its output (libxlsxwriter failure, unknown cell id ...); font
/// and libharu failures are pdf::PdfError, which callers treat the same way.
/// The message names the operation and the cause: "sheet \"自评表\": duplicate cell id \"a1\"".
class RenderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace jixiao::render
