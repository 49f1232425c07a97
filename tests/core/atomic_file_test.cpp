// Atomic file writes: unique temporaries in the target's folder, never a torn file under the final
// name, and no temporary left behind by a throwing writer or by SIGINT/SIGTERM.
#include "stride/core/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "stride/core/error.h"
#include "stride/core/interrupt.h"

namespace stride {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("stride_atomic_" + std::to_string(getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> names() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir_)) found.push_back(e.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
  }

  fs::path dir_;
};

TEST_F(AtomicFile, WritesTheBytesAndLeavesOnlyTheFile) {
  write_file_atomically(dir_ / "a.json", "{}\n");
  write_file_atomically(dir_ / "a.json", "[1, 2]\n");  // replaces
  EXPECT_EQ(read_file(dir_ / "a.json"), "[1, 2]\n");
  EXPECT_EQ(names(), std::vector<std::string>{"a.json"});
}

TEST_F(AtomicFile, TemporaryIsHiddenUniqueAndInTheSameFolder) {
  std::vector<std::string> seen;
  for (int i = 0; i < 2; ++i)
    write_file_atomically(dir_ / "model.onnx", [&](std::ostream& out) {
      out << "bytes";
      seen.push_back(names().front());  // the temporary, while it is being written
    });
  ASSERT_EQ(seen.size(), 2u);
  const std::string prefix = ".model.onnx." + std::to_string(getpid()) + ".";
  for (const std::string& name : seen) {
    EXPECT_EQ(name.rfind(prefix, 0), 0u) << name;
    EXPECT_TRUE(name.ends_with(".tmp")) << name;
  }
  EXPECT_NE(seen[0], seen[1]);
  EXPECT_EQ(names(), std::vector<std::string>{"model.onnx"});
}

TEST_F(AtomicFile, ThrowingWriterLeavesNothing) {
  write_file_atomically(dir_ / "kept.txt", "old");
  EXPECT_THROW(write_file_atomically(dir_ / "kept.txt",
                                     [](std::ostream& out) {
                                       out << "half";
                                       throw std::runtime_error("disk full");
                                     }),
               std::runtime_error);
  EXPECT_THROW(write_file_atomically(dir_ / "new.txt",
                                     [](std::ostream& out) {
                                       out << "half";
                                       throw Error("no");
                                     }),
               Error);
  EXPECT_EQ(names(), std::vector<std::string>{"kept.txt"});
  EXPECT_EQ(read_file(dir_ / "kept.txt"), "old");
}

TEST_F(AtomicFile, MissingFolderIsOneLineNamingThePath) {
  try {
    write_file_atomically(dir_ / "absent" / "x.json", "{}");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("absent"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// Two writers of the same path at once: each write succeeds, and the file is always one of them whole.
TEST_F(AtomicFile, ConcurrentWritersNeverTearTheFile) {
  const fs::path path = dir_ / "shared.bin";
  const std::string a(1 << 18, 'a'), b(1 << 18, 'b');
  write_file_atomically(path, a);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, torn{0};
  auto writer = [&](const std::string& bytes) {
    for (int i = 0; i < 40; ++i) {
      try {
        write_file_atomically(path, [&](std::ostream& out) {
          // In two halves, so that the two writers interleave inside a write.
          out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
          out.flush();
          std::this_thread::yield();
          out.write(bytes.data() + bytes.size() / 2, static_cast<std::streamsize>(bytes.size() / 2));
        });
      } catch (const std::exception&) {
        ++failures;
      }
    }
  };
  std::thread reader([&] {
    while (!done) {
      const std::string now = read_file(path);
      if (now != a && now != b) ++torn;
    }
  });
  std::thread t1(writer, a), t2(writer, b);
  t1.join();
  t2.join();
  done = true;
  reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(torn, 0);
  EXPECT_EQ(names(), std::vector<std::string>{"shared.bin"});
}

// Forks a child that, as the `stride` tool does at start-up, installs the interrupt handler, starts
// writing `file` (inside a GracefulInterrupt scope if `graceful`) and stays in the middle of the
// write until a signal ends it; returns once the temporary exists.
pid_t child_stuck_mid_write(const fs::path& file, bool graceful) {
  int ready[2];
  if (pipe(ready) != 0) throw std::runtime_error("pipe");
  const pid_t child = fork();
  if (child == 0) {
    close(ready[0]);
    install_interrupt_handler();
    std::optional<GracefulInterrupt> stop;
    if (graceful) stop.emplace();
    try {
      write_file_atomically(file, [&](std::ostream& out) {
        out << "partial";
        out.flush();
        const char c = 'x';
        if (write(ready[1], &c, 1) != 1) _exit(3);
        for (;;) pause();  // a stop request is ignored: only the end of the process ends this
      });
    } catch (...) {
    }
    _exit(2);
  }
  close(ready[1]);
  char c = 0;
  const bool started = child > 0 && read(ready[0], &c, 1) == 1;
  close(ready[0]);
  if (!started) throw std::runtime_error("the writing child did not start");
  return child;
}

// The signal that ended `child`, or -1 when it exited.
int end_signal(pid_t child) {
  int status = 0;
  if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status)) return -1;
  return WTERMSIG(status);
}

void expect_signal_removes_temporary(const fs::path& dir, int signal) {
  const pid_t child = child_stuck_mid_write(dir / "out.onnx", false);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 1);  // the temporary exists
  kill(child, signal);
  EXPECT_EQ(end_signal(child), signal);  // the default action still ends the process
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 0);
}

// A library writes files without touching the host's signal handling: only the program that owns
// the process installs a handler (the runtime library never does).
TEST_F(AtomicFile, WritingInstallsNoSignalHandler) {
  struct sigaction before_int {
  }, before_term{}, after_int{}, after_term{};
  ::sigaction(SIGINT, nullptr, &before_int);
  ::sigaction(SIGTERM, nullptr, &before_term);
  write_file_atomically(dir_ / "plain.bin", [](std::ostream& out) { out << "bytes"; });
  ::sigaction(SIGINT, nullptr, &after_int);
  ::sigaction(SIGTERM, nullptr, &after_term);
  EXPECT_EQ(after_int.sa_handler, before_int.sa_handler);
  EXPECT_EQ(after_term.sa_handler, before_term.sa_handler);
  EXPECT_EQ(names(), std::vector<std::string>{"plain.bin"});
}

TEST_F(AtomicFile, SigintMidWriteLeavesNoTemporary) { expect_signal_removes_temporary(dir_, SIGINT); }
TEST_F(AtomicFile, SigtermMidWriteLeavesNoTemporary) { expect_signal_removes_temporary(dir_, SIGTERM); }

// The graceful stop of `stride train` and `prune --finetune-epochs`: the first SIGINT only asks the
// loop to stop at its next safe point, a second one (or SIGTERM) ends the process, temporaries removed.
pid_t graceful_child(const fs::path& dir, int ready_fd) {
  const pid_t child = fork();
  if (child != 0) return child;
  GracefulInterrupt stop;
  try {
    write_file_atomically(dir / "checkpoint", [&](std::ostream& out) {
      out << "epoch";
      out.flush();
      const char c = 'x';
      if (write(ready_fd, &c, 1) != 1) _exit(3);
      while (!stop.requested()) usleep(1000);
      // The first Ctrl-C: this write finishes, and so does the loop.
    });
  } catch (...) {
    _exit(2);
  }
  const char c = 'y';
  if (write(ready_fd, &c, 1) != 1) _exit(3);
  for (;;) pause();  // waits for the second signal
}

TEST_F(AtomicFile, FirstSigintInGracefulScopeOnlyRequestsAStop) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = graceful_child(dir_, ready[1]);
  ASSERT_GE(child, 0);
  close(ready[1]);  // a child that dies makes the reads below return 0 instead of waiting
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  kill(child, SIGINT);
  ASSERT_EQ(read(ready[0], &c, 1), 1) << "the first SIGINT ended the process";
  EXPECT_EQ(c, 'y');  // the write completed after the first SIGINT
  EXPECT_EQ(read_file(dir_ / "checkpoint"), "epoch");
  kill(child, SIGINT);  // the second one ends it
  EXPECT_EQ(end_signal(child), SIGINT);
  close(ready[0]);
  EXPECT_EQ(names(), std::vector<std::string>{"checkpoint"});
}

TEST_F(AtomicFile, SecondSigintInGracefulScopeEndsTheProcessAndRemovesTemporaries) {
  const pid_t child = child_stuck_mid_write(dir_ / "model.onnx", true);
  kill(child, SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);  // still writing
  kill(child, SIGINT);
  EXPECT_EQ(end_signal(child), SIGINT);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 0);
}

TEST_F(AtomicFile, SigtermInGracefulScopeEndsTheProcessAtOnce) {
  const pid_t child = child_stuck_mid_write(dir_ / "model.onnx", true);
  kill(child, SIGTERM);
  EXPECT_EQ(end_signal(child), SIGTERM);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 0);
}

}  // namespace
}  // namespace stride
