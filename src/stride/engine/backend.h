#pragma once
// The one interface every execution backend implements: compile a graph into a Plan once, then
// run the plan many times.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stride/ir/graph.h"
#include "stride/ir/shape_inference.h"

namespace stride {

using TensorMap = std::map<std::string, Tensor>;

struct CompileOptions {
  int threads = 0;                            // 0: all cores
  std::map<std::string, Shape> input_shapes;  // fixes run-time dims (e.g. the batch)
};

class Plan {
 public:
  virtual ~Plan() = default;
  // Runs on named inputs and returns the graph outputs by name. Throws stride::Error on a missing
  // input or a dtype or shape the plan was not compiled for.
  virtual TensorMap run(const TensorMap& inputs) = 0;
  // Bytes of the activation memory the plan reserved at compile time (0 when it allocates per run).
  virtual size_t arena_bytes() const { return 0; }
  // The nodes this plan computes with reference (naive, loop-nest) kernels: what `--backend auto`
  // weighs (engine/select/measured_choice.h). Empty when every node has an optimised kernel.
  virtual std::vector<std::string> reference_nodes() const { return {}; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  // The library and version doing the work, recorded beside benchmark results.
  virtual std::string library_version() const { return std::string(name()); }
  // The instruction sets its kernels use on this machine ("avx512_core_amx", "SSE2 baseline").
  virtual std::string cpu_features() const = 0;
  // Op types of the graph that this backend cannot execute (empty when it runs them all).
  virtual std::vector<std::string> missing_ops(const Graph& graph) const = 0;
  virtual std::unique_ptr<Plan> compile(const Graph& graph, const CompileOptions& options) const = 0;
};

// Throws stride::Error, naming every op type and the nodes using it, when `backend` lacks ops of `graph`.
void check_backend_supports(const Backend& backend, const Graph& graph);

// Checks that `inputs` has every graph input with the declared dtype and a shape compatible with
// the declared one (unknown dims match anything). Names the input and both shapes on failure.
void check_inputs(const Graph& graph, const TensorMap& inputs);

// Stride's rule for NaN is ONNX's: it propagates as IEEE arithmetic says (ref and torch follow it).
// oneDNN's and XNNPACK's ReLU and max kernels return the other operand when one is NaN, so their
// plans would give finite features for an input holding NaN: they refuse such an input instead,
// naming it. Infinities are refused too, as inf − inf and 0 · inf make NaN inside the plan.
void check_finite_input(std::string_view backend, const std::string& name, const Tensor& t);

// Checks the memory a run of `graph` with `shapes` may hold at once against the memory budget
// (core/memory_budget.h): every graph input and node output together — what a backend that keeps
// each value until the run ends needs, an upper bound for one that frees them earlier.
void check_run_memory(const Graph& graph, const GraphShapes& shapes, std::string_view backend);

}  // namespace stride
