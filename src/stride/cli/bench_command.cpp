// `stride bench`: latency, throughput, GFLOP/s and energy of a model on one backend, or two side by side.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "stride/cli/backend_resolution.h"
#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/model_io.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/plan_explain.h"
#include "stride/core/atomic_file.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/cost.h"
#include "stride/ir/float_interface.h"
#include "stride/measure/benchmark.h"
#include "stride/measure/energy_spec.h"
#include "stride/report/text_table.h"

namespace stride::cli {
namespace {

namespace fs = std::filesystem;

struct BenchArgs {
  std::string model;
  std::string backend;
  std::string vs;
  std::vector<int64_t> batches;
  BenchConfig config;
  std::string json;
  std::string markdown;
  bool explain = false;
  std::string energy;
  std::string baseline;  // the model this one was made from: file size and MACs compared with it
};

std::string ms(double v) { return fmt::format("{:.3f}", v); }

TextTable results_table(const BenchReport& r) {
  TextTable t({{"batch"},
               {"backend", TextTable::Align::left},
               {"median ms"},
               {"mean"},
               {"p90"},
               {"p99"},
               {"min"},
               {"max"},
               {"ms/sample"},
               {"samples/s"},
               {"GFLOP/s"},
               {"FE ms"},
               {"head ms"},
               {"arena MiB"},
               {"mJ/inf"},
               {"EDP mJ*ms"},
               {"peak W"},
               {"speed-up"}});
  for (const auto& b : r.batches) {
    for (size_t i = 0; i < b.backends.size(); ++i) {
      const auto& t_ = b.backends[i];
      const bool last = i + 1 == b.backends.size();
      t.add_row({std::to_string(b.batch), t_.backend, ms(t_.whole.median_ms), ms(t_.whole.mean_ms), ms(t_.whole.p90_ms),
                 ms(t_.whole.p99_ms), ms(t_.whole.min_ms), ms(t_.whole.max_ms), ms(t_.ms_per_sample),
                 fmt::format("{:.1f}", t_.samples_per_second), fmt::format("{:.1f}", t_.gflops_per_second),
                 t_.feature_extractor ? ms(t_.feature_extractor->median_ms) : "-",
                 t_.head ? ms(t_.head->median_ms) : "-",
                 fmt::format("{:.1f}", static_cast<double>(t_.arena_bytes) / (1 << 20)),
                 figure_cell(t_.energy ? t_.energy->mj_per_inference : std::nullopt, 3),
                 figure_cell(t_.energy ? t_.energy->edp_mj_ms : std::nullopt, 3),
                 figure_cell(t_.energy ? t_.energy->peak_watts : std::nullopt, 2),
                 last && b.speedup ? fmt::format("{:.2f}x", *b.speedup) : ""});
    }
  }
  return t;
}

// What measured the energy columns, or why they read n/a (each distinct reason once).
void print_energy_notes(const BenchReport& r) {
  std::vector<std::string> reasons;
  bool measured = false;
  for (const auto& b : r.batches)
    for (const auto& t : b.backends) {
      if (!t.energy) continue;
      const EnergyResult& e = t.energy->result;
      if (e.measured()) {
        measured = true;
      } else if (std::find(reasons.begin(), reasons.end(), e.reason) == reasons.end()) {
        reasons.push_back(e.reason);
      }
    }
  if (measured) {
    const auto& e = r.batches.front().backends.front().energy->result;
    fmt::print("energy: {}, over the timed runs only{}; EDP = energy x mean time per inference\n", r.energy_meter,
               e.idle_watts ? fmt::format(", less {:.2f} W idle", *e.idle_watts) : "");
  }
  for (const std::string& reason : reasons) fmt::print("energy n/a: {}\n", reason);
}

void print_report(const BenchReport& r) {
  fmt::print("{} on {} ({} threads), {} warm-up + {} timed runs, {}\n", r.model, r.machine.cpu_model, r.threads,
             r.config.warmup, r.config.runs, r.date);
  for (const auto& [backend, version] : r.libraries) fmt::print("  {}: {}\n", backend, version);
  fmt::print("\n{}", results_table(r).render());
  for (const auto& b : r.batches)
    if (b.max_relative_error)
      fmt::print("batch {}: outputs agree (max relative difference {:.2e}), peak RSS {:.0f} MiB\n", b.batch,
                 *b.max_relative_error, static_cast<double>(b.peak_rss_bytes) / (1 << 20));
  if (r.batches.size() == 1 || !r.batches.front().max_relative_error)
    fmt::print("peak RSS {:.0f} MiB\n", static_cast<double>(r.batches.back().peak_rss_bytes) / (1 << 20));
  if (r.batches.size() > 1 && r.batches.front().speedup)
    fmt::print("speed-up = median of {} / median of {}\n", r.libraries[1].first, r.libraries[0].first);
  print_energy_notes(r);
}

// The model file's size and, against the model it was made from (pruned, quantized, converted),
// the compression ratio (file bytes) and the theoretical speed-up (MACs at batch 1), as seed 002 reports them.
nlohmann::json model_file_figures(const BenchArgs& args, const Graph& graph) {
  const auto bytes = static_cast<int64_t>(fs::file_size(args.model));
  const int64_t macs = model_cost(graph).macs;
  nlohmann::json j = {{"file_bytes", bytes}, {"macs", macs}};
  std::string line =
      fmt::format("model file {:.2f} MB, {:.3f} GMACs per sample", double(bytes) / 1e6, double(macs) / 1e9);
  if (!args.baseline.empty()) {
    const auto base_bytes = static_cast<int64_t>(fs::file_size(args.baseline));
    const int64_t base_macs = model_cost(load_model(args.baseline)).macs;
    j["baseline"] = {{"model", args.baseline},
                     {"file_bytes", base_bytes},
                     {"macs", base_macs},
                     {"compression_ratio", double(base_bytes) / double(bytes)},
                     {"theoretical_speedup", double(base_macs) / double(std::max<int64_t>(macs, 1))}};
    line += fmt::format("; against {}: compression {:.2f}x (file), theoretical speed-up {:.2f}x (MACs)", args.baseline,
                        j["baseline"]["compression_ratio"].get<double>(),
                        j["baseline"]["theoretical_speedup"].get<double>());
  }
  fmt::print("{}\n", line);
  return j;
}

void bench(BenchArgs& args) {
  if (args.explain && args.backend != "onednn" && args.backend != "xnnpack" && args.backend != "auto")
    usage_fail("--explain shows the steps of the onednn or xnnpack engine; --backend is '{}'", args.backend);
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"baseline model", args.baseline}},
                     {json_output.output_path(), {"--markdown", args.markdown}});
  const std::unique_ptr<EnergyMeter> meter = make_energy_meter(args.energy);  // a wrong spec fails before any work
  // A full-int model (integer inputs and outputs) is timed on real-valued data, its input
  // quantization and output dequantization included, as an application uses it.
  const Graph graph = with_float_interface(load_model(args.model));
  // At the first batch size: the other engine is never timed beside it.
  const BackendChoice choice = resolve_backend(args.backend, graph, args.batches.front(), args.config.threads);
  args.backend = choice.name;
  if (args.explain && args.backend == "ref")
    usage_fail("--explain shows the steps of the onednn or xnnpack engine; auto chose ref ({})", choice.reason);
  std::vector<std::unique_ptr<Backend>> owned;
  owned.push_back(make_backend(args.backend));
  if (!args.vs.empty()) owned.push_back(make_backend(args.vs));
  std::vector<const Backend*> backends;
  for (const auto& b : owned) backends.push_back(b.get());

  args.config.batches = args.batches;
  const bool tty = isatty(fileno(stderr));
  auto progress = [&](const std::string& what) {
    if (tty)
      fmt::print(stderr, "\r\033[K{}: {}", graph.name, what);
    else
      fmt::print(stderr, "{}: {}\n", graph.name, what);
  };
  BenchReport report = run_benchmark(graph, backends, args.config, progress, meter.get());
  if (tty) fmt::print(stderr, "\r\033[K");
  report.model_path = args.model;
  print_report(report);
  nlohmann::json json = to_json(report);
  json["model_file"] = model_file_figures(args, graph);
  if (!choice.reason.empty()) json["backend_choice"] = {{"requested", "auto"}, {"chosen", choice.name}, {"reason", choice.reason}};
  if (args.explain) {
    for (int64_t batch : args.batches) {
      const PlanExplanation e = explain_plan(graph, args.backend, batch, report.threads, args.config.warmup,
                                             args.config.runs, args.config.seed);
      fmt::print("\n{}", render_explanation(e));
      json["explain"].push_back(to_json(e));
    }
  }
  json_output.write(json);
  if (!args.markdown.empty()) {
    std::ostringstream md;
    md << "### " << report.model << "\n\n"
       << report.machine.cpu_model << ", " << report.threads << " threads, " << report.config.warmup << " warm-up + "
       << report.config.runs << " timed runs, " << report.date << "\n\n"
       << results_table(report).render_markdown() << "\n";
    write_file_atomically(args.markdown, md.str());
  }
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd =
      app.add_subcommand("bench", "Measure latency and throughput per batch size, optionally against a second backend");
  cmd->add_option("model", args->model, "ONNX model")->required()->check(CLI::ExistingFile);
  add_backend_option(cmd, args->backend, "the one measured (auto: measured at the first batch size)");
  cmd->add_option("--vs", args->vs, "Second backend, run interleaved on the same inputs; outputs must agree");
  add_batches_option(cmd, args->batches, "comma-separated, each timed in turn");
  cmd->add_option("--warmup", args->config.warmup, "Untimed runs first")->capture_default_str();
  cmd->add_option("--runs", args->config.runs, "Timed runs")->capture_default_str();
  add_threads_option(cmd, args->config.threads, "for every backend");
  add_seed_option(cmd, args->config.seed, "of the random inputs (batch b's: seed + b)");
  cmd->add_option("--tolerance", args->config.agreement_tolerance,
                  "Largest relative output difference allowed with --vs")
      ->capture_default_str();
  add_json_option(cmd, args->json);
  cmd->add_option("--markdown", args->markdown, "Write the results table as Markdown");
  add_energy_option(cmd, args->energy, "over the timed runs");
  cmd->add_option("--idle-baseline", args->config.idle_seconds,
                  "Seconds of idle power measured first and subtracted from the energy (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--baseline", args->baseline,
                  "The model this one was made from: compression ratio (file) and theoretical speed-up (MACs) "
                  "against it")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--explain", args->explain,
                "Then list the plan's steps (onednn or xnnpack): primitive or operator, the kernel that runs it, "
                "nodes computed, time");
  cmd->footer(
      "Example:\n  stride bench cnn2d.onnx --backend onednn --vs torch --batch 1,2,4,8 --warmup 5 --runs 20 --json "
      "cnn2d.json\n  stride bench gaitset.onnx --batch 1 --explain    # which kernel runs each step, and its time\n"
      "  stride bench cnn2d.onnx --batch 1 --energy rapl --idle-baseline 2   # mJ per inference, EDP, peak W\n"
      "  stride bench cnn2d-p30.onnx --baseline cnn2d.onnx   # also compression and theoretical speed-up");
  cmd->callback([args] { bench(*args); });
}

}  // namespace stride::cli
