#pragma once

#include "layout/document.h"

#include <string>
#include <string_view>
#include <vector>

namespace jixiao::render {

/// A link on an HTML page.
struct HtmlLink {
    std::string text;  ///< what the reader sees, e.g. "PDF"
    std::string href;  ///< a relative URL, already percent-encoded (publish::hrefFor)
};

/// How to render a Document as a web page.
struct HtmlOptions {
    std::vector<HtmlLink> nav;        ///< links above the document, e.g. back to the index
    std::vector<HtmlLink> downloads;  ///< the same document in other formats (PDF, XLSX)
    /// Plain text above the document ("\n" breaks lines), e.g. 索引号, 发布日期, 总分 and 等级.
    std::string lead;
    std::string footer;  ///< plain text under the document, e.g. publisher and date
};

/// A page shell around HTML that is already safe (escaped): the site's index and department
/// pages are written through this too, so every page shares one head, style and layout.
struct HtmlPage {
    std::string title;          ///< <title>, plain text
    std::string author;         ///< <meta name="author">, plain text
    std::string description;    ///< <meta name="description">, plain text
    std::string keywords;       ///< <meta name="keywords">, plain text
    std::string date;           ///< <meta name="date">, ISO; pinned, never the clock
    std::vector<HtmlLink> nav;  ///< links above the content
    std::string bodyHtml;       ///< the content, trusted HTML
    std::string footer;         ///< plain text
    /// Scripts of the site itself (relative URLs), loaded deferred; the CSP then allows
    /// scripts from the page's own origin and nothing else (still no inline script). The page
    /// must work without them.
    std::vector<std::string> scripts;
};

/// Renders a Document as one self-contained HTML5 page: `lang="zh-CN"`, a viewport for phones,
/// one inline <style> and a Content-Security-Policy that allows nothing else (no scripts, no
/// external fonts, styles or images). Headings become <h1>–<h6>, paragraphs <p>, tables a
/// horizontally scrolling wrapper around a <table> whose header rows are a <thead> of <th>,
/// with colspan/rowspan as in the Document and figures right-aligned. Page size, margins,
/// page numbers and type sizes are print matters and are left out. The same Document and
/// options always give the same bytes. Throws layout::LayoutError on malformed tables.
std::string renderHtml(const layout::Document& doc, const HtmlOptions& options);

/// The document's blocks only (an <article>), with heading levels moved down by
/// `headingShift`, for embedding in a page that has its own <h1>.
std::string renderHtmlArticle(const layout::Document& doc, int headingShift = 0);

/// A whole page around `page.bodyHtml`.
std::string renderHtmlPage(const HtmlPage& page);

/// Text for HTML content or a quoted attribute: & < > " ' escaped, malformed UTF-8 replaced
/// by U+FFFD, control characters other than tab and newline dropped.
std::string escapeHtml(std::string_view text);

}  // namespace jixiao::render
