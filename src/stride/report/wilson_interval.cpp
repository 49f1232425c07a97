#include "stride/report/wilson_interval.h"

#include <algorithm>
#include <cmath>

namespace stride {

Interval wilson_interval(double successes, int64_t trials, double z) {
  if (trials <= 0) return {};
  const double n = static_cast<double>(trials);
  const double p = successes / n;
  const double z2n = z * z / n;
  const double centre = (p + z2n / 2) / (1 + z2n);
  const double half = z / (1 + z2n) * std::sqrt(p * (1 - p) / n + z2n / (4 * n));
  // Rounding alone can push an end a hair past 0 or 1 at p = 0 or 1.
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace stride
