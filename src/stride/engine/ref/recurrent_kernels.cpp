#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "stride/core/error.h"
#include "stride/engine/ref/f32_tensors.h"
#include "stride/engine/ref/kernels.h"

namespace stride::ref {
namespace {

enum LstmInput : size_t { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };
enum LstmOutput : size_t { kY, kYh, kYc };

// Where each (step, direction, batch row) lives in X, Y and the state tensors for either layout.
struct LstmLayout {
  int64_t steps, batch, input_size, hidden, directions;
  bool batch_first;

  int64_t x_offset(int64_t t, int64_t n) const { return (batch_first ? n * steps + t : t * batch + n) * input_size; }
  int64_t y_offset(int64_t t, int64_t dir, int64_t n) const {
    return (batch_first ? (n * steps + t) * directions + dir : (t * directions + dir) * batch + n) * hidden;
  }
  int64_t state_offset(int64_t dir, int64_t n) const {
    return (batch_first ? n * directions + dir : dir * batch + n) * hidden;
  }
};

// The weights of one direction. Gate rows of W, R and each half of B are ordered i, o, f, c;
// peepholes P are ordered i, o, f.
struct DirectionWeights {
  const float* w;       // [4H, I]
  const float* r;       // [4H, H]
  const float* w_bias;  // [4H] or nullptr
  const float* r_bias;  // [4H] or nullptr
  const float* peep;    // [3H] or nullptr
};

float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

struct LstmCell {
  int64_t input_size, hidden;
  float clip;  // <= 0: no clipping
  bool input_forget;

  float clipped(float v) const { return clip > 0.0f ? std::clamp(v, -clip, clip) : v; }

  // One step: h and c (each [H]) advance from t-1 to t given the input row x ([I]).
  void step(const DirectionWeights& dw, const float* x, std::vector<float>& h, std::vector<float>& c) const {
    const int64_t gates = 4 * hidden;
    std::vector<float> pre(static_cast<size_t>(gates));
    for (int64_t g = 0; g < gates; ++g) {
      double acc = 0.0;
      if (dw.w_bias) acc += static_cast<double>(dw.w_bias[g]) + dw.r_bias[g];
      for (int64_t i = 0; i < input_size; ++i) acc += static_cast<double>(dw.w[g * input_size + i]) * x[i];
      for (int64_t j = 0; j < hidden; ++j) acc += static_cast<double>(dw.r[g * hidden + j]) * h[j];
      pre[g] = static_cast<float>(acc);
    }
    const float* pre_i = pre.data();
    const float* pre_o = pre_i + hidden;
    const float* pre_f = pre_o + hidden;
    const float* pre_c = pre_f + hidden;
    for (int64_t j = 0; j < hidden; ++j) {
      const float peep_i = dw.peep ? dw.peep[j] : 0.0f;
      const float peep_o = dw.peep ? dw.peep[hidden + j] : 0.0f;
      const float peep_f = dw.peep ? dw.peep[2 * hidden + j] : 0.0f;
      const float i_gate = sigmoid(clipped(pre_i[j] + peep_i * c[j]));
      const float f_gate = input_forget ? 1.0f - i_gate : sigmoid(clipped(pre_f[j] + peep_f * c[j]));
      const float cell = std::tanh(clipped(pre_c[j]));
      c[j] = f_gate * c[j] + i_gate * cell;
      const float o_gate = sigmoid(clipped(pre_o[j] + peep_o * c[j]));
      h[j] = o_gate * std::tanh(c[j]);
    }
  }
};

std::vector<int64_t> sequence_lengths(const KernelContext& ctx, const LstmLayout& layout) {
  if (kSequenceLens >= ctx.inputs.size() || !ctx.inputs[kSequenceLens])
    return std::vector<int64_t>(static_cast<size_t>(layout.batch), layout.steps);
  std::vector<int64_t> lens = ctx.input(kSequenceLens).to_int64_vector();
  for (int64_t len : lens)
    if (len < 1 || len > layout.steps)
      fail("node '{}' (LSTM): sequence_lens values must be between 1 and seq_length={}, got {}", ctx.node.name,
           layout.steps, len);
  return lens;
}

// Computes Y (zero past each row's length), Y_h and Y_c. Direction 0 runs forward unless the
// direction is "reverse"; direction 1 (bidirectional) runs in reverse.
void lstm(const KernelContext& ctx) {
  const Attributes& attrs = ctx.node.attrs;
  const Tensor& x_tensor = ctx.input(kX);
  const std::string direction = attrs.get_string("direction", "forward");
  LstmLayout layout{};
  layout.batch_first = attrs.get_int("layout", 0) == 1;
  layout.steps = x_tensor.dim(layout.batch_first ? 1 : 0);
  layout.batch = x_tensor.dim(layout.batch_first ? 0 : 1);
  layout.input_size = x_tensor.dim(2);
  layout.hidden = ctx.input(kW).dim(1) / 4;
  layout.directions = direction == "bidirectional" ? 2 : 1;
  const LstmCell cell{layout.input_size, layout.hidden, attrs.get_float("clip", 0.0f),
                      attrs.get_int("input_forget", 0) == 1};

  const float* x = f32_input(ctx, kX);
  const float* w = f32_input(ctx, kW);
  const float* r = f32_input(ctx, kR);
  const float* bias = optional_f32_input(ctx, kB);
  const float* initial_h = optional_f32_input(ctx, kInitialH);
  const float* initial_c = optional_f32_input(ctx, kInitialC);
  const float* peep = optional_f32_input(ctx, kP);
  float* y = optional_f32_output(ctx, kY);
  float* y_h = optional_f32_output(ctx, kYh);
  float* y_c = optional_f32_output(ctx, kYc);
  const std::vector<int64_t> lens = sequence_lengths(ctx, layout);

  const int64_t h_size = layout.hidden, gates = 4 * h_size;
  for (int64_t dir = 0; dir < layout.directions; ++dir) {
    const DirectionWeights dw{w + dir * gates * layout.input_size, r + dir * gates * h_size,
                              bias ? bias + dir * 2 * gates : nullptr, bias ? bias + dir * 2 * gates + gates : nullptr,
                              peep ? peep + dir * 3 * h_size : nullptr};
    const bool reverse = direction == "reverse" || dir == 1;
    for (int64_t n = 0; n < layout.batch; ++n) {
      const int64_t state = layout.state_offset(dir, n);
      std::vector<float> h(static_cast<size_t>(h_size), 0.0f), c(static_cast<size_t>(h_size), 0.0f);
      if (initial_h) std::copy(initial_h + state, initial_h + state + h_size, h.begin());
      if (initial_c) std::copy(initial_c + state, initial_c + state + h_size, c.begin());
      const int64_t len = lens[static_cast<size_t>(n)];
      for (int64_t s = 0; s < len; ++s) {
        const int64_t t = reverse ? len - 1 - s : s;
        cell.step(dw, x + layout.x_offset(t, n), h, c);
        if (y) std::copy(h.begin(), h.end(), y + layout.y_offset(t, dir, n));
      }
      if (y_h) std::copy(h.begin(), h.end(), y_h + state);
      if (y_c) std::copy(c.begin(), c.end(), y_c + state);
    }
  }
}

}  // namespace

void register_recurrent_kernels(KernelRegistry& registry) { registry.add("LSTM", lstm); }

}  // namespace stride::ref
