#pragma once
// Several versions of one model (FP32 and its quantized or pruned variants) timed on one backend,
// run by run in turn, on the same inputs: each version sees the same machine state, so their ratio
// is steadier than that of separate benchmarks on a noisy machine.
#include <cstdint>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/measure/latency_stats.h"

namespace stride {

struct RaceConfig {
  int64_t batch = 1;
  int warmup = 3;
  int runs = 10;
  int threads = 0;  // 0: all cores
  uint64_t seed = 0;
};

// One LatencyStats per model, in order. Throws stride::Error when the models' inputs differ (they
// must be versions of one model), on a batch < 1 or no runs.
std::vector<LatencyStats> race_models(const std::vector<const Graph*>& models, const Backend& backend,
                                      const RaceConfig& config);

}  // namespace stride
