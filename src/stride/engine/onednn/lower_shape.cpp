// Shape ops. Reshape-like ops are views of the plain bytes (no copy; a reorder to plain first when
// the input is blocked); Identity and Dropout keep the input's layout; Transpose is one reorder
// from the input's layout, axes permuted, to plain; Concat is a oneDNN concat.
#include <numeric>

#include "stride/engine/onednn/lowering.h"
#include "stride/ir/ops/shape_ops.h"

namespace stride::onednn {
namespace {

void lower_reshape(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& y = node.outputs.at(0);
  b.define_view(y, b.plain(node.inputs.at(0)), plain_desc(b.shape(y)));
}

void lower_identity(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId x = b.value(node.inputs.at(0));
  b.define_view(node.outputs.at(0), x, b.desc(x));
}

void lower_transpose(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const ValueId x = b.value(node.inputs.at(0));
  const std::vector<size_t> perm = ops::transpose_perm(node, b.shape(node.inputs[0]).size());
  std::vector<int> new_position(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) new_position[perm[d]] = static_cast<int>(d);
  const std::string& y = node.outputs.at(0);
  if (perm.size() < 2 || std::is_sorted(perm.begin(), perm.end())) {
    b.define_view(y, x, b.desc(x));
    return;
  }
  const ValueId permuted = b.view(x, b.desc(x).permute_axes(new_position));
  b.add_reorder(permuted, b.define(y, plain_desc(b.shape(y))));
}

void lower_concat(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  const std::string& y = node.outputs.at(0);
  const int axis = static_cast<int>(ops::concat_axis(node, b.shape(y).size()));
  std::vector<StepArg> args;
  std::vector<memory::desc> descs;
  for (const auto& in : node.inputs) {
    const ValueId v = b.plain(in);
    args.push_back({DNNL_ARG_MULTIPLE_SRC + static_cast<int>(args.size()), v});
    descs.push_back(b.desc(v));
  }
  if (args.size() == 1) {
    b.define_view(y, args[0].value, descs[0]);
    return;
  }
  const memory::desc dst = plain_desc(b.shape(y));
  const dnnl::concat::primitive_desc pd(dst, axis, descs, b.engine(), scratchpad_attr());
  args.push_back({DNNL_ARG_DST, b.define(y, dst)});
  b.add_step(pd, dnnl::concat(pd), std::move(args), {node.name});
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
