#include "stride/zoo/graph_builder.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stride::zoo {
namespace {

int64_t product(const std::vector<int64_t>& dims) {
  return std::accumulate(dims.begin(), dims.end(), int64_t{1}, std::multiplies<>());
}

}  // namespace

GraphBuilder::GraphBuilder(std::string graph_name, uint64_t seed) : rng_(seed) { graph_.name = std::move(graph_name); }

std::string GraphBuilder::unique_name(const std::string& base) {
  std::string name = base;
  for (int suffix = 2; used_names_.count(name); ++suffix) name = base + "_" + std::to_string(suffix);
  used_names_.insert(name);
  return name;
}

std::string GraphBuilder::node_name(const std::string& op_type) {
  return unique_name(scope_.empty() ? op_type : scope_ + "/" + op_type);
}

std::string GraphBuilder::append(const std::string& name, const std::string& op_type, std::vector<std::string> inputs,
                                 Attributes attrs) {
  graph_.nodes.push_back({name, op_type, std::move(inputs), {name}, std::move(attrs)});
  return name;
}

std::string GraphBuilder::add_node(const std::string& op_type, std::vector<std::string> inputs, Attributes attrs) {
  return append(node_name(op_type), op_type, std::move(inputs), std::move(attrs));
}

void GraphBuilder::claim(const std::string& name) {
  if (!used_names_.insert(name).second) fail("graph '{}': the name '{}' is already taken", graph_.name, name);
}

std::string GraphBuilder::add_initializer(const std::string& name, Tensor value) {
  claim(name);
  graph_.initializers.emplace(name, std::move(value));
  return name;
}

Tensor GraphBuilder::random_tensor(Shape shape, WeightInit init, int64_t fan_in, int64_t fan_out, double scale) {
  Tensor t(DType::f32, std::move(shape));
  auto values = t.values<float>();
  switch (init) {
    case WeightInit::he_normal: {
      const float stddev = static_cast<float>(scale * std::sqrt(2.0 / static_cast<double>(fan_in)));
      for (float& v : values) v = rng_.normal(0.0f, stddev);
      break;
    }
    case WeightInit::glorot_uniform: {
      const float limit = static_cast<float>(scale * std::sqrt(6.0 / static_cast<double>(fan_in + fan_out)));
      for (float& v : values) v = rng_.uniform(-limit, limit);
      break;
    }
  }
  return t;
}

std::string GraphBuilder::input(const std::string& name, Shape shape) {
  claim(name);
  graph_.inputs.push_back({name, DType::f32, std::move(shape)});
  return name;
}

void GraphBuilder::output(const std::string& value, const std::string& name, Shape shape) {
  if (!graph_.producer(value))
    fail("graph '{}': output '{}' would be '{}', which no node produces", graph_.name, name, value);
  if (value != name) {
    claim(name);
    for (Node& node : graph_.nodes) {
      for (auto& in : node.inputs)
        if (in == value) in = name;
      for (auto& out : node.outputs)
        if (out == value) out = name;
    }
  }
  graph_.outputs.push_back({name, DType::f32, std::move(shape)});
}

std::string GraphBuilder::weight(const std::string& name, Shape shape, WeightInit init, int64_t fan_in, int64_t fan_out,
                                 double scale) {
  return add_initializer(name, random_tensor(std::move(shape), init, fan_in, fan_out, scale));
}

std::string GraphBuilder::conv(const std::string& x, const ConvSpec& spec) {
  return conv_node(node_name("Conv"), x, spec);
}

std::string GraphBuilder::ghost_conv(const std::string& x, const ConvSpec& spec, int64_t ratio) {
  if (ratio < 2 || spec.out_channels % ratio != 0 || spec.group != 1)
    fail("graph '{}': a Ghost module needs a ratio of at least 2 that divides its {} output maps, and group 1",
         graph_.name, spec.out_channels);
  const std::string output = node_name("Conv");
  const int64_t primary_maps = spec.out_channels / ratio;
  ConvSpec primary = spec;
  primary.out_channels = primary_maps;
  const std::string p = conv_node(unique_name(output + "/ghost_primary"), x, primary);
  // The cheap maps are a linear function of the primary ones (the module is a drop-in for one
  // convolution: whatever activation follows the convolution follows the Concat). Glorot-uniform over
  // a 3×3 window keeps their scale that of the primary maps, which are not rectified.
  const ConvSpec cheap{.in_channels = primary_maps,
                       .out_channels = spec.out_channels - primary_maps,
                       .kernel = {3, 3},
                       .pads = {1, 1, 1, 1},
                       .bias = spec.bias,
                       .init = WeightInit::glorot_uniform,
                       .group = primary_maps};
  const std::string c = conv_node(unique_name(output + "/ghost_cheap"), p, cheap);
  Attributes attrs;
  attrs.set("axis", int64_t{1});
  graph_.nodes.push_back({unique_name(output + "/ghost_concat"), "Concat", {p, c}, {output}, std::move(attrs)});
  return output;
}

std::string GraphBuilder::conv_node(const std::string& node, const std::string& x, const ConvSpec& spec) {
  const size_t axes = spec.kernel.size();
  if (axes == 0 || spec.in_channels < 1 || spec.out_channels < 1)
    fail("graph '{}': a convolution needs a kernel and at least one input and output channel", graph_.name);
  if (spec.group < 1 || spec.in_channels % spec.group != 0 || spec.out_channels % spec.group != 0)
    fail("graph '{}': {} groups do not divide {} input and {} output channels", graph_.name, spec.group,
         spec.in_channels, spec.out_channels);
  const std::vector<int64_t> strides = spec.strides.empty() ? std::vector<int64_t>(axes, 1) : spec.strides;
  const std::vector<int64_t> pads = spec.pads.empty() ? std::vector<int64_t>(2 * axes, 0) : spec.pads;
  if (strides.size() != axes || pads.size() != 2 * axes)
    fail("graph '{}': a {}-D convolution needs {} strides and {} pads", graph_.name, axes, axes, 2 * axes);

  const int64_t group_inputs = spec.in_channels / spec.group;
  Shape w_shape = {spec.out_channels, group_inputs};
  w_shape.insert(w_shape.end(), spec.kernel.begin(), spec.kernel.end());
  const int64_t window = product(spec.kernel);
  std::vector<std::string> inputs = {x, weight(node + ".weight", w_shape, spec.init, group_inputs * window,
                                               spec.out_channels / spec.group * window, spec.init_scale)};
  if (spec.bias) inputs.push_back(add_initializer(node + ".bias", Tensor(DType::f32, {spec.out_channels})));

  Attributes attrs;
  attrs.set("kernel_shape", spec.kernel);
  attrs.set("strides", strides);
  attrs.set("pads", pads);
  if (spec.group > 1) attrs.set("group", spec.group);
  return append(node, "Conv", std::move(inputs), std::move(attrs));
}

std::string GraphBuilder::dense(const std::string& x, int64_t in_features, int64_t out_features) {
  const std::string node = node_name("Gemm");
  const std::string w =
      weight(node + ".weight", {out_features, in_features}, WeightInit::glorot_uniform, in_features, out_features);
  const std::string b = add_initializer(node + ".bias", Tensor(DType::f32, {out_features}));
  Attributes attrs;
  attrs.set("transB", int64_t{1});
  return append(node, "Gemm", {x, w, b}, std::move(attrs));
}

std::string GraphBuilder::max_pool(const std::string& x, std::vector<int64_t> kernel, std::vector<int64_t> strides) {
  Attributes attrs;
  attrs.set("kernel_shape", std::move(kernel));
  attrs.set("strides", std::move(strides));
  return add_node("MaxPool", {x}, std::move(attrs));
}

std::string GraphBuilder::relu(const std::string& x) { return add_node("Relu", {x}); }

std::string GraphBuilder::leaky_relu(const std::string& x, float alpha) {
  Attributes attrs;
  attrs.set("alpha", alpha);
  return add_node("LeakyRelu", {x}, std::move(attrs));
}

std::string GraphBuilder::reshape(const std::string& x, const std::vector<int64_t>& shape) {
  const std::string node = node_name("Reshape");
  const std::string target =
      add_initializer(node + ".shape", Tensor::from_vector<int64_t>({static_cast<int64_t>(shape.size())}, shape));
  return append(node, "Reshape", {x, target});
}

std::string GraphBuilder::transpose(const std::string& x, std::vector<int64_t> perm) {
  Attributes attrs;
  attrs.set("perm", std::move(perm));
  return add_node("Transpose", {x}, std::move(attrs));
}

std::string GraphBuilder::flatten(const std::string& x, int64_t axis) {
  Attributes attrs;
  attrs.set("axis", axis);
  return add_node("Flatten", {x}, std::move(attrs));
}

std::string GraphBuilder::reduce_max(const std::string& x, std::vector<int64_t> axes, bool keepdims) {
  Attributes attrs;
  attrs.set("axes", std::move(axes));
  attrs.set("keepdims", int64_t{keepdims});
  return add_node("ReduceMax", {x}, std::move(attrs));
}

GraphBuilder::LstmValues GraphBuilder::lstm(const std::string& x, int64_t input_size, int64_t hidden) {
  const std::string node = node_name("LSTM");
  const int64_t gates = 4 * hidden;
  const std::string w = weight(node + ".input.weight", {1, gates, input_size}, WeightInit::glorot_uniform, input_size, gates);
  const std::string r = weight(node + ".recurrent.weight", {1, gates, hidden}, WeightInit::glorot_uniform, hidden, gates);
  Tensor bias(DType::f32, {1, 2 * gates});  // W's biases (i, o, f, c), then R's
  auto values = bias.values<float>();
  std::fill(values.begin() + 2 * hidden, values.begin() + 3 * hidden, 1.0f);
  const std::string b = add_initializer(node + ".bias", std::move(bias));
  Attributes attrs;
  attrs.set("hidden_size", hidden);
  const LstmValues out{node, unique_name(node + "/Y_h")};
  graph_.nodes.push_back({node, "LSTM", {x, w, r, b}, {out.sequence, out.last}, std::move(attrs)});
  return out;
}

std::string GraphBuilder::reduce_mean(const std::string& x, std::vector<int64_t> axes, bool keepdims) {
  Attributes attrs;
  attrs.set("axes", std::move(axes));
  attrs.set("keepdims", int64_t{keepdims});
  return add_node("ReduceMean", {x}, std::move(attrs));
}

std::string GraphBuilder::concat(const std::vector<std::string>& xs, int64_t axis) {
  Attributes attrs;
  attrs.set("axis", axis);
  return add_node("Concat", xs, std::move(attrs));
}

std::string GraphBuilder::matmul(const std::string& a, const std::string& b) { return add_node("MatMul", {a, b}); }

std::string GraphBuilder::add(const std::string& a, const std::string& b) { return add_node("Add", {a, b}); }

std::string GraphBuilder::softmax(const std::string& x, int64_t axis) {
  Attributes attrs;
  attrs.set("axis", axis);
  return add_node("Softmax", {x}, std::move(attrs));
}

Graph GraphBuilder::finish() && {
  validate(graph_);
  return std::move(graph_);
}

}  // namespace stride::zoo
