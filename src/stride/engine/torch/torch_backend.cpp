#include "stride/engine/torch/torch_backend.h"

#include <ATen/Version.h>
#include <torch/version.h>

#include <set>
#include <thread>

#include "stride/core/cpu_count.h"
#include "stride/engine/select/make_backend.h"
#include "stride/engine/torch/torch_program.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

class TorchPlan final : public Plan {
 public:
  TorchPlan(const Graph& graph, int threads) : program_(graph), threads_(threads) {}

  TensorMap run(const TensorMap& inputs) override {
    check_inputs(program_.graph(), inputs);
    check_memory_for(inputs);
    // Debian's LibTorch starts with one intra-op thread; match the engine's setting every run, since
    // another plan in the same process may have changed it.
    if (torch::get_num_threads() != threads_) torch::set_num_threads(threads_);
    torch::InferenceMode inference;
    TorchTensorMap torch_inputs;
    for (const auto& [name, t] : inputs) torch_inputs[name] = to_torch(t);
    TensorMap outputs;
    for (const auto& [name, t] : program_.forward(torch_inputs)) outputs[name] = from_torch(t);
    return outputs;
  }

 private:
  // LibTorch allocates outside Stride's tensors: the budget is checked once per set of input shapes
  // (not every run: shape inference would show in the timings).
  void check_memory_for(const TensorMap& inputs) {
    std::map<std::string, Shape> shapes;
    for (const auto& [name, t] : inputs) shapes[name] = t.shape();
    if (shapes == checked_shapes_) return;
    check_run_memory(program_.graph(), infer_shapes_for_run(program_.graph(), inputs), "torch");
    checked_shapes_ = std::move(shapes);
  }

  TorchProgram program_;
  int threads_;
  std::map<std::string, Shape> checked_shapes_;
};

// LibTorch could compute in double, but the torch backend stands for the eager framework Stride's
// f32 engines are compared with; f64 values come only from ONNX files made elsewhere, and ref runs them.
void refuse_f64(const Graph& graph, const GraphShapes& shapes) {
  for (const auto& v : graph.inputs)
    if (v.dtype == DType::f64) fail("input '{}' is f64; the torch backend does not compute on f64", v.name);
  for (const auto& [name, info] : shapes.values)
    if (info.dtype == DType::f64) fail("value '{}' is f64; the torch backend does not compute on f64", name);
}

}  // namespace

std::vector<std::string> TorchBackend::missing_ops(const Graph& graph) const {
  std::set<std::string> missing;
  for (const auto& n : graph.nodes)
    if (!torch_supports(n.op_type)) missing.insert(n.op_type);
  return {missing.begin(), missing.end()};
}

std::unique_ptr<Plan> TorchBackend::compile(const Graph& graph, const CompileOptions& options) const {
  validate(graph);
  check_ops_supported(graph);
  check_backend_supports(*this, graph);
  refuse_f64(graph, infer_shapes(graph, options.input_shapes));  // fail at compile time, not on the first run
  const int threads = options.threads > 0 ? options.threads : usable_cores();
  return std::make_unique<TorchPlan>(graph, threads);
}

std::string TorchBackend::library_version() const { return "LibTorch " TORCH_VERSION; }

std::string TorchBackend::cpu_features() const {
  // ATen names the kernels it dispatches to in its build summary, "CPU capability usage: AVX512".
  const std::string config = at::show_config();
  const std::string key = "CPU capability usage: ";
  const size_t at = config.find(key);
  if (at == std::string::npos) return "not reported by LibTorch";
  const size_t begin = at + key.size();
  return config.substr(begin, config.find('\n', begin) - begin);
}

void register_torch_backend() {
  register_backend("torch", [] { return std::make_unique<TorchBackend>(); });
}

}  // namespace stride
