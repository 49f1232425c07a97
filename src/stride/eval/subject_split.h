#pragma once
// Which subjects train the model and which are kept for the test protocol.
// Subjects are taken in ascending id order, as the datasets' published splits are.
#include <span>
#include <vector>

namespace stride::eval {

struct SubjectSplit {
  std::vector<int> train;
  std::vector<int> validation;  // empty for CASIA-B
  std::vector<int> test;
};

// The first `train_count` distinct subjects train, the rest test: 74 / 50 of CASIA-B's 124; pass
// a smaller count for a small synthetic set. Throws stride::Error unless 0 <= train_count and at
// least one subject is left for the test.
SubjectSplit casia_b_split(std::span<const int> subjects, int train_count = 74);

// TUM-GAID's 100 train / 50 validation / 155 test out of 305 subjects; another number of subjects
// is split in the same proportions (rounded to the nearest subject, the rest test). Throws
// stride::Error when there are no subjects.
SubjectSplit tum_gaid_split(std::span<const int> subjects);

}  // namespace stride::eval
