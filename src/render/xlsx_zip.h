#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace jixiao::render::xlsx {

/// libxlsxwriter 1.1.4 (Debian 12's) packs a workbook's parts into the XLSX with the system
/// minizip, calling exactly zipOpen, zipOpenNewFileInZip4_64, zipWriteInFileInZip,
/// zipCloseFileInZip and zipClose through its symbol table. This module defines those five, so
/// the program's definitions win: the archive is built in memory and written to the library's
/// file with one write at zipClose; each part is deflated whole by libdeflate (level
/// `kPartLevel`; sheets and shared strings, the parts every workbook writes anew, at
/// `kSheetPartLevel`) and its CRC-32 taken by libdeflate; a part that is byte for byte one the
/// process has already deflated twice (theme, styles, content types, relationships, ...) reuses
/// those bytes. A part bigger than `kWholePartLimit` (a sheet of a province's summary) is deflated as it
/// arrives (zlib, level 6) and written on, so memory stays bounded. No ZIP64: an archive, a part
/// or an entry count beyond the 32/16-bit fields is refused with a reason (`takeZipFailure`).
/// Nothing else in the program calls minizip (Poco::Zip has its own zip code).
constexpr int kPartLevel = 6;
/// libdeflate's quickest level for sheets and shared strings: ~45 % less deflate work per
/// table workbook (callgrind, 40 workbooks: closePart 52.8 -> 29.2 M instructions) for ~4 %
/// more bytes (median table XLSX 8,804 -> 9,071 B).
constexpr int kSheetPartLevel = 1;
constexpr std::size_t kWholePartLimit = std::size_t(1) << 20;

/// Has the next archive this thread opens (libxlsxwriter's workbook_close) built in memory:
/// zipOpen then leaves the library's file alone and zipClose puts the whole archive here, for
/// take(). For a workbook made whole at once (a project's table), which would otherwise be
/// written to a temporary file and read back; a request the thread does not use is withdrawn
/// with the object.
class MemoryArchive {
public:
    MemoryArchive();
    ~MemoryArchive();
    MemoryArchive(const MemoryArchive&) = delete;
    MemoryArchive& operator=(const MemoryArchive&) = delete;

    /// The archive's bytes once zipClose has run (empty when it has not).
    std::string take();

private:
    std::string bytes_;
};

/// How many archives this module has opened in the process: the evidence (for the guard test)
/// that libxlsxwriter's calls reach it, not a minizip the library was built with.
std::uint64_t archivesOpened();

/// Why the calling thread's last archive failed (cleared by the call); empty when none did.
/// libxlsxwriter only reports a zip error code, so the workbook's owner asks after closing it.
std::string takeZipFailure();

}  // namespace jixiao::render::xlsx
