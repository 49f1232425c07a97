#include "stride/core/interrupt.h"

#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <mutex>

namespace stride {
namespace {

// A fixed registry, so that the handler only reads memory that exists before any signal: a slot is
// free, being filled (not yet visible to the handler) or live (its path is complete).
constexpr int kSlots = 256;
enum SlotState : int { kFree = 0, kFilling = 1, kLive = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[PATH_MAX];
};
Slot slots[kSlots];

std::atomic<bool> ending{false};
// The flag of the innermost GracefulInterrupt, or null.
std::atomic<std::atomic<bool>*> graceful{nullptr};
struct sigaction previous_int, previous_term;

static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free &&
                  std::atomic<std::atomic<bool>*>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

// Each live slot is taken for good before its path is read, so that no writer can reuse it meanwhile.
void remove_live_temporaries() {
  for (Slot& slot : slots) {
    int live = kLive;
    if (slot.state.compare_exchange_strong(live, kFilling)) ::unlink(slot.path);
  }
}

extern "C" void on_interrupt(int signal) {
  if (signal == SIGINT) {
    std::atomic<bool>* flag = graceful.load();
    if (flag != nullptr && !flag->exchange(true)) return;  // the first Ctrl-C: stop at the next safe point
  }
  ending.store(true);
  remove_live_temporaries();
  // Then what would have happened without this handler: the previous handler if there was one,
  // else the default action (the process ends "killed by signal", which the shell reports).
  const struct sigaction& previous = signal == SIGINT ? previous_int : previous_term;
  ::sigaction(signal, &previous, nullptr);
  ::raise(signal);  // delivered when this handler returns (the signal is blocked while it runs)
}

void install_for(int signal, struct sigaction& previous) {
  ::sigaction(signal, nullptr, &previous);
  if (previous.sa_handler == SIG_IGN) return;  // started ignoring it (nohup, background job): keep it so
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);
  sigaddset(&action.sa_mask, SIGTERM);
  action.sa_flags = SA_RESTART;
  ::sigaction(signal, &action, nullptr);
}

}  // namespace

void install_interrupt_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    install_for(SIGINT, previous_int);
    install_for(SIGTERM, previous_term);
  });
}

int register_temporary(const char* absolute_path) {
  const size_t length = std::strlen(absolute_path);
  if (length >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (!slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(slots[i].path, absolute_path, length + 1);
    slots[i].state.store(kLive);
    return i;
  }
  return -1;
}

void drop_temporary(int slot) {
  int live = kLive;  // a slot the handler has taken stays taken: the process is ending
  if (slot >= 0 && slot < kSlots) slots[slot].state.compare_exchange_strong(live, kFree);
}

bool process_is_ending() { return ending.load(); }

GracefulInterrupt::GracefulInterrupt() {
  install_interrupt_handler();
  previous_ = graceful.exchange(&requested_);
}

GracefulInterrupt::~GracefulInterrupt() { graceful.store(previous_); }

}  // namespace stride
