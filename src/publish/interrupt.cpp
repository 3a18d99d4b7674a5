#include "publish/interrupt.h"

#include <atomic>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace jixiao::publish {

namespace {

std::atomic<int> requested{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

void onStopSignal(int signal) {
    requested.store(signal);
    // write(2) is async-signal-safe; the text says what happens next.
    static const char message[] = "\n正在停止：写完当前文件后退出，不留下写了一半的文件。再按一次 Ctrl-C 立即退出。\n";
    const ssize_t n = ::write(STDERR_FILENO, message, sizeof message - 1);
    (void)n;
}

}  // namespace

void catchStopSignals() {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    // SA_RESTART: the libraries writing files do not retry interrupted calls. SA_RESETHAND:
    // a second signal has the default effect and ends the process at once.
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
}

int stopSignal() noexcept { return requested.load(); }

void throwIfStopRequested() {
    const int signal = stopSignal();
    if (signal == 0) return;
    throw Interrupted(std::string("收到") + (signal == SIGINT ? "中断信号（Ctrl-C）" : "终止信号（SIGTERM）") + "，已停止");
}

void endIfStopped() {
    const int signal = stopSignal();
    if (signal == 0) return;
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

}  // namespace jixiao::publish
