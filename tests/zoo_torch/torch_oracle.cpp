#include "torch_oracle.h"

#include <gtest/gtest.h>

#include <cstring>

#include "stride/engine/ref/ref_backend.h"

namespace stride::zoo_torch {

at::Tensor to_torch(const Tensor& t) {
  const std::vector<int64_t> sizes(t.shape().begin(), t.shape().end());
  return at::from_blob(const_cast<float*>(t.data<float>()), sizes, at::kFloat).clone();
}

Tensor from_torch(const at::Tensor& t) {
  const at::Tensor c = t.contiguous().to(at::kFloat);
  Tensor out(DType::f32, Shape(c.sizes().begin(), c.sizes().end()));
  std::memcpy(out.raw(), c.data_ptr<float>(), out.nbytes());
  return out;
}

double relative_error(const at::Tensor& got, const at::Tensor& want) {
  const double scale = want.abs().max().item<double>();
  return (got - want).abs().max().item<double>() / (scale > 0 ? scale : 1.0);
}

LayerWeights::LayerWeights(const Graph& graph) {
  auto tensor = [&](const Node& node, size_t i) {
    return i < node.inputs.size() ? to_torch(graph.initializers.at(node.inputs[i])) : at::Tensor();
  };
  for (const Node& node : graph.nodes) {
    if (node.op_type == "Conv" || node.op_type == "Gemm")
      layers_.push_back({node.op_type, {tensor(node, 1), tensor(node, 2)}});
    else if (node.op_type == "MatMul" && graph.is_initializer(node.inputs[1]))
      layers_.push_back({node.op_type, {tensor(node, 1), {}}});
  }
}

LayerWeights::Layer LayerWeights::next(std::string_view op_type) {
  if (done()) throw std::runtime_error("the LibTorch model wants more layers than the graph has");
  const auto& [type, layer] = layers_[next_++];
  if (type != op_type)
    throw std::runtime_error("layer " + std::to_string(next_) + " of the graph is " + type +
                             ", the LibTorch model wants " + std::string(op_type));
  return layer;
}

TorchOutputs with_classifier(LayerWeights& weights, const at::Tensor& feature) {
  if (weights.done()) return {feature, std::nullopt};
  const LayerWeights::Layer head = weights.next("Gemm");
  return {feature, at::softmax(at::linear(feature.flatten(1), head.weight, head.bias), 1)};
}

void expect_matches_torch(Graph graph, const TorchModel& model, const std::vector<int64_t>& batches, double tolerance) {
  at::manual_seed(1234);
  for (auto& [name, t] : graph.initializers)
    if (name.ends_with(".bias")) t = from_torch(at::rand({t.numel()}) * 0.2 - 0.1);

  auto plan = RefBackend().compile(graph, {});
  for (int64_t batch : batches) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    std::vector<int64_t> shape(graph.inputs.at(0).shape.begin(), graph.inputs.at(0).shape.end());
    shape[0] = batch;
    const at::Tensor input = at::rand(shape) * 2 - 1;
    const TensorMap ref = plan->run({{graph.inputs[0].name, from_torch(input)}});

    LayerWeights weights(graph);
    const TorchOutputs torch = model(weights, input);
    EXPECT_TRUE(weights.done()) << "the LibTorch model left layers of the graph unused";

    const at::Tensor feature = to_torch(ref.at("feature"));
    ASSERT_EQ(feature.sizes(), torch.feature.sizes());
    EXPECT_LE(relative_error(feature, torch.feature), tolerance);
    EXPECT_EQ(ref.count("probabilities") != 0, torch.probabilities.has_value());
    if (torch.probabilities && ref.count("probabilities")) {
      const at::Tensor probabilities = to_torch(ref.at("probabilities"));
      ASSERT_EQ(probabilities.sizes(), torch.probabilities->sizes());
      EXPECT_LE(relative_error(probabilities, *torch.probabilities), tolerance);
    }
  }
}

}  // namespace stride::zoo_torch
