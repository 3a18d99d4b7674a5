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

/// A renderer's temporary file could not be created, written or read back (a full disk, no
/// permission): the outputs cannot be written either, so callers treat it as an output error
/// (exit 73), not as a document that cannot be made. The message is Chinese and names the file.
class ScratchFileError : public RenderError {
public:
    using RenderError::RenderError;
};

}  // namespace jixiao::render
