// ReduceMax / ReduceMean / ReduceSum and Softmax.
//
// A reduction over axes that lie next to each other in memory (the frames of a set, a strip of a
// channels-last or channel-blocked map) is a pooling window over the bytes as they are: what comes
// before the axes in memory is the batch, what comes after them the channels. That runs on oneDNN's fast pooling
// kernels in the input's own layout and leaves the result in the matching layout. Other
// reductions use oneDNN's reduction primitive on plain data. An int8 ReduceMax (FusedGroup::int8)
// takes the maximum of the int8 bytes and writes its QuantizeLinear's output.
#include <algorithm>
#include <numeric>

#include "stride/engine/onednn/lowering.h"
#include "stride/ir/ops/reduce_ops.h"

namespace stride::onednn {
namespace {

// A dense layout seen as [outer, reduced, inner] in memory. Blocked layouts qualify when no
// reduced axis is blocked: the blocks are innermost, so they fall in the inner part (a set of
// frames over channel-blocked maps, aBcd8b's eight channels, are still one run of bytes per frame).
struct MemorySplit {
  memory::dim outer = 1, reduced = 1, inner = 1;  // element counts, padding included
  memory::desc kept;                              // the result's layout: the input's, with every reduced axis of size 1
};

std::optional<MemorySplit> split_in_memory(const memory::desc& desc, const std::vector<bool>& reduced) {
  const dnnl_memory_desc_t& d = desc.data;
  if (d.format_kind != dnnl_blocked || d.offset0 != 0) return std::nullopt;
  const dnnl_blocking_desc_t& blocking = d.format_desc.blocking;
  const size_t rank = static_cast<size_t>(d.ndims);

  MemorySplit split;
  std::vector<memory::dim> block(rank, 1);
  for (int k = 0; k < blocking.inner_nblks; ++k) {
    block[static_cast<size_t>(blocking.inner_idxs[k])] *= blocking.inner_blks[k];
    split.inner *= blocking.inner_blks[k];
  }
  // Axes whose outer part has one element take no room and may sit anywhere; the others, innermost first.
  std::vector<size_t> order;
  for (size_t a = 0; a < rank; ++a) {
    if (reduced[a] && block[a] != 1) return std::nullopt;
    if (d.padded_dims[a] / block[a] != 1) order.push_back(a);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return blocking.strides[a] < blocking.strides[b]; });

  int phase = 0;  // 0: inner axes, 1: reduced axes, 2: outer axes
  memory::dim expected_stride = split.inner;
  for (size_t a : order) {
    const memory::dim extent = d.padded_dims[a] / block[a];
    if (blocking.strides[a] != expected_stride) return std::nullopt;  // a gap or an overlap: not dense
    expected_stride *= extent;
    const int axis_phase = reduced[a] ? 1 : (phase == 0 ? 0 : 2);
    if (axis_phase < phase) return std::nullopt;  // the reduced axes are not consecutive in memory
    phase = axis_phase;
    (phase == 0 ? split.inner : phase == 1 ? split.reduced : split.outer) *= extent;
  }
  dnnl_memory_desc_t kept = d;
  for (size_t a = 0; a < rank; ++a) {
    if (reduced[a]) {
      kept.dims[a] = kept.padded_dims[a] = 1;
      kept.format_desc.blocking.strides[a] = split.inner;
    } else if (blocking.strides[a] > split.inner) {
      kept.format_desc.blocking.strides[a] /= split.reduced;  // an outer axis
    }
  }
  split.kept = memory::desc(kept);
  return split;
}

// The reduction as a pooling window of `split.reduced` rows over [outer, inner channels, reduced, 1]
// stored channels-last. Returns false when that does not apply.
bool reduce_by_pooling(PlanBuilder& b, const FusedGroup& g, ValueId src, const std::vector<bool>& reduced) {
  const Node& node = *g.anchor;
  if (node.op_type == "ReduceSum") return false;  // pooling has no sum
  const auto split = split_in_memory(b.desc(src), reduced);
  if (!split || split->inner == 1 || split->reduced == 1) return false;
  // The result keeps the input's order of axes in memory; without keepdims the reduced axes go.
  const std::string& y = g.output();
  const memory::data_type type = b.desc(src).data_type();
  const memory::desc out_desc = split->kept.reshape(to_dims(b.shape(y)), /*allow_empty=*/true);
  if (!out_desc) return false;

  const memory::dim o = split->outer, r = split->reduced, i = split->inner;
  const memory::desc pool_src({o, i, r, 1}, type, memory::dims{r * i, 1, i, i});
  const memory::desc pool_dst({o, i, 1, 1}, type, memory::dims{i, 1, i, i});
  const auto algorithm =
      node.op_type == "ReduceMax" ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
  const dnnl::pooling_v2_forward::desc desc(dnnl::prop_kind::forward_inference, algorithm, pool_src, pool_dst, {1, 1},
                                            {r, 1}, {0, 0}, {0, 0}, {0, 0});
  const dnnl::pooling_v2_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId out = b.define(y, out_desc);
  b.add_step(pd, dnnl::pooling_v2_forward(pd),
             {{DNNL_ARG_SRC, b.view(src, pool_src)}, {DNNL_ARG_DST, b.view(out, pool_dst)}}, g.node_names());
  return true;
}

void lower_reduce(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& x = b.data_input(g, 0);
  const std::string& y = g.output();
  const Shape& in = b.shape(x);
  const Tensor* axes = node.inputs.size() > 1 && !node.inputs[1].empty() ? b.constant(node.inputs[1]) : nullptr;
  if (node.inputs.size() > 1 && !node.inputs[1].empty() && !axes)
    fail_node(node, "the onednn backend needs the axes ('{}') to be a constant", node.inputs[1]);
  std::vector<bool> reduced = ops::reduced_axes(node, axes, in.size());
  for (size_t d = 0; d < in.size(); ++d) reduced[d] = reduced[d] && in[d] != 1;  // nothing to reduce there

  if (std::none_of(reduced.begin(), reduced.end(), [](bool r) { return r; })) {
    b.define_reshaped(y, x);
    return;
  }
  if (reduce_by_pooling(b, g, b.value(x), reduced)) return;

  // The result with the reduced dims kept as 1: the same bytes as the output with or without keepdims.
  memory::dims kept = to_dims(in);
  for (size_t d = 0; d < in.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  const ValueId src = b.plain(x);
  const auto algorithm = node.op_type == "ReduceMax"   ? dnnl::algorithm::reduction_max
                         : node.op_type == "ReduceSum" ? dnnl::algorithm::reduction_sum
                                                       : dnnl::algorithm::reduction_mean;
  const memory::data_type type = b.desc(src).data_type();
  const dnnl::reduction::desc desc(algorithm, b.desc(src), plain_desc(kept, type), 0.0f, 0.0f);
  const dnnl::reduction::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId out = b.define(y, b.plain_desc_of(y));
  b.add_step(pd, dnnl::reduction(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, b.view(out, plain_desc(kept, type))}},
             g.node_names());
}

void lower_softmax(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& x = node.inputs.at(0);
  const int axis = static_cast<int>(ops::softmax_axis(node, b.shape(x).size()));
  const ValueId src = b.plain(x);
  const dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, b.desc(src), axis);
  const dnnl::softmax_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());
  const ValueId dst = b.define(node.outputs.at(0), b.desc(src));
  b.add_step(pd, dnnl::softmax_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}, {node.name});
}

}  // namespace

void register_reduce_lowerings(LoweringRegistry& registry) {
  registry.add("ReduceMax", lower_reduce);
  registry.add("ReduceMean", lower_reduce);
  registry.add("ReduceSum", lower_reduce);
  registry.add("Softmax", lower_softmax);
}

}  // namespace stride::onednn
