#pragma once
// The xnnpack backend's plan: XNNPACK operators created (weights packed) and set up once at compile
// time on buffers that live as long as the plan, the nodes XNNPACK cannot run done by the ref
// kernels in between, and layout conversions where the two meet (XNNPACK is channels-last, ONNX
// and the ref kernels channels-first). A plan runs the input shapes it was compiled for.
#include <xnnpack.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "stride/engine/backend.h"
#include "stride/engine/step_timeline.h"

typedef struct pthreadpool* pthreadpool_t;

namespace stride::xnnpack {

// onnx: the value as ONNX has it (channels-first). channels_last: as XNNPACK's operators hold it —
// channels last, and u8 as s8 (channels_last.h). A value of rank below 3 that is not u8 looks the
// same both ways and has one buffer.
enum class Layout { onnx, channels_last };

struct OperatorDeleter {
  void operator()(xnn_operator_t op) const;
};
using Operator = std::unique_ptr<xnn_operator, OperatorDeleter>;

// Throws stride::Error naming `what` when XNNPACK refused.
void check(xnn_status status, const std::string& what);

// One step of a plan, as `describe()` lists it.
struct StepInfo {
  std::string engine;  // "xnnpack", "ref" or "layout"
  std::string what;    // the XNNPACK operator, the ref op, or the conversion
  std::string nodes;   // the node(s) it computes, or the value it converts
};

class XnnpackPlan final : public Plan {
 public:
  TensorMap run(const TensorMap& inputs) override;
  size_t arena_bytes() const override;
  // The nodes of the ref steps.
  std::vector<std::string> reference_nodes() const override;
  const std::vector<StepInfo>& steps() const { return infos_; }
  // Each step's span over `runs` runs on `inputs` (`stride bench --explain` and `--profile`).
  StepTimeline profile_steps(const TensorMap& inputs, int runs);

 private:
  void bind(const TensorMap& inputs);

  friend class PlanBuilder;
  struct PoolDeleter {
    void operator()(pthreadpool_t pool) const;
  };

  Graph graph_;  // the nodes ref steps run
  std::map<std::string, std::unique_ptr<Tensor>> buffers_;
  std::vector<Operator> operators_;
  std::unique_ptr<struct pthreadpool, PoolDeleter> pool_;
  std::vector<std::function<void()>> steps_;
  std::vector<StepInfo> infos_;
  std::map<std::string, Tensor*> inputs_, outputs_;
};

// Builds a plan node by node (xnnpack_backend.cpp drives it; lower_ops.cpp lowers what XNNPACK runs).
class PlanBuilder {
 public:
  PlanBuilder(const Graph& sorted_graph, GraphShapes shapes, int threads);

  const Graph& graph() const { return plan_->graph_; }
  const TensorInfo& info(const std::string& value) const { return shapes_.values.at(value); }
  // An initializer's or a Constant node's value; nullptr for a run-time value.
  const Tensor* constant(const std::string& value) const;
  pthreadpool_t pool() const { return plan_->pool_.get(); }

  // The buffer of `value` in `layout`, with a conversion step the first time it is asked for in the
  // other layout than the one it was made in. Values of rank below 3 have one layout.
  Tensor& value(const std::string& name, Layout layout);
  // The layout `value` was made in (onnx for inputs and constants).
  Layout layout_of(const std::string& name) const;
  // A new buffer for a node output made in `layout`.
  Tensor& define(const std::string& name, Layout layout);
  // `name` is computed into the buffer of `existing` (a fused activation's output).
  void alias(const std::string& name, const std::string& existing);

  // `make` adds the steps that compute `name` (in the layout `layout`), run when a step first reads
  // it: a DequantizeLinear whose readers all run in int8 computes nothing.
  void defer(const std::string& name, Layout layout, std::function<void()> make);
  // Computes `node`, whose inputs are all constants, now with the ref kernel: its outputs become
  // constants (the f32 weights behind a DequantizeLinear of s8 integers).
  void fold(const Node& node);

  // The node that alone reads `value` (not a graph output), which a producer may fuse; nullptr if none.
  const Node* single_reader(const std::string& value) const;
  // The Relu that alone reads `value`; nullptr if none.
  const Node* fusable_relu(const std::string& value) const;
  void mark_fused(const Node& node) { fused_.insert(node.name); }
  bool is_fused(const Node& node) const { return fused_.count(node.name) != 0; }

  // Keeps an operator (set up) for the plan's life; add_operator_step also runs it as a step.
  void add_operator(Operator op) { plan_->operators_.push_back(std::move(op)); }
  void add_operator_step(Operator op, const std::string& what, const std::string& nodes);
  void add_step(StepInfo info, std::function<void()> run);
  // Runs `node` with the ref kernels on channels-first buffers.
  void add_ref_step(const Node& node);
  // Runs the kernel of `node` on `inputs` into `outputs` (values in place of its own: a data
  // movement done on the int8 values around its DequantizeLinear and QuantizeLinear); `nodes` names them.
  void add_ref_step(const Node& node, const std::vector<std::string>& inputs, const std::vector<std::string>& outputs,
                    const std::string& nodes);

  std::unique_ptr<XnnpackPlan> finish();

 private:
  static std::string key(const std::string& name, Layout layout);
  // `layout`, or onnx where the value looks the same in both.
  Layout effective(const std::string& name, Layout layout) const;
  Tensor& make_buffer(const std::string& key, DType dtype, const Shape& shape);

  std::unique_ptr<XnnpackPlan> plan_;
  GraphShapes shapes_;
  std::map<std::string, Layout> made_in_;
  struct Deferred {
    Layout layout;
    std::function<void()> make;
  };
  std::map<std::string, Deferred> deferred_;
  std::map<std::string, std::string> aliases_;
  std::set<std::string> fused_;
};

// Adds the steps of `node` if XNNPACK runs it here (lower_ops.cpp); false leaves it to ref.
bool lower_with_xnnpack(PlanBuilder& builder, const Node& node);
// QuantizeLinear and DequantizeLinear as XNNPACK conversions, DequantizeLinear of constants folded
// (lower_quant.cpp); false leaves `node` to the others.
bool lower_quantization(PlanBuilder& builder, const Node& node);
// A Conv, Gemm, MaxPool or Add between DequantizeLinear and QuantizeLinear as one int8 operator
// (lower_int8.cpp); false leaves `node` to the f32 lowerings.
bool lower_in_int8(PlanBuilder& builder, const Node& node);

}  // namespace stride::xnnpack
