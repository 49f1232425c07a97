#include "stride/eval/subject_split.h"

#include <algorithm>
#include <cmath>

#include "stride/core/error.h"

namespace stride::eval {
namespace {

std::vector<int> sorted_distinct(std::span<const int> subjects) {
  std::vector<int> out(subjects.begin(), subjects.end());
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The first `train` subjects, the next `validation`, then the rest.
SubjectSplit split_in_order(const std::vector<int>& subjects, size_t train, size_t validation) {
  const auto cut1 = subjects.begin() + static_cast<std::ptrdiff_t>(train);
  const auto cut2 = cut1 + static_cast<std::ptrdiff_t>(validation);
  return {{subjects.begin(), cut1}, {cut1, cut2}, {cut2, subjects.end()}};
}

}  // namespace

SubjectSplit casia_b_split(std::span<const int> subjects, int train_count) {
  const std::vector<int> sorted = sorted_distinct(subjects);
  if (train_count < 0 || static_cast<size_t>(train_count) >= sorted.size())
    fail("CASIA-B split of {} subjects with {} for training leaves no test subject: expected 0 <= train count < {}",
         sorted.size(), train_count, sorted.size());
  return split_in_order(sorted, static_cast<size_t>(train_count), 0);
}

SubjectSplit tum_gaid_split(std::span<const int> subjects) {
  constexpr double kTrain = 100.0 / 305, kValidation = 50.0 / 305;
  const std::vector<int> sorted = sorted_distinct(subjects);
  if (sorted.empty()) fail("TUM-GAID split needs at least one subject");
  const auto n = static_cast<double>(sorted.size());
  return split_in_order(sorted, static_cast<size_t>(std::lround(n * kTrain)),
                        static_cast<size_t>(std::lround(n * kValidation)));
}

}  // namespace stride::eval
