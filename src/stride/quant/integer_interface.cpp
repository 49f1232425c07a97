#include "stride/quant/integer_interface.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "stride/quant/int8_scales.h"
#include "stride/quant/quantization_record.h"

namespace stride::quant {
namespace {

class InterfaceWriter {
 public:
  InterfaceWriter(const Graph& graph, const std::map<std::string, Range>& ranges) : graph_(graph), ranges_(ranges) {}

  Graph run() {
    for (ValueInfo& input : graph_.inputs) make_integer_input(input);
    for (ValueInfo& output : graph_.outputs) make_integer_output(output);
    nlohmann::json record = nlohmann::json::parse(graph_.metadata.at(kQuantizationKey));
    record["precision"] = "full-int";
    record["interface"] = interface_;
    graph_.metadata[kQuantizationKey] = record.dump();
    return sorted(std::move(graph_));
  }

 private:
  // The input's readers are all QuantizeLinear nodes with the same constant parameters: the input
  // becomes their output. Otherwise it becomes integer with the scale of its range, dequantized
  // for its f32 readers.
  void make_integer_input(ValueInfo& input) {
    std::vector<const Node*> readers;
    for (const Node& n : graph_.nodes)
      if (std::count(n.inputs.begin(), n.inputs.end(), input.name)) readers.push_back(&n);
    const bool folds = !readers.empty() && std::all_of(readers.begin(), readers.end(), [&](const Node* n) {
      return n->op_type == "QuantizeLinear" && n->inputs[0] == input.name && n->inputs.size() == 3 &&
             n->inputs[1] == readers[0]->inputs[1] && n->inputs[2] == readers[0]->inputs[2] &&
             graph_.initializers.count(n->inputs[1]) && graph_.initializers.count(n->inputs[2]) &&
             n->attrs == readers[0]->attrs;
    });
    if (folds) {
      const Node first = *readers[0];
      const Tensor& zero_point = graph_.initializers.at(first.inputs[2]);
      if (zero_point.numel() != 1) fail("input '{}' is quantized per channel; full-int needs one scale", input.name);
      std::vector<std::string> quantized;
      for (const Node* n : readers) quantized.push_back(n->outputs[0]);
      std::erase_if(graph_.nodes,
                    [&](const Node& n) { return n.op_type == "QuantizeLinear" && n.inputs[0] == input.name; });
      for (Node& n : graph_.nodes)
        for (std::string& in : n.inputs)
          if (std::count(quantized.begin(), quantized.end(), in)) in = input.name;
      input.dtype = zero_point.dtype();
      record("inputs", input.name, zero_point, graph_.initializers.at(first.inputs[1]).to_f32().values<float>()[0]);
      return;
    }
    const ActivationQuant q = quant_of(input.name);
    const auto [scale, zero] = parameters(input.name, q);
    const std::string real = input.name + "_dequantized";
    for (Node& n : graph_.nodes) std::replace(n.inputs.begin(), n.inputs.end(), input.name, real);
    graph_.nodes.push_back(
        {input.name + "/DequantizeLinear", "DequantizeLinear", {input.name, scale, zero}, {real}, {}});
    input.dtype = q.type;
    record("inputs", input.name, graph_.initializers.at(zero), q.scale);
  }

  // An output written by a DequantizeLinear becomes the quantized tensor it reads (its f32 readers
  // keep the DequantizeLinear); any other gets a QuantizeLinear with the scale of its range.
  void make_integer_output(ValueInfo& output) {
    const Node* writer = graph_.producer(output.name);
    const std::string real = output.name + "_real";
    if (writer && writer->op_type == "DequantizeLinear" && writer->inputs.size() == 3 &&
        graph_.initializers.count(writer->inputs[1]) && graph_.initializers.count(writer->inputs[2]) &&
        graph_.initializers.at(writer->inputs[1]).numel() == 1) {
      const std::string quantized = writer->inputs[0];
      const Tensor& zero_point = graph_.initializers.at(writer->inputs[2]);
      const float scale = graph_.initializers.at(writer->inputs[1]).to_f32().values<float>()[0];
      rename_everywhere(output.name, real);
      rename_everywhere(quantized, output.name);
      drop_if_unread(real);
      output.dtype = zero_point.dtype();
      record("outputs", output.name, zero_point, scale);
      return;
    }
    const ActivationQuant q = quant_of(output.name);
    const auto [scale, zero] = parameters(output.name, q);
    rename_everywhere(output.name, real);
    graph_.nodes.push_back({output.name + "/QuantizeLinear", "QuantizeLinear", {real, scale, zero}, {output.name}, {}});
    output.dtype = q.type;
    record("outputs", output.name, graph_.initializers.at(zero), q.scale);
  }

  ActivationQuant quant_of(const std::string& value) const {
    auto it = ranges_.find(value);
    if (it == ranges_.end())
      fail("no calibrated range for '{}': full-int needs the range of every input and output", value);
    return activation_quant(it->second);
  }

  std::pair<std::string, std::string> parameters(const std::string& value, const ActivationQuant& q) {
    const std::string scale = value + "_interface_scale", zero = value + "_interface_zero_point";
    if (!graph_.initializers.emplace(scale, Tensor::scalar(q.scale)).second ||
        !graph_.initializers.emplace(zero, Tensor(q.type, {})).second)
      fail("the model already has a value named '{}' or '{}'", scale, zero);
    return {scale, zero};
  }

  void rename_everywhere(const std::string& from, const std::string& to) {
    for (Node& n : graph_.nodes) {
      std::replace(n.inputs.begin(), n.inputs.end(), from, to);
      std::replace(n.outputs.begin(), n.outputs.end(), from, to);
    }
  }

  void drop_if_unread(const std::string& value) {
    const bool read = std::any_of(graph_.nodes.begin(), graph_.nodes.end(), [&](const Node& n) {
      return std::count(n.inputs.begin(), n.inputs.end(), value) > 0;
    });
    if (!read)
      std::erase_if(graph_.nodes, [&](const Node& n) { return n.outputs.size() == 1 && n.outputs[0] == value; });
  }

  // real value = (integer - zero_point) · scale
  void record(const char* side, const std::string& name, const Tensor& zero_point, float scale) {
    interface_[side][name] = {{"type", std::string(dtype_name(zero_point.dtype()))},
                              {"scale", scale},
                              {"zero_point", zero_point.to_int64_vector().at(0)}};
  }

  Graph graph_;
  const std::map<std::string, Range>& ranges_;
  nlohmann::json interface_;
};

}  // namespace

Graph with_integer_interface(const Graph& qdq, const std::map<std::string, Range>& ranges) {
  return InterfaceWriter(qdq, ranges).run();
}

}  // namespace stride::quant
