#pragma once
// One LibTorch implementation per IR op, looked up by op type.
#include <functional>
#include <string_view>
#include <vector>

#include <torch/torch.h>

#include "stride/ir/graph.h"

namespace stride::torch_ops {

struct OpContext {
  const Node& node;
  std::vector<torch::Tensor> inputs;  // undefined tensors for absent optional inputs
  std::vector<Shape> output_shapes;   // from shape inference
  const torch::Tensor& input(size_t i) const;
  bool has_input(size_t i) const { return i < inputs.size() && inputs[i].defined(); }
};

using Op = std::function<std::vector<torch::Tensor>(const OpContext& ctx)>;

const Op* find(std::string_view op_type);

}  // namespace stride::torch_ops
