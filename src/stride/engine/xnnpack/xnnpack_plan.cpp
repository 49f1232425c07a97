#include "stride/engine/xnnpack/xnnpack_plan.h"

#include <pthreadpool.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "stride/engine/ref/kernels.h"
#include "stride/engine/xnnpack/channels_last.h"

namespace stride::xnnpack {

namespace {

// Runs `kernel` (the ref kernel of `node`) on `inputs` into new tensors of the types and shapes
// `made` (nullopt: an unnamed output).
std::vector<Tensor> run_ref_kernel(const ref::Kernel& kernel, const Node& node,
                                   const std::vector<const Tensor*>& inputs,
                                   const std::vector<std::optional<TensorInfo>>& made) {
  std::vector<Tensor> outputs;
  for (const auto& m : made) outputs.push_back(m ? Tensor(m->dtype, m->shape) : Tensor());
  ref::KernelContext ctx{node, inputs, {}};
  for (size_t o = 0; o < outputs.size(); ++o) ctx.outputs.push_back(made[o] ? &outputs[o] : nullptr);
  kernel(ctx);
  return outputs;
}

}  // namespace

void OperatorDeleter::operator()(xnn_operator_t op) const { xnn_delete_operator(op); }

void XnnpackPlan::PoolDeleter::operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }

void check(xnn_status status, const std::string& what) {
  if (status != xnn_status_success) fail("XNNPACK refused {} (status {})", what, static_cast<int>(status));
}

void XnnpackPlan::bind(const TensorMap& inputs) {
  for (const auto& [name, t] : inputs)
    if (!inputs_.count(name)) fail("'{}' is not an input of the model", name);
  for (auto& [name, buffer] : inputs_) {
    auto it = inputs.find(name);
    if (it == inputs.end())
      fail("missing input '{}' (expected {} {})", name, dtype_name(buffer->dtype()), shape_str(buffer->shape()));
    if (it->second.dtype() != buffer->dtype() || it->second.shape() != buffer->shape())
      fail("input '{}' is {} {}, but this plan was compiled for {} {}", name, dtype_name(it->second.dtype()),
           shape_str(it->second.shape()), dtype_name(buffer->dtype()), shape_str(buffer->shape()));
    if (buffer->dtype() == DType::f32) check_finite_input("xnnpack", name, it->second);
    std::memcpy(buffer->raw(), it->second.raw(), buffer->nbytes());
  }
}

TensorMap XnnpackPlan::run(const TensorMap& inputs) {
  bind(inputs);
  for (auto& step : steps_) step();
  TensorMap outputs;
  for (const auto& [name, buffer] : outputs_) outputs[name] = *buffer;
  return outputs;
}

StepTimeline XnnpackPlan::profile_steps(const TensorMap& inputs, int runs) {
  bind(inputs);
  StepTimeline timeline(steps_.size());
  for (int r = 0; r < runs; ++r) {
    timeline.start_run();
    for (size_t i = 0; i < steps_.size(); ++i) timeline.time_step(i, steps_[i]);
  }
  return timeline;
}

size_t XnnpackPlan::arena_bytes() const {
  size_t bytes = 0;
  for (const auto& [key, buffer] : buffers_) bytes += buffer->nbytes();
  return bytes;
}

std::vector<std::string> XnnpackPlan::reference_nodes() const {
  std::vector<std::string> names;
  for (const StepInfo& info : infos_)
    if (info.engine == "ref") names.push_back(info.nodes);
  return names;
}

PlanBuilder::PlanBuilder(const Graph& sorted_graph, GraphShapes shapes, int threads)
    : plan_(std::make_unique<XnnpackPlan>()), shapes_(std::move(shapes)) {
  plan_->graph_ = sorted_graph;
  plan_->pool_.reset(pthreadpool_create(static_cast<size_t>(threads)));  // 0: one thread per core
  if (!plan_->pool_) fail("the xnnpack backend could not start its {} threads", threads);
  for (const ValueInfo& v : sorted_graph.inputs) {
    const TensorInfo& i = info(v.name);
    plan_->inputs_[v.name] = &make_buffer(key(v.name, Layout::onnx), i.dtype, i.shape);
    made_in_[v.name] = Layout::onnx;
  }
}

std::string PlanBuilder::key(const std::string& name, Layout layout) {
  return layout == Layout::onnx ? name : name + "\n(channels-last)";
}

Tensor& PlanBuilder::make_buffer(const std::string& key, DType dtype, const Shape& shape) {
  auto [it, added] =
      plan_->buffers_.emplace(key, std::make_unique<Tensor>(Tensor::with_slack(dtype, shape, XNN_EXTRA_BYTES)));
  if (!added) fail("value '{}' is computed twice", key);
  return *it->second;
}

const Tensor* PlanBuilder::constant(const std::string& value) const {
  if (auto it = graph().initializers.find(value); it != graph().initializers.end()) return &it->second;
  if (auto it = shapes_.constants.find(value); it != shapes_.constants.end()) return &it->second;
  return nullptr;
}

Layout PlanBuilder::layout_of(const std::string& name) const {
  const std::string& real = aliases_.count(name) ? aliases_.at(name) : name;
  if (auto d = deferred_.find(real); d != deferred_.end()) return d->second.layout;
  auto it = made_in_.find(real);
  return it == made_in_.end() ? Layout::onnx : it->second;
}

Layout PlanBuilder::effective(const std::string& name, Layout layout) const {
  const TensorInfo& i = info(name);
  return i.shape.size() < 3 && xnnpack_type(i.dtype) == i.dtype ? Layout::onnx : layout;
}

Tensor& PlanBuilder::define(const std::string& name, Layout layout) {
  const TensorInfo& i = info(name);
  layout = effective(name, layout);
  made_in_[name] = layout;
  return layout == Layout::channels_last
             ? make_buffer(key(name, layout), xnnpack_type(i.dtype), channels_last_shape(i.shape))
             : make_buffer(key(name, layout), i.dtype, i.shape);
}

void PlanBuilder::defer(const std::string& name, Layout layout, std::function<void()> make) {
  deferred_[name] = {effective(name, layout), std::move(make)};
}

void PlanBuilder::fold(const Node& node) {
  std::vector<const Tensor*> inputs;
  for (const std::string& in : node.inputs) {
    inputs.push_back(in.empty() ? nullptr : constant(in));
    if (!in.empty() && !inputs.back()) fail("node '{}' reads '{}', which is not a constant", node.name, in);
  }
  std::vector<std::optional<TensorInfo>> made;
  for (const std::string& out : node.outputs) made.push_back(out.empty() ? std::nullopt : std::optional(info(out)));
  std::vector<Tensor> outputs = run_ref_kernel(*ref::kernel_registry().find(node.op_type), node, inputs, made);
  for (size_t o = 0; o < outputs.size(); ++o)
    if (made[o]) shapes_.constants[node.outputs[o]] = std::move(outputs[o]);
}

void PlanBuilder::alias(const std::string& name, const std::string& existing) { aliases_[name] = existing; }

Tensor& PlanBuilder::value(const std::string& name, Layout layout) {
  const std::string real = aliases_.count(name) ? aliases_.at(name) : name;
  if (auto d = deferred_.find(real); d != deferred_.end()) {
    const auto make = std::move(d->second.make);
    deferred_.erase(d);
    make();
  }
  const TensorInfo& i = info(real);
  layout = effective(real, layout);
  auto& buffers = plan_->buffers_;
  if (auto it = buffers.find(key(real, layout)); it != buffers.end()) return *it->second;
  if (const Tensor* c = constant(real)) {  // converted once, here
    Tensor& buffer = layout == Layout::onnx
                         ? make_buffer(key(real, layout), c->dtype(), c->shape())
                         : make_buffer(key(real, layout), DType::f32, channels_last_shape(c->shape()));
    if (layout == Layout::onnx)
      buffer = *c;
    else
      to_channels_last(c->cast(DType::f32), buffer);
    return buffer;
  }
  const Layout from = layout_of(real);
  if (from == layout) fail("value '{}' is read before any step computes it", real);
  const Tensor& source = *buffers.at(key(real, from));
  if (source.dtype() != DType::f32 && xnnpack_type(i.dtype) != DType::s8)
    fail("value '{}' is {}; the xnnpack backend changes the layout of f32 and int8 values only", real,
         dtype_name(i.dtype));
  Tensor& target = layout == Layout::onnx
                       ? make_buffer(key(real, layout), i.dtype, i.shape)
                       : make_buffer(key(real, layout), xnnpack_type(i.dtype), channels_last_shape(i.shape));
  if (layout == Layout::channels_last)
    add_step({"layout", "to channels-last", real}, [&source, &target] { to_channels_last(source, target); });
  else
    add_step({"layout", "to channels-first", real}, [&source, &target] { to_channels_first(source, target); });
  return target;
}

const Node* PlanBuilder::single_reader(const std::string& value) const {
  if (graph().reads(value) != 1) return nullptr;
  for (const ValueInfo& o : graph().outputs)
    if (o.name == value) return nullptr;
  for (const Node& n : graph().nodes)
    for (const std::string& in : n.inputs)
      if (in == value) return &n;
  return nullptr;
}

const Node* PlanBuilder::fusable_relu(const std::string& value) const {
  const Node* reader = single_reader(value);
  return reader && reader->op_type == "Relu" ? reader : nullptr;
}

void PlanBuilder::add_step(StepInfo info, std::function<void()> run) {
  plan_->infos_.push_back(std::move(info));
  plan_->steps_.push_back(std::move(run));
}

void PlanBuilder::add_operator_step(Operator op, const std::string& what, const std::string& nodes) {
  xnn_operator_t raw = op.get();
  pthreadpool_t threads = pool();
  add_operator(std::move(op));
  add_step({"xnnpack", what, nodes}, [raw, threads] { xnn_run_operator(raw, threads); });
}

void PlanBuilder::add_ref_step(const Node& node) { add_ref_step(node, node.inputs, node.outputs, node.name); }

void PlanBuilder::add_ref_step(const Node& node, const std::vector<std::string>& input_names,
                               const std::vector<std::string>& output_names, const std::string& nodes) {
  std::vector<const Tensor*> inputs;
  for (const std::string& in : input_names) inputs.push_back(in.empty() ? nullptr : &value(in, Layout::onnx));
  std::vector<Tensor*> outputs;
  for (const std::string& out : output_names) outputs.push_back(out.empty() ? nullptr : &define(out, Layout::onnx));
  std::vector<std::optional<TensorInfo>> made;
  for (const Tensor* out : outputs)
    made.push_back(out ? std::optional(TensorInfo{out->dtype(), out->shape()}) : std::nullopt);
  const ref::Kernel& kernel = *ref::kernel_registry().find(node.op_type);
  // A ref kernel may replace its output tensor rather than fill it: it gets fresh ones, copied into
  // the plan's buffers, whose addresses the XNNPACK operators were set up with.
  add_step({"ref", node.op_type, nodes}, [&node, &kernel, inputs, outputs, made] {
    const std::vector<Tensor> fresh = run_ref_kernel(kernel, node, inputs, made);
    for (size_t o = 0; o < fresh.size(); ++o) {
      if (!outputs[o]) continue;
      if (fresh[o].nbytes() != outputs[o]->nbytes())
        fail("node '{}' ({}) made {} {}, not the {} {} it was compiled for", node.name, node.op_type,
             dtype_name(fresh[o].dtype()), shape_str(fresh[o].shape()), dtype_name(outputs[o]->dtype()),
             shape_str(outputs[o]->shape()));
      std::memcpy(outputs[o]->raw(), fresh[o].raw(), outputs[o]->nbytes());
    }
  });
}

std::unique_ptr<XnnpackPlan> PlanBuilder::finish() {
  for (const ValueInfo& o : graph().outputs) plan_->outputs_[o.name] = &value(o.name, Layout::onnx);
  return std::move(plan_);
}

}  // namespace stride::xnnpack
