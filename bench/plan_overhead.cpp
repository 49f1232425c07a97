// plan_overhead: how much of a oneDNN plan's run time is spent outside its primitives (the graph
// overhead: binding tensors, allocating outputs, stepping through the schedule).
//
// For each zoo model and batch size it compiles the onednn plan and, while stdout goes to a temporary
// file, alternates runs with oneDNN's verbose mode off (timed: the plan time) and on (oneDNN prints one
// "exec" line with its time per primitive: the primitive time). Overhead = plan mean / primitive mean
// - 1. The plan time comes from runs without verbose mode, whose printing would otherwise count as
// overhead; the runs alternate so that both see the same machine state, as on a shared machine a
// drift between two separate phases would show as overhead.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <oneapi/dnnl/dnnl.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/engine/inputs.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/measure/latency_stats.h"
#include "stride/measure/machine_info.h"
#include "stride/report/text_table.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Args {
  std::vector<std::string> models{"cnn2d", "cnn3d", "cnn3dto2d", "gaitset"};
  std::vector<int64_t> batches{1, 8};
  int warmup = 5;
  int runs = 20;
  int threads = 0;
  uint64_t seed = 0;
  double limit = 0.15;  // the largest overhead the plan is allowed
  size_t top = 5;
  std::string json;
  std::string markdown;
};

// ---- Capturing oneDNN's verbose output ---------------------------------------------------------

// oneDNN's verbose mode at level 1 (what ONEDNN_VERBOSE=1 gives: one line per primitive execution)
// for the lifetime of the scope.
class OnednnVerbose {
 public:
  OnednnVerbose() {
    if (dnnl::set_verbose(1) != dnnl::status::success) fail("oneDNN refused to turn its verbose mode on");
  }
  ~OnednnVerbose() { dnnl::set_verbose(0); }
  OnednnVerbose(const OnednnVerbose&) = delete;
  OnednnVerbose& operator=(const OnednnVerbose&) = delete;
};

std::string errno_text() { return std::strerror(errno); }

// An empty file in the temporary directory, removed with the object.
class TemporaryFile {
 public:
  TemporaryFile() {
    std::string pattern = (fs::temp_directory_path() / "plan_overhead_XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) fail("cannot create a temporary file from '{}': {}", pattern, errno_text());
    close(fd);
    path_ = pattern;
  }
  ~TemporaryFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// File descriptor 1 points at `file` for the lifetime of the scope. C stdio is flushed on the way in
// and out, so that nothing printed before lands in the file and nothing printed inside is lost.
class StdoutToFile {
 public:
  explicit StdoutToFile(const fs::path& file) {
    std::fflush(stdout);
    const int fd = open(file.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) fail("cannot open '{}' for writing: {}", file.string(), errno_text());
    saved_ = dup(STDOUT_FILENO);
    const bool redirected = saved_ >= 0 && dup2(fd, STDOUT_FILENO) >= 0;
    const std::string why = errno_text();
    close(fd);
    if (!redirected) {
      if (saved_ >= 0) close(saved_);
      fail("cannot send stdout to '{}': {}", file.string(), why);
    }
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    dup2(saved_, STDOUT_FILENO);
    close(saved_);
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_ = -1;
};

// One "onednn_verbose,exec,cpu,KIND,IMPL,PROP,MEMORY,ATTRS,AUX,PROBLEM,MS" line.
struct ExecLine {
  std::string kind;
  std::string implementation;
  std::string problem;
  double ms = 0;
};

std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) fields.push_back(f);
  return fields;
}

// The exec lines of a verbose log, in execution order; other lines (the version banner) are skipped.
std::vector<ExecLine> read_exec_lines(const fs::path& log) {
  std::ifstream in(log);
  if (!in) fail("cannot read oneDNN's verbose log '{}'", log.string());
  std::vector<ExecLine> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("onednn_verbose,exec,", 0) != 0 && line.rfind("dnnl_verbose,exec,", 0) != 0) continue;
    const std::vector<std::string> f = split_commas(line);
    if (f.size() < 7) fail("oneDNN verbose line with {} fields, expected at least 7: {}", f.size(), line);
    try {
      lines.push_back({f[3], f[4], f[f.size() - 2], std::stod(f.back())});
    } catch (const std::exception&) {
      fail("oneDNN verbose line does not end in a time in ms: {}", line);
    }
  }
  return lines;
}

// ---- Measuring one model at one batch size -----------------------------------------------------

struct StepTime {
  size_t step = 0;
  ExecLine exec;  // ms: mean per inference
  std::vector<std::string> nodes;
};

struct KindTotal {
  size_t count = 0;  // primitives of this kind per run
  double ms = 0;     // per inference
};

struct Measurement {
  std::string model;
  int64_t batch = 0;
  double load_1min = 0;  // when the measurement started
  LatencyStats plan;     // Plan::run, verbose off
  LatencyStats plan_verbose;
  LatencyStats primitives;  // per run: the sum of its primitives' verbose times
  size_t primitives_per_run = 0;
  std::vector<StepTime> steps;  // ordered by time, longest first
  std::map<std::string, KindTotal> kinds;

  double overhead() const { return plan.mean_ms / primitives.mean_ms - 1; }
  // The same ratio of medians: less moved by the odd run that another process slowed down.
  double median_overhead() const { return plan.median_ms / primitives.median_ms - 1; }
  // The same ratio within the verbose runs themselves: plan and primitives timed in the very same runs,
  // but the printing of the verbose lines counts as overhead too, so it bounds the overhead from above.
  double verbose_run_overhead() const { return plan_verbose.mean_ms / primitives.mean_ms - 1; }
  double outside_ms() const { return plan.mean_ms - primitives.mean_ms; }
};

double load_average_1min() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  in >> load;
  return load;
}

double time_run_ms(Plan& plan, const TensorMap& inputs) {
  const auto start = Clock::now();
  plan.run(inputs);
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Splits the exec lines of `runs` runs into per-step and per-run times. Each run executes the plan's
// steps in order, so line i is step i % steps; the primitive kinds must agree with the plan's.
void attribute_exec_lines(const std::vector<ExecLine>& lines, const OnednnPlan& plan, int runs, Measurement& m) {
  const size_t steps = plan.primitive_count();
  if (lines.size() != steps * static_cast<size_t>(runs))
    fail("{} batch {}: oneDNN printed {} exec lines for {} runs of a {}-primitive plan{}", m.model, m.batch,
         lines.size(), runs, steps, lines.empty() ? " (is this oneDNN built without verbose support?)" : "");
  m.primitives_per_run = steps;
  std::vector<double> per_run(static_cast<size_t>(runs), 0.0);
  m.steps.resize(steps);
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t s = i % steps;
    const OnednnStepInfo& info = plan.steps()[s];
    // Verbose mode names the versioned kinds (softmax_v2, pooling_v2) where the plan has the base kind.
    if (lines[i].kind.rfind(info.primitive, 0) != 0)
      fail("{} batch {}: exec line {} is a {}, but step {} of the plan is a {}", m.model, m.batch, i, lines[i].kind, s,
           info.primitive);
    per_run[i / steps] += lines[i].ms;
    StepTime& st = m.steps[s];
    if (i < steps)
      st = {s, lines[i], info.nodes.empty() ? std::vector<std::string>{"layout of " + info.converts} : info.nodes};
    else
      st.exec.ms += lines[i].ms;
  }
  for (StepTime& st : m.steps) {
    st.exec.ms /= runs;
    KindTotal& k = m.kinds[st.exec.kind];
    ++k.count;
    k.ms += st.exec.ms;
  }
  std::sort(m.steps.begin(), m.steps.end(), [](const StepTime& a, const StepTime& b) { return a.exec.ms > b.exec.ms; });
  m.primitives = latency_stats(std::move(per_run));
}

Measurement measure(const OnednnBackend& backend, const std::string& model, int64_t batch, const Args& args) {
  Measurement m;
  m.model = model;
  m.batch = batch;
  m.load_1min = load_average_1min();
  const Graph graph = build_model(model);
  CompileOptions options;
  options.threads = args.threads;
  options.input_shapes = input_shapes_at_batch(graph, batch);
  const TensorMap inputs = random_inputs(graph, options.input_shapes, args.seed + static_cast<uint64_t>(batch));
  const std::unique_ptr<OnednnPlan> plan = backend.compile_plan(graph, options);

  for (int r = 0; r < args.warmup; ++r) plan->run(inputs);
  const TemporaryFile log;
  std::vector<double> plan_ms, plan_verbose_ms;
  {
    const StdoutToFile capture(log.path());  // runs with verbose off print nothing
    for (int r = 0; r < args.runs; ++r) {
      plan_ms.push_back(time_run_ms(*plan, inputs));
      const OnednnVerbose verbose;
      plan_verbose_ms.push_back(time_run_ms(*plan, inputs));
    }
  }
  m.plan = latency_stats(std::move(plan_ms));
  m.plan_verbose = latency_stats(std::move(plan_verbose_ms));
  attribute_exec_lines(read_exec_lines(log.path()), *plan, args.runs, m);
  return m;
}

// ---- Reporting ---------------------------------------------------------------------------------

std::string ms(double v) { return fmt::format("{:.3f}", v); }
std::string percent(double v) { return fmt::format("{:+.1f} %", 100 * v); }

TextTable summary_table(const std::vector<Measurement>& results, double limit) {
  TextTable t({{"model", TextTable::Align::left},
               {"batch"},
               {"load 1m"},
               {"plan median ms"},
               {"plan mean ms"},
               {"primitives median ms"},
               {"primitives mean ms"},
               {"outside ms"},
               {"primitives/run"},
               {"overhead"},
               {"of medians"},
               {"in verbose runs"},
               {fmt::format("<= {:.0f} %", 100 * limit), TextTable::Align::left}});
  for (const Measurement& m : results)
    t.add_row({m.model, std::to_string(m.batch), fmt::format("{:.2f}", m.load_1min), ms(m.plan.median_ms),
               ms(m.plan.mean_ms), ms(m.primitives.median_ms), ms(m.primitives.mean_ms), ms(m.outside_ms()),
               std::to_string(m.primitives_per_run), percent(m.overhead()), percent(m.median_overhead()),
               percent(m.verbose_run_overhead()), m.overhead() <= limit ? "yes" : "NO"});
  return t;
}

TextTable top_steps_table(const Measurement& m, size_t top) {
  TextTable t({{"step"},
               {"primitive", TextTable::Align::left},
               {"implementation", TextTable::Align::left},
               {"computes", TextTable::Align::left},
               {"ms"},
               {"share"}});
  for (size_t i = 0; i < std::min(top, m.steps.size()); ++i) {
    const StepTime& s = m.steps[i];
    t.add_row({std::to_string(s.step), s.exec.kind, s.exec.implementation, fmt::format("{}", fmt::join(s.nodes, "+")),
               ms(s.exec.ms), fmt::format("{:.1f} %", 100 * s.exec.ms / m.primitives.mean_ms)});
  }
  return t;
}

TextTable kinds_table(const Measurement& m) {
  TextTable t({{"primitive", TextTable::Align::left}, {"per run"}, {"ms"}, {"share"}});
  for (const auto& [kind, total] : m.kinds)
    t.add_row({kind, std::to_string(total.count), ms(total.ms),
               fmt::format("{:.1f} %", 100 * total.ms / m.primitives.mean_ms)});
  return t;
}

std::string heading(const Measurement& m) {
  return fmt::format("{} batch {}: plan mean {} ms (with verbose on {} ms), primitives {} ms", m.model, m.batch,
                     ms(m.plan.mean_ms), ms(m.plan_verbose.mean_ms), ms(m.primitives.mean_ms));
}

std::string protocol_line(const Args& args, int threads, const std::string& library) {
  return fmt::format(
      "{}, {} threads, {} warm-up runs, then {} timed runs with verbose off alternating with {} runs with "
      "ONEDNN_VERBOSE level 1. "
      "Overhead = plan mean / primitives mean - 1.",
      library, threads, args.warmup, args.runs, args.runs);
}

nlohmann::json stats_json(const LatencyStats& s) {
  return {{"mean_ms", s.mean_ms}, {"median_ms", s.median_ms}, {"min_ms", s.min_ms},
          {"max_ms", s.max_ms},   {"p90_ms", s.p90_ms},       {"stddev_ms", s.stddev_ms}};
}

nlohmann::json to_json(const Measurement& m, double limit) {
  nlohmann::json j = {{"model", m.model},
                      {"batch", m.batch},
                      {"load_average_1min", m.load_1min},
                      {"plan", stats_json(m.plan)},
                      {"plan_with_verbose", stats_json(m.plan_verbose)},
                      {"primitives", stats_json(m.primitives)},
                      {"primitives_per_run", m.primitives_per_run},
                      {"outside_primitives_ms", m.outside_ms()},
                      {"overhead", m.overhead()},
                      {"overhead_of_medians", m.median_overhead()},
                      {"overhead_in_verbose_runs", m.verbose_run_overhead()},
                      {"within_limit", m.overhead() <= limit}};
  for (const auto& [kind, total] : m.kinds) j["by_primitive"][kind] = {{"per_run", total.count}, {"ms", total.ms}};
  for (const StepTime& s : m.steps)
    j["steps_by_time"].push_back({{"step", s.step},
                                  {"primitive", s.exec.kind},
                                  {"implementation", s.exec.implementation},
                                  {"problem", s.exec.problem},
                                  {"computes", s.nodes},
                                  {"ms", s.exec.ms}});
  return j;
}

nlohmann::json report_json(const std::vector<Measurement>& results, const Args& args, int threads,
                           const std::string& library) {
  const MachineInfo machine = machine_info();
  nlohmann::json j;
  j["protocol"] = {{"warmup", args.warmup},
                   {"runs", args.runs},
                   {"seed", args.seed},
                   {"onednn_verbose_level", 1},
                   {"limit", args.limit},
                   {"order", "runs with verbose off and on alternate"},
                   {"overhead", "plan mean (verbose off) / mean per-run sum of primitive times (verbose on) - 1"}};
  j["library"] = library;
  j["machine"] = {{"cpu", machine.cpu_model},
                  {"logical_cores", machine.logical_cores},
                  {"isa_flags", machine.isa_flags},
                  {"kernel", machine.kernel},
                  {"threads", threads},
                  {"date", utc_timestamp()}};
  for (const Measurement& m : results) j["results"].push_back(to_json(m, args.limit));
  return j;
}

std::string report_markdown(const std::vector<Measurement>& results, const Args& args, int threads,
                            const std::string& library) {
  std::ostringstream md;
  md << "# oneDNN plan: graph overhead\n\nProduced by `bench/plan_overhead`. " << protocol_line(args, threads, library)
     << " Machine: " << machine_info().cpu_model << ", " << utc_timestamp() << ".\n\n"
     << summary_table(results, args.limit).render_markdown()
     << "\n`overhead`: plan mean / primitives mean - 1, the ratio the verdict uses. `of medians`: plan median / "
        "primitives median - 1. `in verbose runs`: plan mean of the verbose runs themselves / primitives mean - 1, "
        "plan and primitives timed in the same runs but with the printing of the verbose lines counted as overhead "
        "(an upper bound). `load 1m`: the 1-minute load average as the row's measurement started, this program's "
        "own threads included from the second row on.\n";
  for (const Measurement& m : results)
    md << "\n### " << heading(m) << "\n\nLongest primitives:\n\n"
       << top_steps_table(m, args.top).render_markdown() << "\nBy primitive kind:\n\n"
       << kinds_table(m).render_markdown();
  return md.str();
}

void run(const Args& args) {
  for (int64_t b : args.batches)
    if (b < 1) fail("--batch sizes must be at least 1, got {}", b);
  if (args.runs < 1) fail("--runs must be at least 1, got {}", args.runs);
  if (args.warmup < 0) fail("--warmup cannot be negative, got {}", args.warmup);
  for (const std::string& model : args.models) build_model(model);  // an unknown name fails before any timing
  const OnednnBackend backend;
  const std::string library = backend.library_version();
  const int threads = args.threads > 0 ? args.threads : static_cast<int>(std::thread::hardware_concurrency());

  std::vector<Measurement> results;
  for (const std::string& model : args.models)
    for (int64_t batch : args.batches) {
      fmt::print(stderr, "{} batch {}...\n", model, batch);
      results.push_back(measure(backend, model, batch, args));
      fmt::print("{}\n{}\n", heading(results.back()), top_steps_table(results.back(), args.top).render());
    }
  fmt::print("{}\n\n{}", protocol_line(args, threads, library), summary_table(results, args.limit).render());
  if (!args.json.empty()) {
    write_file_atomically(args.json, report_json(results, args, threads, library).dump(2) + "\n");
    fmt::print("results written to {}\n", args.json);
  }
  if (!args.markdown.empty()) {
    write_file_atomically(args.markdown, report_markdown(results, args, threads, library));
    fmt::print("table written to {}\n", args.markdown);
  }
}

}  // namespace
}  // namespace stride

int main(int argc, char** argv) {
  stride::Args args;
  CLI::App app{"Graph overhead of the onednn backend: whole-plan time against the sum of its primitives' times"};
  app.add_option("--models", args.models, "Zoo models, comma-separated")->delimiter(',')->capture_default_str();
  app.add_option("--batch", args.batches, "Batch sizes, comma-separated")->delimiter(',')->capture_default_str();
  app.add_option("--warmup", args.warmup, "Untimed runs first")->capture_default_str();
  app.add_option("--runs", args.runs, "Timed runs, and as many runs with verbose on")->capture_default_str();
  app.add_option("--threads", args.threads, "Threads of the plan (0: all cores)")->capture_default_str();
  app.add_option("--seed", args.seed, "Seed of the random inputs")->capture_default_str();
  app.add_option("--limit", args.limit, "Largest overhead that passes, as a fraction")->capture_default_str();
  app.add_option("--top", args.top, "Longest primitives listed per model and batch")->capture_default_str();
  app.add_option("--json", args.json, "Write the results (with the machine's description) as JSON");
  app.add_option("--markdown", args.markdown, "Write the tables as Markdown");
  try {
    app.parse(argc, argv);
    stride::run(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    fmt::print(stderr, "plan_overhead: error: {}\n", e.what());
    return 1;
  }
  return 0;
}
