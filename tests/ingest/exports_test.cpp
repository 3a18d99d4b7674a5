// Real exports: units in headers, per-table mappings, discovery, aliases, form variants.
#include "ingest/dataset_reader.h"
#include "ingest/encoding.h"
#include "model/validate.h"

#include "ingest/dataset_folder.h"

#include <catch2/catch.hpp>
#include <xlsxwriter.h>

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <fstream>
#include <functional>

using namespace jixiao;
using jixiao::testing::messages;

namespace {

struct Folder : testing::DatasetFolder<Folder> {
    Folder& base() {
        file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局"})j");
        file("单位.csv", "单位编码,单位名称,主管部门编码\n101,测试局,\n10101,测试中心,101\n");
        file("项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,10101,否\n");
        file("预算执行.csv", "项目编码,年初预算数,全年预算数,全年执行数\nP001,43.2,43.2,37.24\n");
        file("绩效指标.csv",
             "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
             "P001,产出指标,数量指标,培训人次,≥,735,人次,50,700\n"
             "P001,满意度指标,服务对象满意度指标,学员满意度,≥,90,%,10,95%\n");
        return *this;
    }
};

model::Dataset read(const Folder& f, model::Diagnostics& diags) { return ingest::readDataset(f.path(), diags); }

}  // namespace

TEST_CASE("exports: a unit in the header converts that column, exactly, and says so", "[ingest]") {
    Folder f;
    f.base();
    f.file("预算执行.csv", ingest::utf8ToGb18030("项目编码,资金性质,年初预算数,预算数(元),支出数（元）\n"
                                                 "P001,合计,43.2,\"432,000.00\",372412.34\n"));
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{"预算执行.csv 说明：“预算执行”表的“预算数(元)”“支出数（元）”以元为单位，已换算为万元。"});
    REQUIRE(ds.projects[0].funds.size() == 1);
    CHECK(ds.projects[0].funds[0].initial->toString() == "43.2");
    CHECK(ds.projects[0].funds[0].adjusted.toString() == "43.2");
    CHECK(ds.projects[0].funds[0].executed.toString() == "37.241234");
}

TEST_CASE("exports: 单位：元 in a title row, or 金额单位 per table, sets the unit of a table", "[ingest]") {
    Folder f;
    f.base();
    f.file("预算执行.csv", "2024年项目支出执行情况表（单位：元）\n项目编码,全年预算数,全年执行数\nP001,432000,372400\n");
    f.file("部门整体.csv", "单位编码,年度,预算数,执行数\n101,2024,500,480\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{"预算执行.csv 说明：“预算执行”表的“全年预算数”“全年执行数”以元为单位，已换算为万元。"});
    CHECK(ds.projects[0].funds[0].executed.toString() == "37.24");
    CHECK(ds.figures[0].figures.at("预算数").toString() == "500");

    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "金额单位": {"部门整体": "元"}})j");
    f.file("预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,43.2,37.24\n");
    f.file("部门整体.csv", "单位编码,年度,预算数,执行数\n101,2024,5000000,4800000\n");
    model::Diagnostics perTable;
    ds = read(f, perTable);
    CHECK(messages(perTable) == std::vector<std::string>{"部门整体.csv 说明：“部门整体”表的“预算数”“执行数”以元为单位，已换算为万元。"});
    CHECK(ds.projects[0].funds[0].executed.toString() == "37.24");
    CHECK(ds.figures[0].figures.at("执行数").toString() == "480");
}

TEST_CASE("exports: units that contradict each other are an error", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "金额单位": "元"})j");
    f.file("预算执行.csv", "项目编码,全年预算数(元),全年执行数(元)\nP001,432000,372400\n");
    f.file("部门整体.csv", "单位编码,年度,预算数（万元）,在职人数\n101,2024,500,12\n");
    model::Diagnostics diags;
    read(f, diags);
    CHECK(
        messages(diags) ==
        std::vector<std::string>{
            "预算执行.csv 说明：“预算执行”表的“全年预算数(元)”“全年执行数(元)”以元为单位，已换算为万元。",
            "部门整体.csv[C1] 错误：“部门整体”表的金额单位矛盾：列名“预算数（万元）”为“万元”，dataset.json 的 \"金额单位\": \"元\"为“元”。"
            "提示：请改正其中一处；各表单位不同时，可在 dataset.json 中按表写，例如 \"金额单位\": {\"部门整体\": \"万元\"}。"});
}

TEST_CASE("exports: implausible amounts are warned about, quoting the file's values", "[ingest]") {
    Folder f;
    f.base();
    f.file("预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,6528100.00,603.98\n");
    f.file("部门整体.csv", "单位编码,年度,预算数\n101,2024,7447.72\n");
    model::Diagnostics diags;
    read(f, diags);
    CHECK(
        messages(diags) ==
        std::vector<std::string>{
            "预算执行.csv[B2] 警告：第2行“全年预算数”为“6528100.00”，按万元计超过10亿元，是否实为以元为单位？"
            "提示：如果该列以元为单位，请在列名中注明，如“全年预算数（元）”，或在 dataset.json 中写 \"金额单位\": {\"预算执行\": \"元\"}。",
            "预算执行.csv[B2] 警告：项目“P001”的“全年预算数”为“6528100.00”，折合6528100万元，大于所属部门“101”的2024年部门预算数7447.72万元"
            "（部门整体.csv第2行）。提示：请检查两张表的金额单位：以元为单位的列请在列名中注明，如“全年预算数（元）”。"});

    f.file("预算执行.csv", "项目编码,全年预算数,全年执行数\nP001,43.2,603.98\n");
    model::Diagnostics tenfold;
    read(f, tenfold);
    CHECK(messages(tenfold) == std::vector<std::string>{"预算执行.csv[C2] 警告：第2行“全年执行数”“603.98”超过“全年预算数”“43.2”的10倍。"
                                                        "提示：请检查两列的金额单位是否一致（元与万元相差一万倍）。"});
}

TEST_CASE("exports: a global mapping that would hide another table's column is refused", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "columns": {"预算数(元)": "全年预算数"}})j");
    f.file("预算执行.csv", "项目编码,预算数(元),全年执行数(元)\nP001,432000,372400\n");
    f.file("部门整体.csv", "单位编码,年度,预算数,执行数\n101,2024,500,480\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{"dataset.json[1] 错误：columns 中的 \"预算数(元)\": \"全年预算数\" "
                                   "对所有表生效，会把“部门整体”表的“预算数”列也当作“全年预算数”。"
                                   "提示：请写在对应的表下，例如 \"columns\": {\"预算执行\": {\"预算数(元)\": \"全年预算数\"}}。",
                                   "预算执行.csv 说明：“预算执行”表的“预算数(元)”“全年执行数(元)”以元为单位，已换算为万元。"});
    // Read without it: 预算数 is a name 预算执行 knows, and 部门整体 keeps its own 预算数.
    CHECK(ds.projects[0].funds[0].adjusted.toString() == "43.2");
    CHECK(ds.figures[0].figures.at("预算数").toString() == "500");

    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "columns": {"预算执行": {"预算金额": "全年预算数"},
                              "部门整体": {"预算金额": "预算调整数", "执行金额": "全年执行数"}, "项目": {"名称": "项目名"}}})j");
    f.file("预算执行.csv", "项目编码,预算金额,全年执行数\nP001,43.2,37.24\n");
    f.file("部门整体.csv", "单位编码,年度,预算金额\n101,2024,12\n");
    model::Diagnostics perTable;
    ds = read(f, perTable);
    CHECK(
        messages(perTable) ==
        std::vector<std::string>{"dataset.json[2] 错误：columns 中“执行金额”对应的“全年执行数”不是“部门整体”表的规范列名，是否指“执行数”？"
                                 "提示：请改为 \"执行金额\": \"执行数\"。",
                                 "dataset.json[2] 错误：columns 中“名称”对应的“项目名”不是“项目”表的规范列名，是否指“项目名称”？"
                                 "提示：请改为 \"名称\": \"项目名称\"。"});
    CHECK(ds.projects[0].funds[0].adjusted.toString() == "43.2");
    CHECK(ds.figures[0].figures.at("预算调整数").toString() == "12");
}

TEST_CASE("exports: names from real exports are recognised", "[ingest]") {
    Folder f;
    f.base();
    f.file("单位.csv", "预算单位代码,预算单位名称,上级单位编码\n101,测试局,\n10101,测试中心,101\n");
    f.file("项目.csv", "项目代码,项目名称,预算单位代码,项目期限,涉密\nP001,培训项目,10101,2024,否\n");
    f.file("预算执行.csv", "项目代码,资金性质,预算数,支出数\nP001,,43.2,37.24\n");
    f.file("绩效指标.csv",
           "项目代码,一级指标,二级指标,指标名称,指标方向,指标值,计量单位,指标权重,实际值\n"
           "P001,产出指标,数量指标,培训人次,>=,735,人次,50,700\n"
           "P001,效果指标,时效指标,办结时间,<=,5,天,50,4\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    model::validate(ds, diags);
    CHECK(messages(diags).empty());
    CHECK(ds.departmentOf("10101")->code == "101");
    CHECK(ds.projects[0].period == "2024");
    CHECK(ds.projects[0].funds[0].executed.toString() == "37.24");
    REQUIRE(ds.projects[0].indicators.size() == 2);
    CHECK(ds.projects[0].indicators[0].op == model::Operator::Ge);
    CHECK(ds.projects[0].indicators[1].op == model::Operator::Le);
    CHECK(ds.projects[0].indicators[1].weight->toString() == "50");
    CHECK(ds.projects[0].indicators[1].actual.value->toString() == "4");
}

TEST_CASE("exports: a two-row header (预算数（元） over 年初/全年/执行) is read", "[ingest]") {
    Folder f;
    f.base();
    f.remove("预算执行.csv");
    f.workbook("预算执行.xlsx", {{"Sheet1",
                                  {{"2024年项目支出执行情况"},
                                   {"项目编码", "资金类别", "预算数（元）", "", "", "偏差原因"},
                                   {"", "", "年初", "全年", "执行", ""},
                                   {"P001", "合计", "432000", "432000", "372400", ""}}}});
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) == std::vector<std::string>{"预算执行.xlsx[Sheet1] 说明：“预算执行”表的“预算数（元）/年初”“预算数（元）/全年”"
                                                      "“预算数（元）/执行”以元为单位，已换算为万元。"});
    REQUIRE(ds.projects[0].funds.size() == 1);
    CHECK(ds.projects[0].funds[0].initial->toString() == "43.2");
    CHECK(ds.projects[0].funds[0].executed.toString() == "37.24");
    CHECK(ds.projects[0].funds[0].source.row == 4);
}

TEST_CASE("exports: tables are found by their header, and the choice is reported", "[ingest]") {
    Folder f;
    f.base();
    f.remove("项目.csv").remove("预算执行.csv");
    f.workbook("2024项目导出.xlsx",
               {{"填报说明", {{"本表由系统导出"}, {"项目编码请勿修改"}}},
                {"项目信息", {{"项目编码", "项目名称", "单位编码", "是否涉密"}, {"P001", "培训项目", "10101", "否"}}}});
    f.file("执行情况.csv", "项目编码,全年预算数,全年执行数\nP001,43.2,37.24\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{
              "2024项目导出.xlsx[项目信息] 说明：“项目”表按表头识别为 2024项目导出.xlsx[项目信息]。"
              "提示：如需固定，可在 dataset.json 中写 \"files\": {\"项目\": \"2024项目导出.xlsx\"}, \"sheets\": {\"项目\": \"项目信息\"}。",
              "执行情况.csv 说明：“预算执行”表按表头识别为 执行情况.csv。"
              "提示：如需固定，可在 dataset.json 中写 \"files\": {\"预算执行\": \"执行情况.csv\"}。"});
    REQUIRE(ds.projects.size() == 1);
    CHECK(ds.projects[0].funds.size() == 1);

    f.file("执行情况2.csv", "项目编码,全年预算数,全年执行数\nP001,43.2,37.24\n");
    model::Diagnostics twice;
    ds = read(f, twice);
    CHECK(messages(twice)[1] == f.path() +
                                    " 错误：“预算执行”表有多个候选：执行情况.csv、执行情况2.csv，无法确定读取哪一个。"
                                    "提示：请在 dataset.json 的 files 中指定，例如 \"files\": {\"预算执行\": \"执行情况.csv\"}。");
    CHECK(ds.unreadSections == std::vector<std::string>{"预算执行"});
}

TEST_CASE("exports: a note sheet first is skipped — a wrong sheet lists the workbook's sheets", "[ingest]") {
    Folder f;
    f.base();
    f.remove("项目.csv");
    f.workbook("项目.xlsx", {{"填报说明", {{"说明"}}},
                             {"项目清单", {{"项目编码", "项目名称", "单位编码", "是否涉密"}, {"P001", "培训项目", "10101", "否"}}}});
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags).empty());
    REQUIRE(ds.projects.size() == 1);
    CHECK(ds.projects[0].source.sheet() == "项目清单");

    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "sheets": {"项目": "填报说明"}})j");
    model::Diagnostics wrong;
    read(f, wrong);
    CHECK(messages(wrong) ==
          std::vector<std::string>{"项目.xlsx[填报说明] 错误：找不到“项目”表的表头行（前10行中没有可识别的列名）。"
                                   "提示：表头应包含“项目编码”、“项目名称”、“单位编码”等列；如果列名不同，请在 dataset.json 的 columns "
                                   "中对应，例如 \"columns\": {\"项目\": {\"原列名\": \"项目编码\"}}。",
                                   "项目.xlsx[填报说明] 错误：dataset.json 的 sheets "
                                   "为“项目”表指定的工作表“填报说明”中没有“项目”表的表头；项目.xlsx 中的工作表有：“填报说明”“项目清单”。"
                                   "提示：请在 sheets 中改为数据所在的工作表，例如 \"sheets\": {\"项目\": \"项目清单\"}。"});
}

TEST_CASE("exports: .xls is refused with the way out", "[ingest]") {
    Folder f;
    f.base();
    f.remove("项目.csv");
    f.file("项目.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    model::Diagnostics diags;
    read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{"项目.xls 错误：项目.xls 是旧版 Excel（.xls）格式，无法读取。"
                                   "提示：请在 Excel 或 WPS 中打开它，另存为“Excel 工作簿（*.xlsx）”，文件名为 项目.xlsx。"});

    f.remove("项目.xls");
    f.file("2024项目.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    model::Diagnostics found;
    read(f, found);
    CHECK(messages(found) ==
          std::vector<std::string>{f.path() +
                                   " 错误：找不到“项目”表：没有项目.xlsx 或 项目.csv，文件夹中也没有表头像“项目”表的表格。"
                                   "提示：如果文件名不同，请在 dataset.json 的 files 中指定，例如 \"files\": {\"项目\": \"文件名.xlsx\"}。"
                                   "2024项目.xls 是旧版 Excel（.xls）或 WPS 格式，无法读取；如果它就是“项目”表，请另存为 .xlsx。"});
}

TEST_CASE("exports: dataset.json keys that are misspelt are named with a suggestion", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", R"j({"年度": 2024, "发文机关": "测试县财政局", "发文机构": "某局", "sheet": {}, "公开时间": "2025-08-20"})j");
    model::Diagnostics diags;
    read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{
              "dataset.json[1] 警告：dataset.json 中的“发文机构”不是可识别的设置项，已忽略；是否指“发文机关”？"
              "提示：请改为 \"发文机关\": \"某局\"。",
              "dataset.json[1] 警告：dataset.json 中的“sheet”不是可识别的设置项，已忽略；是否指“sheets”？提示：请改为 \"sheets\": …。",
              "dataset.json[1] 警告：dataset.json 中的“公开时间”不是可识别的设置项，已忽略；是否指“公开日期”？"
              "提示：请改为 \"公开日期\": \"2025-08-20\"。"});
}

TEST_CASE("exports: fund rows of other provinces' forms are kept — a blank operator is noted", "[ingest]") {
    Folder f;
    f.base();
    f.file("预算执行.csv",
           "项目编码,资金类别,全年预算数,全年执行数\nP001,合计,50,45\nP001,财政拨款,30,28\n"
           "P001,财政专户管理资金,12,10\nP001,单位资金,8,7\n");
    f.file("绩效指标.csv",
           "项目编码,一级指标,二级指标,三级指标,指标性质,年度指标值,计量单位,分值,实际完成值\n"
           "P001,产出指标,数量指标,培训人次,,735,人次,50,700\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{"绩效指标.csv[E2] 说明：第2行“指标性质”为空，年度指标值“735”中也没有符号，按“≥”（越大越好）读取。"
                                   "提示：如为越小越好的指标，请在“指标性质”中填写“≤”；定性指标填写“定性”。"});
    const auto& funds = ds.projects[0].funds;
    REQUIRE(funds.size() == 4);
    CHECK(funds[2].kind == model::FundKind::FiscalSpecial);
    CHECK(funds[2].adjusted.toString() == "12");
    CHECK(funds[3].kind == model::FundKind::UnitOwn);
}

TEST_CASE("exports: a code that lost its leading zero is pointed out", "[ingest]") {
    Folder f;
    f.base();
    f.file("单位.csv", "单位编码,单位名称,主管部门编码\n0101,测试局,\n010101,测试中心,0101\n");
    f.file("项目.csv", "项目编码,项目名称,单位编码,是否涉密\nP001,培训项目,10101,否\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    model::validate(ds, diags);
    CHECK(messages(diags) == std::vector<std::string>{"项目.csv[2] 错误：项目“P001”的单位编码“10101”在单位表中不存在。"
                                                      "提示：单位表中有编码“010101”，只差前导零：Excel 常把编码存成数字而去掉前导零。"
                                                      "请把编码列设为“文本”格式后重新导出，或补上前导零。"});
}

TEST_CASE("exports: slips of hand-written dataset.json are repaired with a warning, GBK is refused", "[ingest]") {
    Folder f;
    f.base();
    f.file("dataset.json", "{\n  \"年度\": 2024，\n  “发文机关”: “测试县财政局”,\n}\n");
    model::Diagnostics diags;
    auto ds = read(f, diags);
    CHECK(messages(diags) ==
          std::vector<std::string>{
              "dataset.json 警告：第3行第3列等 4 处用了全角引号“”，已按半角引号 \" 读取。提示：JSON 的引号必须是半角的 \"，请改正后保存。",
              "dataset.json 警告：第2行第13列用了全角标点（，：｛｝［］），已按半角标点读取。提示：JSON 的标点必须是半角的 , : { } [ "
              "]，请改正后保存。",
              "dataset.json 警告：第3行第19列的逗号后面已没有下一项，已忽略该逗号。提示：JSON 中最后一项后面不能有逗号，请删除它。"});
    CHECK(ds.config.authority == "测试县财政局");

    f.file("dataset.json", "{\n  \"年度\": 2024\n  \"发文机关\": \"测试县财政局\"\n}\n");
    model::Diagnostics missingComma;
    CHECK_THROWS_WITH(read(f, missingComma),
                      "dataset.json 第3行第3列：此处应为逗号“,”或右花括号“}”。"
                      "提示：上一项的末尾可能缺少逗号“,”，或引号没有成对。");

    f.file("dataset.json", ingest::utf8ToGb18030(R"j({"年度": 2024, "发文机关": "测试县财政局"})j"));
    model::Diagnostics gbk;
    CHECK_THROWS_WITH(read(f, gbk),
                      "dataset.json：文件不是 UTF-8 编码（看起来是用 GBK/ANSI 保存的）。请另存为 UTF-8："
                      "用记事本打开，选“另存为”，“编码”选“UTF-8”后保存。");
}
