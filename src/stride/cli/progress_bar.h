#pragma once
// Progress of a long job on stderr: one line redrawn in place on a terminal, otherwise a plain line
// at every tenth of the work so that logs stay short.
#include <chrono>
#include <string>
#include <string_view>

namespace stride::cli {

// "m:ss" or "h:mm:ss".
std::string clock_time(double seconds);

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  // `note` (e.g. the running loss) is printed after the counts.
  void update(size_t done, size_t total, std::string_view note = {});
  double elapsed() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  bool terminal_;
  Clock::time_point start_;
  int last_tenth_ = 0;
};

}  // namespace stride::cli
