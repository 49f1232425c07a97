#include "stride/measure/benchmark.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <thread>

#include "stride/core/cpu_count.h"
#include "stride/core/units.h"
#include "stride/core/usage_error.h"
#include "stride/engine/inputs.h"
#include "stride/ir/cost.h"
#include "stride/ir/shape_inference.h"
#include "stride/ir/subgraph.h"
#include "stride/measure/timing_trust.h"

namespace stride {
namespace {

using Clock = std::chrono::steady_clock;

// One compiled graph (whole model, feature extractor or head) on one backend, with its samples.
struct TimedPlan {
  std::unique_ptr<Plan> plan;
  TensorMap inputs;
  std::vector<double> samples_ms;

  // The meter's window encloses the timed one as tightly as it can: it opens just before the
  // clock starts and closes just after it stops.
  TensorMap run_timed(EnergyMeter* meter = nullptr, size_t tally = 0) {
    if (meter) meter->begin();
    const auto start = Clock::now();
    TensorMap out = plan->run(inputs);
    const auto stop = Clock::now();
    if (meter) meter->end(tally);
    samples_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    return out;
  }
};

TimedPlan compile_timed(const Backend& backend, const Graph& graph, const TensorMap& inputs, int threads) {
  CompileOptions options;
  options.threads = threads;
  for (const auto& [name, t] : inputs) options.input_shapes[name] = t.shape();
  return {backend.compile(graph, options), inputs, {}};
}

double relative_difference(const TensorMap& a, const TensorMap& b) {
  double worst = 0;
  for (const auto& [name, ta] : a) {
    const Tensor x = ta.to_f32(), y = b.at(name).to_f32();
    if (x.shape() != y.shape())
      fail("output '{}' has shape {} on one backend and {} on the other", name, shape_str(x.shape()),
           shape_str(y.shape()));
    double diff = 0, scale = 1e-30;
    for (int64_t i = 0; i < x.numel(); ++i) {
      diff = std::max(diff, static_cast<double>(std::abs(x.values<float>()[i] - y.values<float>()[i])));
      scale = std::max(scale, static_cast<double>(std::abs(y.values<float>()[i])));
    }
    worst = std::max(worst, diff / scale);
  }
  return worst;
}

// The feature output when the model has a head after it (zoo models record it in metadata).
std::optional<ValueInfo> feature_cut(const Graph& graph, const GraphShapes& shapes) {
  auto it = graph.metadata.find("stride.feature_output");
  if (it == graph.metadata.end() || graph.outputs.size() < 2) return std::nullopt;
  if (!shapes.values.count(it->second)) return std::nullopt;
  const TensorInfo& info = shapes.at(it->second);
  return ValueInfo{it->second, info.dtype, info.shape};
}

BatchResult bench_batch(const Graph& graph, const std::vector<const Backend*>& backends, const BenchConfig& config,
                        int threads, int64_t batch, const BenchProgress& progress, EnergyMeter* meter,
                        const MachineLoad& load) {
  const auto shapes = input_shapes_at_batch(graph, batch);
  const TensorMap inputs = random_inputs(graph, shapes, config.seed + static_cast<uint64_t>(batch));
  const ModelCost cost = model_cost(graph, shapes);
  const GraphShapes graph_shapes = infer_shapes(graph, shapes);
  const auto cut = feature_cut(graph, graph_shapes);

  // Per backend: the whole model, then (optionally) feature extractor and head.
  std::vector<std::vector<TimedPlan>> plans(backends.size());
  for (size_t b = 0; b < backends.size(); ++b) {
    plans[b].push_back(compile_timed(*backends[b], graph, inputs, threads));
    if (cut) {
      const Graph fe = prune_to_outputs(graph, {cut->name});
      const Graph head = graph_after(graph, *cut);
      plans[b].push_back(compile_timed(*backends[b], fe, inputs, threads));
      const Tensor feature_input = random_inputs(head, {{cut->name, cut->shape}}, config.seed).at(cut->name);
      plans[b].push_back(compile_timed(*backends[b], head, {{cut->name, feature_input}}, threads));
    }
  }

  std::vector<TensorMap> first_outputs(backends.size());
  BatchResult result;
  result.batch = batch;
  result.load_before = load.read();
  const std::string timing =
      config.duration_seconds > 0 ? fmt::format("for {} s", config.duration_seconds) : std::to_string(config.runs);
  Clock::time_point timing_started;
  // With a duration, a run starts while the time is not up (and until the minimum is made).
  auto more = [&](int r) {
    if (r < config.warmup) return true;
    const int timed = r - config.warmup;
    if (config.duration_seconds <= 0) return timed < config.runs;
    if (timed == 0) timing_started = Clock::now();
    return timed < kMinDurationRuns ||
           std::chrono::duration<double>(Clock::now() - timing_started).count() < config.duration_seconds;
  };
  int r = 0;
  for (; more(r); ++r) {
    if (progress && (r == 0 || r == config.warmup))
      progress(fmt::format("batch {}: {} {}", batch, r < config.warmup ? "warm-up" : "timing",
                           r < config.warmup ? std::to_string(config.warmup) : timing));
    for (size_t b = 0; b < backends.size(); ++b)
      for (size_t p = 0; p < plans[b].size(); ++p) {
        // Energy is the whole model's, over the timed runs only (not the warm-up).
        EnergyMeter* window = r >= config.warmup && p == 0 ? meter : nullptr;
        TensorMap out = plans[b][p].run_timed(window, b);
        if (r == 0 && p == 0) first_outputs[b] = std::move(out);
      }
  }

  result.load_after = load.read();
  result.runs = r - config.warmup;
  result.gflop = static_cast<double>(cost.flops()) / 1e9;
  for (size_t b = 0; b < backends.size(); ++b) {
    auto timed = [&](size_t p) {
      auto& s = plans[b][p].samples_ms;
      return latency_stats(std::vector<double>(s.begin() + config.warmup, s.end()));
    };
    BackendTiming t;
    t.backend = std::string(backends[b]->name());
    t.whole = timed(0);
    if (cut) {
      t.feature_extractor = timed(1);
      t.head = timed(2);
    }
    t.ms_per_sample = t.whole.median_ms / static_cast<double>(batch);
    t.samples_per_second = 1000.0 * static_cast<double>(batch) / t.whole.median_ms;
    t.gflops_per_second = units::gflop_per_second(static_cast<double>(cost.macs), t.whole.median_ms / 1000.0);
    t.arena_bytes = plans[b][0].plan->arena_bytes();
    if (meter) t.energy = energy_figures(meter->result(b), batch, t.whole.mean_ms);
    result.backends.push_back(t);
  }
  if (backends.size() == 2) {
    result.speedup = result.backends[1].whole.median_ms / result.backends[0].whole.median_ms;
    result.max_relative_error = relative_difference(first_outputs[0], first_outputs[1]);
    if (*result.max_relative_error > config.agreement_tolerance)
      fail("batch {}: outputs of {} and {} differ by {:.3g} (relative), more than the tolerance {:.3g}", batch,
           backends[0]->name(), backends[1]->name(), *result.max_relative_error, config.agreement_tolerance);
  }
  if (meter) meter->clear();
  result.peak_rss_bytes = peak_rss_bytes();
  return result;
}

nlohmann::json stats_json(const LatencyStats& s) {
  return {{"runs", s.runs},
          {"mean_ms", s.mean_ms},
          {"median_ms", s.median_ms},
          {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms},
          {"min_ms", s.min_ms},
          {"max_ms", s.max_ms},
          {"stddev_ms", s.stddev_ms},
          {"cv", s.cv},
          {"p90_over_median", s.p90_over_median}};
}

nlohmann::json load_json(const BatchResult& b) {
  nlohmann::json j = nlohmann::json::object();
  if (b.load_before) j["before"] = {{"load_1min", b.load_before->load_1min}, {"own_share", b.load_before->own_share}};
  if (b.load_after) j["after"] = {{"load_1min", b.load_after->load_1min}, {"own_share", b.load_after->own_share}};
  return j;
}

}  // namespace

BenchReport run_benchmark(const Graph& graph, const std::vector<const Backend*>& backends, const BenchConfig& config,
                          const BenchProgress& progress, EnergyMeter* meter) {
  if (backends.empty()) fail("no backend to benchmark");
  if (config.batches.empty()) fail("no batch size given");
  for (int64_t b : config.batches)
    if (b < 1) fail("batch size must be at least 1, got {}", b);
  if (config.duration_seconds <= 0 && config.runs < 1) usage_fail("--runs must be at least 1, got {}", config.runs);
  if (!(config.duration_seconds >= 0) || config.duration_seconds > 86400)
    usage_fail("--duration must be between 0 and 86400 seconds, got {}", config.duration_seconds);
  if (config.warmup < 0) usage_fail("--warmup cannot be negative, got {}", config.warmup);
  for (const Backend* b : backends) check_backend_supports(*b, graph);

  const MachineLoad load;  // before any compilation, so that its CPU time counts as this process's own
  BenchReport report;
  report.model = graph.name;
  report.config = config;
  report.usable_cores = usable_cores();
  report.threads = config.threads > 0 ? config.threads : report.usable_cores;
  report.machine = machine_info();
  report.date = utc_timestamp();
  for (const Backend* b : backends) report.libraries.emplace_back(std::string(b->name()), b->library_version());
  report.params = model_cost(graph).params;
  if (meter) {
    report.energy_meter = meter->available() ? meter->description() : "none";
    meter->start_sampler();
    if (config.idle_seconds > 0 && meter->available()) {
      if (progress) progress(fmt::format("idle power for {} s", config.idle_seconds));
      meter->measure_idle(config.idle_seconds);
    }
  }
  for (int64_t batch : config.batches)
    report.batches.push_back(bench_batch(graph, backends, config, report.threads, batch, progress, meter, load));
  if (meter) meter->stop_sampler();
  return report;
}

nlohmann::json to_json(const BenchReport& r) {
  nlohmann::json j;
  j["model"] = r.model;
  j["model_path"] = r.model_path;
  j["params"] = r.params;
  j["protocol"] = {{"warmup", r.config.warmup}, {"seed", r.config.seed}};
  if (r.config.duration_seconds > 0)
    j["protocol"]["duration_seconds"] = r.config.duration_seconds;
  else
    j["protocol"]["runs"] = r.config.runs;
  if (!r.config.pinned_cpus.empty()) j["protocol"]["pinned_cpus"] = r.config.pinned_cpus;
  if (!r.energy_meter.empty()) j["protocol"]["energy_meter"] = r.energy_meter;
  if (r.config.idle_seconds > 0) j["protocol"]["idle_baseline_seconds"] = r.config.idle_seconds;
  j["machine"] = {{"cpu", r.machine.cpu_model},
                  {"logical_cores", r.machine.logical_cores},
                  {"isa_flags", r.machine.isa_flags},
                  {"kernel", r.machine.kernel},
                  {"threads", r.threads},
                  {"usable_cores", r.usable_cores},
                  {"date", r.date}};
  for (const auto& [backend, version] : r.libraries) j["libraries"][backend] = version;
  for (const auto& b : r.batches) {
    nlohmann::json jb = {{"batch", b.batch},
                         {"runs", b.runs},
                         {"gflop", b.gflop},
                         {"peak_rss_bytes", b.peak_rss_bytes},
                         {"load", load_json(b)}};
    for (const auto& t : b.backends) {
      nlohmann::json jt = {{"backend", t.backend},
                           {"latency", stats_json(t.whole)},
                           {"ms_per_sample", t.ms_per_sample},
                           {"samples_per_second", t.samples_per_second},
                           {"gflops_per_second", t.gflops_per_second},
                           {"arena_bytes", t.arena_bytes}};
      if (t.feature_extractor) jt["feature_extractor"] = stats_json(*t.feature_extractor);
      if (t.head) jt["head"] = stats_json(*t.head);
      if (t.feature_extractor && t.head) {
        jt["feature_extractor_plus_head_ms"] = t.feature_extractor->median_ms + t.head->median_ms;
        jt["split_minus_whole_ms"] = t.feature_extractor->median_ms + t.head->median_ms - t.whole.median_ms;
      }
      if (t.energy) jt["energy"] = to_json(*t.energy);
      jb["backends"].push_back(jt);
    }
    if (b.speedup) jb["speedup"] = *b.speedup;
    if (b.max_relative_error) jb["max_relative_error"] = *b.max_relative_error;
    j["batches"].push_back(jb);
  }
  j["trust"] = trust_json(r);
  return j;
}

}  // namespace stride
