// MaxPool, AveragePool and GlobalAveragePool: oneDNN pooling on the layout the input already has.
// An int8 MaxPool (FusedGroup::int8) pools the int8 bytes and writes its QuantizeLinear's output.
#include "stride/engine/onednn/lowering.h"
#include "stride/engine/onednn/window_params.h"

namespace stride::onednn {
namespace {

void add_pooling(PlanBuilder& b, const FusedGroup& g, dnnl::algorithm algorithm, const OnednnWindow& w) {
  const ValueId src = b.value_for_kernel(b.data_input(g, 0));
  const std::string& y = g.output();
  // The layout the input has first; int8 pooling has fast kernels for channels-last only.
  const memory::desc layouts[] = {b.desc(src), channels_last_desc(b.desc(src).dims(), b.desc(src).data_type())};
  const auto pd = first_fast_kernel<dnnl::pooling_v2_forward::primitive_desc>(2, [&](size_t k) {
                    const dnnl::pooling_v2_forward::desc desc(
                        dnnl::prop_kind::forward_inference, algorithm, layouts[k],
                        any_desc(to_dims(b.shape(y)), layouts[k].data_type()), w.strides, w.kernel, w.dilations,
                        w.pads_begin, w.pads_end);
                    return dnnl::pooling_v2_forward::primitive_desc(desc, scratchpad_attr(), b.engine());
                  }).first;
  const ValueId in = b.in_layout(src, pd.src_desc());
  b.add_step(pd, dnnl::pooling_v2_forward(pd), {{DNNL_ARG_SRC, in}, {DNNL_ARG_DST, b.define(y, pd.dst_desc())}},
             g.node_names());
}

void lower_window_pool(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  dnnl::algorithm algorithm = dnnl::algorithm::pooling_max;
  if (node.op_type == "AveragePool")
    algorithm = node.attrs.get_int("count_include_pad", 0) ? dnnl::algorithm::pooling_avg_include_padding
                                                           : dnnl::algorithm::pooling_avg_exclude_padding;
  add_pooling(b, g, algorithm, onednn_window(pool_window(node, b.shape(node.inputs.at(0)))));
}

void lower_global_average_pool(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const Shape& x = b.shape(node.inputs.at(0));
  const size_t spatial = x.size() - 2;
  const OnednnWindow w{memory::dims(x.begin() + 2, x.end()), memory::dims(spatial, 1), memory::dims(spatial, 0),
                       memory::dims(spatial, 0), memory::dims(spatial, 0)};
  add_pooling(b, g, dnnl::algorithm::pooling_avg_exclude_padding, w);
}

}  // namespace

void register_pool_lowerings(LoweringRegistry& registry) {
  registry.add("MaxPool", lower_window_pool);
  registry.add("AveragePool", lower_window_pool);
  registry.add("GlobalAveragePool", lower_global_average_pool);
}

}  // namespace stride::onednn
