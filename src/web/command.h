#pragma once

#include <string>
#include <vector>

namespace jixiao::web {

/// Whether `args` (after the program name) is a command of the workspace: serve or user.
bool isWebCommand(const std::vector<std::string>& args);

/// `jixiao serve --data DIR [--listen HOST:PORT] [--site DIR] [--max-upload MB] [--jobs N]
/// [--secure-cookie] [--templates DIR] [--fonts DIR] [--assets DIR]` and
/// `jixiao user add NAME --role admin|staff|viewer --data DIR --password-stdin`.
/// Templates, fonts and pages come from jixiao's data folder as for the CLI (JIXIAO_DATA, the
/// installed share/jixiao, or the source tree) unless given. Returns the exit code.
int webCommand(const std::vector<std::string>& args);

}  // namespace jixiao::web
