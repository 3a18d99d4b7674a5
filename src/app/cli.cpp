#include "app/cli.h"

#include "app/batch.h"
#include "app/publish_command.h"
#include "app/rectify_command.h"
#include "ingest/dataset_reader.h"
#include "layout/template_text.h"
#include "publish/atomic_file.h"
#include "publish/history_store.h"
#include "pdf/pdf_error.h"
#include "render/render_error.h"
#include "score/rules.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Path.h>

#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <algorithm>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace jixiao::app {

namespace {

constexpr const char* kUsage =
    "用法：jixiao <命令> [选项] 数据集文件夹\n"
    "\n"
    "命令：\n"
    "  check 数据集              检查数据集，列出全部问题，不生成文件\n"
    "  run 数据集 -o 输出文件夹  检查、评分并生成全部自评表、自评报告、反馈函、汇总表和 results.json\n"
    "  rectify list|record|close|overdue --db=历史库\n"
    "                            整改跟踪：列出、登记整改报告（--letter --date --summary [--file]）、\n"
    "                            销号（--letter --date --summary）、列出逾期未整改事项（--date 为今天）\n"
    "  publish 数据集 --to 文件夹 绩效信息公开：部门和非涉密项目的自评表（PDF、XLSX）及静态网站，\n"
    "                            只改动有变化的文件；未到“公开日期”不公开（退出码 75）\n"
    "\n"
    "选项：\n"
    "  -o, --output=文件夹       输出文件夹（run 必填）\n"
    "      --to=文件夹           公开文件夹（publish 必填）\n"
    "      --force               publish 时不等“公开日期”，立即公开\n"
    "      --rules=文件          使用指定的评分规则文件，代替 dataset.json 中的“评分规则”\n"
    "      --templates=文件夹    模板文件夹（默认为程序旁的 templates）\n"
    "      --fonts=文件夹        字体文件夹（默认为程序旁的 fonts）\n"
    "      --date=YYYY-MM-DD     成文日期（默认为今天）；固定日期可使两次运行的输出逐字节相同\n"
    "  -j, --jobs=N              并行生成文档的线程数（默认为 CPU 核数）\n"
    "      --documents=列表      只生成部分文书，逗号分隔：table-pdf、table-xlsx、report、department、\n"
    "                            letter、summary（默认 all：全部；results.json 和 manifest.json 总会生成）\n"
    "      --db=文件             历史库（记录历年结果、反馈函文号和整改情况；默认为输出文件夹中的 jixiao-history.db）\n"
    "  -h, --help                显示本帮助\n"
    "  -V, --version             显示版本\n"
    "\n"
    "退出码：0 成功；64 用法错误；65 数据有错误；66 找不到输入；73 无法写出文件；75 暂不能公开（未到公开日期，或另一次公开正在进行）；78 配置错误。\n";

/// What the command line asked for.
struct Request {
    std::string command;
    std::string dataset;
    std::string output;
    std::string rules;
    std::string templates;
    std::string fonts;
    std::string date;
    std::string db;
    int jobs = 0;
    DocumentSet documents;
};

/// A resource folder (templates, fonts): the option if given, else beside the program
/// (build tree or installed), else the current folder.
std::string resourceDir(const std::string& option, const std::string& name, const std::string& exeDir) {
    if (!option.empty()) return option;
    for (const std::string& candidate : {exeDir + "/../../" + name, exeDir + "/../share/jixiao/" + name, exeDir + "/" + name})
        if (Poco::File(candidate).exists()) return Poco::Path(candidate).makeAbsolute().toString();
    return name;
}

void printDiagnostics(const model::Diagnostics& diags, std::ostream& err) {
    for (const auto& d : diags.list()) err << d.format() << '\n';
    if (diags.suppressed() > 0)
        err << "另有 " << diags.suppressed() << " 条问题未逐条列出（每个文件最多列出 200 条）。\n";
}

void printSummary(const model::Dataset& ds, const model::Diagnostics& diags, std::ostream& out) {
    int departments = int(std::count_if(ds.units.begin(), ds.units.end(),
                                        [](const auto& u) { return u.kind == model::UnitKind::Department; }));
    int classified = int(std::count_if(ds.projects.begin(), ds.projects.end(), [](const auto& p) { return p.classified; }));
    std::size_t indicators = ds.unitIndicators.size();
    for (const auto& p : ds.projects) indicators += p.indicators.size();
    out << "数据集：" << ds.folder << "（" << ds.config.year << "年度，" << ds.config.authority << "）\n"
        << "单位 " << ds.units.size() << " 个（其中部门 " << departments << " 个），项目 " << ds.projects.size()
        << " 个（其中涉密 " << classified << " 个），绩效指标 " << indicators << " 条（其中部门整体指标 "
        << ds.unitIndicators.size() << " 条）\n"
        << "错误 " << diags.errors() << " 条，警告 " << diags.warnings() << " 条\n";
}

int check(const Request& req) {
    Scored s = scoreDataset(req.dataset, req.rules, req.templates);
    printDiagnostics(s.diags, std::cerr);
    printSummary(s.dataset, s.diags, std::cout);
    return s.diags.errors() > 0 ? kExitDataError : kExitOk;
}

bool validDate(const std::string& d) {
    int tzd = 0;
    Poco::DateTime parsed;
    return d.size() == 10 && Poco::DateTimeParser::tryParse("%Y-%m-%d", d, parsed, tzd);
}

int runCommand(const Request& req) {
    RunRequest r;
    r.dataset = req.dataset;
    r.output = req.output;
    r.rulesFile = req.rules;
    r.templatesDir = req.templates;
    r.fontsDir = req.fonts;
    // The clock is read here and nowhere below: every stage gets the date handed in.
    r.date = req.date.empty() ? Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d") : req.date;
    r.jobs = req.jobs > 0 ? req.jobs : std::max(1, int(std::thread::hardware_concurrency()));
    r.terminal = ::isatty(2) != 0;
    r.dbPath = req.db;
    r.documents = req.documents;
    r.startedAt = Poco::DateTimeFormatter::format(Poco::LocalDateTime(), Poco::DateTimeFormat::ISO8601_FORMAT);
    return runBatch(r, std::cout, std::cerr);
}

class Cli : public Poco::Util::Application {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        using Poco::Util::Option;
        options.addOption(Option("help", "h").callback(Poco::Util::OptionCallback<Cli>(this, &Cli::onHelp)));
        options.addOption(Option("version", "V").callback(Poco::Util::OptionCallback<Cli>(this, &Cli::onVersion)));
        options.addOption(Option("output", "o").argument("dir").repeatable(false));
        options.addOption(Option("rules", "").argument("file").repeatable(false));
        options.addOption(Option("templates", "").argument("dir").repeatable(false));
        options.addOption(Option("fonts", "").argument("dir").repeatable(false));
        options.addOption(Option("date", "").argument("date").repeatable(false));
        options.addOption(Option("jobs", "j").argument("n").repeatable(false));
        options.addOption(Option("to", "").argument("dir").repeatable(false));
        options.addOption(Option("force", "").repeatable(false));
        options.addOption(Option("db", "").argument("file").repeatable(false));
        options.addOption(Option("documents", "").argument("list").repeatable(false));
        options.addOption(Option("letter", "").argument("number").repeatable(false));
        options.addOption(Option("summary", "").argument("text").repeatable(false));
        options.addOption(Option("file", "").argument("path").repeatable(false));
        options.addOption(Option("year", "").argument("year").repeatable(false));
        options.addOption(Option("status", "").argument("status").repeatable(false));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Poco::Util::Application::handleOption(name, value);
        if (name == "output") req_.output = value;
        if (name == "rules") req_.rules = value;
        if (name == "templates") req_.templates = value;
        if (name == "fonts") req_.fonts = value;
        if (name == "date") req_.date = value;
        if (name == "db") req_.db = value;
        if (name == "documents") documentsText_ = value;
        if (name == "letter") rectify_.letter = value;
        if (name == "summary") rectify_.summary = value;
        if (name == "file") rectify_.file = value;
        if (name == "year") yearText_ = value;
        if (name == "status") rectify_.status = value;
        if (name == "jobs") jobsText_ = value;
        if (name == "to") publishTo_ = value;
        if (name == "force") force_ = true;
    }

    int main(const std::vector<std::string>& args) override {
        if (done_) return kExitOk;
        // Poco's Application::run would turn an escaped exception into 70: map each here.
        try {
            return dispatch(args);
        } catch (const ingest::NoInputError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitNoInput;
        } catch (const ingest::ConfigError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitConfig;
        } catch (const score::RuleError& e) {
            std::cerr << "评分规则错误：" << e.what() << '\n';
            return kExitConfig;
        } catch (const layout::TemplateError& e) {
            std::cerr << "模板错误：" << e.what() << '\n';
            return kExitConfig;
        } catch (const render::RenderError& e) {
            std::cerr << "字体或排版错误：" << e.what() << '\n';
            return kExitConfig;
        } catch (const pdf::PdfError& e) {
            std::cerr << "字体或排版错误：" << e.what() << '\n';
            return kExitConfig;
        } catch (const publish::StoreBusyError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitCannotCreate;
        } catch (const publish::StoreError& e) {
            std::cerr << "历史库错误：" << e.what() << '\n';
            return kExitCannotCreate;
        } catch (const publish::OutputError& e) {
            std::cerr << "无法写出文件：" << e.what() << '\n';
            return kExitCannotCreate;
        }
    }

private:
    int dispatch(const std::vector<std::string>& args) {
        if (args.empty()) return usage("缺少命令。");
        req_.command = args[0];
        if (req_.command == "rectify") return rectifyCommand(args);
        if (req_.command != "check" && req_.command != "run" && req_.command != "publish") return usage("未知命令“" + req_.command + "”。");
        if (args.size() != 2) return usage("命令 " + req_.command + " 需要且只需要一个数据集文件夹。");
        req_.dataset = args[1];
        if (!jobsText_.empty()) {
            char* end = nullptr;
            long n = std::strtol(jobsText_.c_str(), &end, 10);
            if (*end != '\0' || n < 1 || n > 256) return usage("--jobs 应为1到256之间的整数，实际为“" + jobsText_ + "”。");
            req_.jobs = int(n);
        }
        if (!documentsText_.empty()) {
            auto set = DocumentSet::parse(documentsText_);
            if (!set) return usage("--documents 应为 table-pdf、table-xlsx、report、department、letter、summary 的组合，实际为“" +
                                   documentsText_ + "”。");
            req_.documents = *set;
        }
        if (!req_.date.empty() && !validDate(req_.date)) return usage("--date 应为 YYYY-MM-DD 格式的日期，实际为“" + req_.date + "”。");
        std::string exeDir = config().getString("application.dir", ".");
        req_.templates = resourceDir(req_.templates, "templates", exeDir);
        req_.fonts = resourceDir(req_.fonts, "fonts", exeDir);
        if (req_.command == "publish") return publishCommand();
        if (req_.command == "check") return check(req_);
        if (req_.output.empty()) return usage("run 需要用 -o 指定输出文件夹。");
        return runCommand(req_);
    }

    int rectifyCommand(const std::vector<std::string>& args) {
        if (args.size() != 2) return usage("rectify 需要一个操作：list、record、close 或 overdue。");
        rectify_.action = args[1];
        rectify_.db = req_.db;
        rectify_.date = req_.date.empty() ? Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d") : req_.date;
        if (!yearText_.empty()) {
            char* end = nullptr;
            long y = std::strtol(yearText_.c_str(), &end, 10);
            if (*end != '\0' || y < 2000 || y > 2100) return usage("--year 应为四位年份，实际为“" + yearText_ + "”。");
            rectify_.year = int(y);
        }
        return rectify(rectify_, std::cout, std::cerr);
    }

    int publishCommand() {
        if (publishTo_.empty()) return usage("publish 需要用 --to 指定公开文件夹。");
        PublishRequest p;
        p.dataset = req_.dataset;
        p.to = publishTo_;
        p.rulesFile = req_.rules;
        p.templatesDir = req_.templates;
        p.fontsDir = req_.fonts;
        // As for run, the clock is read here only; --date pins "today" for the 公开日期 check.
        p.today = req_.date.empty() ? Poco::DateTimeFormatter::format(Poco::LocalDateTime(), "%Y-%m-%d") : req_.date;
        p.force = force_;
        return runPublish(p, std::cout, std::cerr);
    }

    void onHelp(const std::string&, const std::string&) {
        std::cout << kUsage;
        done_ = true;
        stopOptionsProcessing();
    }
    void onVersion(const std::string&, const std::string&) {
        std::cout << "jixiao 0.1.0\n";
        done_ = true;
        stopOptionsProcessing();
    }
    int usage(const std::string& message) {
        std::cerr << "jixiao：" << message << "\n\n" << kUsage;
        return kExitUsage;
    }

    Request req_;
    RectifyRequest rectify_;
    std::string yearText_;
    std::string jobsText_;
    std::string documentsText_;
    std::string publishTo_;
    bool force_ = false;
    bool done_ = false;
};

} // namespace

int main(int argc, char** argv) {
    try {
        Cli cli;
        try {
            cli.init(argc, argv);
        } catch (const Poco::Util::OptionException& e) {
            std::cerr << "jixiao：选项有误（" << e.displayText() << "）。\n\n" << kUsage;
            return kExitUsage;
        }
        return cli.run();
    } catch (const std::exception& e) {
        std::cerr << "内部错误：" << e.what() << '\n';
        return 70;
    }
}

} // namespace jixiao::app
