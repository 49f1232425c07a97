#pragma once
// Summary statistics of timed runs, as the paper's protocol reports them.
#include <vector>

namespace stride {

struct LatencyStats {
  int runs = 0;
  double mean_ms = 0, median_ms = 0, p90_ms = 0, p99_ms = 0, min_ms = 0, max_ms = 0, stddev_ms = 0;
  // The spread, as ratios: coefficient of variation (stddev / mean) and the tail against the middle.
  double cv = 0, p90_over_median = 0;
};

// Percentiles by linear interpolation between closest ranks (NumPy's default). Throws on no samples.
LatencyStats latency_stats(std::vector<double> samples_ms);
double percentile(std::vector<double> samples, double p);

}  // namespace stride
