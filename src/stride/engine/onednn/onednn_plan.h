#pragma once
// A graph compiled for oneDNN: a list of primitives with their weights prepacked, every intermediate
// activation (and every scratchpad) at a fixed place in one arena, and graph inputs and outputs
// read and written in place in the caller's tensors.
#include <functional>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/engine/onednn/aligned_buffer.h"
#include "stride/engine/step_timeline.h"

namespace stride {

// What one step of the plan computes, for benchmarks and reports.
struct OnednnStepInfo {
  std::string primitive;           // oneDNN primitive kind: "convolution", "reorder", ...
  std::string implementation;      // the kernel oneDNN chose, e.g. "brg:avx512_core"
  std::vector<std::string> nodes;  // the IR nodes it computes; empty for a layout conversion
  std::string converts;            // for a layout conversion: the value it converts
};

class OnednnPlan final : public Plan {
 public:
  // A graph input or output: the memories that read or write it take the caller's tensor each run.
  struct External {
    std::string name;
    DType dtype = DType::f32;  // f32, or u8/s8 for a full-integer model's
    Shape shape;
    std::vector<dnnl::memory> memories;
  };
  using Args = std::unordered_map<int, dnnl::memory>;
  // Work oneDNN has no primitive for (e.g. a quantization whose scale comes from the data itself),
  // run on the host between primitives over the same memories.
  using HostKernel = std::function<void(const Args& args)>;
  struct Step {
    dnnl::primitive primitive;  // empty for a host step
    Args args;
    HostKernel host;
  };
  struct Parts {
    dnnl::engine engine;
    int threads = 0;
    onednn::AlignedBuffer arena;
    std::vector<Step> steps;
    std::vector<OnednnStepInfo> infos;  // one per step
    std::vector<External> inputs;
    std::vector<External> outputs;
    std::vector<dnnl::memory> constants;  // prepacked weights, owned here
    size_t weight_bytes = 0;
  };

  explicit OnednnPlan(Parts parts);

  // Inputs must have exactly the shapes the plan was compiled for. Not reentrant: one run at a time.
  TensorMap run(const TensorMap& inputs) override;
  // As run(), writing into `outputs`, which must already hold every graph output with its compiled
  // shape: after the first run nothing is allocated for activations.
  void run_into(const TensorMap& inputs, TensorMap& outputs);
  // Each step's span over `runs` runs (the stream is waited for after every step, as in run()).
  StepTimeline profile_steps(const TensorMap& inputs, int runs);

  size_t arena_bytes() const override { return parts_.arena.size(); }
  std::vector<std::string> reference_nodes() const override;
  const std::byte* arena_data() const { return parts_.arena.data(); }
  size_t weight_bytes() const { return parts_.weight_bytes; }
  size_t primitive_count() const { return parts_.steps.size(); }
  const std::vector<OnednnStepInfo>& steps() const { return parts_.infos; }
  // The node lists of the steps that compute more than one node.
  std::vector<std::vector<std::string>> fused_nodes() const;
  // The shape each graph input was compiled for.
  std::map<std::string, Shape> input_shapes() const;
  int threads() const { return parts_.threads; }

 private:
  void bind(const TensorMap& inputs, TensorMap& outputs);
  // Runs every step i as around(i, step): run() just calls step(), profile_steps() times it.
  template <typename AroundStep>
  void execute(AroundStep&& around);

  Parts parts_;
  dnnl::stream stream_;
};

}  // namespace stride
