#pragma once
// SIGINT and SIGTERM: one handler for the whole process, installed once by the program that owns
// the process (the `stride` tool at start-up; never by the runtime library, whose host has its
// own). It removes the temporary files of writes in progress (see atomic_file.h) and then ends the
// process with the signal's default action, so the shell still sees "killed by SIGINT". Inside a GracefulInterrupt
// scope the first SIGINT only asks the running loop to stop at its next safe point.
#include <atomic>
#include <cstddef>

namespace stride {

// Installs the handler for SIGINT and SIGTERM (once; a signal the process was started ignoring,
// as `nohup` or a background job does, stays ignored).
void install_interrupt_handler();

// Registers a temporary file that the handler, when installed, removes if the process is
// interrupted before the registration is dropped. Returns a slot to drop, or -1 when every slot is taken or the path is
// too long (the file is then written unprotected). Async-signal-safe to read; not to call.
int register_temporary(const char* absolute_path);
void drop_temporary(int slot);
// True once the handler has begun removing temporaries: the process is ending, and a writer that
// created its temporary after the handler's sweep removes it itself.
bool process_is_ending();

// While alive, the first SIGINT sets requested() instead of ending the process; a second SIGINT,
// or a SIGTERM, ends it as usual. One scope at a time; the previous one is restored on exit.
class GracefulInterrupt {
 public:
  GracefulInterrupt();
  ~GracefulInterrupt();
  GracefulInterrupt(const GracefulInterrupt&) = delete;
  GracefulInterrupt& operator=(const GracefulInterrupt&) = delete;

  bool requested() const { return requested_.load(); }
  const std::atomic<bool>& flag() const { return requested_; }

 private:
  std::atomic<bool> requested_{false};
  std::atomic<bool>* previous_ = nullptr;
};

}  // namespace stride
