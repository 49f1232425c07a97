#include <string>

#include "stride/ir/ops/all_ops.h"

namespace stride::ops {
namespace {

// ONNX LSTM inputs, in order.
enum LstmInput : size_t { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };

struct LstmDims {
  int64_t directions, steps, batch, input_size, hidden;
  bool batch_first;  // layout=1: X is [N, T, I], Y [N, T, D, H], states [N, D, H]
};

void expect_shape(const InferContext& ctx, size_t input, const char* name, const Shape& expected) {
  if (!ctx.has_input(input)) return;
  const TensorInfo& t = ctx.input(input);
  if (t.shape != expected) ctx.fail("{} must be {}, got {}", name, shape_str(expected), shape_str(t.shape));
  if (input != kSequenceLens && t.dtype != ctx.input(kX).dtype)
    ctx.fail("{} is {} but X is {}", name, dtype_name(t.dtype), dtype_name(ctx.input(kX).dtype));
}

LstmDims lstm_dims(const InferContext& ctx) {
  const Attributes& attrs = ctx.attrs();
  const int64_t layout = attrs.get_int("layout", 0);
  if (layout != 0 && layout != 1) ctx.fail("layout must be 0 or 1, got {}", layout);
  const std::string direction = attrs.get_string("direction", "forward");
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
    ctx.fail("direction must be forward, reverse or bidirectional, got '{}'", direction);

  const Shape& x = ctx.shape(kX);
  if (x.size() != 3) ctx.fail("X must be [seq_length, batch, input_size] (or batch first), got {}", shape_str(x));
  LstmDims d{};
  d.batch_first = layout == 1;
  d.directions = direction == "bidirectional" ? 2 : 1;
  d.steps = d.batch_first ? x[1] : x[0];
  d.batch = d.batch_first ? x[0] : x[1];
  d.input_size = x[2];

  const Shape& w = ctx.shape(kW);
  if (w.size() != 3 || w[0] != d.directions || w[1] % 4 != 0 || w[1] == 0 || w[2] != d.input_size)
    ctx.fail("W must be [num_directions={}, 4×hidden_size, input_size={}], got {}", d.directions, d.input_size,
             shape_str(w));
  d.hidden = w[1] / 4;
  if (attrs.has("hidden_size") && attrs.get_int("hidden_size") != d.hidden)
    ctx.fail("hidden_size={} but W {} holds 4×{} gate rows", attrs.get_int("hidden_size"), shape_str(w), d.hidden);
  return d;
}

void check_attributes(const InferContext& ctx, const LstmDims& d) {
  const Attributes& attrs = ctx.attrs();
  if (attrs.has("activations")) {
    const auto& acts = attrs.get_strings("activations");
    bool standard = acts.size() == static_cast<size_t>(3 * d.directions);
    for (size_t i = 0; standard && i < acts.size(); ++i) standard = acts[i] == (i % 3 == 0 ? "Sigmoid" : "Tanh");
    if (!standard) ctx.fail("only the default activations (Sigmoid, Tanh, Tanh per direction) are supported");
  }
  if (attrs.has("clip") && !(attrs.get_float("clip") > 0.0f))
    ctx.fail("clip must be positive, got {}", attrs.get_float("clip"));
  const int64_t input_forget = attrs.get_int("input_forget", 0);
  if (input_forget != 0 && input_forget != 1) ctx.fail("input_forget must be 0 or 1, got {}", input_forget);
}

// Outputs Y, Y_h, Y_c (each optional in the node).
std::vector<TensorInfo> infer_lstm(const InferContext& ctx) {
  const LstmDims d = lstm_dims(ctx);
  check_attributes(ctx, d);
  const DType dtype = ctx.input(kX).dtype;
  const int64_t n = d.batch, h = d.hidden, dirs = d.directions;
  expect_shape(ctx, kW, "W", {dirs, 4 * h, d.input_size});
  expect_shape(ctx, kR, "R", {dirs, 4 * h, h});
  expect_shape(ctx, kB, "B", {dirs, 8 * h});
  expect_shape(ctx, kSequenceLens, "sequence_lens", {n});
  const Shape state = d.batch_first ? Shape{n, dirs, h} : Shape{dirs, n, h};
  expect_shape(ctx, kInitialH, "initial_h", state);
  expect_shape(ctx, kInitialC, "initial_c", state);
  expect_shape(ctx, kP, "P", {dirs, 3 * h});
  if (ctx.has_input(kSequenceLens)) {
    const DType lens = ctx.input(kSequenceLens).dtype;
    if (lens != DType::s32 && lens != DType::s64) ctx.fail("sequence_lens must be int32, got {}", dtype_name(lens));
  }

  const Shape y = d.batch_first ? Shape{n, d.steps, dirs, h} : Shape{d.steps, dirs, n, h};
  return {{dtype, y}, {dtype, state}, {dtype, state}};
}

// Per step and direction: the four gates take X·Wᵀ (I) and H·Rᵀ (H) for each of N rows.
int64_t lstm_macs(const InferContext& ctx, const std::vector<TensorInfo>&) {
  const LstmDims d = lstm_dims(ctx);
  return d.directions * d.steps * d.batch * 4 * d.hidden * (d.input_size + d.hidden);
}

}  // namespace

void register_recurrent_ops(OpRegistry& registry) {
  registry.add({.type = "LSTM", .min_inputs = 3, .max_inputs = 8, .infer = infer_lstm, .macs = lstm_macs});
}

}  // namespace stride::ops
