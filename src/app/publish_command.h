#pragma once

#include <ostream>
#include <string>

namespace jixiao::app {

/// What `jixiao publish` was asked to do; paths already resolved by the CLI.
struct PublishRequest {
    std::string dataset;
    std::string to;         ///< the published folder (--to)
    std::string rulesFile;  ///< --rules; empty = the dataset's 评分规则
    std::string templatesDir;
    std::string bundledTemplatesDir;  ///< forms templatesDir lacks; may be empty
    std::string fontsDir;
    std::string today;   ///< ISO date read from the clock by the CLI, or --date
    bool force = false;  ///< --force: publish before the 公开日期 (or without one)
};

/// Publishes the public view of a dataset (绩效信息公开) to `request.to`: refuses a dataset
/// with errors (65), a dataset without 公开日期 (78) and, unless forced, a day before the
/// 公开日期 (75); takes the folder's lock (75 when held); builds the whole site in a private
/// staging folder, then writes only what changed and the manifest last. Documents are dated
/// the 公开日期, so an unchanged dataset gives the same bytes on any day and a second run
/// reports that nothing changed. Returns the exit code; throws the ingest, rule, template,
/// render and output errors for the CLI to map.
int runPublish(const PublishRequest& request, std::ostream& out, std::ostream& err);

}  // namespace jixiao::app
