#include "ingest/dataset_json.h"
#include "ingest/dataset_reader.h"
#include "ingest/encoding.h"
#include "model/validate.h"

#include "ingest/dataset_folder.h"

#include <catch2/catch.hpp>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>

using namespace jixiao;
using jixiao::testing::messages;

namespace {

/// A dataset folder written file by file in the test.
struct Folder : testing::DatasetFolder<Folder> {
    /// The five sections with one department, one project and three indicators.
    Folder& base() {
        file("dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局"})");
        file("单位.csv", "单位编码,单位名称,主管部门编码,联系人,联系电话\n101,测试局,,张三,13800000000\n10101,测试中心,101,,\n");
        file("项目.csv", "项目编码,项目名称,单位编码,是否涉密,实施期\nP001,培训/提升项目,10101,否,2023-2025\n");
        file("预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,43.2,37.24\n");
        file("绩效指标.csv",
             "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
             "P001,产出指标,数量指标,培训人次,≥,735,人次,50,700\n"
             "P001,效益指标,社会效益指标,技能提升,定性,明显提升,,30,达成\n"
             "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,95%\n");
        return *this;
    }
};

}  // namespace

TEST_CASE("a clean dataset reads into the model", "[ingest]") {
    Folder f;
    f.base();
    model::Diagnostics diags;
    auto ds = ingest::readDataset(f.path(), diags);
    model::validate(ds, diags);
    INFO(Catch::Detail::stringify(messages(diags)));
    CHECK(diags.errors() == 0);
    CHECK(ds.config.year == 2024);
    CHECK(ds.config.letterPrefix == "测财绩");
    REQUIRE(ds.units.size() == 2);
    CHECK(ds.departmentOf("10101")->code == "101");
    CHECK(ds.units[0].phone == "13800000000");
    REQUIRE(ds.projects.size() == 1);
    const auto& p = ds.projects[0];
    CHECK(p.name == "培训/提升项目");
    REQUIRE(p.funds.size() == 1);
    CHECK(p.funds[0].kind == model::FundKind::Total);
    CHECK(p.funds[0].executed.toString() == "37.24");
    REQUIRE(p.indicators.size() == 3);
    CHECK(p.indicators[0].op == model::Operator::Ge);
    CHECK(p.indicators[0].target.value->toString() == "735");
    CHECK(p.indicators[1].op == model::Operator::Qualitative);
    CHECK(p.indicators[1].actual.text() == "达成");
    CHECK(p.indicators[2].percentScale());
    CHECK(p.indicators[2].actual.value->toString() == "95");
    CHECK(p.indicators[2].source.row == 4);
}

TEST_CASE("aliases, dataset.json mappings, units in yuan, title rows and GBK", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", R"({"年度": 2024, "发文机关": "测试县财政局", "金额单位": "元",
                              "files": {"预算执行": "执行.csv"}, "columns": {"项目序号": "项目编码"}})");
    f.file("执行.csv", ingest::utf8ToGb18030("2024年项目支出执行情况表\n"
                                             "项目序号,资金类别,年初预算数（元）,调整后预算数,实际支出数,预算调整说明\n"
                                             "P001,财政拨款,\"300,000.00\",\"300,000\",250000,\n"
                                             "P001,上年结转资金,,132000,122400,结转\n"
                                             "合计,,,432000,372400,\n"));
    model::Diagnostics diags;
    auto ds = ingest::readDataset(f.path(), diags);
    INFO(Catch::Detail::stringify(messages(diags)));
    CHECK(diags.errors() == 0);
    CHECK(diags.warnings() == 0);
    const auto& funds = ds.projects[0].funds;
    REQUIRE(funds.size() == 2);
    CHECK(funds[0].kind == model::FundKind::CurrentFiscal);
    CHECK(funds[0].initial->toString() == "30");
    CHECK(funds[0].adjusted.toString() == "30");
    CHECK(funds[1].kind == model::FundKind::CarryOver);
    CHECK_FALSE(funds[1].initial);
    CHECK(funds[1].executed.toString() == "12.24");
    CHECK(funds[1].reason.str() == "结转");
}

TEST_CASE("a wrong 合计 row is reported, not read", "[ingest]") {
    Folder f;
    f.base();
    f.file("预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,43.2,37.24\n合 计,43.2,38\n");
    model::Diagnostics diags;
    auto ds = ingest::readDataset(f.path(), diags);
    CHECK(ds.projects[0].funds.size() == 1);
    CHECK(messages(diags) == std::vector<std::string>{"预算执行.csv[C3] 警告：合计行“全年执行数”为38，与各项目合计37.24不一致。"
                                                      "提示：合计行只用于核对，不参与计算；请检查是否漏行或合计公式有误。"});
}

TEST_CASE("row problems are all reported with their positions", "[ingest]") {
    Folder f;
    f.base();
    f.file("项目.csv",
           "项目编码,项目名称,单位编码,是否涉密,实施期\n"
           "P001,培训项目,10101,不详,2025-2023\n"
           "P001,重复项目,10101,否,2024\n"
           "P002,,999,否,2024\n");
    f.file("预算执行.csv", "项目编码,全年预算数,全年执行额\nP001,43.2,37.24\n");
    f.file("绩效指标.csv",
           "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
           "P001,产出指标,数量指标,培训人次,约等于,735,人次,十分,700\n"
           ",产出指标,数量指标,培训人次,≥,735,人次,50,700\n"
           "P404,产出指标,数量指标,培训人次,≥,735,人次,50,700\n");
    model::Diagnostics diags;
    auto ds = ingest::readDataset(f.path(), diags);
    model::validate(ds, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{
              "项目.csv[D2] "
              "错误：第2行“是否涉密”应为“是/否”或“涉密/非密”，实际为“不详”。提示：涉密项目不会出现在公开材料中，请务必填写明确。",
              "项目.csv[E2] 错误：第2行“实施期”的结束年份早于开始年份：“2025-2023”。提示：例如 2023-2025。",
              "项目.csv[A3] 错误：项目编码“P001”重复：第2行已有同一编码。提示：项目编码必须唯一；同一项目的多笔资金请写在预算执行表中。",
              "项目.csv[B4] 错误：第4行“项目名称”不能为空。",
              "预算执行.csv[C1] 说明：无法识别的列名“全年执行额”，是否指“全年执行数”？提示：可在 dataset.json 的 columns 中写 "
              "{\"预算执行\": {\"全年执行额\": \"全年执行数\"}}。",
              "预算执行.csv[1] 错误：“预算执行”表缺少必需的列“全年执行数”。提示：第C列“全年执行额”是否指“全年执行数”？可在 dataset.json 的 "
              "columns 中写 {\"预算执行\": {\"全年执行额\": \"全年执行数\"}}。",
              "绩效指标.csv[E2] 错误：第2行“指标性质”无法识别：“约等于”。提示：应为 ≥、>、=、<、≤ 或“定性”之一。",
              "绩效指标.csv[H2] 错误：第2行“分值”应为数字，实际为“十分”。提示：请只填写数字，如 1234.50；可以带千分位逗号或百分号。",
              "绩效指标.csv[A3] "
              "错误：绩效指标表第3行应填写“项目编码”或“单位编码”中的一个，两者都为空。提示：项目指标填项目编码；部门整体指标填单位编码。",
              "绩效指标.csv[A4] 错误：绩效指标表第4行的项目编码“P404”在项目表中不存在。提示：请检查编码是否写错，或在项目表中补充该项目。",
              "项目.csv[2] 错误：项目“P001”在绩效指标表中没有指标。提示：每个项目至少需要一条三级绩效指标。",
              "项目.csv[4] 错误：项目“P002”的单位编码“999”在单位表中不存在。提示：请检查编码是否写错，或在单位表中补充该单位。",
              "项目.csv[4] 错误：项目“P002”在绩效指标表中没有指标。提示：每个项目至少需要一条三级绩效指标。",
          });
}

TEST_CASE("dataset.json values are checked", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", R"({"年度": "二〇二四", "公开日期": "2025-13-01", "金额单位": "千元",
                              "files": {"项目": "../项目.csv"}})");
    model::Diagnostics diags;
    ingest::readDataset(f.path(), diags);
    auto all = messages(diags);
    REQUIRE(all.size() >= 5);  // then the rows that refer to the unread 项目 file
    all.resize(5);
    CHECK(all == std::vector<std::string>{
                     "dataset.json[1] 错误：“年度”应为四位年份，实际为“二〇二四”。提示：例如 \"年度\": 2024",
                     "dataset.json 错误：缺少必填项“发文机关”。提示：例如 \"发文机关\": \"某某县财政局\"",
                     "dataset.json[1] 错误：“金额单位”应为“万元”或“元”，实际为“千元”。"
                     "提示：例如 \"金额单位\": \"元\"，或按表写 \"金额单位\": {\"预算执行\": \"元\", \"部门整体\": \"万元\"}。",
                     "dataset.json[1] 错误：“公开日期”不是有效日期：“2025-13-01”。提示：格式应为 YYYY-MM-DD，例如 2025-08-20。",
                     "dataset.json[2] 错误：files "
                     "中“项目”的文件名“../项目.csv”不安全：不能包含路径分隔符或“..”。提示：只写文件名，文件应放在数据集文件夹内。",
                 });
}

// The dataset.json fuzz target's seeds and the inputs it once failed on (scripts/fuzz --long
// dataset_json): each is read, with diagnostics, or refused with a ConfigError.
TEST_CASE("dataset.json fuzz seeds and regressions: only a configuration error or success", "[ingest]") {
    const std::string root = std::string(JIXIAO_SOURCE_DIR) + "/tests/fuzz";
    int replayed = 0;
    for (const char* kind : {"regressions", "corpus"}) {
        std::vector<std::string> names;
        Poco::File(root + "/" + kind + "/dataset_json").list(names);
        for (const auto& name : names) {
            if (name == ".gitkeep") continue;
            INFO(name);
            Poco::TemporaryFile dir;
            dir.createDirectories();
            std::ifstream in(root + "/" + kind + "/dataset_json/" + name, std::ios::binary);
            std::ofstream(dir.path() + "/dataset.json", std::ios::binary) << in.rdbuf();
            model::Diagnostics diags;
            try {
                ingest::readSettings(dir.path(), diags);
            } catch (const ingest::ConfigError&) {
            }
            ++replayed;
        }
    }
    CHECK(replayed >= 3);  // the committed seeds at least
}

// A CSV file is read row by row: the rows past the first few come from the file while records
// are made, yet a character XML forbids in any row is still reported before anything else is
// said about the table, as when the whole table was held.
TEST_CASE("characters XML forbids are reported in row order before the header, in rows read later too", "[ingest]") {
    Folder f;
    f.base();
    std::string units =
        "单位编码,单位名称,主管部门编码,联系人,联系电话,备注X\n101,测试局,,张三,13800000000,\n10101,测试中心,101,李\x02四,,\n";
    for (int i = 2; i < 15; ++i)
        units +=
            "101" + std::string(i < 10 ? "0" : "") + std::to_string(i) + "," + (i == 12 ? "测试\x01分中心" : "测试分中心") + ",101,,,\n";
    f.file("单位.csv", units);
    model::Diagnostics diags;
    auto ds = ingest::readDataset(f.path(), diags);
    CHECK(messages(diags) == std::vector<std::string>{
                                 "单位.csv[D3] 警告：第3行第D列的“李〔U+0002〕四”含有文件中不能保存的字符（U+0002），已删除。"
                                 "提示：这类不可见字符多由复制粘贴带入，请在原表中删除。",
                                 "单位.csv[B14] 警告：第14行第B列的“测试〔U+0001〕分中心”含有文件中不能保存的字符（U+0001），已删除。"
                                 "提示：这类不可见字符多由复制粘贴带入，请在原表中删除。",
                                 "单位.csv[F1] 说明：无法识别的列名“备注X”，该列将被忽略。",
                             });
    REQUIRE(ds.units.size() == 15);
    CHECK(ds.units[1].contact == "李四");
    CHECK(ds.units[12].name == "测试分中心");
    CHECK(ds.units[14].code == "10114");
}
