#include "app/cli.h"
#include "web/command.h"

#include <Poco/Path.h>

#include <climits>
#include <string>
#include <unistd.h>
#include <vector>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (jixiao::web::isWebCommand(args)) {
        char exe[PATH_MAX];
        ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        std::string dir = n > 0 ? Poco::Path(std::string(exe, std::size_t(n))).parent().toString() : std::string(".");
        return jixiao::web::webCommand(args, dir);
    }
    return jixiao::app::main(argc, argv);
}
