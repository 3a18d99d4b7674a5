#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace jixiao::model {

// Scratch files: what a run keeps on disk instead of in memory (narratives, large XLSX parts)
// lives in an unlinked file, so that nothing is left behind however the process ends.

/// An unlinked read-write file in `dir`: O_TMPFILE where the file system has it, otherwise a
/// file named `prefix` + six random characters, removed as soon as it is open. -1 with errno set
/// when neither can be made.
int openScratchFile(const std::string& dir, const std::string& prefix);

/// Writes all `size` bytes of `data` at `offset` of `fd`, retrying interrupted and short writes.
/// 0, or the errno of the write that failed (ENOSPC when the file takes no more bytes).
int writeAt(int fd, const char* data, std::size_t size, std::uint64_t offset);

}  // namespace jixiao::model
