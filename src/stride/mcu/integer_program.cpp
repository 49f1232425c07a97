#include "stride/mcu/integer_program.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "stride/core/usage_error.h"
#include "stride/engine/onednn/arena_planner.h"
#include "stride/ir/shape_inference.h"

namespace stride::mcu {
namespace {

// A microcontroller's arena: floats and int32 need 4 bytes; 8 keeps 64-bit loads of pairs aligned.
constexpr size_t kMcuAlignment = 8;

[[noreturn]] void refuse(const Node& node, const std::string& why) {
  usage_fail("export-c: node '{}' ({}): {}", node.name, node.op_type, why);
}

std::optional<Storage> int8_storage(DType dtype) {
  if (dtype == DType::s8) return Storage::s8;
  if (dtype == DType::u8) return Storage::u8;
  return std::nullopt;
}

// The ops that only move or relabel values: int8 through them stays exact.
bool is_reshape_like(const std::string& op) {
  return op == "Reshape" || op == "Flatten" || op == "Squeeze" || op == "Unsqueeze";
}

// The output the C computes: `wanted`, or the only one, or a classifier's "probabilities".
std::string chosen_output(const Graph& model, const std::string& wanted) {
  std::vector<std::string> names;
  for (const ValueInfo& v : model.outputs) names.push_back(v.name);
  if (!wanted.empty()) {
    if (std::find(names.begin(), names.end(), wanted) == names.end())
      usage_fail("export-c: the model has no output '{}'; its outputs are {}", wanted, fmt::join(names, ", "));
    return wanted;
  }
  if (names.size() == 1) return names[0];
  if (std::find(names.begin(), names.end(), "probabilities") != names.end()) return "probabilities";
  usage_fail("export-c: the model has the outputs {}; choose the one the C computes with --model-output",
             fmt::join(names, ", "));
}

// The model sorted and cut down to the nodes that `output` depends on, with that output alone.
Graph only_what_computes(const Graph& model, const std::string& wanted) {
  Graph g = sorted(model);
  const std::string output = chosen_output(g, wanted);
  std::set<std::string> needed{output};
  std::vector<Node> kept;
  for (auto it = g.nodes.rbegin(); it != g.nodes.rend(); ++it) {
    if (std::none_of(it->outputs.begin(), it->outputs.end(), [&](const std::string& o) { return needed.count(o); }))
      continue;
    needed.insert(it->inputs.begin(), it->inputs.end());
    kept.push_back(*it);
  }
  g.nodes.assign(kept.rbegin(), kept.rend());
  std::erase_if(g.outputs, [&](const ValueInfo& v) { return v.name != output; });
  return g;
}

class Lowering {
 public:
  Lowering(const Graph& model, const std::string& output) : graph_(only_what_computes(model, output)) {
    if (graph_.inputs.size() != 1)
      usage_fail("export-c: the model has {} inputs; the generated C takes one", graph_.inputs.size());
    std::map<std::string, Shape> batch_one;
    Shape input_shape = graph_.inputs[0].shape;
    if (!input_shape.empty()) input_shape[0] = 1;
    batch_one[graph_.inputs[0].name] = input_shape;
    shapes_ = infer_shapes(graph_, batch_one);
    for (const Node& node : graph_.nodes)
      for (const std::string& in : node.inputs)
        if (!in.empty()) readers_[in].push_back(&node);
  }

  IntegerProgram run() {
    const ValueInfo& in = graph_.inputs[0];
    const std::optional<Storage> in_storage = int8_storage(in.dtype);
    if (!in_storage && in.dtype != DType::f32)
      usage_fail("export-c: input '{}' is {}; the C takes int8 (full-int) or f32 inputs", in.name,
                 dtype_name(in.dtype));
    program_.input = add_tensor(in.name, in_storage.value_or(Storage::f32), shapes_.at(in.name).shape,
                                in_storage ? input_scale(in.name) : 1.0f, -1);
    values_[in.name] = program_.input;

    for (const Node& node : graph_.nodes) {
      if (consumed_.count(&node)) continue;
      lower(node);
    }
    const std::string& out = graph_.outputs[0].name;
    const auto found = values_.find(out);
    if (found == values_.end()) usage_fail("export-c: output '{}' is computed by no step", out);
    program_.output = found->second;
    place_buffers();
    return std::move(program_);
  }

 private:
  // The scale of the model's int8 input: that of the first DequantizeLinear reading it.
  float input_scale(const std::string& input) const {
    for (const Node* reader : readers_of(input))
      if (reader->op_type == "DequantizeLinear") return per_tensor_scale(*reader);
    usage_fail("export-c: input '{}' is read by no DequantizeLinear", input);
  }

  const std::vector<const Node*>& readers_of(const std::string& value) const {
    static const std::vector<const Node*> none;
    const auto it = readers_.find(value);
    return it == readers_.end() ? none : it->second;
  }

  // The only reader of `value` when it has exactly one and `value` is no graph output.
  const Node* only_reader(const std::string& value) const {
    const auto& readers = readers_of(value);
    if (readers.size() != 1) return nullptr;
    for (const ValueInfo& out : graph_.outputs)
      if (out.name == value) return nullptr;
    return readers[0];
  }

  const Tensor* initializer(const std::string& name) const {
    const auto it = graph_.initializers.find(name);
    return it == graph_.initializers.end() ? nullptr : &it->second;
  }

  std::vector<float> floats_of(const Node& node, size_t input) const {
    const Tensor* t = input < node.inputs.size() ? initializer(node.inputs[input]) : nullptr;
    if (!t || t->dtype() != DType::f32) refuse(node, "its scale is not an f32 initializer");
    const auto v = t->values<float>();
    return {v.begin(), v.end()};
  }

  void require_zero_point_zero(const Node& node) const {
    if (node.inputs.size() < 3 || node.inputs[2].empty()) return;
    const Tensor* zp = initializer(node.inputs[2]);
    if (!zp) refuse(node, "its zero point is not an initializer");
    for (int64_t i = 0; i < zp->numel(); ++i) {
      const int64_t z = zp->dtype() == DType::u8   ? zp->values<uint8_t>()[i]
                        : zp->dtype() == DType::s8 ? zp->values<int8_t>()[i]
                                                   : zp->values<int32_t>()[i];
      if (z != 0) refuse(node, "a zero point other than 0 (Stride's quantizer writes symmetric activations)");
    }
  }

  float per_tensor_scale(const Node& node) const {
    const std::vector<float> s = floats_of(node, 1);
    if (s.size() != 1) refuse(node, "one scale per channel on an activation");
    require_zero_point_zero(node);
    return s[0];
  }

  int add_tensor(const std::string& name, Storage storage, Shape shape, float scale, int buffer) {
    program_.tensors.push_back({name, storage, std::move(shape), scale, buffer});
    return static_cast<int>(program_.tensors.size()) - 1;
  }

  int new_buffer() {
    program_.buffers.push_back({});
    return static_cast<int>(program_.buffers.size()) - 1;
  }

  // A tensor with a buffer of its own, written by the step about to be added.
  int new_tensor(const std::string& name, Storage storage, float scale = 1.0f) {
    return add_tensor(name, storage, shapes_.at(name).shape, scale, new_buffer());
  }

  void add_step(ProgramStep step) { program_.steps.push_back(std::move(step)); }

  // The integer tensor a DequantizeLinear reads, if `value` is one of run-time int8 data.
  std::optional<int> dequantized_source(const std::string& value) const {
    const auto it = dequantized_.find(value);
    if (it == dequantized_.end()) return std::nullopt;
    return it->second;
  }

  // `value` as an f32 tensor: a DequantizeLinear of int8 data becomes a dequantize step, once.
  int float_tensor(const Node& reader, const std::string& value) {
    if (const auto it = values_.find(value); it != values_.end()) {
      if (program_.tensors[it->second].storage != Storage::f32)
        refuse(reader, fmt::format("reads int8 '{}' without a DequantizeLinear", value));
      return it->second;
    }
    const std::optional<int> source = dequantized_source(value);
    if (!source) refuse(reader, fmt::format("reads '{}', which the generated C does not compute", value));
    ProgramStep step;
    step.kind = StepKind::dequantize;
    step.node = graph_.producer(value)->name;
    step.input = *source;
    step.multiplier = program_.tensors[*source].scale;
    step.output = new_tensor(value, Storage::f32);
    values_[value] = step.output;
    add_step(std::move(step));
    return values_[value];
  }

  // The QuantizeLinear that turns `value` back into int8, when it is its only reader.
  const Node* requantizer(const std::string& value) const {
    const Node* q = only_reader(value);
    return q && q->op_type == "QuantizeLinear" ? q : nullptr;
  }

  Storage quantized_storage(const Node& quantize) const {
    const Tensor* zp = quantize.inputs.size() > 2 ? initializer(quantize.inputs[2]) : nullptr;
    if (zp && zp->dtype() == DType::s8) return Storage::s8;
    if (!zp || zp->dtype() == DType::u8) return Storage::u8;  // ONNX's default output type is u8
    refuse(quantize, "quantizes to a type other than u8 or s8");
  }

  void lower(const Node& node) {
    const std::string& op = node.op_type;
    if (op == "DequantizeLinear") return lower_dequantize(node);
    if (op == "QuantizeLinear") return lower_quantize(node);
    if (op == "Conv" || op == "Gemm" || op == "MatMul") return lower_anchor(node);
    if (op == "MaxPool" || op == "Transpose" || is_reshape_like(op)) return lower_scale_preserving(node);
    if (op == "LSTM") return lower_lstm(node);
    if (op == "DynamicQuantizeLinear") return lower_dynamic_quantize(node);
    if (op == "MatMulInteger") return lower_dynamic_dense(node);
    if (op == "Mul" && is_dynamic_rescale_factor(node)) return;  // folded into the dense that reads it
    if (op == "ReduceMean" || op == "GlobalAveragePool") return lower_mean(node);
    if (op == "Softmax") return lower_softmax(node);
    if (op == "Relu") return lower_relu(node);
    refuse(node, "no C kernel for this op (export-c generates Conv, Gemm, MatMul, MaxPool, LSTM, ReduceMean, "
                 "GlobalAveragePool, Softmax, Relu, Transpose, Reshape, Flatten, Squeeze, Unsqueeze, "
                 "Quantize/DequantizeLinear and the dynamic-range chain of DynamicQuantizeLinear and MatMulInteger)");
  }

  void lower_dequantize(const Node& node) {
    if (initializer(node.inputs[0])) return;  // a constant: read by the anchor that uses it
    const auto it = values_.find(node.inputs[0]);
    if (it == values_.end() || program_.tensors[it->second].storage == Storage::f32)
      refuse(node, "dequantizes something that is not int8 data");
    if (per_tensor_scale(node) != program_.tensors[it->second].scale)
      refuse(node, "dequantizes with another scale than its data was quantized with");
    dequantized_[node.outputs[0]] = it->second;
  }

  void lower_quantize(const Node& node) {
    const float scale = per_tensor_scale(node);
    ProgramStep step;
    step.kind = StepKind::quantize;
    step.node = node.name;
    step.input = float_tensor(node, node.inputs[0]);
    step.multiplier = 1.0f / scale;  // the onednn backend's reorder multiplies by the inverse
    step.output = new_tensor(node.outputs[0], quantized_storage(node), scale);
    values_[node.outputs[0]] = step.output;
    add_step(std::move(step));
  }

  // MaxPool, Transpose and the reshapes: on the integers when their input is dequantized int8 and
  // their only reader quantizes again with the same scale and type; in f32 otherwise (but MaxPool).
  void lower_scale_preserving(const Node& node) {
    const std::optional<int> source = dequantized_source(node.inputs[0]);
    const Node* q = requantizer(node.outputs[0]);
    const bool on_integers = source && q && per_tensor_scale(*q) == program_.tensors[*source].scale &&
                             quantized_storage(*q) == program_.tensors[*source].storage;
    int input = -1;
    if (on_integers) {
      input = *source;
      consumed_.insert(q);
    } else {
      input = float_tensor(node, node.inputs[0]);
    }
    const std::string& result = on_integers ? q->outputs[0] : node.outputs[0];
    const ProgramTensor& in = program_.tensors[input];
    if (is_reshape_like(node.op_type)) {  // a view of the same bytes
      values_[result] = add_tensor(result, in.storage, shapes_.at(result).shape, in.scale, in.buffer);
      return;
    }
    ProgramStep step;
    step.node = node.name;
    step.input = input;
    if (node.op_type == "Transpose") {
      step.kind = StepKind::transpose;
      permutation(node, in.shape, step);
    } else {
      if (node.outputs.size() > 1 && !node.outputs[1].empty()) refuse(node, "MaxPool's indices output");
      step.kind = StepKind::max_pool;
      step.window = pool_window(node, in.shape);
      if (step.window.rank() > 2) refuse(node, "a 3-D pooling window");
    }
    step.output = new_tensor(result, in.storage, in.scale);
    values_[result] = step.output;
    add_step(std::move(step));
  }

  // The output's dims, padded in front to 4, with the input's stride along each.
  void permutation(const Node& node, const Shape& shape, ProgramStep& step) const {
    const size_t rank = shape.size();
    if (rank > 4) refuse(node, "a Transpose of more than 4 dimensions");
    std::vector<int64_t> perm = node.attrs.get_ints("perm", {});
    if (perm.empty())
      for (size_t d = 0; d < rank; ++d) perm.insert(perm.begin(), static_cast<int64_t>(d));
    std::vector<int64_t> in_strides(rank, 1);
    for (size_t d = rank; d-- > 1;) in_strides[d - 1] = in_strides[d] * shape[d];
    step.dims.assign(4 - rank, 1);
    step.strides.assign(4 - rank, 0);
    for (int64_t p : perm) {
      step.dims.push_back(shape.at(p));
      step.strides.push_back(in_strides.at(p));
    }
  }

  const Tensor& float_initializer(const Node& node, size_t input, const char* what) const {
    const Tensor* t = input < node.inputs.size() ? initializer(node.inputs[input]) : nullptr;
    if (!t || t->dtype() != DType::f32) refuse(node, fmt::format("its {} are not an f32 initializer", what));
    return *t;
  }

  // An LSTM weight as the C reads it: an f32 initializer, or the s8 initializer a DequantizeLinear
  // reads (dynamic-range quantization) with its scales, one per row (gate unit), in `scales`.
  Tensor lstm_weights(const Node& node, size_t input, Shape rows_by_columns, std::vector<float>& scales) const {
    if (initializer(node.inputs.at(input))) return float_initializer(node, input, "weights").reshaped(rows_by_columns);
    const Node* dq = graph_.producer(node.inputs[input]);
    const Tensor* q = dq && dq->op_type == "DequantizeLinear" ? initializer(dq->inputs[0]) : nullptr;
    if (!q || q->dtype() != DType::s8) refuse(node, "weights that are neither f32 nor s8 behind a DequantizeLinear");
    require_zero_point_zero(*dq);
    scales = floats_of(*dq, 1);
    if (scales.size() == 1) scales.assign(rows_by_columns[0], scales[0]);
    if (static_cast<int64_t>(scales.size()) != rows_by_columns[0] || dq->attrs.get_int("axis", 1) != 1)
      refuse(node, "s8 weights whose scales are not one per gate unit");
    return q->reshaped(rows_by_columns);
  }

  // ONNX's LSTM as full-int leaves it (f32 weights) or dynamic-range quantization makes it (s8
  // weights), read from and written to f32 values. One
  // direction, the default activations, no peepholes, clip, sequence lengths or initial state.
  void lower_lstm(const Node& node) {
    const Attributes& a = node.attrs;
    const std::string direction = a.get_string("direction", "forward");
    if (direction != "forward" && direction != "reverse") refuse(node, "a bidirectional LSTM");
    if (a.has("clip") || a.get_int("input_forget", 0) != 0 || a.get_int("layout", 0) != 0 || a.has("activations"))
      refuse(node, "clip, input_forget, layout 1 or activations other than sigmoid, tanh, tanh");
    for (size_t optional = 4; optional < node.inputs.size(); ++optional)
      if (!node.inputs[optional].empty())
        refuse(node, "sequence lengths, an initial state or peepholes (the C starts from zeros)");
    if (node.outputs.size() > 2 && !node.outputs[2].empty() && !readers_of(node.outputs[2]).empty())
      refuse(node, "its last cell state Y_c is read");
    ProgramStep step = f32_step(StepKind::lstm, node);
    const Shape& x = program_.tensors[step.input].shape;  // [T, 1, I]
    step.hidden = a.get_int("hidden_size");
    step.steps = x.at(0);
    step.inputs = x.at(2);
    step.reverse = direction == "reverse";
    const int64_t gates = 4 * step.hidden;
    step.weights = lstm_weights(node, 1, {gates, step.inputs}, step.weight_scales);
    step.recurrent = lstm_weights(node, 2, {gates, step.hidden}, step.recurrent_scales);
    if (step.weight_scales.empty() != step.recurrent_scales.empty())
      refuse(node, "W and R stored differently (one f32, the other s8)");
    step.gate_bias.assign(2 * gates, 0.0f);
    if (node.inputs.size() > 3 && !node.inputs[3].empty()) {
      const auto b = float_initializer(node, 3, "biases B").values<float>();
      step.gate_bias.assign(b.begin(), b.end());
    }
    // Y and Y_h are written only where something reads them (or the model outputs them).
    auto needed = [&](size_t i) {
      return i < node.outputs.size() && !node.outputs[i].empty() &&
             (!readers_of(node.outputs[i]).empty() || node.outputs[i] == graph_.outputs[0].name);
    };
    if (needed(0)) step.output = values_[node.outputs[0]] = new_tensor(node.outputs[0], Storage::f32);
    if (needed(1)) step.last_state = values_[node.outputs[1]] = new_tensor(node.outputs[1], Storage::f32);
    step.scratch = add_tensor(node.name + "/state", Storage::f32, {6 * step.hidden}, 1.0f, new_buffer());
    add_step(std::move(step));
  }

  // DynamicQuantizeLinear: u8 data with a run-time scale and zero point, which the step writes to a
  // 2-float tensor the dense layers read.
  void lower_dynamic_quantize(const Node& node) {
    ProgramStep step;
    step.kind = StepKind::dynamic_quantize;
    step.node = node.name;
    step.input = float_tensor(node, node.inputs[0]);
    step.output = new_tensor(node.outputs.at(0), Storage::u8);
    step.params = add_tensor(node.name + "/parameters", Storage::f32, {2}, 1.0f, new_buffer());
    values_[node.outputs[0]] = step.output;
    for (size_t i = 1; i < 3; ++i)
      if (i < node.outputs.size() && !node.outputs[i].empty()) dynamic_parameters_[node.outputs[i]] = step.params;
    dynamic_scale_of_[step.output] = i_or_empty(node, 1);
    dynamic_zero_point_of_[step.output] = i_or_empty(node, 2);
    add_step(std::move(step));
  }

  static std::string i_or_empty(const Node& node, size_t i) { return i < node.outputs.size() ? node.outputs[i] : ""; }

  // Mul(w_scales, x_scale): the output scale of a dynamic layer, computed inside its dense step.
  bool is_dynamic_rescale_factor(const Node& node) const {
    if (node.inputs.size() != 2) return false;
    const bool a_scale = dynamic_parameters_.count(node.inputs[0]) != 0, b_scale = dynamic_parameters_.count(node.inputs[1]) != 0;
    return (a_scale && initializer(node.inputs[1])) || (b_scale && initializer(node.inputs[0]));
  }

  // The node reading `value` when it is its only reader and has op `op`, else nullptr.
  const Node* only_reader_of_type(const std::string& value, const char* op) const {
    const Node* r = only_reader(value);
    return r && r->op_type == op ? r : nullptr;
  }

  // MatMulInteger(x_q, W, x_zero_point) → Cast → Mul(·, Mul(w_scales, x_scale)) [→ Add(·, bias)], as
  // quantize_dynamic writes a Gemm or MatMul: one step, each f32 operation in the graph's order.
  void lower_dynamic_dense(const Node& node) {
    const auto x = values_.find(node.inputs.at(0));
    if (x == values_.end() || program_.tensors[x->second].storage != Storage::u8 || !dynamic_scale_of_.count(x->second))
      refuse(node, "its data is not the output of a DynamicQuantizeLinear");
    const Tensor* w = initializer(node.inputs.at(1));
    if (!w || w->dtype() != DType::s8 || w->rank() != 2) refuse(node, "weights other than an s8 [K, N] initializer");
    if (node.inputs.size() < 3 || node.inputs[2] != dynamic_zero_point_of_[x->second])
      refuse(node, "a zero point other than its DynamicQuantizeLinear's");
    if (node.inputs.size() > 3 && !node.inputs[3].empty()) refuse(node, "a weight zero point");
    const Node* cast = only_reader_of_type(node.outputs[0], "Cast");
    const Node* rescale = cast ? only_reader_of_type(cast->outputs[0], "Mul") : nullptr;
    if (!rescale) refuse(node, "not followed by Cast and Mul (the dynamic-range layer quantize_dynamic writes)");
    const std::string& factor = rescale->inputs[0] == cast->outputs[0] ? rescale->inputs[1] : rescale->inputs[0];
    const Node* scale_mul = graph_.producer(factor);
    if (!scale_mul || scale_mul->op_type != "Mul" || !is_dynamic_rescale_factor(*scale_mul))
      refuse(node, "its rescale is not the weight scales times its input's run-time scale");
    const bool scale_first = initializer(scale_mul->inputs[0]) != nullptr;
    const Tensor& w_scales = *initializer(scale_mul->inputs[scale_first ? 0 : 1]);
    if (scale_mul->inputs[scale_first ? 1 : 0] != dynamic_scale_of_[x->second])
      refuse(node, "its rescale uses another DynamicQuantizeLinear's scale");
    const int64_t k = w->dim(0), n = w->dim(1);
    ProgramStep step;
    step.kind = StepKind::dynamic_dense;
    step.node = node.name;
    step.input = x->second;
    step.params = dynamic_parameters_.at(dynamic_scale_of_[x->second]);
    Tensor rows(DType::s8, {n, k});
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < n; ++j) rows.values<int8_t>()[j * k + i] = w->values<int8_t>()[i * n + j];
    step.weights = rows;
    const auto scales = w_scales.values<float>();
    step.weight_scales.assign(scales.begin(), scales.end());
    if (step.weight_scales.size() == 1) step.weight_scales.assign(n, step.weight_scales[0]);
    if (static_cast<int64_t>(step.weight_scales.size()) != n) refuse(*scale_mul, "weight scales not one per output");
    consumed_.insert(cast);
    consumed_.insert(rescale);
    std::string result = rescale->outputs[0];
    if (const Node* add = only_reader_of_type(result, "Add")) {
      const std::string& b = add->inputs[0] == result ? add->inputs[1] : add->inputs[0];
      const Tensor* bias = initializer(b);
      if (bias && bias->dtype() == DType::f32 && bias->numel() == n) {
        const auto v = bias->values<float>();
        step.gate_bias.assign(v.begin(), v.end());
        step.has_bias = true;
        consumed_.insert(add);
        result = add->outputs[0];
      }
    }
    step.output = new_tensor(result, Storage::f32);
    values_[result] = step.output;
    add_step(std::move(step));
  }

  // Conv, Gemm or MatMul with int8 data and s8 weights, and the Relu and QuantizeLinear it absorbs.
  void lower_anchor(const Node& node) {
    const std::optional<int> source = dequantized_source(node.inputs[0]);
    if (!source && node.op_type == "Conv") return lower_float_conv(node);
    if (!source)
      refuse(node, "its data input is not int8 (a layer in f32: quantize the model first, stride quantize "
                   "--precision full-int, int8 or dynamic)");
    const size_t weight_input = 1;
    const Node* wdq = graph_.producer(node.inputs[weight_input]);
    const Tensor* w = wdq && wdq->op_type == "DequantizeLinear" ? initializer(wdq->inputs[0]) : nullptr;
    if (!w || w->dtype() != DType::s8) refuse(node, "its weights are not an s8 initializer behind a DequantizeLinear");
    require_zero_point_zero(*wdq);
    const std::vector<float> w_scales = floats_of(*wdq, 1);

    ProgramStep step;
    step.node = node.name;
    step.input = *source;
    const ProgramTensor& x = program_.tensors[*source];
    int64_t channels = 0;
    if (node.op_type == "Conv") {
      step.kind = StepKind::conv;
      step.window = conv_window(node, x.shape, w->shape());
      if (step.window.rank() > 2) refuse(node, "a 3-D convolution (convert it with stride convert --3d-to-2d)");
      step.group = node.attrs.get_int("group", 1);
      step.weights = *w;
      channels = w->dim(0);
    } else {
      step.kind = StepKind::dense;
      step.weights = dense_weights(node, *w, channels);
    }
    std::vector<float> scales = w_scales;
    if (scales.size() == 1) scales.assign(channels, w_scales[0]);
    if (static_cast<int64_t>(scales.size()) != channels) refuse(node, "its weight scales are not per output channel");

    const std::vector<float> bias = real_bias(node, channels);
    // Relu, then QuantizeLinear, absorbed as the onednn backend fuses them.
    std::string result = node.outputs[0];
    if (const Node* relu = only_reader(result); relu && relu->op_type == "Relu") {
      step.relu = true;
      consumed_.insert(relu);
      result = relu->outputs[0];
    }
    float y_scale = 1.0f;
    Storage storage = Storage::f32;
    if (const Node* q = requantizer(result)) {
      y_scale = per_tensor_scale(*q);
      storage = quantized_storage(*q);
      consumed_.insert(q);
      result = q->outputs[0];
    }
    for (int64_t c = 0; c < channels; ++c) {
      step.bias_acc.push_back(bias[c] / (x.scale * scales[c]));
      step.scale.push_back(x.scale * scales[c] / y_scale);
    }
    step.output = new_tensor(result, storage, y_scale);
    values_[result] = step.output;
    add_step(std::move(step));
  }

  // A Conv on f32 data with s8 weights behind a DequantizeLinear, as dynamic-range quantization
  // leaves convolutions: an f32 sum of x times each weight dequantized (q · s[c]), plus the bias.
  void lower_float_conv(const Node& node) {
    const Node* wdq = graph_.producer(node.inputs.at(1));
    const Tensor* w = wdq && wdq->op_type == "DequantizeLinear" ? initializer(wdq->inputs[0]) : nullptr;
    if (!w || w->dtype() != DType::s8)
      refuse(node, "a layer in f32 (quantize the model first, stride quantize --precision full-int, int8 or dynamic)");
    require_zero_point_zero(*wdq);
    ProgramStep step;
    step.kind = StepKind::conv;
    step.node = node.name;
    step.input = float_tensor(node, node.inputs[0]);
    const ProgramTensor& x = program_.tensors[step.input];
    step.window = conv_window(node, x.shape, w->shape());
    if (step.window.rank() > 2) refuse(node, "a 3-D convolution (convert it with stride convert --3d-to-2d)");
    step.group = node.attrs.get_int("group", 1);
    step.weights = *w;
    const int64_t channels = w->dim(0);
    step.weight_scales = floats_of(*wdq, 1);
    if (step.weight_scales.size() == 1) step.weight_scales.assign(channels, step.weight_scales[0]);
    if (static_cast<int64_t>(step.weight_scales.size()) != channels) refuse(node, "weight scales not per output channel");
    step.gate_bias.assign(channels, 0.0f);
    if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
      const Tensor* b = initializer(node.inputs[2]);
      if (!b || b->dtype() != DType::f32 || b->numel() != channels) refuse(node, "a bias that is not f32 per channel");
      const auto v = b->values<float>();
      step.gate_bias.assign(v.begin(), v.end());
    }
    add_f32_step(std::move(step), node);
  }

  // Gemm / MatMul weights as [N, K] rows, one per output.
  Tensor dense_weights(const Node& node, const Tensor& w, int64_t& outputs) const {
    if (w.rank() != 2) refuse(node, "weights of rank other than 2");
    bool transposed = false;  // w is [N, K]
    if (node.op_type == "Gemm") {
      if (node.attrs.get_float("alpha", 1.0f) != 1.0f || node.attrs.get_float("beta", 1.0f) != 1.0f ||
          node.attrs.get_int("transA", 0) != 0)
        refuse(node, "alpha, beta or transA other than the defaults");
      transposed = node.attrs.get_int("transB", 0) != 0;
    }
    if (transposed) {
      outputs = w.dim(0);
      return w;
    }
    outputs = w.dim(1);
    const int64_t k = w.dim(0);
    Tensor rows(DType::s8, {outputs, k});
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < outputs; ++j) rows.values<int8_t>()[j * k + i] = w.values<int8_t>()[i * outputs + j];
    return rows;
  }

  // The bias in real units, computed as the onednn backend folds its DequantizeLinear: int32 · scale.
  std::vector<float> real_bias(const Node& node, int64_t channels) const {
    const size_t bias_input = 2;
    std::vector<float> bias(channels, 0.0f);
    if (node.inputs.size() <= bias_input || node.inputs[bias_input].empty()) return bias;
    if (node.op_type == "MatMul") refuse(node, "a MatMul with three inputs");
    const Node* dq = graph_.producer(node.inputs[bias_input]);
    const Tensor* b = dq && dq->op_type == "DequantizeLinear" ? initializer(dq->inputs[0]) : nullptr;
    if (!b || b->dtype() != DType::s32 || b->numel() != channels)
      refuse(node, "its bias is not an int32 initializer per output behind a DequantizeLinear");
    std::vector<float> scales = floats_of(*dq, 1);
    if (scales.size() == 1) scales.assign(channels, scales[0]);
    for (int64_t c = 0; c < channels; ++c) bias[c] = static_cast<float>(b->values<int32_t>()[c]) * scales[c];
    return bias;
  }

  // The input viewed as [outer, axis, inner] for a reduction or a Softmax over consecutive axes.
  static void view_around(const Shape& shape, int64_t first, int64_t last, ProgramStep& step) {
    step.outer = step.axis = step.inner = 1;
    for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d)
      (d < first ? step.outer : d <= last ? step.axis : step.inner) *= shape[d];
  }

  // A step of `kind` computing the node's first output in f32 from its first input in f32.
  ProgramStep f32_step(StepKind kind, const Node& node) {
    ProgramStep step;
    step.kind = kind;
    step.node = node.name;
    step.input = float_tensor(node, node.inputs[0]);
    return step;
  }

  void add_f32_step(ProgramStep step, const Node& node) {
    step.output = new_tensor(node.outputs[0], Storage::f32);
    values_[node.outputs[0]] = step.output;
    add_step(std::move(step));
  }

  void lower_mean(const Node& node) {
    ProgramStep step = f32_step(StepKind::mean, node);
    const Shape& shape = program_.tensors[step.input].shape;
    const int64_t rank = static_cast<int64_t>(shape.size());
    std::vector<int64_t> axes;
    if (node.op_type == "GlobalAveragePool") {
      for (int64_t d = 2; d < rank; ++d) axes.push_back(d);
    } else {
      if (node.inputs.size() > 1 && !node.inputs[1].empty()) {
        const Tensor* a = initializer(node.inputs[1]);
        if (!a) refuse(node, "axes that are not an initializer");
        for (int64_t v : a->values<int64_t>()) axes.push_back(v);
      } else {
        axes = node.attrs.get_ints("axes", {});
      }
      if (axes.empty()) refuse(node, "a mean over every axis");
    }
    for (int64_t& a : axes) a = a < 0 ? a + rank : a;
    std::sort(axes.begin(), axes.end());
    for (size_t i = 1; i < axes.size(); ++i)
      if (axes[i] != axes[i - 1] + 1) refuse(node, "a mean over axes that are not consecutive");
    view_around(shape, axes.front(), axes.back(), step);
    add_f32_step(std::move(step), node);
  }

  void lower_softmax(const Node& node) {
    ProgramStep step = f32_step(StepKind::softmax, node);
    const Shape& shape = program_.tensors[step.input].shape;
    const int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = node.attrs.get_int("axis", -1);
    if (axis < 0) axis += rank;
    view_around(shape, axis, axis, step);
    add_f32_step(std::move(step), node);
  }

  void lower_relu(const Node& node) { add_f32_step(f32_step(StepKind::relu, node), node); }

  // Lifetimes from the steps, then one layout for every buffer. The output lives to the end: the
  // run copies it out after the last step.
  void place_buffers() {
    auto touch = [&](int tensor, size_t step) {
      const int b = program_.tensors[tensor].buffer;
      if (b < 0) return;
      ArenaBuffer& buffer = program_.buffers[b];
      buffer.bytes = std::max(buffer.bytes, static_cast<size_t>(program_.tensors[tensor].numel()) *
                                                storage_bytes(program_.tensors[tensor].storage));
      buffer.last_step = std::max(buffer.last_step, step);
    };
    for (size_t s = 0; s < program_.steps.size(); ++s) {
      const ProgramStep& step = program_.steps[s];
      for (int written : {step.output, step.last_state, step.scratch, step.kind == StepKind::dynamic_quantize ? step.params : -1}) {
        if (written < 0) continue;
        program_.buffers[program_.tensors[written].buffer].first_step = s;
        touch(written, s);
      }
      touch(step.input, s);
      if (step.kind == StepKind::dynamic_dense) touch(step.params, s);
    }
    touch(program_.output, program_.steps.size());
    std::vector<onednn::ArenaRequest> requests;
    for (const ArenaBuffer& b : program_.buffers) requests.push_back({b.bytes, b.first_step, b.last_step});
    const onednn::ArenaLayout layout = onednn::plan_arena(requests, kMcuAlignment);
    for (size_t i = 0; i < program_.buffers.size(); ++i) program_.buffers[i].offset = layout.offsets[i];
    program_.arena_bytes = layout.total_bytes;
  }

  Graph graph_;
  GraphShapes shapes_;
  std::map<std::string, std::vector<const Node*>> readers_;
  std::map<std::string, int> values_;       // value -> tensor computed for it
  std::map<std::string, int> dequantized_;  // DequantizeLinear output -> the int8 tensor it reads
  std::set<const Node*> consumed_;          // nodes absorbed into an earlier step
  // DynamicQuantizeLinear: its scale and zero point outputs -> the parameters tensor; its u8 data
  // tensor -> the names of its scale and zero point.
  std::map<std::string, int> dynamic_parameters_;
  std::map<int, std::string> dynamic_scale_of_, dynamic_zero_point_of_;
  IntegerProgram program_;
};

}  // namespace

const char* storage_name(Storage storage) {
  switch (storage) {
    case Storage::s8: return "int8_t";
    case Storage::u8: return "uint8_t";
    case Storage::f32: return "float";
  }
  return "?";
}

size_t storage_bytes(Storage storage) { return storage == Storage::f32 ? 4 : 1; }

DType storage_dtype(Storage storage) {
  return storage == Storage::s8 ? DType::s8 : storage == Storage::u8 ? DType::u8 : DType::f32;
}

int64_t ProgramTensor::numel() const {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

size_t IntegerProgram::constant_bytes() const {
  size_t bytes = 0;
  for (const ProgramStep& s : steps)
    bytes += s.weights.nbytes() + s.recurrent.nbytes() +
             4 * (s.bias_acc.size() + s.scale.size() + s.gate_bias.size() + s.weight_scales.size() +
                  s.recurrent_scales.size());
  return bytes;
}

IntegerProgram lower_to_integer_program(const Graph& model, const std::string& output) {
  return Lowering(model, output).run();
}

}  // namespace stride::mcu
