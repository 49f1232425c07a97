#include "stride/quant/dynamic_quantization.h"

#include <array>
#include <optional>
#include <set>

#include "stride/quant/int8_scales.h"
#include "stride/quant/qdq_selection.h"
#include "stride/quant/quantization_record.h"

namespace stride::quant {
namespace {

// The bias Gemm adds to every row: beta · C as one value per output column (none without C).
// `fits` is false when C is not a constant that is the same for every row: the node stays f32.
struct GemmBias {
  bool fits = true;
  std::optional<std::vector<float>> values;
};

GemmBias gemm_bias(const Graph& graph, const Node& node, int64_t n) {
  if (node.inputs.size() < 3 || node.inputs[2].empty()) return {};
  auto it = graph.initializers.find(node.inputs[2]);
  if (it == graph.initializers.end() || it->second.dtype() != DType::f32) return {false, {}};
  const Tensor& c = it->second;
  const bool per_column = c.rank() <= 1 || (c.rank() == 2 && c.dim(0) == 1);
  const int64_t count = c.rank() == 0 ? 1 : c.dim(c.rank() - 1);
  if (!per_column || (count != 1 && count != n)) return {false, {}};
  std::vector<float> values(static_cast<size_t>(n));
  const float beta = node.attrs.get_float("beta", 1.0f);
  const float* v = c.data<float>();
  for (int64_t j = 0; j < n; ++j) values[static_cast<size_t>(j)] = beta * v[count == 1 ? 0 : j];
  return {true, values};
}

// `weight` [rows, cols] as [cols, rows].
Tensor transposed(const Tensor& weight) {
  const int64_t rows = weight.dim(0), cols = weight.dim(1);
  Tensor out(weight.dtype(), {cols, rows});
  const int8_t* in = weight.data<int8_t>();
  int8_t* o = out.data<int8_t>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) o[c * rows + r] = in[r * cols + c];
  return out;
}

class DynamicWriter {
 public:
  DynamicWriter(const Graph& graph, const DynamicRequest& request) : graph_(graph), request_(request) {}

  Graph run() {
    std::vector<Node> nodes;
    for (const Node& node : graph_.nodes) {
      if (rewrite_linear(node, nodes)) continue;
      nodes.push_back(node);
      if (node.op_type == "Conv") quantize_weight_input(nodes.back(), 1, 0);
      if (node.op_type == "LSTM") {
        quantize_weight_input(nodes.back(), 1, 1);  // W [directions, 4·hidden, input]
        quantize_weight_input(nodes.back(), 2, 1);  // R [directions, 4·hidden, hidden]
      }
    }
    if (integer_nodes_.empty() && weight_only_nodes_.empty())
      fail("nothing to quantize dynamically: no Gemm or MatMul with constant weights, no Conv or LSTM");
    graph_.nodes = std::move(nodes);
    graph_.nodes.insert(graph_.nodes.end(), weight_dequantizers_.begin(), weight_dequantizers_.end());
    drop_unread_initializers(graph_);
    record();
    return sorted(std::move(graph_));
  }

 private:
  // Gemm (transA = 0) and MatMul whose weights are a constant f32 matrix — for MatMul also a batch of
  // them, [..., K, N] (GaitSet's per-part HPM), one scale per output column shared by the batch —
  // become the integer chain; returns false (the node is kept as is) for anything else.
  bool rewrite_linear(const Node& node, std::vector<Node>& nodes) {
    if (node.op_type != "Gemm" && node.op_type != "MatMul") return false;
    const bool gemm = node.op_type == "Gemm";
    auto w = graph_.initializers.find(node.inputs.at(1));
    if (w == graph_.initializers.end() || w->second.dtype() != DType::f32 || !read_once(w->first)) return false;
    if (gemm ? w->second.rank() != 2 : w->second.rank() < 2) return false;
    if (gemm && node.attrs.get_int("transA", 0) != 0) return false;
    const bool trans_b = gemm && node.attrs.get_int("transB", 0) != 0;
    const int64_t n = trans_b ? w->second.dim(0) : w->second.dim(w->second.rank() - 1);
    const GemmBias bias = gemm ? gemm_bias(graph_, node, n) : GemmBias{};
    if (!bias.fits) return false;

    QuantizedWeight q = quantize_weight(w->second, weight_channel_axis(node, w->second.rank()), request_.per_channel);
    const Tensor integers = trans_b ? transposed(q.values) : std::move(q.values);
    const float alpha = gemm ? node.attrs.get_float("alpha", 1.0f) : 1.0f;
    std::vector<float> scales(static_cast<size_t>(n), q.scales[0]);
    if (q.scales.size() > 1) scales = q.scales;
    for (float& s : scales) s *= alpha;

    const std::string& x = node.inputs[0];
    const std::string& y = node.outputs.at(0);
    const std::string p = node.name + "/";
    const auto [x_q, x_scale, x_zero_point] = dynamic_quantized(x, nodes);
    const std::string weights = add_initializer(node.inputs[1] + "_quantized", integers);
    const std::string w_scales = add_initializer(node.inputs[1] + "_scale", Tensor::from_vector<float>({n}, scales));
    Node cast{p + "Cast", "Cast", {p + "product"}, {p + "product_f32"}, {}};
    cast.attrs.set("to", int64_t{1});  // FLOAT
    nodes.push_back({p + "MatMulInteger", "MatMulInteger", {x_q, weights, x_zero_point}, {p + "product"}, {}});
    nodes.push_back(cast);
    nodes.push_back({p + "scale", "Mul", {w_scales, x_scale}, {p + "output_scale"}, {}});
    const std::string scaled = bias.values ? p + "scaled" : y;
    nodes.push_back({p + "rescale", "Mul", {p + "product_f32", p + "output_scale"}, {scaled}, {}});
    if (bias.values) {
      const std::string b = add_initializer(p + "bias", Tensor::from_vector<float>({n}, *bias.values));
      nodes.push_back({p + "bias", "Add", {scaled, b}, {y}, {}});
    }
    integer_nodes_.push_back(node.name);
    return true;
  }

  // The DynamicQuantizeLinear of `x`, made once however many layers read it.
  std::array<std::string, 3> dynamic_quantized(const std::string& x, std::vector<Node>& nodes) {
    auto it = quantized_.find(x);
    if (it != quantized_.end()) return it->second;
    const std::array<std::string, 3> out{x + "_quantized", x + "_scale", x + "_zero_point"};
    nodes.push_back({x + "/DynamicQuantizeLinear", "DynamicQuantizeLinear", {x}, {out[0], out[1], out[2]}, {}});
    return quantized_[x] = out;
  }

  // Input #i of `node`, a constant f32 weight, becomes s8 behind a DequantizeLinear (scales along
  // `axis` when per channel). Weights read by other nodes too, or not constant, are left alone.
  void quantize_weight_input(Node& node, size_t i, size_t axis) {
    if (node.inputs.size() <= i) return;
    const std::string name = node.inputs[i];
    auto w = graph_.initializers.find(name);
    if (w == graph_.initializers.end() || w->second.dtype() != DType::f32 || w->second.rank() <= axis) return;
    if (!read_once(name)) return;
    const QuantizedWeight q = quantize_weight(w->second, axis, request_.per_channel);
    const bool per_tensor = q.scales.size() == 1;
    const Shape scale_shape = per_tensor ? Shape{} : Shape{static_cast<int64_t>(q.scales.size())};
    const std::string data = add_initializer(name + "_quantized", q.values);
    const std::string scale = add_initializer(name + "_scale", Tensor::from_vector<float>(scale_shape, q.scales));
    const std::string zero = add_initializer(name + "_zero_point", Tensor(DType::s8, scale_shape));
    Node dq{name + "/DequantizeLinear", "DequantizeLinear", {data, scale, zero}, {name + "_dequantized"}, {}};
    if (!per_tensor) dq.attrs.set("axis", static_cast<int64_t>(axis));
    weight_dequantizers_.push_back(dq);
    node.inputs[i] = dq.outputs[0];
    if (weight_only_nodes_.empty() || weight_only_nodes_.back() != node.name) weight_only_nodes_.push_back(node.name);
  }

  // True when one input of one node of the float model reads `value` (a weight shared by several
  // layers keeps f32: each would otherwise want its own scales for it).
  bool read_once(const std::string& value) const { return graph_.reads(value) == 1; }

  std::string add_initializer(const std::string& name, Tensor value) {
    if (graph_.initializers.count(name) || graph_.input(name)) fail("the model already has a value named '{}'", name);
    graph_.initializers.emplace(name, std::move(value));
    return name;
  }

  void record() { record_dynamic(graph_, {request_.per_channel, integer_nodes_, weight_only_nodes_}); }

  Graph graph_;
  const DynamicRequest& request_;
  std::map<std::string, std::array<std::string, 3>> quantized_;
  std::vector<Node> weight_dequantizers_;
  std::vector<std::string> integer_nodes_, weight_only_nodes_;
};

}  // namespace

Graph quantize_dynamic(const Graph& graph, const DynamicRequest& request) {
  return DynamicWriter(graph, request).run();
}

}  // namespace stride::quant
