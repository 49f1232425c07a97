#pragma once
// Groups the nodes of a graph into the primitives that will compute them. A convolution, Gemm or
// MatMul absorbs the chain that follows it while each link has no other reader:
//   [BatchNormalization (Conv only) | Add of a per-channel constant]*  — folded into weights and bias
//   [activation | Add of a same-shape tensor (at most one)]*           — oneDNN eltwise / sum post-ops
// In a QDQ graph an anchor runs in int8 when it reads its data through a DequantizeLinear of an
// int8 tensor and its weights through one of an s8 constant (qdq_patterns.h); it then also absorbs
// the QuantizeLinear after its activations, which becomes its output scale and type. MaxPool,
// Concat and the views between such a DequantizeLinear and a QuantizeLinear of the same scale run
// on the int8 bytes. A DequantizeLinear whose every reader runs in int8 is not computed at all.
// Every other node is a group of its own.
#include <string>
#include <vector>

#include "stride/engine/onednn/qdq_patterns.h"
#include "stride/ir/shape_inference.h"

namespace stride::onednn {

enum class FusedRole {
  batch_norm,  // folded into the convolution's weights and bias
  bias_add,    // a constant added per output channel: folded into the bias
  activation,  // eltwise post-op
  sum,         // sum post-op: the destination already holds `operand` when the primitive runs
  requantize,  // a QuantizeLinear: the anchor writes its int8 output directly
};

struct FusedNode {
  const Node* node = nullptr;
  FusedRole role = FusedRole::activation;
  std::string operand;  // bias_add: the constant; sum: the tensor added
};

struct FusedGroup {
  const Node* anchor = nullptr;
  std::vector<FusedNode> fused;  // in the order they apply
  // The anchor reads its data input(s) as the int8 tensors their DequantizeLinear nodes read.
  bool int8 = false;
  // A DequantizeLinear whose readers all run in int8: no step computes it.
  bool elided = false;

  // The value the group produces: the first output of its last node.
  const std::string& output() const;
  // The anchor and every fused node, in order.
  std::vector<std::string> node_names() const;
  // The tensor of the sum post-op, or nullptr.
  const std::string* sum_operand() const;
  // The absorbed QuantizeLinear, or nullptr.
  const Node* requantize() const;
};

// The output channel axis of an anchor's result, where a bias broadcasts: 1 for Conv and Gemm, the
// last axis for MatMul.
size_t channel_axis(const Node& anchor, size_t output_rank);

// Groups `graph` (sorted topologically) into an executable order: each group is placed where its
// last node was, so every value it reads has been produced before it runs.
std::vector<FusedGroup> fuse_nodes(const Graph& graph, const GraphShapes& shapes, const QdqPatterns& qdq);

}  // namespace stride::onednn
