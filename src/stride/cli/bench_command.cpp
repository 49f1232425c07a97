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
#include "stride/cli/step_trace.h"
#include "stride/core/atomic_file.h"
#include "stride/core/cpu_count.h"
#include "stride/core/units.h"
#include "stride/core/usage_error.h"
#include "stride/engine/select/make_backend.h"
#include "stride/ir/cost.h"
#include "stride/ir/float_interface.h"
#include "stride/measure/benchmark.h"
#include "stride/measure/cpu_pinning.h"
#include "stride/measure/energy_spec.h"
#include "stride/measure/result_header.h"
#include "stride/measure/timing_trust.h"
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
  std::string profile;  // Chrome trace of the profiled steps
  bool pin = false;
  std::string energy;
  std::string baseline;  // the model this one was made from: file size and MACs compared with it
};

std::string ms(double v) { return fmt::format("{:.3f}", v); }

std::string load_cell(const std::optional<LoadReading>& load) {
  return load ? fmt::format("{:.2f}", load->load_1min) : "n/a";
}

TextTable results_table(const BenchReport& r) {
  TextTable t({{"batch"},       {"backend", TextTable::Align::left},
               {"median ms"},   {"mean"},
               {"p90"},         {"p99"},
               {"min"},         {"max"},
               {"CV %"},        {"p90/med"},
               {"load before"}, {"load after"},
               {"ms/sample"},   {"samples/s"},
               {"GFLOP/s"},     {"FE ms"},
               {"head ms"},     {"arena MiB"},
               {"mJ/inf"},      {fmt::format("EDP {}", units::kEdp)},
               {"peak W"},      {"speed-up"}});
  for (const auto& b : r.batches) {
    for (size_t i = 0; i < b.backends.size(); ++i) {
      const auto& t_ = b.backends[i];
      const bool last = i + 1 == b.backends.size();
      t.add_row({std::to_string(b.batch),
                 t_.backend,
                 ms(t_.whole.median_ms),
                 ms(t_.whole.mean_ms),
                 ms(t_.whole.p90_ms),
                 ms(t_.whole.p99_ms),
                 ms(t_.whole.min_ms),
                 ms(t_.whole.max_ms),
                 fmt::format("{:.1f}", 100 * t_.whole.cv),
                 fmt::format("{:.2f}", t_.whole.p90_over_median),
                 load_cell(b.load_before),
                 load_cell(b.load_after),
                 ms(t_.ms_per_sample),
                 fmt::format("{:.1f}", t_.samples_per_second),
                 fmt::format("{:.1f}", t_.gflops_per_second),
                 t_.feature_extractor ? ms(t_.feature_extractor->median_ms) : "-",
                 t_.head ? ms(t_.head->median_ms) : "-",
                 fmt::format("{:.1f}", units::mib(static_cast<double>(t_.arena_bytes))),
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

// "5 warm-up + 20 timed runs", or with --duration the runs each batch size made in that time.
std::string protocol_text(const BenchReport& r) {
  if (r.config.duration_seconds <= 0) return fmt::format("{} warm-up + {} timed runs", r.config.warmup, r.config.runs);
  std::vector<std::string> made;
  for (const auto& b : r.batches) made.push_back(fmt::format("{} at batch {}", b.runs, b.batch));
  return fmt::format("{} warm-up + timed runs for {} s ({})", r.config.warmup, r.config.duration_seconds,
                     fmt::join(made, ", "));
}

// The feature extractor and the head are two plans timed apart: their medians add up to more (or,
// by noise, less) than the whole model's, and the reader should not take the sum for the total.
void print_split_notes(const BenchReport& r) {
  for (const auto& b : r.batches)
    for (const auto& t : b.backends)
      if (t.feature_extractor && t.head)
        fmt::print(
            "batch {} {}: FE + head {:.3f} ms vs whole {:.3f} ms ({:+.3f} ms): each plan pays run()'s own work "
            "(input checks, output allocation) and the feature goes out to memory and back in; medians do not add\n",
            b.batch, t.backend, t.feature_extractor->median_ms + t.head->median_ms, t.whole.median_ms,
            t.feature_extractor->median_ms + t.head->median_ms - t.whole.median_ms);
}

void print_report(const BenchReport& r) {
  fmt::print(
      "{} on {} ({} threads{}), {}, {}\n", r.model, r.machine.cpu_model, r.threads,
      r.config.pinned_cpus.empty() ? "" : fmt::format(", pinned to cores {}", fmt::join(r.config.pinned_cpus, ",")),
      protocol_text(r), r.date);
  for (const auto& [backend, version] : r.libraries) fmt::print("  {}: {}\n", backend, version);
  fmt::print("\n{}", results_table(r).render());
  for (const auto& b : r.batches)
    if (b.max_relative_error)
      fmt::print("batch {}: outputs agree (max relative difference {:.2e}), peak RSS {}\n", b.batch,
                 *b.max_relative_error, units::format_mib(static_cast<double>(b.peak_rss_bytes), 0));
  if (r.batches.size() == 1 || !r.batches.front().max_relative_error)
    fmt::print("peak RSS {}\n", units::format_mib(static_cast<double>(r.batches.back().peak_rss_bytes), 0));
  if (r.batches.size() > 1 && r.batches.front().speedup)
    fmt::print("speed-up = median of {} / median of {}\n", r.libraries[1].first, r.libraries[0].first);
  print_split_notes(r);
  print_energy_notes(r);
  if (const std::string warning = trust_warning(r); !warning.empty()) fmt::print("{}\n", warning);
}

// The model file's size and, against the model it was made from (pruned, quantized, converted),
// the compression ratio (file bytes) and the theoretical speed-up (MACs at batch 1), as Balemans et al. (2024) report them.
nlohmann::json model_file_figures(const BenchArgs& args, const Graph& graph) {
  const auto bytes = static_cast<int64_t>(fs::file_size(args.model));
  const int64_t macs = model_cost(graph).macs;
  nlohmann::json j = {{"file_bytes", bytes}, {"macs", macs}};
  std::string line =
      fmt::format("model file {}, {} per sample", units::format_mib(double(bytes), 2), units::format_macs(double(macs)));
  if (!args.baseline.empty()) {
    const auto base_bytes = static_cast<int64_t>(fs::file_size(args.baseline));
    const Graph base = load_model(args.baseline);
    const int64_t base_macs = model_cost(base).macs;
    j["baseline"] = {{"model", model_reference(args.baseline, base)},
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

// --explain and --profile: the steps of the measured backend's plan at every batch size, timed over
// --runs runs, with the whole model's median beside them.
void profile_plan_steps(const BenchArgs& args, const Graph& graph, const BenchReport& report, nlohmann::json& json) {
  std::vector<PlanExplanation> explanations;
  for (size_t i = 0; i < args.batches.size(); ++i) {
    PlanExplanation e = explain_plan(graph, args.backend, args.batches[i], report.threads, args.config.warmup,
                                     args.config.runs, args.config.seed);
    e.whole_median_ms = report.batches[i].backends.front().whole.median_ms;
    if (args.explain) {
      fmt::print("\n{}", render_explanation(e));
      json["explain"].push_back(to_json(e));
    }
    explanations.push_back(std::move(e));
  }
  if (args.profile.empty()) return;
  const nlohmann::json other = {{"model", report.model},
                                {"model_path", args.model},
                                {"backend", args.backend},
                                {"threads", report.threads},
                                {"profiled_runs", args.config.runs},
                                {"warmup", args.config.warmup},
                                {"cpu", report.machine.cpu_model},
                                {"date", report.date}};
  write_file_atomically(args.profile, chrome_trace(graph, explanations, other).dump() + "\n");
  fmt::print("step trace written to {} (open it in Perfetto or chrome://tracing)\n", args.profile);
}

// Which of --explain and --profile asked for the plan's steps, for a refusal.
std::string step_options(const BenchArgs& args) {
  return args.explain && !args.profile.empty() ? "--explain and --profile" : args.explain ? "--explain" : "--profile";
}

void bench(BenchArgs& args) {
  const bool steps = args.explain || !args.profile.empty();
  if (steps && !has_plan_steps(args.backend) && args.backend != "auto")
    usage_fail("{}: only the onednn, xnnpack and ref engines have steps to show; --backend is '{}'", step_options(args),
               args.backend);
  const JsonOutput json_output(args.json);
  check_output_paths({{"model", args.model}, {"baseline model", args.baseline}},
                     {json_output.output_path(), {"--markdown", args.markdown}, {"--profile", args.profile}});
  const std::unique_ptr<EnergyMeter> meter = make_energy_meter(args.energy);  // a wrong spec fails before any work
  // Before anything starts a thread (the model's loading, --backend auto's trial plans).
  if (args.pin)
    args.config.pinned_cpus = pin_to_first_cores(args.config.threads > 0 ? args.config.threads : usable_cores());
  // A full-int model (integer inputs and outputs) is timed on real-valued data, its input
  // quantization and output dequantization included, as an application uses it.
  const Graph graph = with_float_interface(load_model(args.model));
  // At the first batch size: the other engine is never timed beside it.
  const BackendChoice choice = resolve_backend(args.backend, graph, args.batches.front(), args.config.threads);
  args.backend = choice.name;
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
  print_report(report);
  nlohmann::json json = to_json(report);
  json["model"] = model_reference(args.model, graph);
  json["model_file"] = model_file_figures(args, graph);
  if (!choice.reason.empty())
    json["backend_choice"] = {{"requested", "auto"}, {"chosen", choice.name}, {"reason", choice.reason}};
  if (steps) profile_plan_steps(args, graph, report, json);
  json_output.write(result_document("bench", report.threads, json));
  if (!args.markdown.empty()) {
    std::ostringstream md;
    md << "### " << report.model << "\n\n"
       << report.machine.cpu_model << ", " << report.threads << " threads, " << protocol_text(report) << ", "
       << report.date << "\n\n"
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
  CLI::Option* runs =
      cmd->add_option("--runs", args->config.runs,
                      "Timed runs; also the runs --explain and --profile time step by step (with --duration too)")
          ->capture_default_str();
  cmd->add_option("--duration", args->config.duration_seconds,
                  fmt::format("Instead of --runs: time runs until SECONDS have passed (at least {} runs); the runs "
                              "made are reported",
                              kMinDurationRuns))
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0))
      ->excludes(runs);
  add_threads_option(cmd, args->config.threads, "for every backend");
  cmd->add_flag("--pin", args->pin,
                "Keep the process and all its threads on the first --threads cores it may use (all of them with "
                "--threads 0, which only stops other cores being used); the threads still share those cores as the "
                "scheduler decides");
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
                "Then list the plan's steps (onednn, xnnpack or ref): primitive or operator, the kernel that runs it, "
                "nodes computed, time; and what of the whole model's time lies outside the steps");
  cmd->add_option("--profile", args->profile,
                  "Write every step of the --runs profiled runs (onednn, xnnpack or ref) as a Chrome trace (JSON "
                  "for Perfetto or chrome://tracing)")
      ->type_name("FILE");
  cmd->footer(
      "Example:\n  stride bench cnn2d.onnx --backend onednn --vs torch --batch 1,2,4,8 --warmup 5 --runs 20 --json "
      "cnn2d.json\n  stride bench gaitset.onnx --batch 1 --explain    # which kernel runs each step, and its time\n"
      "  stride bench cnn2d.onnx --batch 1 --energy rapl --idle-baseline 2   # mJ per inference, EDP, peak W\n"
      "  stride bench cnn2d-p30.onnx --baseline cnn2d.onnx   # also compression and theoretical speed-up\n"
      "  stride bench cnn2d.onnx --threads 2 --pin --duration 5 --profile trace.json\n"
      "Every row has its spread (CV = stddev / mean; p90 / median) and the 1-minute load average before and after.\n"
      "One warning line follows the table when a row's CV is above 10 % or its p90 above 1.25 x its median, or when\n"
      "the load before a batch size, less bench's own, was above half the cores it may use.");
  cmd->callback([args] { bench(*args); });
}

}  // namespace stride::cli
