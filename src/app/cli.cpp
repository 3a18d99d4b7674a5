#include "app/cli.h"

#include "app/batch.h"
#include "app/data_dir.h"
#include "app/help.h"
#include "app/log.h"
#include "app/version.h"
#include "app/publish_command.h"
#include "app/letters_command.h"
#include "app/rectify_command.h"
#include "ingest/dataset_json.h"
#include "ingest/dataset_reader.h"
#include "layout/context.h"
#include "layout/form_set.h"
#include "layout/template_text.h"
#include "model/date.h"
#include "model/text_store.h"
#include "publish/atomic_file.h"
#include "publish/interrupt.h"
#include "pdf/pdf_error.h"
#include "publish/output_tree.h"
#include "publish/store_db.h"
#include "render/render_error.h"
#include "render/xlsx_writer.h"
#include "score/rules.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
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
#include <memory>
#include <thread>
#include <unistd.h>

namespace jixiao::app {

namespace {

/// What the command line asked for.
struct Request {
    std::string command;
    std::string dataset;
    std::string output;
    std::string rules;
    std::string templates;
    std::string bundledTemplates;  ///< templates/ of the data folder (may be empty when --templates is given)
    std::string fonts;
    std::string date;
    std::string db;
    std::string problems;
    int jobs = 0;
    std::string documents;
    std::optional<OutputFormats> formats;
    bool plainPdf = false;
    bool issue = false;
    bool lettersOnly = false;  ///< letters issue
};

/// A resource folder (templates, fonts): the option if given, else in the data folder.
std::string resourceDir(const std::string& option, const std::string& name, const std::string& dataDir) {
    return option.empty() ? dataDir + "/" + name : option;
}

/// The data folder, looked for only when an option leaves a resource to it.
std::string dataDirFor(const std::string& programFallback) {
    return findDataDir(programDir(programFallback), Poco::Environment::get("JIXIAO_DATA", ""));
}

/// A command-line option Poco refused, said in Chinese. Poco's message is the option's name,
/// followed by " requires <argument>" for a missing argument, or "name=value" for an unwanted one.
std::string optionProblem(const Poco::Util::OptionException& e) {
    const std::string name = e.message().substr(0, e.message().find_first_of(" ="));
    if (dynamic_cast<const Poco::Util::UnknownOptionException*>(&e)) return "没有选项“--" + e.message() + "”，可用的选项见下。";
    if (dynamic_cast<const Poco::Util::MissingArgumentException*>(&e)) return "选项 --" + name + " 后面缺少取值。";
    if (dynamic_cast<const Poco::Util::UnexpectedArgumentException*>(&e))
        return "选项 --" + name + " 不带取值，实际写成了“--" + e.message() + "”。";
    if (dynamic_cast<const Poco::Util::DuplicateOptionException*>(&e)) return "选项 --" + name + " 只能写一次。";
    if (dynamic_cast<const Poco::Util::AmbiguousOptionException*>(&e))
        return "选项“--" + e.message() + "”可以指不止一个选项，请写全选项名。";
    return "选项有误：" + e.message() + "。";
}

void printDiagnostics(const model::Diagnostics& diags, std::ostream& err) {
    for (const auto& d : diags.list()) err << d.format() << '\n';
    if (diags.suppressed() > 0) err << "另有 " << diags.suppressed() << " 条问题未逐条列出（每个文件最多列出 200 条）。\n";
}

void printSummary(const model::Dataset& ds, const model::Diagnostics& diags, std::ostream& out) {
    int departments =
        int(std::count_if(ds.units.begin(), ds.units.end(), [](const auto& u) { return u.kind == model::UnitKind::Department; }));
    int classified = int(std::count_if(ds.projects.begin(), ds.projects.end(), [](const auto& p) { return p.classified; }));
    std::size_t indicators = ds.unitIndicators.size();
    for (const auto& p : ds.projects) indicators += p.indicators.size();
    out << "数据集：" << ds.folder << "（" << ds.config.year << "年度，" << ds.config.authority << "）\n"
        << "单位 " << ds.units.size() << " 个（其中部门 " << departments << " 个），项目 " << ds.projects.size() << " 个（其中涉密 "
        << classified << " 个），绩效指标 " << indicators << " 条（其中部门整体指标 " << ds.unitIndicators.size() << " 条）\n"
        << "错误 " << diags.errors() << " 条，警告 " << diags.warnings() << " 条\n";
}

/// The program's clock, read here and nowhere else: every stage gets its dates handed in.
std::string clockNow(const std::string& format) { return Poco::DateTimeFormatter::format(Poco::LocalDateTime(), format); }

/// Today's ISO date from the clock, or the date pinned with --date.
std::string today(const std::string& pinned) { return pinned.empty() ? clockNow("%Y-%m-%d") : pinned; }

/// `jixiao check --templates 文件夹`: every form of the folder (and the bundled ones it does
/// not replace) read and checked; the problems on stdout, a status line on stderr.
int checkTemplates(const Request& req) {
    const layout::TemplateFolders folders{req.templates, req.bundledTemplates};
    const auto problems = layout::checkForms(folders);
    for (const auto& p : problems) std::cout << "模板错误：" << p << '\n';
    if (problems.empty()) {
        std::cerr << "已检查 " << layout::FormSet::load(folders).forms().size() << " 张表（" << req.templates << "），没有发现问题。\n";
        return kExitOk;
    }
    std::cerr << "模板有 " << problems.size() << " 处问题，请按上面的提示修改后再运行 jixiao check --templates " << req.templates << "。\n";
    return kExitConfig;
}

int check(const Request& req) {
    Scored s = scoreDataset(req.dataset, req.rules, rulesTemplatesDir(req.templates, req.bundledTemplates));
    // The problems are the answer (`jixiao check 数据 > 问题.txt` keeps them); the summary is a status line.
    printDiagnostics(s.diags, std::cout);
    printSummary(s.dataset, s.diags, std::cerr);
    if (!req.problems.empty()) {
        const std::string date = today(req.date);
        const auto forms = layout::FormSet::load({req.templates, req.bundledTemplates});
        const layout::Form* form = forms.first(layout::FormPer::Check);
        if (!form || form->kind != layout::FormKind::Layout || !form->layout->isWorkbook())
            throw layout::TemplateError(
                "templates 中没有问题清单的表（form.json 的 per 为 check、layout.json 用 sheets 的表），无法写出 --problems。");
        const layout::Value data = layout::problemsContext(s.diags, s.dataset, layout::runFacts(s.evaluation, s.dataset, date));
        render::XlsxOptions xo;
        xo.tempDir = Poco::Path(req.problems).makeAbsolute().parent().toString();
        publish::writeFileAtomic(req.problems, render::renderXlsx(form->layout->buildWorkbook(data, layout::fixedDate(date)), xo));
        std::cerr << "问题清单已写出到 " << req.problems << "（" << s.diags.list().size() << " 条）\n";
    }
    if (const int n = ingest::settingsErrors(s.diags)) {
        std::cerr << "其中 " << n << " 条在 dataset.json 中（配置错误），请先改正 dataset.json。\n";
        return kExitConfig;
    }
    return s.diags.errors() > 0 ? kExitDataError : kExitOk;
}

int runCommand(const Request& req) {
    RunRequest r;
    r.dataset = req.dataset;
    r.output = req.output;
    r.rulesFile = req.rules;
    r.templatesDir = req.templates;
    r.bundledTemplatesDir = req.bundledTemplates;
    r.fontsDir = req.fonts;
    r.date = today(req.date);
    r.jobs = req.jobs > 0 ? req.jobs : std::max(1, int(std::thread::hardware_concurrency()));
    r.terminal = ::isatty(2) != 0;
    r.dbPath = req.db;
    r.documents = req.documents;
    r.formats = req.formats;
    r.plainPdf = req.plainPdf;
    r.issueLetters = req.issue;
    r.lettersOnly = req.lettersOnly;
    r.startedAt = clockNow(Poco::DateTimeFormat::ISO8601_FORMAT);
    r.clock = [] { return clockNow(Poco::DateTimeFormat::ISO8601_FORMAT); };
    return runBatch(r, std::cout, std::cerr);
}

class Cli : public Poco::Util::Application {
public:
    /// `commandLine` is what the log records as the command that ran.
    explicit Cli(std::string commandLine) : commandLine_(std::move(commandLine)) {}

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
        options.addOption(Option("issue", "").repeatable(false));
        options.addOption(Option("db", "").argument("file").repeatable(false));
        options.addOption(Option("problems", "").argument("file").repeatable(false));
        options.addOption(Option("documents", "").argument("list").repeatable(false));
        options.addOption(Option("pdf-profile", "").argument("profile").repeatable(false));
        options.addOption(Option("formats", "").argument("list").repeatable(false));
        options.addOption(Option("letter", "").argument("number").repeatable(false));
        options.addOption(Option("summary", "").argument("text").repeatable(false));
        options.addOption(Option("file", "").argument("path").repeatable(false));
        options.addOption(Option("year", "").argument("year").repeatable(false));
        options.addOption(Option("status", "").argument("status").repeatable(false));
        options.addOption(Option("reason", "").argument("text").repeatable(false));
        options.addOption(Option("log", "").argument("file").repeatable(false));
        options.addOption(Option("quiet", "q").repeatable(false));
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Poco::Util::Application::handleOption(name, value);
        if (name == "output") req_.output = value;
        if (name == "rules") req_.rules = value;
        if (name == "templates") req_.templates = value;
        if (name == "fonts") req_.fonts = value;
        if (name == "date") req_.date = value;
        if (name == "db") req_.db = value;
        if (name == "problems") req_.problems = value;
        if (name == "documents") documentsText_ = value;
        if (name == "pdf-profile") pdfProfileText_ = value;
        if (name == "formats") formatsText_ = value;
        if (name == "letter") rectify_.letter = value;
        if (name == "summary") rectify_.summary = value;
        if (name == "file") rectify_.file = value;
        if (name == "year") yearText_ = value;
        if (name == "status") rectify_.status = value;
        if (name == "reason") reason_ = value;
        if (name == "jobs") jobsText_ = value;
        if (name == "to") publishTo_ = value;
        if (name == "force") force_ = true;
        if (name == "log") logPath_ = value;
        if (name == "quiet") quiet_ = true;
        if (name == "issue") req_.issue = true;
    }

    int main(const std::vector<std::string>& args) override {
        if (done_) return kExitOk;
        if (helpRequested_) return help(args.empty() ? std::vector<std::string>{} : std::vector<std::string>{args[0]});
        std::unique_ptr<RunLog> log;
        if (!logPath_.empty() || quiet_) {
            try {
                log = std::make_unique<RunLog>(logPath_, quiet_, commandLine_);
            } catch (const publish::OutputError& e) {
                std::cerr << "错误：" << e.what() << '\n';
                return kExitCannotCreate;
            }
        }
        int code = execute(args);
        if (log) log->finish(code);
        return code;
    }

private:
    int execute(const std::vector<std::string>& args) {
        // Poco's Application::run would turn an escaped exception into 70: map each here.
        try {
            return dispatch(args);
        } catch (const DataDirError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitConfig;
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
        } catch (const render::ScratchFileError& e) {
            std::cerr << "无法写出文件：" << e.what() << "。\n";
            return kExitCannotCreate;
        } catch (const model::TextStoreError& e) {
            std::cerr << e.what() << "。\n";
            return kExitCannotCreate;
        } catch (const layout::LayoutError& e) {
            std::cerr << "模板排版出错：" << e.what() << "。请检查模板（见 templates/README.md）。\n";
            return kExitConfig;
        } catch (const render::RenderError& e) {
            std::cerr << "生成文档出错：" << e.what() << "。" << renderFailureAdvice() << '\n';
            return kExitConfig;
        } catch (const pdf::PdfError& e) {
            std::cerr << "生成 PDF 出错：" << e.what() << "。" << renderFailureAdvice() << '\n';
            return kExitConfig;
        } catch (const publish::StoreBusyError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitTempFail;  // the other run ends; trying later succeeds
        } catch (const publish::StoreMissingError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitNoInput;
        } catch (const publish::StoreRequestError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitDataError;  // the request names what is not in the store, or a wrong date
        } catch (const publish::StoreError& e) {
            std::cerr << "历史库错误：" << e.what() << '\n';
            return kExitCannotCreate;
        } catch (const publish::OutputBusyError& e) {
            std::cerr << "错误：" << e.what() << '\n';
            return kExitTempFail;
        } catch (const publish::OutputError& e) {
            std::cerr << "无法写出文件：" << e.what() << '\n';
            return kExitCannotCreate;
        } catch (const publish::Interrupted& e) {
            std::cerr << e.what()
                      << (req_.command == "publish" ? "：公开文件夹没有改动，临时文件已删除。重新运行即可公开。\n"
                                                    : "：已写出的文件都是完整的，临时文件已删除；输出文件夹中没有 "
                                                      "manifest.json，表示本次输出不完整，重新运行即可补齐。\n");
            return 128 + publish::stopSignal();  // as a shell reports a process ended by the signal
        }
    }

    /// `jixiao init 文件夹`: proposes a dataset.json from the exports; never overwrites one.
    int initCommand(const std::vector<std::string>& args) {
        if (args.size() != 2) return usage("命令 init 需要且只需要一个文件夹。");
        const std::string target = Poco::Path(args[1], "dataset.json").toString();
        if (Poco::File(target).exists()) {
            std::cerr << "错误：" << target << " 已存在，未覆盖。如需重新生成，请先把它改名。\n";
            return kExitCannotCreate;
        }
        ingest::Proposal p = ingest::proposeDataset(args[1]);
        publish::writeFileAtomic(target, p.json);
        std::cout << "已写出 " << target << "。识别出的表：\n";
        for (const auto& line : p.found) std::cout << "  " << line << '\n';
        std::cout << "还需确认或修改（" << p.undecided.size() << " 项）：\n";
        for (const auto& line : p.undecided) std::cout << "  " << line << '\n';
        return kExitOk;
    }

    int dispatch(const std::vector<std::string>& args) {
        if (args.empty()) return usage("缺少命令。");
        req_.command = args[0];
        if (req_.command == "help") return help({args.begin() + 1, args.end()});
        if (req_.command == "rectify") return rectifyCommand(args);
        if (req_.command == "init") return initCommand(args);
        std::vector<std::string> datasetArgs = args;
        if (req_.command == "letters") {
            if (args.size() < 2) return usage("letters 需要一个操作：list、issue、void 或 reissue。");
            if (args[1] != "issue") return lettersCommand(args);
            // `letters issue 数据集`: a run that renders only the letters and issues them.
            req_.command = "run";
            req_.issue = true;
            req_.lettersOnly = true;  // the form whose form.json says "role": "letter"
            datasetArgs.erase(datasetArgs.begin());
            if (!documentsText_.empty()) return usage("letters issue 只生成反馈函，不能再用 --documents。");
        }
        if (req_.command != "check" && req_.command != "run" && req_.command != "publish") return usage("未知命令“" + req_.command + "”。");
        const bool templatesOnly = req_.command == "check" && datasetArgs.size() == 1 && !req_.templates.empty();
        if (datasetArgs.size() != 2 && !templatesOnly) return usage("命令 " + req_.command + " 需要且只需要一个数据集文件夹。");
        if (!templatesOnly) req_.dataset = datasetArgs[1];
        if (!jobsText_.empty()) {
            char* end = nullptr;
            long n = std::strtol(jobsText_.c_str(), &end, 10);
            if (*end != '\0' || n < 1 || n > 256) return usage("--jobs 应为1到256之间的整数，实际为“" + jobsText_ + "”。");
            req_.jobs = int(n);
        }
        if (!pdfProfileText_.empty()) {
            if (pdfProfileText_ != "pdfa-1b" && pdfProfileText_ != "plain") {
                return usage("--pdf-profile 应为 pdfa-1b 或 plain，实际为“" + pdfProfileText_ + "”。");
            }
            req_.plainPdf = pdfProfileText_ == "plain";
        }
        if (!formatsText_.empty()) {
            req_.formats = OutputFormats::parse(formatsText_);
            if (!req_.formats) return usage("--formats 应为 pdf、xlsx、ofd 中的一个或几个，逗号分隔，实际为“" + formatsText_ + "”。");
        }
        if (!documentsText_.empty()) req_.documents = documentsText_;  // checked against the forms once they are read
        if (!req_.date.empty() && !model::Date::parse(req_.date))
            return usage("--date 应为 YYYY-MM-DD 格式的日期，实际为“" + req_.date + "”。");
        // Documents are dated in this century: a date outside it is a typo, and refused here
        // rather than half-way through a run (the PDF date field and the 文号 year).
        if (!req_.date.empty() && (req_.date < "2000-01-01" || req_.date > "2099-12-31"))
            return usage("--date 应为 2000-01-01 至 2099-12-31 之间的日期，实际为“" + req_.date + "”。");
        // The bundled templates back up a user's --templates folder (forms it does not have).
        std::string data;
        try {
            data = dataDirFor(config().getString("application.dir", "."));
        } catch (const DataDirError&) {
            if (req_.templates.empty() || req_.fonts.empty()) throw;
        }
        if (!data.empty()) req_.bundledTemplates = data + "/templates";
        req_.templates = resourceDir(req_.templates, "templates", data);
        req_.fonts = resourceDir(req_.fonts, "fonts", data);
        if (templatesOnly) return checkTemplates(req_);
        if (req_.command == "check") return check(req_);
        if (req_.command != "publish" && req_.output.empty()) return usage("run 需要用 -o 指定输出文件夹。");
        publish::catchStopSignals();  // the commands that write outputs stop cleanly
        if (req_.command == "publish") return publishCommand();
        return runCommand(req_);
    }

    int rectifyCommand(const std::vector<std::string>& args) {
        if (args.size() != 2) return usage("rectify 需要一个操作：list、record、close 或 overdue。");
        rectify_.action = args[1];
        rectify_.db = req_.db;
        rectify_.date = today(req_.date);
        if (!yearText_.empty()) {
            char* end = nullptr;
            long y = std::strtol(yearText_.c_str(), &end, 10);
            if (*end != '\0' || y < 2000 || y > 2100) return usage("--year 应为四位年份，实际为“" + yearText_ + "”。");
            rectify_.year = int(y);
        }
        return rectify(rectify_, std::cout, std::cerr);
    }

    int lettersCommand(const std::vector<std::string>& args) {
        LettersRequest l;
        l.action = args[1];
        if (args.size() > 3) return usage("letters " + l.action + " 只需要一个反馈函文号。");
        if (args.size() == 3) {
            if (l.action == "list") return usage("letters list 不需要文号；可用 --year 和 --status 筛选。");
            l.letter = args[2];
        }
        l.db = req_.db;
        l.reason = reason_;
        l.status = rectify_.status;
        l.date = today(req_.date);
        if (!req_.date.empty() && !model::Date::parse(req_.date))
            return usage("--date 应为 YYYY-MM-DD 格式的日期，实际为“" + req_.date + "”。");
        if (!yearText_.empty()) {
            char* end = nullptr;
            long y = std::strtol(yearText_.c_str(), &end, 10);
            if (*end != '\0' || y < 2000 || y > 2100) return usage("--year 应为四位年份，实际为“" + yearText_ + "”。");
            l.year = int(y);
        }
        return letters(l, std::cout, std::cerr);
    }

    int publishCommand() {
        if (publishTo_.empty()) return usage("publish 需要用 --to 指定公开文件夹。");
        PublishRequest p;
        p.dataset = req_.dataset;
        p.to = publishTo_;
        p.rulesFile = req_.rules;
        p.templatesDir = req_.templates;
        p.bundledTemplatesDir = req_.bundledTemplates;
        p.fontsDir = req_.fonts;
        // --date pins "today" for the 公开日期 check.
        p.today = today(req_.date);
        p.force = force_;
        return runPublish(p, std::cout, std::cerr);
    }

    void onHelp(const std::string&, const std::string&) {
        helpRequested_ = true;
        stopOptionsProcessing();
    }
    /// `jixiao help [命令]`, `jixiao [命令] --help`.
    int help(const std::vector<std::string>& topic) {
        if (topic.empty()) {
            std::cout << usageText();
            return kExitOk;
        }
        if (topic.size() > 1) return usage("help 后面只写一个命令，例如 jixiao help run。");
        auto text = commandHelp(topic[0]);
        if (!text) return usage("没有命令“" + topic[0] + "”。");
        std::cout << *text;
        return kExitOk;
    }
    void onVersion(const std::string&, const std::string&) {
        std::string data, problem;
        try {
            data = dataDirFor(config().getString("application.dir", "."));
        } catch (const DataDirError& e) {
            problem = e.what();
        }
        std::cout << versionText(data, problem);
        done_ = true;
        stopOptionsProcessing();
    }
    int usage(const std::string& message) {
        std::cerr << "jixiao：" << message << "\n\n" << usageText();
        return kExitUsage;
    }

    Request req_;
    RectifyRequest rectify_;
    std::string yearText_;
    std::string reason_;
    std::string jobsText_;
    std::string documentsText_;
    std::string pdfProfileText_;
    std::string formatsText_;
    std::string publishTo_;
    bool force_ = false;
    bool done_ = false;
    bool helpRequested_ = false;
    std::string commandLine_;
    std::string logPath_;
    bool quiet_ = false;
};

}  // namespace

namespace {

int runCli(int argc, char** argv) {
    try {
        std::string commandLine = "jixiao";
        for (int i = 1; i < argc; ++i) commandLine += std::string(" ") + argv[i];
        Cli cli(commandLine);
        try {
            cli.init(argc, argv);
        } catch (const Poco::Util::OptionException& e) {
            std::cerr << "jixiao：" << optionProblem(e) << "\n\n" << usageText();
            return kExitUsage;
        }
        return cli.run();
    } catch (const std::exception& e) {
        std::cerr << "内部错误：" << e.what() << '\n';
        return 70;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const int code = runCli(argc, argv);
    // Stopped by SIGTERM or SIGINT, once everything is unwound: end as the signal would have,
    // so that systemd and the shell see how the process ended.
    publish::endIfStopped();
    return code;
}

}  // namespace jixiao::app
