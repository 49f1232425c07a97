#pragma once
// A stride::Graph evaluated with LibTorch tensors. Initializers become torch tensors that can
// require gradients, so the same program serves inference (the torch backend) and training.
#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "stride/ir/graph.h"

namespace stride {

using TorchTensorMap = std::map<std::string, torch::Tensor>;

torch::Tensor to_torch(const Tensor& tensor);     // copies
Tensor from_torch(const torch::Tensor& tensor);  // copies (contiguous, on CPU)

class TorchProgram {
 public:
  explicit TorchProgram(Graph graph);

  // Runs the graph on named inputs; returns every graph output. Shapes of view ops come from shape
  // inference for these input shapes (cached per distinct input shapes).
  TorchTensorMap forward(const TorchTensorMap& inputs);

  // Floating-point initializers by name: the trainable parameters.
  std::map<std::string, torch::Tensor>& parameters() { return parameters_; }
  // Copies the current parameter values back into `graph`'s initializers.
  void write_back(Graph& graph) const;
  const Graph& graph() const { return graph_; }

 private:
  const std::map<std::string, Shape>& shapes_for(const TorchTensorMap& inputs);

  Graph graph_;
  std::map<std::string, torch::Tensor> parameters_;  // float initializers
  std::map<std::string, torch::Tensor> constants_;   // other initializers (shapes, axes, int weights)
  std::map<std::vector<Shape>, std::map<std::string, Shape>> shape_cache_;
};

// Op types the program can evaluate.
bool torch_supports(const std::string& op_type);

}  // namespace stride
