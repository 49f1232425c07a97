// sgemm_peak: the practical FP32 peak of this machine, the yardstick for a model's achieved GFLOP/s.
//
// It times oneDNN's own sgemm (dnnl_sgemm, C = A B on square f32 matrices) at a few sizes with the
// engine's thread count, and takes the fastest run of the best size: GEMM is the most tuned kernel
// oneDNN has, so a convolution network cannot be expected to do better. The best run, not the median,
// because the question is what the hardware can do, and on a shared machine the others only slow it down.
#include <fmt/format.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/measure/latency_stats.h"
#include "stride/measure/machine_info.h"
#include "stride/report/text_table.h"

namespace stride {
namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  std::vector<int64_t> sizes{512, 1024, 1536, 2048};
  int warmup = 3;
  int runs = 10;
  int threads = 0;
  std::string json;
};

struct SizeResult {
  int64_t n = 0;
  LatencyStats stats;
  double flop() const { return 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n); }
  double best_gflops() const { return flop() / (stats.min_ms * 1e6); }
  double median_gflops() const { return flop() / (stats.median_ms * 1e6); }
};

std::vector<float> random_matrix(int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> m(static_cast<size_t>(n * n));
  for (float& v : m) v = uniform(rng);
  return m;
}

SizeResult measure(int64_t n, const Args& args) {
  std::mt19937 rng(static_cast<uint32_t>(n));
  const std::vector<float> a = random_matrix(n, rng), b = random_matrix(n, rng);
  std::vector<float> c(a.size());
  const auto sgemm = [&] {
    const dnnl_status_t status = dnnl_sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    if (status != dnnl_success) fail("dnnl_sgemm failed at n = {} (status {})", n, static_cast<int>(status));
  };
  for (int r = 0; r < args.warmup; ++r) sgemm();
  std::vector<double> ms;
  for (int r = 0; r < args.runs; ++r) {
    const auto start = Clock::now();
    sgemm();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return {n, latency_stats(std::move(ms))};
}

nlohmann::json report_json(const std::vector<SizeResult>& results, const SizeResult& best, const Args& args,
                           int threads, const std::string& library) {
  nlohmann::json j;
  j["protocol"] = {{"warmup", args.warmup},
                   {"runs", args.runs},
                   {"operation", "dnnl_sgemm C = A B, n x n f32 matrices, 2 n^3 flop"},
                   {"peak", "fastest run of the best size"}};
  j["library"] = library;
  // The rest of the machine's description is in the record of bench/vs_onnxruntime.sh, which runs this.
  j["machine"] = {{"cpu", machine_info().cpu_model}, {"threads", threads}, {"date", utc_timestamp()}};
  for (const SizeResult& r : results)
    j["sizes"].push_back({{"n", r.n},
                          {"min_ms", r.stats.min_ms},
                          {"median_ms", r.stats.median_ms},
                          {"best_gflops_per_second", r.best_gflops()},
                          {"median_gflops_per_second", r.median_gflops()}});
  j["peak_gflops_per_second"] = best.best_gflops();
  j["peak_n"] = best.n;
  return j;
}

void run(const Args& args) {
  if (args.sizes.empty()) fail("--sizes needs at least one size");
  for (int64_t n : args.sizes)
    if (n < 1) fail("--sizes must be at least 1, got {}", n);
  if (args.runs < 1) fail("--runs must be at least 1, got {}", args.runs);
  if (args.warmup < 0) fail("--warmup cannot be negative, got {}", args.warmup);
  const int threads = args.threads > 0 ? args.threads : static_cast<int>(std::thread::hardware_concurrency());
  omp_set_num_threads(threads);  // oneDNN 2.6 threads through OpenMP, as the engine does
  const std::string library = OnednnBackend().library_version();

  std::vector<SizeResult> results;
  TextTable table({{"n"}, {"best ms"}, {"median ms"}, {"best GFLOP/s"}, {"median GFLOP/s"}});
  for (int64_t n : args.sizes) {
    results.push_back(measure(n, args));
    const SizeResult& r = results.back();
    table.add_row({std::to_string(n), fmt::format("{:.3f}", r.stats.min_ms), fmt::format("{:.3f}", r.stats.median_ms),
                   fmt::format("{:.1f}", r.best_gflops()), fmt::format("{:.1f}", r.median_gflops())});
  }
  const SizeResult& best = *std::max_element(
      results.begin(), results.end(), [](const auto& x, const auto& y) { return x.best_gflops() < y.best_gflops(); });
  fmt::print("sgemm on {} ({}), {} threads, {} warm-up + {} timed runs per size\n{}peak: {:.1f} GFLOP/s (n = {})\n",
             machine_info().cpu_model, library, threads, args.warmup, args.runs, table.render(), best.best_gflops(),
             best.n);
  if (!args.json.empty()) {
    write_file_atomically(args.json, report_json(results, best, args, threads, library).dump(2) + "\n");
    fmt::print("results written to {}\n", args.json);
  }
}

}  // namespace
}  // namespace stride

int main(int argc, char** argv) {
  stride::Args args;
  CLI::App app{"The practical FP32 peak: oneDNN's sgemm on square matrices, best GFLOP/s"};
  app.add_option("--sizes", args.sizes, "Matrix sizes n (n x n times n x n), comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--warmup", args.warmup, "Untimed runs per size first")->capture_default_str();
  app.add_option("--runs", args.runs, "Timed runs per size")->capture_default_str();
  app.add_option("--threads", args.threads, "OpenMP threads (0: all cores)")->capture_default_str();
  app.add_option("--json", args.json, "Write the results as JSON");
  try {
    app.parse(argc, argv);
    stride::run(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "sgemm_peak: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
