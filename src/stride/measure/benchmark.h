#pragma once
// The benchmark protocol of the paper: for each batch size, warm-up runs, then
// timed runs of the computation only (compilation and input preparation are outside the timed
// window). Several backends run interleaved, run by run, on the same inputs, so that they see the
// same machine state; their outputs are compared.
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/measure/energy_figures.h"
#include "stride/measure/energy_meter.h"
#include "stride/measure/latency_stats.h"
#include "stride/measure/machine_info.h"
#include "stride/measure/machine_load.h"

namespace stride {

struct BenchConfig {
  std::vector<int64_t> batches{1};
  int warmup = 5;
  int runs = 20;
  // > 0: instead of `runs`, time runs until this many seconds have passed, and at least kMinDurationRuns.
  double duration_seconds = 0;
  int threads = 0;               // 0: all cores
  std::vector<int> pinned_cpus;  // the cores the process was pinned to (--pin), for the record
  uint64_t seed = 0;
  double agreement_tolerance = 1e-3;  // largest relative output difference between backends
  double idle_seconds = 0;            // > 0: measure idle power this long first and subtract it
};

// Fewer timed runs give no median and no p90 worth the name, however long each run is.
constexpr int kMinDurationRuns = 5;

struct BackendTiming {
  std::string backend;
  LatencyStats whole;
  // The paper's split, when the model has a classifier head after its feature output.
  std::optional<LatencyStats> feature_extractor;
  std::optional<LatencyStats> head;
  double ms_per_sample = 0;
  double samples_per_second = 0;
  double gflops_per_second = 0;
  size_t arena_bytes = 0;
  // Over the timed runs of the whole model only; absent when no meter was given.
  std::optional<EnergyFigures> energy;
};

struct BatchResult {
  int64_t batch = 1;
  int runs = 0;      // timed runs made (of each plan)
  double gflop = 0;  // per batch, from the cost model
  std::vector<BackendTiming> backends;
  // With two backends: median of the second / median of the first, and their output difference.
  std::optional<double> speedup;
  std::optional<double> max_relative_error;
  long peak_rss_bytes = 0;
  // The machine's load just before the warm-up and just after the timed runs (absent without /proc/loadavg).
  std::optional<LoadReading> load_before, load_after;
};

struct BenchReport {
  std::string model;
  std::string model_path;
  int64_t params = 0;
  BenchConfig config;
  int threads = 0;
  int usable_cores = 0;  // the cores this process could run on (after any pinning)
  MachineInfo machine;
  std::vector<std::pair<std::string, std::string>> libraries;  // backend name, library version
  std::string date;
  std::vector<BatchResult> batches;
  std::string energy_meter;  // what measured energy, or "" without a meter
};

// Progress: called with a line of text describing what is being measured.
using BenchProgress = std::function<void(const std::string&)>;

// Throws stride::Error on a batch < 1, no runs, a backend lacking an op of the graph, or outputs
// that differ by more than the tolerance. With a meter, each timed run of the whole model is one
// of its windows (tallied per backend), and the meter's sampler runs for the whole benchmark.
BenchReport run_benchmark(const Graph& graph, const std::vector<const Backend*>& backends, const BenchConfig& config,
                          const BenchProgress& progress = {}, EnergyMeter* meter = nullptr);

nlohmann::json to_json(const BenchReport& report);

}  // namespace stride
