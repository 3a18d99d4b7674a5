#pragma once

namespace jixiao::app {

/// BSD sysexits, returned explicitly from main.
enum ExitCode : int {
    kExitOk = 0,
    kExitUsage = 64,
    kExitDataError = 65,
    kExitNoInput = 66,
    kExitCannotCreate = 73,
    /// publish: before the dataset's 公开日期, or another run holds the lock. A scheduler runs
    /// `publish` daily from well before the date, so these refusals mean "retry later", not a failure.
    kExitTempFail = 75,
    kExitConfig = 78,
};

/// The whole command line: parses options (Poco::Util), dispatches to a command, catches
/// everything and returns the exit code. Messages are Chinese.
int main(int argc, char** argv);

}  // namespace jixiao::app
