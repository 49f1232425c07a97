#pragma once
// The Wilson score interval of a proportion: how far an accuracy measured on n probes can be from
// the accuracy the model would reach on many more. Unlike the normal approximation it stays inside
// [0, 1] and is sensible at 0/n and n/n, which small test sets reach.
#include <cstdint>

namespace stride {

struct Interval {
  double low = 0;
  double high = 1;
};

// Interval of the proportion `successes / trials` at the normal quantile z (1.96: 95 %). `successes`
// may be fractional: a protocol's mean accuracy times its probes. With no trials, [0, 1].
Interval wilson_interval(double successes, int64_t trials, double z = 1.96);

}  // namespace stride
