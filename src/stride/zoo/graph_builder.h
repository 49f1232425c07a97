#pragma once
// Appends ONNX-semantics nodes to a stride::Graph: every helper adds one node (and its weights)
// and returns the name of the value it produces. Node names are unique and readable
// ("conv1/Conv", "conv1/Relu"); weights are drawn from a seeded generator, so one seed always
// gives the same model.
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "stride/ir/graph.h"
#include "stride/zoo/rng.h"

namespace stride::zoo {

enum class WeightInit {
  he_normal,       // N(0, 2 / fan_in): keeps the variance through ReLU-like activations
  glorot_uniform,  // U(±sqrt(6 / (fan_in + fan_out))): for layers not followed by a rectifier
};

struct ConvSpec {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  std::vector<int64_t> kernel;   // one entry per spatial axis: {kh, kw} or {kt, kh, kw}
  std::vector<int64_t> strides;  // empty: all 1
  std::vector<int64_t> pads;     // ONNX order (all begins, then all ends); empty: all 0
  bool bias = true;
  WeightInit init = WeightInit::he_normal;
  int64_t group = 1;  // channels split into this many groups; in_channels == group is depthwise
  // Multiplies the drawn weights: below 1 for a layer that should start small (the last convolution of
  // a residual branch, so that a deep residual stack without batch normalization starts near identity).
  double init_scale = 1.0;
};

class GraphBuilder {
 public:
  GraphBuilder(std::string graph_name, uint64_t seed);

  // Names the nodes added next "<scope>/<OpType>"; an empty scope names them by op type alone.
  void scope(std::string name) { scope_ = std::move(name); }

  // Declares a float graph input and returns its name.
  std::string input(const std::string& name, Shape shape);
  // Makes `value` a graph output called `name` (renaming the value everywhere it is used).
  void output(const std::string& value, const std::string& name, Shape shape);

  // A named weight initializer drawn with `init`; fans are those of the layer that reads it.
  std::string weight(const std::string& name, Shape shape, WeightInit init, int64_t fan_in, int64_t fan_out,
                     double scale = 1.0);

  std::string conv(const std::string& x, const ConvSpec& spec);
  // A Ghost module (Han et al., GhostNet, CVPR 2020) standing in for conv(x, spec): a primary
  // convolution (spec's kernel, strides and pads) makes out_channels / ratio maps, a depthwise 3×3
  // "cheap" convolution (pads 1) makes ratio − 1 maps from each of them, and a Concat on channels
  // joins them, primary maps first. The Concat's output value is named as conv() would name its
  // convolution ("<scope>/Conv"), so that a plain and a Ghost version of a model share the names of
  // their layer outputs; its nodes are "<that>/ghost_primary", "<that>/ghost_cheap" and
  // "<that>/ghost_concat", as `stride convert --ghost` names them. Fails unless ratio >= 2 divides
  // out_channels and spec.group is 1.
  std::string ghost_conv(const std::string& x, const ConvSpec& spec, int64_t ratio);
  // Fully connected layer: Gemm(x, W, b) with W stored [out, in] (transB = 1), Glorot-uniform.
  std::string dense(const std::string& x, int64_t in_features, int64_t out_features);
  std::string max_pool(const std::string& x, std::vector<int64_t> kernel, std::vector<int64_t> strides);
  std::string relu(const std::string& x);
  std::string leaky_relu(const std::string& x, float alpha);
  // Reshape with ONNX semantics: 0 copies the input's dimension, -1 is inferred.
  std::string reshape(const std::string& x, const std::vector<int64_t>& shape);
  std::string transpose(const std::string& x, std::vector<int64_t> perm);
  std::string flatten(const std::string& x, int64_t axis = 1);
  std::string reduce_max(const std::string& x, std::vector<int64_t> axes, bool keepdims);
  std::string reduce_mean(const std::string& x, std::vector<int64_t> axes, bool keepdims);
  std::string concat(const std::vector<std::string>& xs, int64_t axis);
  std::string matmul(const std::string& a, const std::string& b);
  std::string add(const std::string& a, const std::string& b);
  std::string softmax(const std::string& x, int64_t axis = -1);

  // One forward LSTM layer over x [T, N, input_size] (ONNX gate order i, o, f, c; Glorot-uniform
  // weights, forget-gate bias 1 as Keras and TensorFlow start it, so that the state is kept early in
  // training). `sequence` is Y [T, 1, N, hidden], `last` is Y_h [1, N, hidden].
  struct LstmValues {
    std::string sequence;
    std::string last;
  };
  LstmValues lstm(const std::string& x, int64_t input_size, int64_t hidden);

  void set_metadata(const std::string& key, std::string value) { graph_.metadata[key] = std::move(value); }

  // The finished graph, checked with stride::validate.
  Graph finish() &&;

 private:
  // A fresh node name in the current scope.
  std::string node_name(const std::string& op_type);
  // Appends node `name`; its single output value has the node's name, which is returned.
  std::string append(const std::string& name, const std::string& op_type, std::vector<std::string> inputs,
                     Attributes attrs = {});
  // A Conv node `name` (output value `name`) with weights drawn for `spec`.
  std::string conv_node(const std::string& name, const std::string& x, const ConvSpec& spec);
  std::string add_node(const std::string& op_type, std::vector<std::string> inputs, Attributes attrs = {});
  // `base`, or `base_2`, `base_3`... whichever is still free; marks it taken.
  std::string unique_name(const std::string& base);
  // Marks an explicitly chosen name taken; fails if it already is.
  void claim(const std::string& name);
  std::string add_initializer(const std::string& name, Tensor value);
  Tensor random_tensor(Shape shape, WeightInit init, int64_t fan_in, int64_t fan_out, double scale = 1.0);

  Graph graph_;
  Rng rng_;
  std::string scope_;
  std::set<std::string> used_names_;
};

}  // namespace stride::zoo
