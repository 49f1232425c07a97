#pragma once
// Activation nodes as oneDNN eltwise algorithms: used both for standalone eltwise primitives and
// for post-ops fused into a convolution or inner product.
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>

#include "stride/ir/shape_inference.h"

namespace stride::onednn {

struct EltwiseOp {
  dnnl::algorithm algorithm;
  float alpha = 0.0f;
  float beta = 0.0f;
};

// The op types eltwise_op() understands: lowered alone, or fused into a convolution as post-ops.
inline constexpr const char* kActivationOps[] = {"Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip", "Exp", "Log"};
bool is_activation(const std::string& op_type);

// The eltwise computing activation `node`; nullopt when its parameters are not compile-time
// constants (a Clip bound computed at run time), which the onednn backend does not support.
std::optional<EltwiseOp> eltwise_op(const Node& node, const Graph& graph, const GraphShapes& shapes);

}  // namespace stride::onednn
