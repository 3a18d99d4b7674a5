// How tables are cut into pages: checked on the paged layout (paged.h), which records every
// part of every table cell it placed, so the tests ask "which rows are on this page" and
// "is this merged label whole" directly instead of reading the PDF back.

#include "app/batch.h"
#include "app/form_output.h"
#include "layout/context.h"
#include "layout/form.h"
#include "layout/form_set.h"
#include "model/text.h"
#include "pdf/fonts.h"
#include "render/docx_writer.h"
#include "render/paged.h"

#include <catch2/catch.hpp>

#include "support.h"

#include <Poco/TemporaryFile.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace jixiao;
using layout::Cell;

namespace {

const std::string kSource = JIXIAO_SOURCE_DIR;

const pdf::FontSet& fonts() {
    static const pdf::FontSet set = pdf::FontSet::bundled(kSource + "/fonts");
    return set;
}

// The body rows of table `block` that have a cell on `page`.
std::set<int> bodyRows(const render::PagedPage& page, std::size_t block) {
    std::set<int> rows;
    for (const render::PagedCell& c : page.cells) {
        if (c.block != block || c.header) continue;
        for (int r = c.firstRow; r <= c.lastRow; ++r) rows.insert(r);
    }
    return rows;
}

// Problems of a paged document: a page whose only body row of a table (under its repeated
// header) is the table's last row; a merged cell cut so that a page shows part of its text.
std::vector<std::string> problems(const layout::Document& doc, const render::PagedDocument& paged) {
    std::vector<std::string> found;
    for (std::size_t p = 0; p < paged.pages.size(); ++p) {
        const render::PagedPage& page = paged.pages[p];
        std::set<std::size_t> tables;
        for (const render::PagedCell& c : page.cells) tables.insert(c.block);
        for (std::size_t block : tables) {
            const auto& table = std::get<layout::Table>(doc.blocks[block]);
            const int last = static_cast<int>(table.rows.size()) - 1;
            const std::set<int> rows = bodyRows(page, block);
            const bool hasHeader =
                table.headerRows > 0 && p > 0 &&
                std::any_of(page.cells.begin(), page.cells.end(), [&](const render::PagedCell& c) { return c.block == block && c.header; });
            if (hasHeader && rows == std::set<int>{last} && last > table.headerRows) {
                found.push_back(doc.meta.title + " page " + std::to_string(p + 1) + ": only the header and the last row");
            }
        }
        for (const render::PagedCell& c : page.cells) {
            if (c.lastRow > c.firstRow && !c.wholeText) {
                found.push_back(doc.meta.title + " page " + std::to_string(p + 1) + ": merged cell at row " +
                                std::to_string(c.firstRow + 1) + " split");
            }
        }
        if (page.text.find(U"。；") != std::u32string::npos) {
            found.push_back(doc.meta.title + " page " + std::to_string(p + 1) + ": “。；”");
        }
    }
    return found;
}

layout::Table indicatorTable(int rows, const std::string& label, int labelRows) {
    layout::Table t;
    t.columnWidths = {30, 60, 30};
    t.widthUnit = layout::WidthUnit::Mm;
    t.headerRows = 1;
    t.style.sizePt = 10.5;
    t.rows.push_back({{Cell::label("一级指标"), Cell::label("指标"), Cell::label("得分")}, 0.0});
    for (int r = 0; r < rows; ++r) {
        layout::TableRow row;
        if (r == rows - labelRows) row.cells.push_back(Cell::label(label, 1, labelRows));
        else if (r < rows - labelRows) row.cells.push_back(Cell::label("产出指标"));
        row.cells.push_back(Cell::label("指标" + std::to_string(r + 1)));
        row.cells.push_back(Cell::figure("10.00"));
        t.rows.push_back(row);
    }
    t.rows.push_back({{Cell::label("总分", 2), Cell::figure("100")}, 0.0});
    return t;
}

}  // namespace

TEST_CASE("a table's last row never stands alone under the repeated header", "[render]") {
    // Find the spacer height that leaves room for everything but the total row on page 1.
    bool seen = false;
    for (double spacerMm = 150.0; spacerMm < 240.0; spacerMm += 1.0) {
        layout::Document doc;
        doc.blocks.push_back(layout::Paragraph::plain("正文"));  // space is dropped at the top of a page
        doc.blocks.push_back(layout::Spacer{spacerMm});
        doc.blocks.push_back(indicatorTable(4, "效益指标", 1));
        const render::PagedDocument paged = render::paginate(doc, fonts());
        if (paged.pages.size() < 2) continue;
        const std::set<int> lastPage = bodyRows(paged.pages.back(), 2);
        if (lastPage.count(5) == 0) continue;
        INFO("spacer " << spacerMm << " mm");
        CHECK(lastPage.size() >= 2);
        seen = seen || lastPage.size() == 2;
        CHECK(problems(doc, paged).empty());
    }
    CHECK(seen);  // some spacer height did put the total row on the last page with one other
}

TEST_CASE("a merged label cut by a page break shows whole on both pages", "[render]") {
    int cut = 0;
    for (double spacerMm = 150.0; spacerMm < 240.0; spacerMm += 1.0) {
        layout::Document doc;
        doc.blocks.push_back(layout::Paragraph::plain("正文"));  // space is dropped at the top of a page
        doc.blocks.push_back(layout::Spacer{spacerMm});
        // A two-line label over three one-line rows.
        doc.blocks.push_back(indicatorTable(6, "服务对象满意度指标", 3));
        const render::PagedDocument paged = render::paginate(doc, fonts());
        INFO("spacer " << spacerMm << " mm");
        CHECK(problems(doc, paged) == std::vector<std::string>{});
        int pagesWithLabel = 0;
        for (const render::PagedPage& page : paged.pages) {
            pagesWithLabel +=
                std::any_of(page.cells.begin(), page.cells.end(), [](const render::PagedCell& c) { return c.lastRow > c.firstRow; });
        }
        cut += pagesWithLabel > 1 ? 1 : 0;
    }
    CHECK(cut > 0);  // at some height the label's rows were divided, and it showed whole on both pages
}

TEST_CASE("a document asked to fit one page shrinks to fit, never below 9 pt", "[render]") {
    layout::Document doc;
    doc.page.fitOnePage = true;
    doc.blocks.push_back(layout::Paragraph::plain("标题", {layout::FontRole::Title, 18.0, false}));
    doc.blocks.push_back(indicatorTable(30, "效益指标", 2));
    const std::size_t natural = [&] {
        layout::Document plain = doc;
        plain.page.fitOnePage = false;
        return render::paginate(plain, fonts()).pages.size();
    }();
    REQUIRE(natural == 2);
    const render::PagedDocument fitted = render::paginate(doc, fonts());
    CHECK(fitted.pages.size() == 1);
    for (const render::PagedItem& item : fitted.pages[0].items) {
        if (const auto* t = std::get_if<render::PagedText>(&item)) CHECK(t->sizePt >= 9.0 - 1e-9);
    }
    // Far too long for one page: laid out as written.
    layout::Document longer = doc;
    longer.blocks[1] = indicatorTable(90, "效益指标", 2);
    layout::Document plainLonger = longer;
    plainLonger.page.fitOnePage = false;
    const render::PagedDocument a = render::paginate(longer, fonts());
    const render::PagedDocument b = render::paginate(plainLonger, fonts());
    CHECK(a.pages.size() == b.pages.size());
    CHECK(a.pages.back().text == b.pages.back().text);
}

TEST_CASE("clause marks in a row become the second one", "[model]") {
    CHECK(model::tidyPunctuation("实际成本高于预算标准。；加强前期论证。") == "实际成本高于预算标准；加强前期论证。");
    CHECK(model::tidyPunctuation("一，。二、，三：；") == "一。二，三；");
    CHECK(model::tidyPunctuation("好吗？；是的！。") == "好吗？；是的！。");
    CHECK(model::tidyPunctuation("plain text") == "plain text");
    // Marks at either end, a lone mark, runs of three, and text too short to hold two marks.
    CHECK(model::tidyPunctuation("，。开头") == "。开头");
    CHECK(model::tidyPunctuation("结尾、；") == "结尾；");
    CHECK(model::tidyPunctuation("、，。") == "。");
    CHECK(model::tidyPunctuation("。") == "。");
    CHECK(model::tidyPunctuation("a。b，c") == "a。b，c");
    CHECK(model::tidyPunctuation("") == "");
}

TEST_CASE("samples/county: every page of every PDF prints well", "[render]") {
    // Every form a county run renders to PDF, for every record it is made for: the project
    // tables and reports, the department tables and the feedback letters (with their attached
    // tables), laid out exactly as the PDF writer draws them.
    const app::Scored scored = app::scoreDataset(kSource + "/samples/county", "", kSource + "/templates");
    const layout::RunFacts facts = layout::runFacts(scored.evaluation, scored.dataset, "2025-03-05");
    const layout::FixedDate created = layout::fixedDate("2025-03-05");
    const layout::FormSet forms = layout::FormSet::load({"", kSource + "/templates"});
    std::vector<std::string> found;
    std::map<std::string, int> documents;
    int onePage = 0;
    for (const layout::Form& form : forms.forms()) {
        if (!form.produces(layout::FormFormat::Pdf)) continue;
        auto check = [&](const layout::Value& data) {
            const layout::Document doc = app::formDocument(form, data, created);
            const render::PagedDocument paged = render::paginate(doc, fonts());
            for (const std::string& p : problems(doc, paged)) found.push_back(form.name + ": " + p);
            ++documents[form.name];
            return paged.pages.size();
        };
        switch (form.per) {
        case layout::FormPer::Project:
            for (const score::ProjectResult& p : scored.evaluation.projects) {
                const std::size_t pages = check(layout::projectContext(p, scored.dataset, facts));
                if (form.name == "project-table" && pages == 1) ++onePage;
            }
            break;
        case layout::FormPer::Department:
            for (const score::DepartmentResult& d : scored.evaluation.departments)
                check(layout::departmentContext(d, scored.evaluation, scored.dataset, facts, false));
            break;
        case layout::FormPer::Unit: {
            // As `run --issue` makes them: one letter per unit with a project to give feedback on.
            std::map<std::string, std::vector<const score::ProjectResult*>> byUnit;
            for (const score::ProjectResult& p : scored.evaluation.projects)
                if (p.scored() && score::needsFeedback(p, scored.rules)) byUnit[p.unitCode].push_back(&p);
            int number = 0;
            for (const auto& [code, projects] : byUnit) {
                const layout::LetterFacts letter{"云财绩函〔2025〕" + std::to_string(++number) + "号", "2025-03-05", "2025-04-04", false};
                check(layout::letterContext(*scored.dataset.findUnit(code), projects, scored.dataset, facts, letter));
            }
            break;
        }
        case layout::FormPer::Run:
        case layout::FormPer::Check: FAIL("a PDF form made per run or check is not covered: " << form.name);
        }
    }
    CHECK(found == std::vector<std::string>{});
    CHECK(documents ==
          std::map<std::string, int>{{"department-table", 12}, {"feedback-letter", 10}, {"project-report", 66}, {"project-table", 66}});
    INFO(onePage << " of 66 project tables on one page");
    CHECK(onePage > 34);  // 34 were on one page before the tables were fitted
}

// Defect 19: nothing bounded the length of a document; a template whose loop repeats its
// content could fill the disk with one PDF of thousands of pages.
TEST_CASE("paginate stops a document that would pass the page limit", "[render]") {
    layout::Document doc;
    doc.meta.title = "循环失控的报告";
    for (std::size_t i = 0; i < render::kMaxPages; ++i) {
        if (i > 0) doc.blocks.emplace_back(layout::PageBreak{});
        doc.blocks.emplace_back(layout::Paragraph::plain("第" + std::to_string(i + 1) + "页"));
    }
    CHECK(render::paginate(doc, fonts()).pages.size() == render::kMaxPages);
    doc.blocks.emplace_back(layout::PageBreak{});
    doc.blocks.emplace_back(layout::Paragraph::plain("多出的一页"));
    CHECK_THROWS_WITH(render::paginate(doc, fonts()),
                      "文档“循环失控的报告”超过 1000 页，已停止生成。多半是模板中的循环重复了内容，请检查模板");
}

// Issue 11, defect 13: a long 发文机关 ran off both sides of the page (and, long enough, out of
// the range PDF coordinates allow). It is set smaller on the same baseline to fit the type area.
TEST_CASE("a letterhead mark wider than the type area is set smaller to fit", "[render]") {
    auto mark = [](const std::string& name) {
        layout::Document doc;
        doc.letterhead = layout::Letterhead{};
        doc.letterhead->mark = name;
        const render::PagedDocument paged = render::paginate(doc, fonts());
        REQUIRE_FALSE(paged.pages.empty());
        for (const auto& item : paged.pages[0].items)
            if (const auto* t = std::get_if<render::PagedText>(&item)) return *t;
        FAIL("no text on the first page");
        return render::PagedText{};
    };
    const double left = layout::mmToPt(25.0);
    const render::PagedText shortName = mark("某某县财政局");
    CHECK(shortName.sizePt == 36.0);
    std::string longName;
    for (int i = 0; i < 40; ++i) longName += "某";
    const render::PagedText longMark = mark(longName);
    // 40 full-width characters across the 160 mm type area: 11.3 pt instead of 36, centred,
    // so both ends are inside the margins.
    CHECK(longMark.sizePt == Approx(layout::mmToPt(160.0) / 40.0).epsilon(0.01));
    CHECK(longMark.x >= left - 0.01);
    CHECK(longMark.baseline == Approx(shortName.baseline));
}

// A balanced title carries U+200B marks where its lines may break; they are never drawn, and
// the outline entry (PDF and OFD draw the same PagedBookmark) must not carry them either.
TEST_CASE("a balanced title's bookmark is the title's text without its break marks", "[render]") {
    layout::Document doc;
    layout::Heading title;
    title.text = "关于2024年度\u200B项目支出\u200B绩效自评情况的报告";
    title.balanced = true;
    title.bookmark = true;
    doc.blocks.emplace_back(title);
    doc.blocks.emplace_back(layout::Paragraph::plain("正文。"));
    std::vector<std::string> titles;
    for (const render::PagedPage& page : render::paginate(doc, fonts()).pages)
        for (const render::PagedItem& item : page.items)
            if (const auto* b = std::get_if<render::PagedBookmark>(&item)) titles.push_back(b->title);
    CHECK(titles == std::vector<std::string>{"关于2024年度项目支出绩效自评情况的报告"});
}

TEST_CASE("a 版记 with no room left on the last page starts a page — in the PDF and in the DOCX", "[render][docx]") {
    // Paragraphs enough that the last page has no room left for two 版记 lines.
    auto letter = [](int paragraphs) {
        layout::Document doc;
        doc.meta.title = "版记另起一页";
        for (int i = 0; i < paragraphs; ++i) doc.blocks.emplace_back(layout::Paragraph::plain("第" + std::to_string(i + 1) + "段"));
        doc.colophon = layout::Colophon{};
        doc.colophon->lines = {{"抄送：县审计局。", ""}, {"测试县财政局办公室", "2025年3月5日印发"}};
        return doc;
    };
    int n = 1;
    while (n < 200 && !render::paginate(letter(n), fonts()).colophonPage) ++n;
    REQUIRE(n < 200);
    auto documentXml = [](const layout::Document& doc, const render::PagedDocument& paged) {
        Poco::TemporaryFile docx;
        jixiao::testing::write(docx.path(), render::renderDocx(doc, paged));
        return jixiao::testing::capture("unzip -p " + jixiao::testing::shellQuote(docx.path()) + " word/document.xml");
    };
    // One paragraph fewer: the 版记 fits under the text, nothing breaks the page.
    const layout::Document fits = letter(n - 1);
    const render::PagedDocument fitsPaged = render::paginate(fits, fonts());
    CHECK_FALSE(fitsPaged.colophonPage);
    CHECK(documentXml(fits, fitsPaged).find("<w:pageBreakBefore/>") == std::string::npos);
    // The 版记 alone on a new page of the PDF; in the DOCX an empty paragraph takes the page
    // break just before the frame (Word puts the frame on the page it follows, LibreOffice on
    // the page of the paragraph after it).
    const layout::Document full = letter(n);
    const render::PagedDocument paged = render::paginate(full, fonts());
    REQUIRE(paged.pages.size() >= 2);
    const std::u32string colophon = U"抄送：县审计局。测试县财政局办公室2025年3月5日印发";
    CHECK(paged.pages.back().text.compare(0, colophon.size(), colophon) == 0);  // then the page number
    CHECK(paged.pages.back().text.find(U"段") == std::u32string::npos);
    const std::string xml = documentXml(full, paged);
    const std::size_t frame = xml.find("<w:framePr ");
    REQUIRE(frame != std::string::npos);
    const std::size_t framed = xml.rfind("<w:p>", frame);
    const std::size_t before = xml.rfind("<w:p>", framed - 1);
    const std::string breaker = xml.substr(before, framed - before);
    CHECK(breaker.find("<w:pageBreakBefore/>") != std::string::npos);
    CHECK(breaker.find("<w:r>") == std::string::npos);
    CHECK(xml.find("<w:pageBreakBefore/>") == xml.rfind("<w:pageBreakBefore/>"));  // the only one
}
