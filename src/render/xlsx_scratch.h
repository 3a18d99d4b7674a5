#pragma once

#include <string>

namespace jixiao::render::xlsx {

/// libxlsxwriter writes each part of a workbook (sheets, styles, shared strings, ...) to a
/// temporary file, reads it back and deflates it into the zip. This module provides that
/// temporary file (`lxw_tmpfile`, which the library calls through its symbol table): a stream
/// in memory, spilled to an unlinked file in the library's temporary folder once it grows past
/// `kScratchInMemoryLimit` bytes, so a small workbook costs no file system calls and a big one
/// (the summary of a province) no more memory than the limit per open part.
constexpr std::size_t kScratchInMemoryLimit = std::size_t(1) << 20;

/// Why the calling thread's last scratch stream failed to spill to disk (the folder and the
/// system's reason), cleared by the call; empty when none failed. libxlsxwriter does not check
/// every write, so the workbook's owner asks after closing it.
std::string takeScratchFailure();

}  // namespace jixiao::render::xlsx
