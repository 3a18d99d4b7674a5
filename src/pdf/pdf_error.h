#pragma once

#include <stdexcept>

namespace jixiao::pdf {

/// The PDF kit could not do its part: a font file missing, unreadable or not embeddable, a
/// libharu or zlib failure. The message, in Chinese, names the cause and the operation:
/// "无法读取字体文件 fonts/x.ttf（文件不存在或没有读取权限）",
/// "PDF 库（libharu）出错：数值超出范围（错误码 0x1025，步骤 page content）".
/// Callers treat it like render::RenderError (a document that cannot be rendered).
class PdfError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace jixiao::pdf
