// LSTM: oneDNN's LSTM primitive, one layer, forward or reverse. The ONNX weights are rearranged once,
// at compile time: ONNX stacks the gates i, o, f, c in rows of W [4H, I] and R [4H, H] and keeps W's
// and R's biases apart; oneDNN reads weights as [layers, directions, input, gates, hidden] with the
// gates in the order i, f, c, o, and one bias per gate. Y [T, 1, N, H] and Y_h, Y_c [1, N, H] have
// the bytes of oneDNN's dst_layer [T, N, H] and dst_iter(_c) [1, 1, N, H]: no copy.
#include <array>

#include "stride/engine/onednn/lowering.h"

namespace stride::onednn {
namespace {

enum LstmInput : size_t { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };
enum LstmOutput : size_t { kY, kYh, kYc };

// oneDNN's gate k is ONNX's gate kOnnxGate[k] (ONNX: i=0, o=1, f=2, c=3).
constexpr std::array<int64_t, 4> kOnnxGate = {0, 2, 3, 1};

bool has(const std::vector<std::string>& names, size_t i) { return i < names.size() && !names[i].empty(); }

// ONNX W [1, 4H, K] (or R [1, 4H, H]) as oneDNN's ldigo [1, 1, K, 4, H].
Tensor onednn_weights(const Tensor& onnx, int64_t hidden) {
  const int64_t k_size = onnx.dim(2);
  Tensor out(DType::f32, {1, 1, k_size, 4, hidden});
  const auto in = onnx.values<float>();
  auto dst = out.values<float>();
  for (int64_t k = 0; k < k_size; ++k)
    for (int64_t g = 0; g < 4; ++g)
      for (int64_t h = 0; h < hidden; ++h)
        dst[static_cast<size_t>((k * 4 + g) * hidden + h)] =
            in[static_cast<size_t>((kOnnxGate[g] * hidden + h) * k_size + k)];
  return out;
}

// ONNX B [1, 8H] (W's biases, then R's) as oneDNN's ldgo [1, 1, 4, H]: their sum, gates reordered.
Tensor onednn_bias(const Tensor* onnx, int64_t hidden) {
  Tensor out(DType::f32, {1, 1, 4, hidden});
  if (!onnx) return out;
  const auto in = onnx->values<float>();
  auto dst = out.values<float>();
  for (int64_t g = 0; g < 4; ++g)
    for (int64_t h = 0; h < hidden; ++h) {
      const size_t row = static_cast<size_t>(kOnnxGate[g] * hidden + h);
      dst[static_cast<size_t>(g * hidden + h)] = in[row] + in[row + static_cast<size_t>(4 * hidden)];
    }
  return out;
}

void check_supported(const Node& node) {
  const Attributes& attrs = node.attrs;
  const std::string direction = attrs.get_string("direction", "forward");
  if (direction == "bidirectional") fail_node(node, "the onednn backend runs forward or reverse LSTMs, not bidirectional");
  if (attrs.get_float("clip", 0.0f) > 0.0f) fail_node(node, "the onednn backend has no LSTM clip");
  if (attrs.get_int("input_forget", 0) != 0) fail_node(node, "the onednn backend has no LSTM input_forget");
  if (attrs.get_int("layout", 0) != 0) fail_node(node, "the onednn backend needs the sequence-first layout");
  if (has(node.inputs, kSequenceLens)) fail_node(node, "the onednn backend has no LSTM sequence_lens");
  if (has(node.inputs, kP)) fail_node(node, "the onednn backend has no LSTM peepholes");
}

void lower_lstm(PlanBuilder& b, const FusedGroup& g) {
  const Node& node = *g.anchor;
  check_supported(node);
  const Tensor* w = b.constant(node.inputs.at(kW));
  const Tensor* r = b.constant(node.inputs.at(kR));
  const Tensor* bias = has(node.inputs, kB) ? b.constant(node.inputs[kB]) : nullptr;
  if (!w || !r || (has(node.inputs, kB) && !bias))
    fail_node(node, "the onednn backend needs W, R and B to be constants");

  const Shape& x = b.shape(node.inputs[kX]);
  const int64_t steps = x[0], batch = x[1], input = x[2], hidden = r->dim(2);
  const memory::dims layer = {steps, batch, hidden}, state = {1, 1, batch, hidden};
  const auto f32 = memory::data_type::f32;
  const auto direction = node.attrs.get_string("direction", "forward") == "reverse"
                             ? dnnl::rnn_direction::unidirectional_right2left
                             : dnnl::rnn_direction::unidirectional_left2right;
  // oneDNN takes the two states together or not at all: a missing initial one is zeros (as in
  // ONNX), a final one nobody reads still gets somewhere to go — as does Y, which oneDNN always writes.
  const bool initial = has(node.inputs, kInitialH) || has(node.inputs, kInitialC);
  const bool final = has(node.outputs, kYh) || has(node.outputs, kYc);
  const memory::desc state_desc = plain_desc(state), no_state;
  const dnnl::lstm_forward::desc desc(
      dnnl::prop_kind::forward_inference, direction, plain_desc({steps, batch, input}), initial ? state_desc : no_state,
      initial ? state_desc : no_state, any_desc({1, 1, input, 4, hidden}), any_desc({1, 1, hidden, 4, hidden}),
      plain_desc({1, 1, 4, hidden}), plain_desc(layer), final ? state_desc : no_state, final ? state_desc : no_state);
  const dnnl::lstm_forward::primitive_desc pd(desc, scratchpad_attr(), b.engine());

  std::vector<StepArg> args{
      {DNNL_ARG_SRC_LAYER, b.in_layout(b.plain(node.inputs[kX]), pd.src_layer_desc())},
      {DNNL_ARG_WEIGHTS_LAYER, b.in_layout(b.constant_value(onednn_weights(*w, hidden)), pd.weights_layer_desc())},
      {DNNL_ARG_WEIGHTS_ITER, b.in_layout(b.constant_value(onednn_weights(*r, hidden)), pd.weights_iter_desc())},
      {DNNL_ARG_BIAS, b.constant_value(onednn_bias(bias, hidden))}};
  const auto initial_state = [&](size_t input) {
    if (!has(node.inputs, input)) return b.constant_value(Tensor(DType::f32, {1, 1, batch, hidden}));
    return b.view(b.plain(node.inputs[input]), state_desc);
  };
  if (initial) {
    args.push_back({DNNL_ARG_SRC_ITER, initial_state(kInitialH)});
    args.push_back({DNNL_ARG_SRC_ITER_C, initial_state(kInitialC)});
  }
  const auto output = [&](size_t index, const char* unused, const memory::dims& onnx_dims, const memory::desc& as) {
    const std::string& name = has(node.outputs, index) ? node.outputs[index] : node.name + unused;
    return b.view(b.define(name, plain_desc(onnx_dims)), as);
  };
  args.push_back({DNNL_ARG_DST_LAYER, output(kY, "/unused_Y", {steps, 1, batch, hidden}, plain_desc(layer))});
  if (final) {
    args.push_back({DNNL_ARG_DST_ITER, output(kYh, "/unused_Y_h", {1, batch, hidden}, state_desc)});
    args.push_back({DNNL_ARG_DST_ITER_C, output(kYc, "/unused_Y_c", {1, batch, hidden}, state_desc)});
  }
  b.add_step(pd, dnnl::lstm_forward(pd), std::move(args), {node.name});
}

}  // namespace

void register_recurrent_lowerings(LoweringRegistry& registry) { registry.add("LSTM", lower_lstm); }

}  // namespace stride::onednn
