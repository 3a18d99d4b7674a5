#pragma once

#include <stdexcept>
#include <string>

namespace jixiao::publish {

// A clean stop on SIGTERM (systemd, kill) and SIGINT (Ctrl-C): the handler only records the
// signal; the work stops at its next safe point — before it writes the next output file —
// by throwing Interrupted, so every file is either whole or not there, temporary files are
// removed by their owners as the exception unwinds, and no manifest is written. A second
// signal ends the process at once.

/// Thrown at a safe point once a stop was asked for. `what()` is a Chinese sentence naming
/// the signal.
class Interrupted : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Installs the handlers for SIGTERM and SIGINT (for the commands that write outputs).
void catchStopSignals();

/// The signal that asked to stop, 0 when none did.
int stopSignal() noexcept;

/// A safe point: throws Interrupted when a stop was asked for.
void throwIfStopRequested();

/// Ends the process the way the signal would have, once the work has been unwound (the
/// caller's shell or systemd sees "terminated by SIGTERM"). Returns when there was none.
void endIfStopped();

}  // namespace jixiao::publish
