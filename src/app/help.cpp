#include "app/help.h"

namespace jixiao::app {

namespace {

/// One command's help. A new command adds its entry here; the overview lists it by itself.
struct CommandHelp {
    const char* name;
    const char* usage;    ///< what follows "jixiao"
    const char* summary;  ///< one sentence, for the overview
    const char* details;  ///< options and examples, for `jixiao help 命令`
};

constexpr CommandHelp kCommands[] = {
    {"init", "init 文件夹", "查看导出文件，写出 dataset.json（识别出的文件、工作表、列名和金额单位），并列出还需确认的事项",
     "按表头在文件夹的每个 .xlsx/.csv/.et 文件、每个工作表中找出五张表，写出 文件夹/dataset.json，\n"
     "并逐条列出无法确定的事项（发文机关、未注明单位的金额列、无法识别的列名）。已有 dataset.json 时不覆盖（退出码 73）。\n"
     "\n"
     "示例：\n"
     "  jixiao init 2024县本级\n"},
    {"check", "check 数据集 | check --templates 文件夹", "检查数据集，列出全部问题（文件、工作表、行、列、取值），不生成文件；或检查模板",
     "选项：\n"
     "      --rules=名称或文件    评分规则：自带规则的名称（如 yitihua-2022）或一个 .json 文件，代替 dataset.json 中的“评分规则”\n"
     "      --templates=文件夹    模板文件夹（默认为安装的数据文件夹中的 templates）；不写数据集时只检查这个文件夹中的\n"
     "                            每一张表（form.json、layout.json 或 表样.xlsx、字段名、each/if、合并单元格），\n"
     "                            有问题时退出码为 78\n"
     "      --problems=文件.xlsx  另写出问题清单：全部问题一张表，另按部门各一张表（文件、工作表、单元格、行、列、取值、问题、如何修改）\n"
     "\n"
     "问题逐条写到标准输出（可以重定向到文件），统计写到标准错误。\n"
     "没有错误时退出码为 0，数据有错误时为 65。\n"
     "\n"
     "示例：\n"
     "  jixiao check /srv/绩效/2024县本级\n"
     "  jixiao check 2024县本级 --rules 规则/本县2024.json\n"
     "  jixiao check 2024县本级 --problems 问题清单.xlsx > 问题.txt\n"
     "  jixiao check --templates 我的模板\n"},
    {"run", "run 数据集 -o 输出文件夹", "检查、评分并生成全部自评表、自评报告、反馈函、汇总表和 results.json",
     "选项：\n"
     "  -o, --output=文件夹       输出文件夹（必填）\n"
     "      --date=YYYY-MM-DD     成文日期（默认为今天）；固定日期可使两次运行的输出逐字节相同\n"
     "  -j, --jobs=N              并行生成文档的线程数（默认为 CPU 核数）\n"
     "      --issue               正式发出反馈函：取文号、记入历史库，并列出所发文号（不加此项只生成\n"
     "                            不带文号、带“草稿”水印的反馈函草稿）\n"
     "      --documents=列表      只生成部分表，逗号分隔：templates 下的文件夹名（如 project-table、my-table）\n"
     "                            或 form.json 的 short_name（table、report、department、letter、summary），\n"
     "                            加 -pdf、-xlsx 或 -docx 只生成一种格式（如 table-pdf）；写 docx 则自评报告\n"
     "                            和反馈函另存一份可在 WPS、Word 中编辑的 DOCX。不写此项时生成除 DOCX 外\n"
     "                            的全部，all 为全部；results.json 和 manifest.json 总会生成\n"
     "      --pdf-profile=类型    PDF 的类型：pdfa-1b（默认，PDF/A-1b 归档格式）或 plain（普通 PDF）\n"
     "      --formats=列表        文件格式，逗号分隔：pdf、xlsx、ofd（OFD 版式文件，GB/T 33190）；默认按各表\n"
     "                            form.json 中的 formats\n"
     "      --db=文件             历史库（历年结果、反馈函文号和整改情况；默认为输出文件夹中的 jixiao-history.db）\n"
     "      --rules=名称或文件    评分规则：自带规则的名称（如 yitihua-2022）或一个 .json 文件，代替 dataset.json 中的“评分规则”\n"
     "      --templates=文件夹    自己的模板文件夹：其中的表代替或增加到安装的 templates 中，没有的表用安装的\n"
     "      --fonts=文件夹        字体文件夹（默认为安装的数据文件夹中的 fonts）\n"
     "\n"
     "有错误的行照常报告，其余项目照常生成，此时退出码为 65。\n"
     "\n"
     "示例：\n"
     "  jixiao run 2024县本级 -o 输出/2024\n"
     "  jixiao run 2024县本级 -o 输出/2024 --date 2025-03-05 --db /var/lib/jixiao/jixiao-history.db\n"
     "  jixiao run 2024县本级 -o 输出/汇总 --documents summary\n"
     "  jixiao run 2024县本级 -o 输出/2024 --formats pdf,xlsx,ofd\n"
     "  jixiao run 2024县本级 -o 输出/2024 --date 2025-03-05 --db 历史库.db --issue\n"},
    {"publish", "publish 数据集 --to 文件夹", "绩效信息公开：部门和非涉密项目的自评表（PDF、XLSX）及静态网站",
     "选项：\n"
     "      --to=文件夹           公开文件夹（必填），网站的根目录\n"
     "      --force               不等 dataset.json 中的“公开日期”，立即公开\n"
     "      --date=YYYY-MM-DD     把“今天”当作这一天来判断是否已到公开日期\n"
     "      --rules=名称或文件、--templates=文件夹、--fonts=文件夹  同 run\n"
     "\n"
     "只改动有变化的文件。未到“公开日期”时不公开，退出码为 75（稍后再试），\n"
     "因此可以每天定时运行（见 jixiao-publish.timer）。\n"
     "\n"
     "示例：\n"
     "  jixiao publish 2024县本级 --to /var/www/绩效公开\n"
     "  jixiao publish 2024县本级 --to 公开预览 --force\n"},
    {"rectify", "rectify 操作 --db 历史库", "反馈函整改跟踪：list、record、close、overdue",
     "操作：\n"
     "  list      列出反馈函及整改状态（可用 --year 年度、--status 待整改|已报送|已销号 筛选）\n"
     "  record    登记整改报告：--letter 文号 --date 日期 --summary 摘要 [--file 报告文件]\n"
     "  close     销号：--letter 文号 --date 日期 --summary 意见\n"
     "  overdue   列出逾期未整改事项（--date 为今天，默认今天）；有逾期事项时退出码为 1\n"
     "\n"
     "示例：\n"
     "  jixiao rectify list --db 历史库.db --year 2025 --status 待整改\n"
     "  jixiao rectify record --db 历史库.db --letter 某财绩函〔2025〕3号 --date 2025-03-20 --summary \"已制定整改方案\" --file 报告.pdf\n"
     "  jixiao rectify close --db 历史库.db --letter 某财绩函〔2025〕3号 --date 2025-04-10 --summary \"整改到位，予以销号\"\n"
     "  jixiao rectify overdue --db 历史库.db\n"},
    {"letters", "letters 操作 --db 历史库", "反馈函发文登记簿：list、issue、void、reissue（作废的文号不再使用）",
     "操作：\n"
     "  list      列出全部反馈函（含已作废的）：文号、单位、成文日期、整改期限、状态和说明\n"
     "            （可用 --year 年度、--status 有效|已作废 筛选）\n"
     "  issue     数据集 -o 输出文件夹：只生成反馈函（form.json 写了 \"role\": \"letter\" 的表，\n"
     "            自己模板文件夹中的反馈函优先于安装的）并正式发文\n"
     "  void      文号 --reason 原因 [--date 作废日期]：作废一份已发出的反馈函；文号保留在登记簿中，不再使用\n"
     "  reissue   文号 [--date 成文日期]：为已作废的反馈函重新发文，取新文号并注明替代的文号；\n"
     "            整改期限的天数同原函。之后运行 letters issue 生成新函\n"
     "\n"
     "--date 默认为今天。\n"
     "\n"
     "示例：\n"
     "  jixiao letters list --db 历史库.db --year 2025\n"
     "  jixiao letters issue 2024县本级 -o 输出/2024 --db 历史库.db --date 2025-03-05\n"
     "  jixiao letters void 某财绩函〔2025〕3号 --db 历史库.db --reason \"单位名称有误\" --date 2025-03-10\n"
     "  jixiao letters reissue 某财绩函〔2025〕3号 --db 历史库.db --date 2025-03-12\n"},
    {"serve", "serve --data 文件夹", "浏览器工作台：上传数据、检查、生成文书、整改跟踪、公开（见 README）",
     "选项：\n"
     "      --data=文件夹         工作台的数据文件夹（必填）：上传的数据、运行结果、历史库\n"
     "      --listen=地址:端口    监听地址（默认 127.0.0.1:8080，只有本机可以访问）；局域网使用时请在前面\n"
     "                            放一个提供 HTTPS 的反向代理，并加 --secure-cookie\n"
     "      --site=文件夹         公开文件夹（默认为数据文件夹中的 site）\n"
     "      --max-upload=MB       每次上传的上限（默认 200）\n"
     "      --jobs=N              运行时并行生成文档的线程数（默认为 CPU 核数）\n"
     "      --secure-cookie       登录 Cookie 只经 HTTPS 发送\n"
     "\n"
     "按 Ctrl+C（或 systemctl stop）停止；正在进行的运行标记为“已中断”，可在页面上重新运行。\n"
     "工作台只在运行进行时占用历史库：这时对同一历史库的 jixiao run --db、letters issue 以 75 退出（稍后再试）；\n"
     "命令行的运行占用历史库时，工作台的运行排队等它结束。\n"
     "\n"
     "示例：\n"
     "  jixiao serve --data /var/lib/jixiao\n"
     "  jixiao serve --data /var/lib/jixiao --listen 127.0.0.1:8090 --max-upload 500\n"},
    {"user", "user add 用户名 --role 角色 --data 文件夹 --password-stdin", "添加工作台用户，密码从标准输入读取",
     "角色：admin 管理用户并公开；staff 上传、运行、登记整改；viewer 只能查看。密码至少 10 个字符。\n"
     "\n"
     "示例：\n"
     "  printf '%s\\n' '足够长的密码' | jixiao user add 王会计 --role staff --data /var/lib/jixiao --password-stdin\n"},
};

/// Columns a terminal gives the text: two for a CJK character (three UTF-8 bytes), one otherwise.
std::size_t displayWidth(const std::string& text) {
    std::size_t width = 0;
    for (unsigned char c : text) {
        if (c < 0x80) width += 1;
        else if (c >= 0xE0) width += 2;  // lead byte of a three- or four-byte sequence
    }
    return width;
}

/// "  usage<padding>summary", the summaries aligned in one column.
std::string overviewLine(const std::string& usage, const std::string& summary) {
    constexpr std::size_t kColumn = 30;
    std::string line = "  " + usage;
    std::size_t width = 2 + displayWidth(usage);
    line += width < kColumn ? std::string(kColumn - width, ' ') : std::string(" ");
    return line + summary + "\n";
}

const CommandHelp* find(const std::string& name) {
    for (const auto& c : kCommands)
        if (name == c.name) return &c;
    return nullptr;
}

}  // namespace

std::string usageText() {
    std::string text = "用法：jixiao <命令> [选项] 数据集文件夹\n\n命令：\n";
    for (const auto& c : kCommands) text += overviewLine(c.usage, c.summary);
    text += overviewLine("help 命令", "显示某个命令的详细说明和示例，例如 jixiao help run");
    text +=
        "\n"
        "所有命令都可用的选项：\n"
        "      --log=文件            把全部输出连同时间和级别（信息、警告、错误）追加到日志文件\n"
        "  -q, --quiet               只显示警告和错误（日志文件仍记录全部输出）\n"
        "  -h, --help                显示本帮助\n"
        "  -V, --version             显示版本、评分规则和模板\n"
        "\n"
        "数据文件夹（模板、字体、评分规则）默认在程序旁的 ../share/jixiao，可用环境变量 JIXIAO_DATA 指定。\n"
        "退出码：0 成功；64 用法错误；65 数据有错误；66 找不到输入；73 无法写出文件；"
        "75 稍后再试（未到公开日期，或另一次公开正在进行）；78 配置错误。\n";
    return text;
}

std::string renderFailureAdvice() {
    return "请确认字体文件夹完整（重新安装 jixiao 软件包，或用 --fonts 指定字体文件夹），"
           "输出文件夹和临时文件夹所在的磁盘有空间；仍然出错时，请把这条信息发给技术支持。";
}

std::optional<std::string> commandHelp(const std::string& command) {
    const CommandHelp* c = find(command);
    if (c == nullptr) return std::nullopt;
    return std::string("用法：jixiao ") + c->usage + "\n" + c->summary + "。\n\n" + c->details;
}

}  // namespace jixiao::app
