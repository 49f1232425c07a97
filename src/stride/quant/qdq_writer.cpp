#include "stride/quant/qdq_writer.h"

#include <algorithm>
#include <set>

#include "stride/quant/int8_scales.h"

namespace stride::quant {
namespace {

Tensor zero_point_of(DType type, Shape shape) { return Tensor(type, std::move(shape)); }  // zeros

class QdqWriter {
 public:
  QdqWriter(const Graph& graph, const QdqOptions& options) : graph_(graph), options_(options) {}

  // Each group's scale and type from the joint range of its members.
  void choose_activation_scales(const QdqSelection& selection, const std::map<std::string, Range>& ranges) {
    for (const std::vector<std::string>& group : selection.groups) {
      const ActivationQuant q = group_quant(group, ranges);
      for (const std::string& value : group) activations_[value] = q;
    }
  }

  void quantize_activations() {
    for (const auto& [value, q] : activations_) insert_qdq(value, q);
  }

  void quantize_weights(const QdqSelection& selection) {
    const std::set<std::string> chosen(selection.nodes.begin(), selection.nodes.end());
    for (Node& node : graph_.nodes) {
      if (!chosen.count(node.name)) continue;
      const std::string weight = node.inputs[1];
      const size_t rank = graph_.initializers.at(weight).rank();
      const size_t axis = weight_channel_axis(node, rank);
      // A batched MatMul weight (GaitSet's per-part [P, K, N]) gets one scale: ONNX Runtime fuses
      // DequantizeLinear → MatMul into QLinearMatMul, which refuses per-column scales on a weight
      // of rank 3 ("last to second dimension is 1"), so a per-channel file would not run there.
      const bool per_channel = options_.per_channel && !(node.op_type == "MatMul" && rank > 2);
      const QuantizedWeight w = quantize_weight(graph_.initializers.at(weight), axis, per_channel);
      node.inputs[1] = dequantized_constant(weight, w.values, w.scales, axis);
      if (node.inputs.size() > 2 && has_integer_bias(node, w.scales.size())) {
        const std::string bias = node.inputs[2];
        const float input_scale = activations_.at(node.inputs[0]).scale;
        std::vector<float> bias_scales;
        for (float s : w.scales) bias_scales.push_back(input_scale * s);
        node.inputs[2] =
            dequantized_constant(bias, quantize_bias(graph_.initializers.at(bias), input_scale, w.scales), bias_scales, 0);
      }
    }
  }

  Graph finish() {
    graph_.nodes.insert(graph_.nodes.end(), added_.begin(), added_.end());
    drop_unread_initializers(graph_);
    return sorted(std::move(graph_));
  }

 private:
  // The activation's readers get Q → DQ of it. A graph output keeps its name on the DequantizeLinear
  // (its producer's result is renamed), so that the model's interface is unchanged.
  void insert_qdq(const std::string& value, const ActivationQuant& q) {
    const std::string scale = add_initializer(value + "_scale", Tensor::scalar(q.scale));
    const std::string zero = add_initializer(value + "_zero_point", zero_point_of(q.type, {}));
    const bool is_output = std::any_of(graph_.outputs.begin(), graph_.outputs.end(),
                                       [&](const ValueInfo& v) { return v.name == value; });
    std::string float_in = value, float_out = value + "_dequantized";
    if (is_output) {
      float_in = value + "_quantize_input";
      float_out = value;
      for (Node& node : graph_.nodes) std::replace(node.outputs.begin(), node.outputs.end(), value, float_in);
    }
    for (Node& node : graph_.nodes) std::replace(node.inputs.begin(), node.inputs.end(), value, float_out);
    const std::string quantized = value + "_quantized";
    added_.push_back({value + "/QuantizeLinear", "QuantizeLinear", {float_in, scale, zero}, {quantized}, {}});
    added_.push_back({value + "/DequantizeLinear", "DequantizeLinear", {quantized, scale, zero}, {float_out}, {}});
  }

  // Replaces the f32 initializer `name` by its integer `values` behind a DequantizeLinear; returns
  // the DequantizeLinear's output. s8 weights carry an s8 zero point; int32 biases none (it is 0).
  std::string dequantized_constant(const std::string& name, Tensor values, const std::vector<float>& scales,
                                   size_t axis) {
    const DType type = values.dtype();
    const std::string data = add_initializer(name + "_quantized", std::move(values));
    const bool per_tensor = scales.size() == 1;
    const Shape scale_shape = per_tensor ? Shape{} : Shape{static_cast<int64_t>(scales.size())};
    const std::string scale = add_initializer(name + "_scale", Tensor::from_vector<float>(scale_shape, scales));
    Node dq{name + "/DequantizeLinear", "DequantizeLinear", {data, scale}, {name + "_dequantized"}, {}};
    if (type == DType::s8) dq.inputs.push_back(add_initializer(name + "_zero_point", zero_point_of(type, scale_shape)));
    if (!per_tensor) dq.attrs.set("axis", static_cast<int64_t>(axis));
    added_.push_back(dq);
    return dq.outputs[0];
  }

  // An int32 bias needs a 1-D bias with one value per output channel, read by this node alone, and
  // (Gemm) no beta scaling; any other bias stays f32.
  bool has_integer_bias(const Node& node, size_t weight_scales) const {
    const std::string& bias = node.inputs[2];
    auto it = graph_.initializers.find(bias);
    if (bias.empty() || it == graph_.initializers.end() || it->second.dtype() != DType::f32) return false;
    if (!activations_.count(node.inputs[0]) || it->second.rank() != 1) return false;
    if (node.op_type == "Gemm" && (node.attrs.get_float("beta", 1.0f) != 1.0f)) return false;
    if (weight_scales != 1 && static_cast<size_t>(it->second.dim(0)) != weight_scales) return false;
    return graph_.reads(bias) == 1;
  }

  std::string add_initializer(const std::string& name, Tensor value) {
    if (graph_.initializers.count(name) || graph_.input(name)) fail("the model already has a value named '{}'", name);
    graph_.initializers.emplace(name, std::move(value));
    return name;
  }

  Graph graph_;
  const QdqOptions& options_;
  std::map<std::string, ActivationQuant> activations_;
  std::vector<Node> added_;
};

}  // namespace

Graph write_qdq(const Graph& graph, const QdqSelection& selection, const std::map<std::string, Range>& ranges,
                const QdqOptions& options) {
  QdqWriter writer(graph, options);
  writer.choose_activation_scales(selection, ranges);
  writer.quantize_weights(selection);  // before the activations' readers are renamed
  writer.quantize_activations();
  return writer.finish();
}

}  // namespace stride::quant
