#pragma once

#include <optional>
#include <string>

namespace jixiao::app {

/// The overview printed by `jixiao help`, `jixiao --help` and after a usage error: every
/// command with one line, the options every command takes, the exit codes.
std::string usageText();

/// `jixiao help 命令`: the command's usage, what it does, its options and examples to paste.
/// Nothing for a command jixiao does not have.
std::optional<std::string> commandHelp(const std::string& command);

/// What to do when a document could not be rendered (a font, libharu or libxlsxwriter
/// failure), said after the cause.
std::string renderFailureAdvice();

}  // namespace jixiao::app
