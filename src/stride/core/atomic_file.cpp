#include "stride/core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "stride/core/error.h"
#include "stride/core/memory_budget.h"
#include "stride/core/interrupt.h"

namespace stride {
namespace {

namespace fs = std::filesystem;

uint64_t random_word() {
  static std::atomic<uint64_t> threads{0};
  thread_local std::mt19937_64 engine(std::random_device{}() ^ (threads.fetch_add(1) << 32));
  return engine();
}

// The temporary file of one write: created exclusively under a name no other writer uses,
// registered with the interrupt handler while it exists, removed unless committed.
class Temporary {
 public:
  // `mode`: the new file's permissions before the umask.
  Temporary(const fs::path& target, mode_t mode) : target_(target) {
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..") fail("'{}' names a folder, expected a file", target.string());
    // Hidden, next to the target (so the rename stays on one file system), and within NAME_MAX.
    const std::string stem = fmt::format(".{}.{}.", name.substr(0, 200), ::getpid());
    for (int attempt = 0;; ++attempt) {
      path_ = target.parent_path() / fmt::format("{}{:016x}.tmp", stem, random_word());
      slot_ = register_temporary(fs::absolute(path_).c_str());
      const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
      if (fd >= 0) {
        ::close(fd);
        break;
      }
      const int error = errno;
      drop_temporary(slot_);
      if (error != EEXIST || attempt == 16) fail("cannot write '{}': {}", target.string(), std::strerror(error));
    }
    // The handler swept the registry before this file existed: remove it here.
    if (process_is_ending()) {
      discard();
      fail("interrupted while writing '{}'", target.string());
    }
  }
  ~Temporary() { discard(); }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  const fs::path& path() const { return path_; }

  void commit() {
    std::error_code ec;
    fs::rename(path_, target_, ec);
    if (ec) fail("cannot rename '{}' to '{}': {}", path_.string(), target_.string(), ec.message());
    committed_ = true;
    drop_temporary(slot_);
  }

 private:
  void discard() {
    if (committed_) return;
    ::unlink(path_.c_str());
    drop_temporary(slot_);
    committed_ = true;
  }

  fs::path target_, path_;
  int slot_ = -1;
  bool committed_ = false;
};

void write_with_mode(const fs::path& path, const std::function<void(std::ostream&)>& writer, mode_t mode) {
  Temporary temporary(path, mode);
  {
    std::ofstream out(temporary.path(), std::ios::binary | std::ios::trunc);
    if (!out) fail("cannot write '{}': {}", path.string(), std::strerror(errno));
    writer(out);
    out.flush();
    if (!out) fail("writing '{}' failed: {}", path.string(), std::strerror(errno));
    out.close();
    if (!out) fail("writing '{}' failed: {}", path.string(), std::strerror(errno));
  }
  temporary.commit();
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& writer) {
  write_with_mode(path, writer, 0666);
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  write_file_atomically(
      path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

void write_private_file_atomically(const fs::path& path, std::string_view bytes) {
  write_with_mode(
      path, [&](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); }, 0600);
}

std::string read_file(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) fail("'{}' is a directory, expected a file", path.string());
  // A device (/dev/zero never ends), FIFO (blocks until a writer comes) or socket is refused before it is opened.
  if (fs::exists(path, ec) && !fs::is_regular_file(path, ec))
    fail("'{}' is not a regular file (a device, FIFO or socket); expected a file", path.string());
  if (const auto size = fs::file_size(path, ec); !ec) check_memory(size, fmt::format("reading '{}'", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot open '{}': {}", path.string(), std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) fail("cannot read '{}'", path.string());
  return buffer.str();
}

}  // namespace stride
