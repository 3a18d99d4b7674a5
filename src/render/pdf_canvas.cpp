#include "render/pdf_canvas.h"

#include "render/render_error.h"
#include "render/utf8.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <cstdio>
#include <map>
#include <set>
#include <vector>

namespace jixiao::render {

namespace {

// What libharu reported; the first error wins because later ones are consequences.
struct HpdfError {
    HPDF_STATUS code = HPDF_OK;
    HPDF_STATUS detail = HPDF_OK;
};

extern "C" void recordHpdfError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
    auto* error = static_cast<HpdfError*>(user);
    if (error->code == HPDF_OK) {
        error->code = code;
        error->detail = detail;
    }
}

const char* describe(HPDF_STATUS code) {
    static const std::map<HPDF_STATUS, const char*> names = {
        {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
        {HPDF_FILE_IO_ERROR, "file I/O error"},
        {HPDF_FILE_OPEN_ERROR, "cannot open file"},
        {HPDF_FONT_EXISTS, "font already loaded"},
        {HPDF_INVALID_DATE_TIME, "invalid date"},
        {HPDF_INVALID_DOCUMENT, "invalid document"},
        {HPDF_INVALID_ENCODER, "invalid encoder"},
        {HPDF_INVALID_FONT_NAME, "invalid font name"},
        {HPDF_INVALID_PARAMETER, "invalid parameter"},
        {HPDF_INVALID_TTC_FILE, "invalid TrueType collection"},
        {HPDF_INVALID_TTC_INDEX, "invalid face index in TrueType collection"},
        {HPDF_PAGE_INVALID_FONT_SIZE, "invalid font size"},
        {HPDF_PAGE_INVALID_GMODE, "operator not allowed in this graphics mode"},
        {HPDF_PAGE_OUT_OF_RANGE, "page out of range"},
        {HPDF_REAL_OUT_OF_RANGE, "number out of range"},
        {HPDF_STRING_OUT_OF_RANGE, "string too long"},
        {HPDF_TTF_CANNOT_EMBEDDING_FONT, "the font's licence flags forbid embedding"},
        {HPDF_TTF_INVALID_CMAP, "invalid cmap table"},
        {HPDF_TTF_INVALID_FOMAT, "invalid TrueType format"},
        {HPDF_TTF_MISSING_TABLE, "missing TrueType table"},
        {HPDF_UNSUPPORTED_FONT_TYPE, "unsupported font type"},
        {HPDF_ZLIB_ERROR, "zlib error"},
    };
    auto it = names.find(code);
    return it == names.end() ? "see hpdf_error.h" : it->second;
}

// libharu 2.3.0 writes an invalid ToUnicode CMap for UTF-8 CID fonts ("begincidrange" with
// an integer target, which poppler rejects with "Invalid 'begincidrange' operator"), so text
// extraction depends on reader heuristics. With the UTF-8 encoder the character codes *are*
// the Unicode BMP values, so the correct map is the identity: one bfrange per high byte
// (a bfrange may not cross a last-byte boundary), at most 100 per block (PDF limit).
std::string identityToUnicode() {
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    char line[40];
    for (int high = 0; high < 256; high += 100) {
        const int count = high + 100 <= 256 ? 100 : 256 - high;
        std::snprintf(line, sizeof line, "%d beginbfrange\n", count);
        cmap += line;
        for (int h = high; h < high + count; ++h) {
            std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", h, h, h);
            cmap += line;
        }
        cmap += "endbfrange\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return cmap;
}

} // namespace

struct PdfCanvas::State {
    FontSet fonts;
    bool compress = true;
    HpdfError error;
    HPDF_Doc doc = nullptr;
    HPDF_Encoder utf8 = nullptr;
    std::vector<HPDF_Font> loaded;
    std::vector<std::set<char32_t>> used;  // per face, sorted: the /W array is built from it
    std::vector<HPDF_Page> pages;
    std::vector<std::pair<int, HPDF_Outline>> outlineStack;
    bool hasOutline = false;
    bool saved = false;

    void check(HPDF_STATUS status, const std::string& what) {
        if (status == HPDF_OK && error.code == HPDF_OK) return;
        const HPDF_STATUS code = error.code != HPDF_OK ? error.code : status;
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%04X", static_cast<unsigned>(code));
        std::string message = "libharu error " + std::string(hex) + " (" + describe(code) + ")";
        if (error.detail != HPDF_OK) message += " detail " + std::to_string(error.detail);
        throw RenderError(message + " in " + what);
    }

    template <typename T>
    T checked(T handle, const std::string& what) {
        if (handle == nullptr && error.code == HPDF_OK) error.code = HPDF_INVALID_OBJECT;
        check(HPDF_OK, what);
        return handle;
    }

    HPDF_Page page(int index) {
        if (index < 0 || index >= static_cast<int>(pages.size())) {
            throw RenderError("page " + std::to_string(index) + " does not exist");
        }
        return pages[static_cast<size_t>(index)];
    }

    HPDF_Font font(int face) {
        if (face < 0 || face >= fonts.faceCount()) {
            throw RenderError("font face " + std::to_string(face) + " does not exist");
        }
        HPDF_Font& slot = loaded[static_cast<size_t>(face)];
        if (slot != nullptr) return slot;
        const FaceSpec& spec = fonts.spec(face);
        const std::string what = "loading font " + spec.path;
        // libharu 2.3.0 rejects a plain .ttf in HPDF_LoadTTFontFromFile2 (it expects "ttcf").
        const char* name = checked(
            fonts.face(face).collection()
                ? HPDF_LoadTTFontFromFile2(doc, spec.path.c_str(), spec.index, HPDF_TRUE)
                : HPDF_LoadTTFontFromFile(doc, spec.path.c_str(), HPDF_TRUE),
            what);
        slot = checked(HPDF_GetFont(doc, name, "UTF-8"), "HPDF_GetFont(" + spec.name + ")");
        replaceToUnicode(slot);
        return slot;
    }

    // libharu 2.3.0 writes a width for every character the face maps (about 135 KB of
    // uncompressed /W array for AR PL UMing, a third of a one-page PDF). The viewer only
    // needs the characters drawn; their widths are the ones the layout used.
    void trimWidths(int face) {
        HPDF_Font font = loaded[static_cast<size_t>(face)];
        auto* descendants = static_cast<HPDF_Array>(
            HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY));
        auto* cidFont = descendants == nullptr ? nullptr : static_cast<HPDF_Dict>(
            HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT));
        if (cidFont == nullptr) throw RenderError("libharu font has no descendant CID font");
        HPDF_Array widths = checked(HPDF_Array_New(doc->mmgr), "width array");
        const FontFace& metrics = fonts.face(face);
        const std::set<char32_t>& chars = used[static_cast<size_t>(face)];
        for (auto it = chars.begin(); it != chars.end();) {
            // One "first [w w w]" entry per run of consecutive codes.
            HPDF_Array run = checked(HPDF_Array_New(doc->mmgr), "width array");
            const char32_t first = *it;
            char32_t next = first;
            while (it != chars.end() && *it == next) {
                check(HPDF_Array_AddNumber(run, metrics.advance(*it)), "width array");
                ++it;
                ++next;
            }
            check(HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(first)), "width array");
            check(HPDF_Array_Add(widths, run), "width array");
        }
        check(HPDF_Dict_RemoveElement(cidFont, "W"), "remove /W");
        check(HPDF_Dict_Add(cidFont, "W", widths), "add /W");
    }

    void replaceToUnicode(HPDF_Font font) {
        HPDF_Dict stream = checked(HPDF_DictStream_New(doc->mmgr, doc->xref), "ToUnicode stream");
        stream->filter = compress ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
        check(HPDF_Stream_WriteStr(stream->stream, identityToUnicode().c_str()), "ToUnicode CMap");
        // The original map stays in the file as an unreferenced object (about 300 bytes).
        check(HPDF_Dict_RemoveElement(font, "ToUnicode"), "remove ToUnicode");
        check(HPDF_Dict_Add(font, "ToUnicode", stream), "add ToUnicode");
    }
};

PdfCanvas::PdfCanvas(const FontSet& fonts, bool compress) : s_(std::make_unique<State>()) {
    if (fonts.faceCount() == 0) throw RenderError("no fonts: the font set is empty");
    s_->fonts = fonts;
    s_->compress = compress;
    s_->loaded.assign(static_cast<size_t>(fonts.faceCount()), nullptr);
    s_->used.assign(static_cast<size_t>(fonts.faceCount()), {});
    s_->doc = HPDF_New(recordHpdfError, &s_->error);
    if (s_->doc == nullptr) throw RenderError("libharu could not create a document (out of memory)");
    s_->check(HPDF_SetCompressionMode(s_->doc, compress ? HPDF_COMP_ALL : HPDF_COMP_NONE),
              "HPDF_SetCompressionMode");
    s_->check(HPDF_UseUTFEncodings(s_->doc), "HPDF_UseUTFEncodings");
    s_->check(HPDF_SetCurrentEncoder(s_->doc, "UTF-8"), "HPDF_SetCurrentEncoder");
    s_->utf8 = s_->checked(HPDF_GetEncoder(s_->doc, "UTF-8"), "HPDF_GetEncoder");
}

PdfCanvas::~PdfCanvas() {
    if (s_ && s_->doc != nullptr) HPDF_Free(s_->doc);
}

void PdfCanvas::setMetadata(const layout::Metadata& meta) {
    auto set = [&](HPDF_InfoType type, const std::string& value, const char* what) {
        if (!value.empty()) s_->check(HPDF_SetInfoAttr(s_->doc, type, value.c_str()), what);
    };
    // The current encoder is UTF-8, so libharu writes these as UTF-16BE strings with a BOM.
    set(HPDF_INFO_TITLE, meta.title, "set title");
    set(HPDF_INFO_AUTHOR, meta.author, "set author");
    set(HPDF_INFO_SUBJECT, meta.subject, "set subject");
    set(HPDF_INFO_KEYWORDS, meta.keywords, "set keywords");
    set(HPDF_INFO_CREATOR, "jixiao", "set creator");

    const layout::FixedDate& d = meta.created;
    HPDF_Date date{};
    date.year = d.year;
    date.month = d.month;
    date.day = d.day;
    date.hour = d.hour;
    date.minutes = d.minute;
    date.seconds = d.second;
    const int offset = d.utcOffsetMinutes < 0 ? -d.utcOffsetMinutes : d.utcOffsetMinutes;
    date.ind = d.utcOffsetMinutes == 0 ? 'Z' : (d.utcOffsetMinutes > 0 ? '+' : '-');
    date.off_hour = offset / 60;
    date.off_minutes = offset % 60;
    s_->check(HPDF_SetInfoDateAttr(s_->doc, HPDF_INFO_CREATION_DATE, date), "set creation date");
    s_->check(HPDF_SetInfoDateAttr(s_->doc, HPDF_INFO_MOD_DATE, date), "set modification date");
}

int PdfCanvas::addPage(double widthPt, double heightPt) {
    HPDF_Page page = s_->checked(HPDF_AddPage(s_->doc), "HPDF_AddPage");
    s_->check(HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(widthPt)), "HPDF_Page_SetWidth");
    s_->check(HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(heightPt)), "HPDF_Page_SetHeight");
    s_->pages.push_back(page);
    return static_cast<int>(s_->pages.size()) - 1;
}

int PdfCanvas::pageCount() const { return static_cast<int>(s_->pages.size()); }

void PdfCanvas::drawText(int pageIndex, int face, double sizePt, double x, double baseline,
                         std::u32string_view text, double charSpacing, bool emboldenSynthetic) {
    if (text.empty()) return;
    HPDF_Page page = s_->page(pageIndex);
    HPDF_Font font = s_->font(face);
    s_->used[static_cast<size_t>(face)].insert(text.begin(), text.end());
    const std::string utf8 = encodeUtf8(text);
    const bool styled = charSpacing != 0.0 || emboldenSynthetic;
    // Character spacing and rendering mode are graphics state that outlives BT/ET; q/Q
    // scopes them (libharu 2.3.0 refuses q inside a text object).
    if (styled) s_->check(HPDF_Page_GSave(page), "HPDF_Page_GSave");
    if (emboldenSynthetic) {
        s_->check(HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(sizePt * 0.035)),
                  "HPDF_Page_SetLineWidth");
    }
    s_->check(HPDF_Page_BeginText(page), "HPDF_Page_BeginText");
    s_->check(HPDF_Page_SetFontAndSize(page, font, static_cast<HPDF_REAL>(sizePt)),
              "HPDF_Page_SetFontAndSize");
    if (charSpacing != 0.0) {
        s_->check(HPDF_Page_SetCharSpace(page, static_cast<HPDF_REAL>(charSpacing)),
                  "HPDF_Page_SetCharSpace");
    }
    if (emboldenSynthetic) {
        s_->check(HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE),
                  "HPDF_Page_SetTextRenderingMode");
    }
    // An absolute text matrix: libharu's relative Td bookkeeping never comes into play.
    s_->check(HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, static_cast<HPDF_REAL>(x),
                                      static_cast<HPDF_REAL>(baseline)),
              "HPDF_Page_SetTextMatrix");
    s_->check(HPDF_Page_ShowText(page, utf8.c_str()), "HPDF_Page_ShowText");
    s_->check(HPDF_Page_EndText(page), "HPDF_Page_EndText");
    if (styled) s_->check(HPDF_Page_GRestore(page), "HPDF_Page_GRestore");
}

void PdfCanvas::strokeRect(int pageIndex, double x, double y, double width, double height,
                           double lineWidth) {
    HPDF_Page page = s_->page(pageIndex);
    s_->check(HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(lineWidth)),
              "HPDF_Page_SetLineWidth");
    s_->check(HPDF_Page_Rectangle(page, static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                                  static_cast<HPDF_REAL>(width), static_cast<HPDF_REAL>(height)),
              "HPDF_Page_Rectangle");
    s_->check(HPDF_Page_Stroke(page), "HPDF_Page_Stroke");
}

void PdfCanvas::addBookmark(int level, const std::string& title, int pageIndex, double top) {
    HPDF_Page page = s_->page(pageIndex);
    auto& stack = s_->outlineStack;
    while (!stack.empty() && stack.back().first >= level) stack.pop_back();
    HPDF_Outline parent = stack.empty() ? nullptr : stack.back().second;
    HPDF_Outline outline = s_->checked(HPDF_CreateOutline(s_->doc, parent, title.c_str(), s_->utf8),
                                       "HPDF_CreateOutline");
    s_->check(HPDF_Outline_SetOpened(outline, HPDF_TRUE), "HPDF_Outline_SetOpened");
    HPDF_Destination dest = s_->checked(HPDF_Page_CreateDestination(page),
                                        "HPDF_Page_CreateDestination");
    // /XYZ with zoom 0 ("keep the zoom") is what we would want, but libharu 2.3.0 rejects
    // zoom values outside 0.08..32; /FitH scrolls to the heading at page width.
    s_->check(HPDF_Destination_SetFitH(dest, static_cast<HPDF_REAL>(top)),
              "HPDF_Destination_SetFitH");
    s_->check(HPDF_Outline_SetDestination(outline, dest), "HPDF_Outline_SetDestination");
    if (!s_->hasOutline) {
        s_->check(HPDF_SetPageMode(s_->doc, HPDF_PAGE_MODE_USE_OUTLINE), "HPDF_SetPageMode");
        s_->hasOutline = true;
    }
    stack.emplace_back(level, outline);
}

int PdfCanvas::embeddedFaces() const {
    int n = 0;
    for (HPDF_Font f : s_->loaded) n += f != nullptr ? 1 : 0;
    return n;
}

std::string PdfCanvas::save() {
    if (s_->saved) throw RenderError("PDF already saved");
    s_->saved = true;
    for (int face = 0; face < s_->fonts.faceCount(); ++face) {
        if (s_->loaded[static_cast<size_t>(face)] != nullptr) s_->trimWidths(face);
    }
    s_->check(HPDF_SaveToStream(s_->doc), "HPDF_SaveToStream");
    std::string bytes;
    bytes.reserve(HPDF_GetStreamSize(s_->doc));
    HPDF_BYTE buffer[65536];
    for (;;) {
        HPDF_UINT32 size = sizeof buffer;
        const HPDF_STATUS status = HPDF_ReadFromStream(s_->doc, buffer, &size);
        bytes.append(reinterpret_cast<const char*>(buffer), size);
        if (status == HPDF_STREAM_EOF) {
            // The end of the stream is reported through the error handler too.
            if (s_->error.code == HPDF_STREAM_EOF) s_->error = HpdfError{};
            HPDF_ResetError(s_->doc);
            break;
        }
        s_->check(status, "HPDF_ReadFromStream");
    }
    return bytes;
}

} // namespace jixiao::render
