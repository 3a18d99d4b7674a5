#include "app/cli.h"

#include "ingest/dataset_reader.h"
#include "model/validate.h"

#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <algorithm>
#include <iostream>

namespace jixiao::app {

namespace {

constexpr const char* kUsage =
    "用法：jixiao <命令> [选项] 数据集文件夹\n"
    "\n"
    "命令：\n"
    "  check 数据集              检查数据集，列出全部问题，不生成文件\n"
    "  run 数据集 -o 输出文件夹  检查、评分并生成 results.json\n"
    "\n"
    "选项：\n"
    "  -o, --output=文件夹       输出文件夹（run 必填）\n"
    "      --rules=文件          使用指定的评分规则文件，代替 dataset.json 中的“评分规则”\n"
    "      --templates=文件夹    模板文件夹（默认为程序旁的 templates）\n"
    "  -h, --help                显示本帮助\n"
    "  -V, --version             显示版本\n"
    "\n"
    "退出码：0 成功；64 用法错误；65 数据有错误；66 找不到输入；73 无法写出文件；78 配置错误。\n";

/// What the command line asked for.
struct Request {
    std::string command;
    std::string dataset;
    std::string output;
    std::string rules;
    std::string templates;
};

void printDiagnostics(const model::Diagnostics& diags, std::ostream& err) {
    for (const auto& d : diags.list()) err << d.format() << '\n';
    if (diags.suppressed() > 0)
        err << "另有 " << diags.suppressed() << " 条问题未逐条列出（每个文件最多列出 200 条）。\n";
}

/// Reads and cross-checks the dataset; prints its diagnostics. Throws the ingest errors.
model::Dataset load(const std::string& folder, model::Diagnostics& diags) {
    model::Dataset ds = ingest::readDataset(folder, diags);
    model::validate(ds, diags);
    return ds;
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
    model::Diagnostics diags;
    model::Dataset ds = load(req.dataset, diags);
    printDiagnostics(diags, std::cerr);
    printSummary(ds, diags, std::cout);
    return diags.errors() > 0 ? kExitDataError : kExitOk;
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
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Poco::Util::Application::handleOption(name, value);
        if (name == "output") req_.output = value;
        if (name == "rules") req_.rules = value;
        if (name == "templates") req_.templates = value;
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
        }
    }

private:
    int dispatch(const std::vector<std::string>& args) {
        if (args.empty()) return usage("缺少命令。");
        req_.command = args[0];
        if (req_.command != "check" && req_.command != "run") return usage("未知命令“" + req_.command + "”。");
        if (args.size() != 2) return usage("命令 " + req_.command + " 需要且只需要一个数据集文件夹。");
        req_.dataset = args[1];
        if (req_.command == "check") return check(req_);
        if (req_.output.empty()) return usage("run 需要用 -o 指定输出文件夹。");
        return check(req_);
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
