// Shape ops. Reshape-like ops and Transpose only relabel bytes: they are views of the input in
// whatever layout it has (a plain copy first when a blocked layout cannot be reshaped), and the
// reader that needs another layout converts once. Concat is a oneDNN concat. Int8 groups
// (FusedGroup::int8) do the same on the int8 tensors behind their DequantizeLinear inputs and
// define their QuantizeLinear's output.
#include <algorithm>

#include "stride/engine/onednn/lowering.h"
#include "stride/ir/ops/shape_ops.h"

namespace stride::onednn {
namespace {

void lower_reshape(PlanBuilder& b, const FusedGroup& g) { b.define_reshaped(g.output(), b.data_input(g, 0)); }

void lower_identity(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId x = b.value(node.inputs.at(0));
  b.define_view(node.outputs.at(0), x, b.desc(x));
}

void lower_transpose(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId x = b.value(b.data_input(g, 0));
  const std::vector<size_t> perm = ops::transpose_perm(node, b.shape(node.inputs[0]).size());
  // Axis perm[d] of the input is axis d of the output.
  std::vector<int> new_position(std::max<size_t>(perm.size(), 1), 0);
  for (size_t d = 0; d < perm.size(); ++d) new_position[perm[d]] = static_cast<int>(d);
  b.define_view(g.output(), x, b.desc(x).permute_axes(new_position));
}

void lower_concat(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& y = g.output();
  const int axis = static_cast<int>(ops::concat_axis(node, b.shape(y).size()));
  std::vector<StepArg> args;
  std::vector<memory::desc> descs;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    ValueId v = b.value_for_kernel(b.data_input(g, i));
    // oneDNN's fast concat takes inputs of one layout: the others are converted to the first's.
    if (!descs.empty()) v = b.in_layout(v, like_layout(descs[0], b.desc(v).dims()));
    args.push_back({DNNL_ARG_MULTIPLE_SRC + static_cast<int>(args.size()), v});
    descs.push_back(b.desc(v));
  }
  if (args.size() == 1) {
    b.define_view(y, args[0].value, descs[0]);
    return;
  }
  // oneDNN's own choice of layout first; its fast concat wants the result in the inputs' layout.
  const memory::dims dims = to_dims(b.shape(y));
  const std::vector<memory::desc> results{any_desc(dims, descs[0].data_type()), like_layout(descs[0], dims)};
  const auto pd = first_fast_kernel<dnnl::concat::primitive_desc>(results.size(), [&](size_t k) {
                    return dnnl::concat::primitive_desc(results[k], axis, descs, b.engine(), scratchpad_attr());
                  }).first;
  args.push_back({DNNL_ARG_DST, b.define(y, pd.dst_desc())});
  b.add_step(pd, dnnl::concat(pd), std::move(args), g.node_names());
}

// Constants are read where they are used (PlanBuilder::value).
void lower_constant(PlanBuilder&, const FusedGroup&) {}

}  // namespace

void register_shape_lowerings(LoweringRegistry& registry) {
  for (const char* op : {"Reshape", "Flatten", "Squeeze", "Unsqueeze"}) registry.add(op, lower_reshape);
  for (const char* op : {"Identity", "Dropout"}) registry.add(op, lower_identity);
  registry.add("Transpose", lower_transpose);
  registry.add("Concat", lower_concat);
  registry.add("Constant", lower_constant);
}

}  // namespace stride::onednn
