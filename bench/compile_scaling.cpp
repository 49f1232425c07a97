// compile_scaling: how compile time grows with graph length. A chain of N small Relu and Add nodes
// (each Add reads the value two links back, so values stay live and the arena planner has work; or
// Relu only, each one in place over the last) is
// compiled by each backend for growing N; twice N should take about twice as long. Prints a table
// and, with --json, saves it with the machine's description.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/measure/machine_info.h"

namespace {

using namespace stride;

Graph chain(int length, bool relu_only) {
  Graph g;
  g.inputs.push_back({"x", DType::f32, {1, 16}});
  std::string previous = "x", before = "x";
  for (int i = 0; i < length; ++i) {
    const std::string out = fmt::format("v{}", i);
    if (i % 2 == 0 || relu_only)
      g.nodes.push_back({out, "Relu", {previous}, {out}, {}});
    else
      g.nodes.push_back({out, "Add", {previous, before}, {out}, {}});
    before = previous;
    previous = out;
  }
  g.outputs.push_back({previous, DType::f32, {1, 16}});
  return g;
}

double compile_seconds(const Backend& backend, const Graph& graph) {
  const auto start = std::chrono::steady_clock::now();
  auto plan = backend.compile(graph, {});
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compile time of a chain of N nodes, per backend"};
  std::vector<int> lengths{1000, 2000, 4000, 8000, 16000};
  std::string json_path;
  bool relu_only = false;
  app.add_flag("--relu-only", relu_only, "A chain of Relu nodes only");
  app.add_option("--lengths", lengths, "Chain lengths")->delimiter(',');
  app.add_option("--json", json_path, "Write the results with the machine's description");
  CLI11_PARSE(app, argc, argv);

  const RefBackend ref;
  const OnednnBackend onednn;
  nlohmann::json rows = nlohmann::json::array();
  fmt::print("| nodes | ref s | onednn s | onednn µs/node |\n|---|---|---|---|\n");
  for (int n : lengths) {
    const Graph g = chain(n, relu_only);
    const double r = compile_seconds(ref, g), o = compile_seconds(onednn, g);
    fmt::print("| {} | {:.3f} | {:.3f} | {:.1f} |\n", n, r, o, o / n * 1e6);
    rows.push_back({{"nodes", n}, {"ref_seconds", r}, {"onednn_seconds", o}});
  }
  if (!json_path.empty()) {
    const MachineInfo machine = machine_info();
    const nlohmann::json j{{"machine", {{"cpu", machine.cpu_model}, {"logical_cores", machine.logical_cores},
                                        {"isa_flags", machine.isa_flags}, {"date", utc_timestamp()}}},
                           {"results", rows}};
    write_file_atomically(json_path, j.dump(2) + "\n");
  }
  return 0;
}
