#include "stride/engine/onednn/eltwise_ops.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "stride/engine/onednn/graph_constants.h"

namespace stride::onednn {
namespace {

// Clip's bound from its optional input (opset 11+) or its attribute (older opsets).
std::optional<float> clip_bound(const Node& node, const Graph& graph, const GraphShapes& shapes, size_t input,
                                const char* attr, float fallback) {
  if (input < node.inputs.size() && !node.inputs[input].empty()) {
    const Tensor* t = find_constant(graph, shapes, node.inputs[input]);
    if (!t || t->numel() != 1) return std::nullopt;
    return t->to_f32().values<float>()[0];
  }
  return node.attrs.get_float(attr, fallback);
}

}  // namespace

bool is_activation(const std::string& op_type) {
  return std::any_of(std::begin(kActivationOps), std::end(kActivationOps),
                     [&](const char* op) { return op_type == op; });
}

std::optional<EltwiseOp> eltwise_op(const Node& node, const Graph& graph, const GraphShapes& shapes) {
  using dnnl::algorithm;
  const std::string& op = node.op_type;
  if (op == "Relu") return EltwiseOp{algorithm::eltwise_relu};
  if (op == "LeakyRelu") return EltwiseOp{algorithm::eltwise_relu, node.attrs.get_float("alpha", 0.01f)};
  if (op == "Sigmoid") return EltwiseOp{algorithm::eltwise_logistic};
  if (op == "Tanh") return EltwiseOp{algorithm::eltwise_tanh};
  if (op == "Exp") return EltwiseOp{algorithm::eltwise_exp};
  if (op == "Log") return EltwiseOp{algorithm::eltwise_log};
  if (op == "Clip") {
    const auto lo = clip_bound(node, graph, shapes, 1, "min", std::numeric_limits<float>::lowest());
    const auto hi = clip_bound(node, graph, shapes, 2, "max", std::numeric_limits<float>::max());
    if (!lo || !hi) return std::nullopt;
    return EltwiseOp{algorithm::eltwise_clip, *lo, *hi};
  }
  return std::nullopt;
}

}  // namespace stride::onednn
