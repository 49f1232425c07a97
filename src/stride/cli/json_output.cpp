#include "stride/cli/json_output.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::cli {
namespace {

constexpr const char* kStandardOutput = "-";

}  // namespace

JsonOutput::JsonOutput(std::string file) : file_(std::move(file)) {
  if (file_ != kStandardOutput) return;
  std::fflush(stdout);
  stdout_fd_ = dup(STDOUT_FILENO);
  if (stdout_fd_ < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
    fail("--json -: cannot set standard output aside: {}", std::strerror(errno));
}

JsonOutput::~JsonOutput() {
  if (stdout_fd_ < 0) return;
  std::fflush(stdout);
  dup2(stdout_fd_, STDOUT_FILENO);
  close(stdout_fd_);
}

OutputPath JsonOutput::output_path() const { return {"--json", file_ == kStandardOutput ? std::string() : file_}; }

void JsonOutput::write(const nlohmann::ordered_json& document) const {
  if (!requested()) return;
  const std::string text = document.dump(2) + "\n";
  if (stdout_fd_ < 0) {
    write_file_atomically(file_, text);
    fmt::print("JSON written to {}\n", file_);
    return;
  }
  std::fflush(stdout);
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(stdout_fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("--json -: cannot write to standard output: {}", std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

}  // namespace stride::cli
