#include "layout/document.h"
#include "render/html_writer.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <string>

using namespace jixiao;
using layout::Cell;
using layout::Document;

namespace {

using jixiao::testing::contains;

/// A small form: a title, a paragraph with a bold run and a line break, and a table with one
/// header row, a cell spanning two rows, a cell spanning two columns and number cells.
Document sample() {
    Document doc;
    doc.meta.title = "示例项目支出绩效自评表（2024年度）";
    doc.meta.author = "测试县财政局";
    doc.meta.subject = "项目支出绩效自评表";
    doc.meta.keywords = "绩效自评,P001";
    doc.meta.created = {2025, 8, 20};
    layout::Heading title;
    title.text = "项目支出绩效自评表";
    title.format.align = layout::Align::Center;
    doc.blocks.emplace_back(title);
    layout::Paragraph p = layout::Paragraph::plain("执行率为86.20%，");
    p.runs.push_back({"低于90%\n请说明", std::nullopt, std::nullopt, true});
    p.format.firstLineIndentChars = 2;
    doc.blocks.emplace_back(p);
    layout::Table t;
    t.columnWidths = {20, 40, 20, 20};
    t.headerRows = 1;
    t.rows.push_back({{Cell::label("一级指标"), Cell::label("三级指标"), Cell::label("分值"), Cell::label("得分")}});
    t.rows[0].cells[0].bold = true;
    t.rows.push_back({{Cell::label("产出指标", 1, 2), Cell::label("培训人次"), Cell::figure("1,234.50", model::Decimal::fromInt(1)),
                       Cell::figure("9.50")}});
    t.rows.push_back({{Cell::label("<学员> & \"满意\""), Cell::label("—", 2)}});
    t.rows[2].cells[1].align = layout::Align::Center;
    doc.blocks.emplace_back(t);
    doc.blocks.emplace_back(layout::Spacer{});
    doc.blocks.emplace_back(layout::PageBreak{});
    layout::Signature s;
    s.lines = {"测试县财政局", "2025年8月20日"};
    doc.blocks.emplace_back(s);
    return doc;
}

}  // namespace

TEST_CASE("an HTML page is a self-contained HTML5 document for phones", "[render]") {
    std::string html = render::renderHtml(sample(), {});
    CHECK(html.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n", 0) == 0);
    CHECK(contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(contains(
        html, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"));
    CHECK(contains(html, "<title>示例项目支出绩效自评表（2024年度）</title>"));
    CHECK(contains(html, "<meta name=\"author\" content=\"测试县财政局\">"));
    CHECK(contains(html, "<meta name=\"keywords\" content=\"绩效自评,P001\">"));
    CHECK(contains(html, "<meta name=\"date\" content=\"2025-08-20\">"));
    // Nothing loaded from elsewhere, nothing executed.
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, "src="));
    CHECK_FALSE(contains(html, "http:"));
    CHECK_FALSE(contains(html, "https:"));
    CHECK_FALSE(contains(html, "stylesheet"));
    CHECK(contains(html, "<style>"));
    CHECK(contains(html, ".tw{overflow-x:auto"));
    CHECK(html.size() > 1000);
    CHECK(html.substr(html.size() - 16) == "</body>\n</html>\n");
}

TEST_CASE("HTML blocks: headings, paragraphs, tables with thead, spans and right-aligned figures", "[render]") {
    std::string article = render::renderHtmlArticle(sample());
    CHECK(article ==
          "<article>\n"
          "<h1 class=\"c\">项目支出绩效自评表</h1>\n"
          "<p class=\"l\" style=\"text-indent:2em\">执行率为86.20%，<strong>低于90%<br>请说明</strong></p>\n"
          "<div class=\"tw\"><table class=\"st\" style=\"min-width:24em\">\n"
          "<colgroup><col style=\"width:20%\"><col style=\"width:40%\"><col style=\"width:20%\"><col style=\"width:20%\"></colgroup>\n"
          "<thead>\n"
          "<tr><th scope=\"col\" class=\"c cl\">一级指标</th><th scope=\"col\" class=\"c cl\">三级指标</th>"
          "<th scope=\"col\" class=\"c cl\">分值</th><th scope=\"col\" class=\"c cl\">得分</th></tr>\n"
          "</thead>\n"
          "<tbody>\n"
          // On a phone each value follows the label of its column; the labels' own row is left out.
          "<tr><td rowspan=\"2\" data-label=\"一级指标\" class=\"l\">产出指标</td><td data-label=\"三级指标\" class=\"l\">培训人次</td>"
          "<td data-label=\"分值\" class=\"r num\">1,234.50</td><td data-label=\"得分\" class=\"r num\">9.50</td></tr>\n"
          "<tr><td data-label=\"三级指标\" class=\"l\">&lt;学员&gt; &amp; &quot;满意&quot;</td>"
          "<td colspan=\"2\" data-label=\"分值\" class=\"c\">—</td></tr>\n"
          "</tbody>\n"
          "</table></div>\n"
          "<div class=\"pb\"></div>\n"
          "<p class=\"sig\">测试县财政局<br>2025年8月20日</p>\n"
          "</article>\n");
}

TEST_CASE("HTML heading levels shift for embedding and stay within h1..h6", "[render]") {
    Document doc;
    for (int level : {1, 2, 6}) {
        layout::Heading h;
        h.level = level;
        h.text = "标题" + std::to_string(level);
        doc.blocks.emplace_back(h);
    }
    std::string article = render::renderHtmlArticle(doc, 1);
    CHECK(contains(article, "<h2 class=\"l\">标题1</h2>"));
    CHECK(contains(article, "<h3 class=\"l\">标题2</h3>"));
    CHECK(contains(article, "<h6 class=\"l\">标题6</h6>"));
}

TEST_CASE("HTML body-only tables, bold label cells and header cells spanning columns", "[render]") {
    Document doc;
    layout::Table t;
    t.columnWidths = {1, 1, 1};
    t.headerRows = 1;
    t.rows.push_back({{Cell::label("资金", 2), Cell::label("得分")}});
    Cell bold = Cell::label("项目名称");
    bold.bold = true;
    t.rows.push_back({{bold, Cell::label("x", 2)}});
    doc.blocks.emplace_back(t);
    std::string article = render::renderHtmlArticle(doc);
    CHECK(contains(article, "<th scope=\"colgroup\" colspan=\"2\" class=\"c\">资金</th>"));
    CHECK(contains(article, "<td class=\"l b\">项目名称</td><td colspan=\"2\" class=\"l\">x</td>"));
    CHECK(contains(article, "<col style=\"width:33.33%\">"));

    layout::Table form;  // a form table without header rows has no <thead>
    form.columnWidths = {30, 30};
    form.rows.push_back({{Cell::label("部门名称"), Cell::label("测试局")}});
    Document formDoc;
    formDoc.blocks.emplace_back(form);
    std::string formHtml = render::renderHtmlArticle(formDoc);
    CHECK_FALSE(contains(formHtml, "<thead>"));
    CHECK(contains(formHtml, "<tbody>\n<tr><td class=\"l\">部门名称</td><td class=\"l\">测试局</td></tr>\n</tbody>\n"));
}

TEST_CASE("HTML options: navigation, downloads and footer, escaped", "[render]") {
    render::HtmlOptions options;
    options.nav = {{"公开目录", "../index.html"}, {"部门", "index.html"}};
    options.downloads = {{"PDF", "P001_%E9%A1%B9%E7%9B%AE.pdf"}, {"XLSX", "a\"b.xlsx"}};
    options.footer = "发布机关：测试县财政局\n公开日期：2025年8月20日";
    std::string html = render::renderHtml(sample(), options);
    CHECK(contains(html, "<nav><a href=\"../index.html\">公开目录</a> <a href=\"index.html\">部门</a></nav>\n<main>\n"));
    CHECK(contains(html,
                   "<p class=\"downloads\">下载：<a href=\"P001_%E9%A1%B9%E7%9B%AE.pdf\">PDF</a> "
                   "<a href=\"a&quot;b.xlsx\">XLSX</a></p>\n<article>"));
    CHECK(contains(html, "<footer>发布机关：测试县财政局<br>公开日期：2025年8月20日</footer>\n</body>"));
}

TEST_CASE("HTML output is deterministic", "[render]") {
    render::HtmlOptions options;
    options.footer = "x";
    CHECK(render::renderHtml(sample(), options) == render::renderHtml(sample(), options));
}

TEST_CASE("HTML rejects a malformed table", "[render]") {
    Document doc;
    layout::Table t;
    t.columnWidths = {1, 1};
    t.rows.push_back({{Cell::label("a", 3)}});
    doc.blocks.emplace_back(t);
    CHECK_THROWS_AS(render::renderHtmlArticle(doc), layout::LayoutError);
}

TEST_CASE("escapeHtml", "[render]") {
    struct Case {
        std::string in, out;
    };
    const Case cases[] = {
        {"", ""},
        {"普通文字 plain", "普通文字 plain"},
        {"a<b>c", "a&lt;b&gt;c"},
        {"&amp;", "&amp;amp;"},
        {"\"'", "&quot;&#39;"},
        {"tab\tnew\nline", "tab\tnew\nline"},
        {std::string("nul\0x", 5), "nulx"},
        {"bell\x07\x1b", "bell"},
        {"c1\xc2\x85x", "c1x"},                    // U+0085, a C1 control
        {"bad\xff utf8", "bad\xef\xbf\xbd utf8"},  // malformed → U+FFFD
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        CHECK(render::escapeHtml(c.in) == c.out);
    }
}
