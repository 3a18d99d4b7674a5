#include "model/text.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace jixiao::model {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

bool isContinuation(unsigned char b) { return (b & 0xC0u) == 0x80u; }

}  // namespace

std::u32string decodeUtf8(std::string_view text) {
    std::u32string out;
    decodeUtf8(text, out);
    return out;
}

void decodeUtf8(std::string_view text, std::u32string& out) {
    // Every byte read gives at most one code point: the code points are written in place and
    // the string cut to their count (push_back's capacity check and terminator per code point
    // were most of the work on CJK text).
    out.resize(text.size());
    char32_t* const first = out.data();
    char32_t* to = first;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const size_t size = text.size();
    size_t i = 0;
    while (i < size) {
        const char32_t b0 = p[i];
        if (b0 < 0x80u) {
            *to++ = b0;
            ++i;
            continue;
        }
        if ((b0 & 0xF0u) == 0xE0u && i + 2 < size && isContinuation(p[i + 1]) && isContinuation(p[i + 2])) {
            // A whole three-byte sequence (CJK), the common case, as the general path below takes it.
            const char32_t cp = ((b0 & 0x0Fu) << 12) | (char32_t{p[i + 1] & 0x3Fu} << 6) | char32_t{p[i + 2] & 0x3Fu};
            *to++ = cp < 0x800u || (cp >= 0xD800u && cp <= 0xDFFFu) ? kReplacement : cp;
            i += 3;
            continue;
        }
        int length = 0;
        char32_t cp = 0;
        char32_t minimum = 0;
        if ((b0 & 0xE0u) == 0xC0u) {
            length = 2;
            cp = b0 & 0x1Fu;
            minimum = 0x80;
        } else if ((b0 & 0xF0u) == 0xE0u) {
            length = 3;
            cp = b0 & 0x0Fu;
            minimum = 0x800;
        } else if ((b0 & 0xF8u) == 0xF0u) {
            length = 4;
            cp = b0 & 0x07u;
            minimum = 0x10000;
        } else {
            *to++ = kReplacement;
            ++i;
            continue;
        }
        int taken = 1;
        while (taken < length && i + static_cast<size_t>(taken) < size && isContinuation(p[i + static_cast<size_t>(taken)])) {
            cp = (cp << 6) | (p[i + static_cast<size_t>(taken)] & 0x3Fu);
            ++taken;
        }
        if (taken < length || cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            *to++ = kReplacement;
        } else {
            *to++ = cp;
        }
        i += static_cast<size_t>(taken);
    }
    out.resize(static_cast<size_t>(to - first));
}

std::string systemReason(int err) {
    switch (err) {
    case ENOSPC: return "磁盘空间不足";
    case EDQUOT: return "超出了磁盘配额";
    case EACCES:
    case EPERM: return "没有权限";
    case EROFS: return "所在的磁盘是只读的";
    case ENOENT: return "文件或文件夹不存在";
    case ENOTDIR: return "路径中有一段不是文件夹";
    case EISDIR: return "同名的是一个文件夹";
    case EEXIST: return "已有同名的文件";
    case EIO: return "磁盘读写出错";
    case ENAMETOOLONG: return "名称过长";
    case EMFILE:
    case ENFILE: return "同时打开的文件过多";
    case ELOOP: return "符号链接过多或形成了循环";
    case ENOTEMPTY: return "文件夹不是空的";
    case EBUSY: return "正被其他程序占用";
    case ENOMEM: return "内存不足";
    case EFBIG: return "文件超过了允许的大小";
    default: return "系统错误 " + std::to_string(err) + "：" + std::strerror(err);
    }
}

bool xmlAllows(char32_t cp) {
    return cp == U'\t' || cp == U'\n' || cp == U'\r' || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() * 3);
    for (char32_t cp : text) appendUtf8(out, cp);
    return out;
}

std::string quoted(std::string_view text) { return "“" + std::string(text) + "”"; }

std::size_t editDistance(std::string_view a8, std::string_view b8) {
    const std::u32string a = decodeUtf8(a8), b = decodeUtf8(b8);
    // Three rows: a swap of two neighbours ("nmae" for "name") looks back two rows.
    std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string> closestMatch(std::string_view text, const std::vector<std::string>& candidates) {
    const std::size_t length = decodeUtf8(text).size();
    if (length == 0) return std::nullopt;
    std::optional<std::string> best;
    std::size_t bestDistance = 0;
    for (const auto& c : candidates) {
        std::size_t d = editDistance(text, c);
        std::size_t allowed = std::max<std::size_t>(1, std::max(length, decodeUtf8(c).size()) / 3);
        if (d <= allowed && (!best || d < bestDistance)) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}

namespace {

// The UTF-8 bytes of 。、，：； (each three bytes long).
bool isClauseMark(std::string_view t, std::size_t at) {
    if (at + 3 > t.size()) return false;
    const auto b0 = static_cast<unsigned char>(t[at]);
    const auto b1 = static_cast<unsigned char>(t[at + 1]);
    const auto b2 = static_cast<unsigned char>(t[at + 2]);
    if (b0 == 0xE3 && b1 == 0x80) return b2 == 0x82 || b2 == 0x81;                // 。、
    if (b0 == 0xEF && b1 == 0xBC) return b2 == 0x8C || b2 == 0x9A || b2 == 0x9B;  // ，：；
    return false;
}

}  // namespace

std::size_t displayWidth(std::string_view text) {
    std::size_t width = 0;
    for (char32_t c : decodeUtf8(text)) {
        const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || (c >= 0xAC00 && c <= 0xD7A3) ||
                          (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                          (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

std::string tidyPunctuation(std::string text) {
    // The first mark followed by another; most texts have none and are returned as they are.
    std::size_t at = 0;
    const std::size_t size = text.size();
    for (; at + 6 <= size; ++at) {
        const auto b = static_cast<unsigned char>(text[at]);
        if ((b == 0xE3 || b == 0xEF) && isClauseMark(text, at) && isClauseMark(text, at + 3)) break;
    }
    if (at + 6 > size) return text;
    std::string out;
    out.reserve(text.size());
    out.append(text, 0, at);
    while (at < text.size()) {
        if (isClauseMark(text, at) && isClauseMark(text, at + 3)) {
            at += 3;  // the next mark replaces this one
            continue;
        }
        out.push_back(text[at]);
        ++at;
    }
    return out;
}

}  // namespace jixiao::model
