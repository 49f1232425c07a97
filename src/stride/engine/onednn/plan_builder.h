#pragma once
// Builds an OnednnPlan group by group. Lowerings ask for their inputs in the layout their primitive
// chose (a reorder is added only when the value's current layout differs, and shared by every reader
// wanting that layout), define their outputs, and add steps. finish() gives every arena buffer its
// place by liveness and binds the memories.
#include <map>
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/fusion.h"
#include "stride/engine/onednn/onednn_plan.h"

namespace stride::onednn {

using ValueId = size_t;

struct StepArg {
  int arg;  // DNNL_ARG_*
  ValueId value;
};

class PlanBuilder {
 public:
  PlanBuilder(const Graph& graph, const GraphShapes& shapes, const QdqPatterns& qdq,
              const std::vector<FusedGroup>& schedule, int threads);

  const Graph& graph() const { return graph_; }
  const GraphShapes& shapes() const { return shapes_; }
  const QdqPatterns& qdq() const { return qdq_; }
  // The value an int8 group reads for its data input `name`: the int8 tensor that name's
  // DequantizeLinear reads. Throws when `name` is not such a value.
  const std::string& int8_source(const std::string& name) const;
  // The value group `g` reads as its data input #i: the anchor's input, or for an int8 group the
  // int8 tensor behind that input's DequantizeLinear.
  const std::string& data_input(const FusedGroup& g, size_t i) const;
  // Row-major with the IR shape and element type of `name`.
  memory::desc plain_desc_of(const std::string& name) const;
  const dnnl::engine& engine() const { return engine_; }
  const Shape& shape(const std::string& value) const { return shapes_.at(value).shape; }
  const Tensor* constant(const std::string& value) const;

  // Sets the group whose lowering runs next (an index into the schedule).
  void begin_group(size_t index) { current_group_ = index; }

  // The value `name` in its current layout. Graph inputs and constants appear on first use. The
  // layout may be any strided view (Reshape and Transpose only relabel bytes): for readers that
  // convert it with in_layout() anyway.
  ValueId value(const std::string& name);
  // The value `name` in a layout oneDNN's fast kernels read as a source (pooling, eltwise, binary):
  // its own when a primitive wrote it or it is plain, else a plain copy of the strided view.
  ValueId value_for_kernel(const std::string& name);
  // A copy: a reference into the values would dangle once a later call adds a value (e.g.
  // in_layout(value(x), desc(y)), whose arguments may be evaluated in either order).
  memory::desc desc(ValueId id) const { return values_.at(id).desc; }
  // True for values known at compile time (weights), which in_layout() converts once, here.
  bool is_constant(ValueId id) const { return buffers_[values_.at(id).buffer].storage == Storage::constant; }
  // `id` in layout `wanted`: itself when it has that layout already, else a converted copy — made
  // once here for constants (prepacking), by a reorder step for activations — shared by every
  // reader that wants the same layout.
  ValueId in_layout(ValueId id, const memory::desc& wanted);
  // The value `name` row-major with its IR shape.
  ValueId plain(const std::string& name);
  // A compile-time tensor described by `desc`, which must be plain with the same type and element count.
  ValueId constant_value(const Tensor& tensor, const memory::desc& desc);
  ValueId constant_value(const Tensor& tensor) { return constant_value(tensor, plain_desc(tensor.shape())); }
  // Another description of the bytes of `source` (e.g. the same plain data with other dims).
  ValueId view(ValueId source, const memory::desc& desc);

  // Defines the node output `name` in a buffer of its own; a graph output that the primitive writes
  // row-major goes straight into the caller's tensor. (Primitives are not asked for a row-major
  // output: some, e.g. convolutions, then fall back to reference kernels; one reorder is cheaper.)
  ValueId define(const std::string& name, const memory::desc& desc);
  // Defines `name` as another view of `source`'s bytes: no copy.
  ValueId define_view(const std::string& name, ValueId source, const memory::desc& desc);
  // Defines `name` as `source` with the shape of `name`: a view of its bytes in their current
  // layout when oneDNN can express that shape over them, else a view of a plain copy.
  ValueId define_reshaped(const std::string& name, const std::string& source);
  // Defines `name` over the bytes of `over` (same layout) when nothing reads `over` after the
  // current group and no value in `also_read` shares its bytes; nullopt otherwise.
  std::optional<ValueId> define_in_place(const std::string& name, ValueId over, const std::vector<ValueId>& also_read);

  // Adds a step computing `nodes`; its scratchpad, if any, gets a place in the arena.
  void add_step(const dnnl::primitive_desc_base& pd, const dnnl::primitive& primitive, std::vector<StepArg> args,
                std::vector<std::string> nodes);
  // Adds a step computing `nodes` on the host (`kind` names it in reports).
  void add_host_step(const std::string& kind, OnednnPlan::HostKernel kernel, std::vector<StepArg> args,
                     std::vector<std::string> nodes);
  // Adds a step copying `from` into `to`, converting the layout.
  void add_reorder(ValueId from, ValueId to);

  std::unique_ptr<OnednnPlan> finish();

 private:
  enum class Storage { arena, input, output, constant };
  struct Buffer {
    Storage storage = Storage::arena;
    size_t bytes = 0;
    size_t external = 0;             // index of the graph input or output
    dnnl::memory constant;           // Storage::constant: the memory holding it
    std::vector<std::string> names;  // graph values stored here
    // The last group reading any of `names` (a graph output counts as read at the end): kept as
    // names are added, so that an in-place check costs O(1), not O(names) — a long chain of
    // in-place activations would otherwise compile in quadratic time.
    size_t last_reading_group = 0;
  };
  struct Value {
    size_t buffer = 0;
    memory::desc desc;
    std::string name;    // the graph value it holds (a converted copy keeps the name)
    bool native = true;  // the layout a primitive wrote (or plain), not a relabelling view of one
  };
  struct PendingStep {
    dnnl::primitive primitive;
    std::vector<StepArg> args;
    OnednnStepInfo info;
    OnednnPlan::HostKernel host;
  };

  ValueId add_value(size_t buffer, const memory::desc& desc, const std::string& name, bool native = true);
  size_t add_buffer(Storage storage, size_t bytes, size_t external = 0);
  void bind_name(const std::string& name, ValueId id);
  void add_name(size_t buffer, const std::string& name);
  size_t last_reading_group(const std::string& name) const;
  void export_outputs();
  std::vector<size_t> place_arena_buffers(AlignedBuffer& arena) const;

  const Graph& graph_;
  const GraphShapes& shapes_;
  const QdqPatterns& qdq_;
  int threads_;
  dnnl::engine engine_;
  dnnl::stream stream_;  // for prepacking constants at compile time
  std::vector<Buffer> buffers_;
  std::vector<Value> values_;
  std::map<std::string, ValueId> named_;
  std::multimap<ValueId, ValueId> conversions_;  // value → its copies in other layouts
  std::map<std::string, size_t> last_reading_group_;
  size_t current_group_ = 0;
  std::vector<PendingStep> steps_;
};

// Throws stride::Error "node 'NAME' (OP): ...".
template <typename... Args>
[[noreturn]] void fail_node(const Node& node, fmt::format_string<Args...> format, Args&&... args) {
  fail("node '{}' ({}): {}", node.name, node.op_type, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace stride::onednn
