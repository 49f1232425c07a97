#include "stride/measure/latency_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "stride/core/error.h"

namespace stride {

double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) fail("percentile of no samples");
  std::sort(samples.begin(), samples.end());
  const double rank = p / 100.0 * static_cast<double>(samples.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, samples.size() - 1);
  return samples[lo] + (samples[hi] - samples[lo]) * (rank - static_cast<double>(lo));
}

LatencyStats latency_stats(std::vector<double> samples_ms) {
  if (samples_ms.empty()) fail("latency statistics need at least one timed run");
  LatencyStats s;
  s.runs = static_cast<int>(samples_ms.size());
  s.mean_ms = std::accumulate(samples_ms.begin(), samples_ms.end(), 0.0) / s.runs;
  double sq = 0;
  for (double v : samples_ms) sq += (v - s.mean_ms) * (v - s.mean_ms);
  s.stddev_ms = std::sqrt(sq / s.runs);
  const auto [lo, hi] = std::minmax_element(samples_ms.begin(), samples_ms.end());
  s.min_ms = *lo;
  s.max_ms = *hi;
  s.median_ms = percentile(samples_ms, 50);
  s.p90_ms = percentile(samples_ms, 90);
  s.p99_ms = percentile(samples_ms, 99);
  s.cv = s.mean_ms > 0 ? s.stddev_ms / s.mean_ms : 0;
  s.p90_over_median = s.median_ms > 0 ? s.p90_ms / s.median_ms : 0;
  return s;
}

}  // namespace stride
