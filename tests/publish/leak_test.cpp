// The disclosure leak test: random datasets with classified projects and personal data are
// published, then every public byte is searched for what must never appear. PDF text is read
// through poppler's pdftotext and pdfinfo, XLSX parts after unzipping, HTML and the manifest
// as they are. Positive controls (public names that must appear) show that each channel is
// actually read, so an empty haystack cannot pass the test.

#include "app/publish_command.h"
#include "support.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace jixiao;
namespace fs = std::filesystem;

namespace {

using jixiao::testing::shellQuote;
using jixiao::testing::slurp;
using jixiao::testing::write;

const std::string kSource = JIXIAO_SOURCE_DIR;

/// stdout of a command; the test fails when it exits non-zero.
std::string capture(const std::string& command) {
    int status = 0;
    std::string out = jixiao::testing::capture(command, &status);
    INFO(command);
    REQUIRE(status == 0);
    return out;
}

/// Text with every kind of white space removed, so that a name wrapped over two lines in a
/// PDF table cell is still found.
std::string squeeze(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') continue;
        if (text.compare(i, 3, "\xE3\x80\x80") == 0) {  // U+3000 ideographic space
            i += 2;
            continue;
        }
        out += char(c);
    }
    return out;
}

/// A money amount in cents as the documents may print it: "91,234.50", "91234.50" and the
/// shortest form a spreadsheet cell stores ("91234.5").
std::vector<std::string> amountForms(long long cents) {
    std::string whole = std::to_string(cents / 100);
    std::string frac = (cents % 100 < 10 ? "0" : "") + std::to_string(cents % 100);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    std::string shortest = whole;
    if (cents % 100 != 0) shortest += "." + (frac.back() == '0' ? frac.substr(0, 1) : frac);
    return {grouped + "." + frac, whole + "." + frac, shortest};
}

std::string money(long long cents) { return amountForms(cents)[1]; }

/// A random dataset: what is public, and the needles that must never be found.
struct RandomDataset {
    std::vector<std::string> secrets;      ///< classified names, codes, amounts, texts; personal data; withheld totals
    std::vector<std::string> publicNames;  ///< public project names (positive controls)
    int classified = 0;
};

/// Writes a dataset of 2–3 departments, each with 1–2 units and 2–4 projects, about a third
/// of them classified (at least one), into `folder`. Public amounts stay below 5,000 万元
/// (department sums below 60,000), classified amounts are 91,000–98,999 万元 and withheld
/// department totals 61,000–69,999, so that no public figure can contain a needle by chance.
/// Person names use compound surnames that no template or public text contains.
RandomDataset makeDataset(unsigned seed, const std::string& folder) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto pickOf = [&](const std::vector<std::string>& v) { return v[std::size_t(pick(0, int(v.size()) - 1))]; };
    const std::vector<std::string> surnames{"欧阳", "司马", "上官", "诸葛", "东方", "慕容", "皇甫", "令狐"};
    const std::vector<std::string> given{"梓", "萱", "昊", "睿", "瑶", "琪", "铭", "彤", "翊", "骁"};
    const std::vector<std::string> secretChars{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸",
                                               "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉"};
    const std::vector<std::string> departments{"教育局", "卫生健康局", "农业农村局"};
    std::set<std::string> usedPeople, usedCodes;
    auto person = [&] {
        std::string n;
        do n = pickOf(surnames) + pickOf(given) + pickOf(given);
        while (!usedPeople.insert(n).second);
        return n;
    };
    auto digits = [&](int count) {
        std::string s;
        for (int i = 0; i < count; ++i) s += char('0' + pick(0, 9));
        return s;
    };
    auto secretWord = [&](int count) {
        std::string s;
        for (int i = 0; i < count; ++i) s += pickOf(secretChars);
        return s;
    };

    RandomDataset out;
    std::string units = "单位编码,单位名称,主管部门编码,单位类型,联系人,联系电话\n";
    std::string projects =
        "项目编码,项目名称,单位编码,项目类别,功能分类科目,资金来源,是否涉密,实施期,年度总体目标,总体目标完成情况,项目负责人\n";
    std::string funds = "项目编码,资金类别,年初预算数,全年预算数,全年执行数,偏差原因\n";
    std::string indicators =
        "项目编码,单位编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值,偏差原因分析,改进措施\n";
    std::string figures =
        "单位编码,年度,预算数,预算调整数,执行数,结转结余总额,三公经费,在职人员经费,公用经费,在职人数,编制数,政府采购预算,政府采购执行数\n";

    const int departmentCount = pick(2, 3);
    int publicSerial = 0;
    for (int d = 0; d < departmentCount; ++d) {
        const std::string deptCode = std::to_string(301 + d);
        std::vector<std::string> unitCodes{deptCode};
        auto addUnit = [&](const std::string& code, const std::string& name, const std::string& parent, const char* kind) {
            std::string contact = person();
            std::string phone = "139" + digits(8);
            units += code + "," + name + "," + parent + "," + kind + "," + contact + "," + phone + "\n";
            out.secrets.push_back(contact);
            out.secrets.push_back(phone);
        };
        addUnit(deptCode, "随机县" + departments[std::size_t(d)], "", "部门");
        for (int u = 0, n = pick(1, 2); u < n; ++u) {
            std::string code = deptCode + "00" + std::to_string(u + 1);
            addUnit(code, "随机县" + departments[std::size_t(d)] + "下属单位" + std::to_string(u + 1), deptCode, "单位");
            unitCodes.push_back(code);
        }

        const int projectCount = pick(2, 4);
        bool deptHasClassified = false;
        for (int p = 0; p < projectCount; ++p) {
            bool secret = pick(0, 2) == 0 || (d == 0 && p == 0);
            std::string unit = pickOf(unitCodes);
            std::string code, name, goal, achieved;
            long long adjusted = 0;
            if (secret) {
                do code = "SM" + digits(6);
                while (!usedCodes.insert(code).second);
                name = "机要" + secretWord(4) + "工程";
                goal = "保障" + secretWord(5) + "系统全年运行";
                achieved = "完成" + secretWord(5) + "部署";
                adjusted = 9100000 + pick(0, 799999);
                ++out.classified;
                deptHasClassified = true;
                out.secrets.insert(out.secrets.end(), {code, name, goal, achieved});
            } else {
                code = "GK" + std::to_string(100 + ++publicSerial);
                name = "民生服务项目" + std::to_string(publicSerial);
                goal = "完成年度民生服务任务。";
                achieved = "全面完成。";
                adjusted = 1000 + pick(0, 499000);
                out.publicNames.push_back(name);
            }
            long long executed = adjusted - pick(0, int(adjusted / 20));  // ≥ 95%: no execution_low warning
            std::string owner = person();
            out.secrets.push_back(owner);
            projects += code + "," + name + "," + unit + ",部门预算项目,2050101,一般公共预算," + (secret ? "是" : "否") + ",2024," + goal +
                        "," + achieved + "," + owner + "\n";
            funds += code + ",," + money(adjusted) + "," + money(adjusted) + "," + money(executed) + ",\n";
            if (secret)
                for (long long cents : {adjusted, executed})
                    for (const auto& form : amountForms(cents)) out.secrets.push_back(form);

            std::string l3a = secret ? "机要" + secretWord(3) + "次数" : "服务人次";
            std::string l3b = secret ? "机要" + secretWord(3) + "合格率" : "验收合格率";
            std::string l3c = secret ? "机要" + secretWord(3) + "效果" : "群众获得感";
            if (secret) out.secrets.insert(out.secrets.end(), {l3a, l3b, l3c});
            indicators += code + ",,产出指标,数量指标," + l3a + ",≥,100,次,25," + std::to_string(pick(100, 110)) + ",,\n";
            indicators += code + ",,产出指标,质量指标," + l3b + ",≥,95,%,25," + std::to_string(pick(95, 99)) + ",,\n";
            indicators += code + ",,效益指标,社会效益指标," + l3c + ",定性,明显提升,,30,达成,,\n";
            indicators += code + ",,满意度指标,服务对象满意度指标,服务对象满意度,≥,90,%,10," + std::to_string(pick(90, 99)) + ",,\n";
        }

        for (int year : {2023, 2024}) {
            // 预算数, 预算调整数, 执行数, 结转结余总额, 政府采购: department totals, which contain
            // classified spending when the department has any.
            std::vector<long long> totals{6100000 + pick(0, 899999), 6100000 + pick(0, 899999), 6100000 + pick(0, 899999),
                                          6100000 + pick(0, 899999), 6100000 + pick(0, 899999), 6100000 + pick(0, 899999)};
            figures += deptCode + "," + std::to_string(year) + "," + money(totals[0]) + "," + money(totals[1]) + "," + money(totals[2]) +
                       "," + money(totals[3]) + ",12.30," + money(100000 + pick(0, 200000)) + "," + money(10000 + pick(0, 80000)) +
                       ",120,130," + money(totals[4]) + "," + money(totals[5]) + "\n";
            if (deptHasClassified && year == 2024)
                for (long long cents : totals)
                    for (const auto& form : amountForms(cents)) out.secrets.push_back(form);
        }
    }
    write(folder + "/dataset.json",
          "{\"年度\": 2024, \"发文机关\": \"随机县财政局\", \"金额单位\": \"万元\", "
          "\"评分规则\": \"national-2020\", \"公开日期\": \"2025-08-20\"}");
    write(folder + "/单位.csv", units);
    write(folder + "/项目.csv", projects);
    write(folder + "/预算执行.csv", funds);
    write(folder + "/绩效指标.csv", indicators);
    write(folder + "/部门整体.csv", figures);
    return out;
}

/// Everything a reader of the published folder can get at, by channel, white space removed.
struct PublicBytes {
    std::string html, pdf, xlsx, manifest, paths;
};

PublicBytes readPublished(const std::string& dir) {
    PublicBytes all;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const std::string path = e.path().string();
        const std::string ext = e.path().extension().string();
        all.paths += fs::relative(e.path(), dir).generic_string() + "\n";
        if (ext == ".pdf") {
            all.pdf += capture("pdftotext -q -enc UTF-8 " + shellQuote(path) + " -");
            all.pdf += capture("pdfinfo -enc UTF-8 " + shellQuote(path));
        } else if (ext == ".xlsx") {
            std::istringstream in(slurp(path));
            Poco::Zip::ZipArchive archive(in);
            for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
                Poco::Zip::ZipInputStream zin(in, it->second);
                std::string part;
                Poco::StreamCopier::copyToString(zin, part);
                all.xlsx += part;
            }
        } else if (ext == ".html" || ext == ".js") {  // the pages and the all-projects page's filter script
            all.html += slurp(path);
        } else if (e.path().filename() == "manifest.json") {
            all.manifest += slurp(path);
        } else {
            FAIL_CHECK("a file the site does not publish: " << path);
        }
    }
    all.html = squeeze(all.html);
    all.pdf = squeeze(all.pdf);
    all.xlsx = squeeze(all.xlsx);
    all.manifest = squeeze(all.manifest);
    all.paths = squeeze(all.paths);
    return all;
}

}  // namespace

TEST_CASE("no classified project and no personal data reaches any published byte", "[publish]") {
    for (unsigned seed : {20250820u, 7u, 1234567u}) {
        INFO("seed " << seed);
        Poco::TemporaryFile data, site;
        RandomDataset ds = makeDataset(seed, data.path());
        REQUIRE(ds.classified > 0);
        REQUIRE_FALSE(ds.publicNames.empty());

        app::PublishRequest r;
        r.dataset = data.path();
        r.to = site.path();
        r.templatesDir = kSource + "/templates";
        r.fontsDir = kSource + "/fonts";
        r.today = "2025-09-01";
        std::ostringstream out, err;
        int code = app::runPublish(r, out, err);
        INFO(err.str());
        REQUIRE(code == 0);
        CHECK(out.str().find("涉密项目 " + std::to_string(ds.classified) + " 个不予公开") != std::string::npos);

        PublicBytes bytes = readPublished(site.path());
        // Positive controls: every channel was read and carries the public content.
        for (const auto& name : ds.publicNames) {
            INFO(name);
            CHECK(bytes.html.find(name) != std::string::npos);
            CHECK(bytes.pdf.find(name) != std::string::npos);
            CHECK(bytes.xlsx.find(name) != std::string::npos);
            CHECK(bytes.manifest.find(name) != std::string::npos);
        }
        CHECK(bytes.html.find("另有涉密项目") != std::string::npos);
        CHECK(bytes.pdf.find("另有涉密项目") != std::string::npos);

        const std::map<std::string, const std::string*> channels{
            {"HTML", &bytes.html}, {"PDF", &bytes.pdf}, {"XLSX", &bytes.xlsx}, {"manifest", &bytes.manifest}, {"file names", &bytes.paths}};
        REQUIRE(ds.secrets.size() > 20);
        for (const auto& secret : ds.secrets) {
            for (const auto& [channel, text] : channels) {
                INFO(channel << " contains “" << secret << "”");
                CHECK(text->find(squeeze(secret)) == std::string::npos);
            }
        }
    }
}
