#include "stride/engine/onednn/plan_builder.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "stride/core/memory_budget.h"
#include "stride/engine/onednn/arena_planner.h"
#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {
namespace {

std::optional<size_t> index_of(const std::vector<ValueInfo>& values, const std::string& name) {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i].name == name) return i;
  return std::nullopt;
}

}  // namespace

PlanBuilder::PlanBuilder(const Graph& graph, const GraphShapes& shapes, const QdqPatterns& qdq,
                         const std::vector<FusedGroup>& schedule, int threads)
    : graph_(graph),
      shapes_(shapes),
      qdq_(qdq),
      threads_(threads),
      engine_(dnnl::engine::kind::cpu, 0),
      stream_(engine_) {
  for (size_t g = 0; g < schedule.size(); ++g) {
    std::vector<const Node*> nodes{schedule[g].anchor};
    for (const auto& f : schedule[g].fused) nodes.push_back(f.node);
    for (const Node* n : nodes)
      for (const auto& in : n->inputs) {
        if (in.empty()) continue;
        last_reading_group_[in] = g;
        // An int8 group reads the tensor behind its inputs' DequantizeLinear, here and not there.
        if (schedule[g].int8)
          if (auto dq = qdq.dequantized(in)) last_reading_group_[dq->source] = g;
      }
  }
}

const std::string& PlanBuilder::int8_source(const std::string& name) const {
  const Node* dq = qdq_.producer(name);
  if (!qdq_.dequantized(name)) fail("value '{}' is not an int8 tensor behind a DequantizeLinear", name);
  return dq->inputs.at(0);
}

const std::string& PlanBuilder::data_input(const FusedGroup& g, size_t i) const {
  const std::string& name = g.anchor->inputs.at(i);
  return g.int8 ? int8_source(name) : name;
}

memory::desc PlanBuilder::plain_desc_of(const std::string& name) const {
  const TensorInfo& info = shapes_.at(name);
  return plain_desc(info.shape, dnnl_type(info.dtype));
}

const Tensor* PlanBuilder::constant(const std::string& value) const { return find_constant(graph_, shapes_, value); }

size_t PlanBuilder::add_buffer(Storage storage, size_t bytes, size_t external) {
  buffers_.push_back({storage, bytes, external, {}, {}});
  return buffers_.size() - 1;
}

ValueId PlanBuilder::add_value(size_t buffer, const memory::desc& desc, const std::string& name, bool native) {
  values_.push_back({buffer, desc, name, native});
  return values_.size() - 1;
}

void PlanBuilder::bind_name(const std::string& name, ValueId id) {
  if (!named_.emplace(name, id).second) fail("value '{}' is defined twice", name);
  add_name(values_[id].buffer, name);
}

ValueId PlanBuilder::value(const std::string& name) {
  if (auto it = named_.find(name); it != named_.end()) return it->second;
  ValueId id;
  if (auto k = index_of(graph_.inputs, name)) {
    const memory::desc d = plain_desc_of(name);
    id = add_value(add_buffer(Storage::input, d.get_size(), *k), d, name);
  } else if (const Tensor* t = constant(name)) {
    id = constant_value(*t, plain_desc(shape(name), dnnl_type(t->dtype())));
    values_[id].name = name;
  } else {
    fail("value '{}' is read before any step computes it", name);
  }
  bind_name(name, id);
  return id;
}

ValueId PlanBuilder::constant_value(const Tensor& tensor, const memory::desc& desc) {
  if (desc.data_type() != dnnl_type(tensor.dtype()) || !is_plain(desc) || desc.get_size() != tensor.nbytes())
    fail("a constant of shape {} cannot be described as {} bytes", shape_str(tensor.shape()), desc.get_size());
  dnnl::memory m(desc, engine_);
  if (tensor.nbytes()) std::memcpy(m.get_data_handle(), tensor.raw(), tensor.nbytes());
  const size_t buffer = add_buffer(Storage::constant, desc.get_size());
  buffers_[buffer].constant = m;
  return add_value(buffer, desc, "");
}

ValueId PlanBuilder::in_layout(ValueId id, const memory::desc& wanted) {
  if (desc(id) == wanted) return id;
  auto [first, last] = conversions_.equal_range(id);
  for (auto it = first; it != last; ++it)
    if (desc(it->second) == wanted) return it->second;

  const Value source = values_[id];
  ValueId converted;
  if (buffers_[source.buffer].storage == Storage::constant) {
    // Weights are prepacked once, here, into the layout the primitive runs fastest with.
    dnnl::memory src(source.desc, engine_, buffers_[source.buffer].constant.get_data_handle());
    dnnl::memory dst(wanted, engine_);
    dnnl::reorder(src, dst).execute(stream_, src, dst);
    stream_.wait();
    const size_t buffer = add_buffer(Storage::constant, wanted.get_size());
    buffers_[buffer].constant = dst;
    converted = add_value(buffer, wanted, source.name);
  } else {
    const size_t buffer = add_buffer(Storage::arena, wanted.get_size());
    // The copy serves every later reader of the value, so it lives (and may be overwritten in
    // place) only as long as the value does.
    if (!source.name.empty()) add_name(buffer, source.name);
    converted = add_value(buffer, wanted, source.name);
    add_reorder(id, converted);
  }
  conversions_.emplace(id, converted);
  return converted;
}

ValueId PlanBuilder::plain(const std::string& name) { return in_layout(value(name), plain_desc_of(name)); }

ValueId PlanBuilder::value_for_kernel(const std::string& name) {
  const ValueId id = value(name);
  return values_[id].native ? id : plain(name);
}

ValueId PlanBuilder::view(ValueId source, const memory::desc& desc) {
  const Value& v = values_.at(source);
  if (desc.get_size() > v.desc.get_size())
    fail("a view of '{}' needs {} bytes, the value has {}", v.name, desc.get_size(), v.desc.get_size());
  return add_value(v.buffer, desc, v.name, v.native && (desc == v.desc || is_plain(desc)));
}

ValueId PlanBuilder::define(const std::string& name, const memory::desc& desc) {
  const auto k = index_of(graph_.outputs, name);
  const bool to_caller = k && is_plain(desc) && desc.dims() == to_dims(shape(name)) &&
                         desc.data_type() == plain_desc_of(name).data_type();
  const size_t buffer =
      to_caller ? add_buffer(Storage::output, desc.get_size(), *k) : add_buffer(Storage::arena, desc.get_size());
  const ValueId id = add_value(buffer, desc, name);
  bind_name(name, id);
  return id;
}

ValueId PlanBuilder::define_reshaped(const std::string& name, const std::string& source) {
  const ValueId x = value(source);
  const memory::dims dims = to_dims(shape(name));
  if (const memory::desc relabelled = desc(x).reshape(dims, /*allow_empty=*/true))
    return define_view(name, x, relabelled);
  return define_view(name, plain(source), plain_desc(dims, desc(x).data_type()));
}

ValueId PlanBuilder::define_view(const std::string& name, ValueId source, const memory::desc& desc) {
  const ValueId id = view(source, desc);
  values_[id].name = name;
  bind_name(name, id);
  return id;
}

size_t PlanBuilder::last_reading_group(const std::string& name) const {
  if (index_of(graph_.outputs, name)) return static_cast<size_t>(-1);
  auto it = last_reading_group_.find(name);
  return it == last_reading_group_.end() ? 0 : it->second;
}

void PlanBuilder::add_name(size_t buffer, const std::string& name) {
  Buffer& b = buffers_[buffer];
  b.names.push_back(name);
  b.last_reading_group = std::max(b.last_reading_group, last_reading_group(name));
}

std::optional<ValueId> PlanBuilder::define_in_place(const std::string& name, ValueId over,
                                                    const std::vector<ValueId>& also_read) {
  const Buffer& buffer = buffers_[values_[over].buffer];
  if (buffer.storage != Storage::arena) return std::nullopt;
  if (buffer.last_reading_group > current_group_) return std::nullopt;
  for (ValueId r : also_read)
    if (values_[r].buffer == values_[over].buffer) return std::nullopt;
  const ValueId id = add_value(values_[over].buffer, desc(over), name);
  bind_name(name, id);
  return id;
}

void PlanBuilder::add_step(const dnnl::primitive_desc_base& pd, const dnnl::primitive& primitive,
                           std::vector<StepArg> args, std::vector<std::string> nodes) {
  const memory::desc scratchpad = pd.scratchpad_desc();
  if (scratchpad && scratchpad.get_size() > 0)
    args.push_back({DNNL_ARG_SCRATCHPAD, add_value(add_buffer(Storage::arena, scratchpad.get_size()), scratchpad, "")});
  steps_.push_back(
      {primitive, std::move(args), {primitive_kind_name(pd), pd.impl_info_str(), std::move(nodes), ""}, {}});
}

void PlanBuilder::add_host_step(const std::string& kind, OnednnPlan::HostKernel kernel, std::vector<StepArg> args,
                                std::vector<std::string> nodes) {
  steps_.push_back({dnnl::primitive(), std::move(args), {kind, "host", std::move(nodes), ""}, std::move(kernel)});
}

void PlanBuilder::add_reorder(ValueId from, ValueId to) {
  const dnnl::reorder::primitive_desc pd(engine_, desc(from), engine_, desc(to), scratchpad_attr());
  add_step(pd, dnnl::reorder(pd), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}, {});
  steps_.back().info.converts = values_[from].name;
}

void PlanBuilder::export_outputs() {
  for (size_t k = 0; k < graph_.outputs.size(); ++k) {
    const std::string& name = graph_.outputs[k].name;
    const ValueId id = value(name);
    const Buffer& buffer = buffers_[values_[id].buffer];
    if (buffer.storage == Storage::output && buffer.external == k) continue;
    const memory::desc d = plain_desc_of(name);
    add_reorder(id, add_value(add_buffer(Storage::output, d.get_size(), k), d, name));
  }
}

std::vector<size_t> PlanBuilder::place_arena_buffers(AlignedBuffer& arena) const {
  constexpr size_t unused = static_cast<size_t>(-1);
  std::vector<size_t> first(buffers_.size(), unused), last(buffers_.size(), 0);
  for (size_t s = 0; s < steps_.size(); ++s)
    for (const auto& arg : steps_[s].args) {
      const size_t b = values_[arg.value].buffer;
      first[b] = std::min(first[b], s);
      last[b] = std::max(last[b], s);
    }
  std::vector<size_t> placed;
  std::vector<ArenaRequest> requests;
  for (size_t b = 0; b < buffers_.size(); ++b)
    if (buffers_[b].storage == Storage::arena && first[b] != unused) {
      placed.push_back(b);
      requests.push_back({buffers_[b].bytes, first[b], last[b]});
    }
  const ArenaLayout layout = plan_arena(requests);
  check_memory(layout.total_bytes, fmt::format("the onednn plan of '{}' (its arena of activations)", graph_.name));
  arena = AlignedBuffer(layout.total_bytes, kArenaAlignment);
  std::vector<size_t> offsets(buffers_.size(), 0);
  for (size_t i = 0; i < placed.size(); ++i) offsets[placed[i]] = layout.offsets[i];
  return offsets;
}

std::unique_ptr<OnednnPlan> PlanBuilder::finish() {
  export_outputs();
  OnednnPlan::Parts parts;
  parts.engine = engine_;
  parts.threads = threads_;
  for (const auto& v : graph_.inputs) parts.inputs.push_back({v.name, shapes_.at(v.name).dtype, shape(v.name), {}});
  for (const auto& v : graph_.outputs) parts.outputs.push_back({v.name, shapes_.at(v.name).dtype, shape(v.name), {}});
  const std::vector<size_t> offsets = place_arena_buffers(parts.arena);

  std::vector<dnnl::memory> memories(values_.size());
  std::set<size_t> constants_used;
  auto memory_of = [&](ValueId id) {
    if (memories[id]) return memories[id];
    const Value& v = values_[id];
    const Buffer& b = buffers_[v.buffer];
    switch (b.storage) {
      case Storage::arena:
        memories[id] = dnnl::memory(v.desc, engine_, parts.arena.data() + offsets[v.buffer]);
        break;
      case Storage::constant:
        memories[id] = dnnl::memory(v.desc, engine_, b.constant.get_data_handle());
        constants_used.insert(v.buffer);
        break;
      case Storage::input:
      case Storage::output:
        memories[id] = dnnl::memory(v.desc, engine_, DNNL_MEMORY_NONE);
        (b.storage == Storage::input ? parts.inputs : parts.outputs)[b.external].memories.push_back(memories[id]);
        break;
    }
    return memories[id];
  };
  for (const auto& step : steps_) {
    OnednnPlan::Step bound{step.primitive, {}, step.host};
    for (const auto& arg : step.args) bound.args[arg.arg] = memory_of(arg.value);
    parts.steps.push_back(std::move(bound));
    parts.infos.push_back(step.info);
  }
  for (size_t b : constants_used) {
    parts.weight_bytes += buffers_[b].bytes;
    parts.constants.push_back(buffers_[b].constant);
  }
  return std::make_unique<OnednnPlan>(std::move(parts));
}

}  // namespace stride::onednn
