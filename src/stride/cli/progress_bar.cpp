#include "stride/cli/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace stride::cli {

std::string clock_time(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02d}:{:02d}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02d}", s / 60, s % 60);
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), terminal_(isatty(fileno(stderr)) != 0), start_(Clock::now()) {}

void ProgressBar::update(size_t done, size_t total, std::string_view note) {
  const double seconds = elapsed();
  const double fraction = total ? static_cast<double>(done) / total : 1.0;
  const std::string eta = done ? clock_time(seconds / done * (total - done)) : "?";
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    fmt::print(stderr, "\r{} [{}{}] {:3.0f}% {}/{} ETA {} {}  ", label_, std::string(filled, '#'),
               std::string(kWidth - filled, '-'), 100 * fraction, done, total, eta, note);
    if (done == total) fmt::print(stderr, "\n");
  } else if (const int tenth = static_cast<int>(fraction * 10); tenth > last_tenth_) {
    last_tenth_ = tenth;
    fmt::print(stderr, "{}: {:.0f}% ({}/{}), ETA {} {}\n", label_, 100 * fraction, done, total, eta, note);
  }
  std::fflush(stderr);
}

double ProgressBar::elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

}  // namespace stride::cli
