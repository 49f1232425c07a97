#pragma once
// Runs a zoo graph on the ref backend and a hand-written LibTorch version of the same model on
// the same weights and input, and compares what they compute.
#include <ATen/ATen.h>

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "stride/ir/graph.h"

namespace stride::zoo_torch {

at::Tensor to_torch(const Tensor& t);
Tensor from_torch(const at::Tensor& t);

// max |got - want| / max |want|
double relative_error(const at::Tensor& got, const at::Tensor& want);

// The weights of a graph's layers (Conv, Gemm, MatMul) in the order the graph lists them, for a
// LibTorch model that consumes them layer by layer.
class LayerWeights {
 public:
  struct Layer {
    at::Tensor weight;
    at::Tensor bias;  // undefined when the layer has none
  };

  explicit LayerWeights(const Graph& graph);
  // The next layer; fails the test (by throwing) if it is not of `op_type`.
  Layer next(std::string_view op_type);
  bool done() const { return next_ == layers_.size(); }

 private:
  std::vector<std::pair<std::string, Layer>> layers_;
  size_t next_ = 0;
};

struct TorchOutputs {
  at::Tensor feature;
  std::optional<at::Tensor> probabilities;
};

// The LibTorch model: input batch in, outputs out, reading its weights from `weights`.
using TorchModel = std::function<TorchOutputs(LayerWeights& weights, const at::Tensor& input)>;

// The softmax head shared by every zoo model: when layers remain, flatten → linear → softmax.
TorchOutputs with_classifier(LayerWeights& weights, const at::Tensor& feature);

// Gives the biases (all zero as built) random values so that they take part in the comparison,
// then for each batch size runs the graph on the ref backend and `model` on one random input and
// expects every output within `tolerance` relative error.
void expect_matches_torch(Graph graph, const TorchModel& model, const std::vector<int64_t>& batches,
                          double tolerance = 1e-4);

}  // namespace stride::zoo_torch
