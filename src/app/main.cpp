#include "app/cli.h"
#include "web/command.h"

#include <string>
#include <vector>

int main(int argc, char** argv) {
    // serve and user belong to the web workspace, which is built on the app's commands.
    std::vector<std::string> args(argv + 1, argv + argc);
    if (jixiao::web::isWebCommand(args)) return jixiao::web::webCommand(args);
    return jixiao::app::main(argc, argv);
}
