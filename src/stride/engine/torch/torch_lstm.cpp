#include "stride/engine/torch/torch_lstm.h"

#include <string>

#include "stride/core/error.h"

namespace stride::torch_ops {
namespace {

using torch::Tensor;

enum LstmInput : size_t { kX, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kP };

struct LstmAttributes {
  float clip = 0;  // <= 0: none
  bool input_forget = false;
  bool batch_first = false;
  std::string direction;
};

Tensor clipped(const Tensor& v, float clip) { return clip > 0 ? torch::clamp(v, -clip, clip) : v; }

// One direction over the whole sequence x [T, N, I]: returns the hidden states [T, N, H] (in time
// order) and the final h and c [N, H].
std::vector<Tensor> run_direction(const Tensor& x, const Tensor& w, const Tensor& r, const Tensor& bias,
                                  const Tensor& peep, Tensor h, Tensor c, bool reverse, const LstmAttributes& a) {
  const int64_t steps = x.size(0);
  // The input projection of every step at once: one matrix product instead of T.
  Tensor projected = torch::matmul(x, w.t());
  if (bias.defined()) projected = projected + bias;
  const std::vector<Tensor> peeps = peep.defined() ? peep.chunk(3) : std::vector<Tensor>{};
  std::vector<Tensor> hs(static_cast<size_t>(steps));
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = reverse ? steps - 1 - s : s;
    const std::vector<Tensor> gates = (projected[t] + torch::matmul(h, r.t())).chunk(4, 1);  // i, o, f, c
    Tensor pre_i = gates[0], pre_o = gates[1], pre_f = gates[2];
    if (!peeps.empty()) {
      pre_i = pre_i + peeps[0] * c;
      pre_f = pre_f + peeps[2] * c;
    }
    const Tensor i = torch::sigmoid(clipped(pre_i, a.clip));
    const Tensor f = a.input_forget ? 1 - i : torch::sigmoid(clipped(pre_f, a.clip));
    c = f * c + i * torch::tanh(clipped(gates[3], a.clip));
    if (!peeps.empty()) pre_o = pre_o + peeps[1] * c;
    h = torch::sigmoid(clipped(pre_o, a.clip)) * torch::tanh(c);
    hs[static_cast<size_t>(t)] = h;
  }
  return {torch::stack(hs), h, c};
}

// The same with LibTorch's fused LSTM (forward and backward many times faster than the loop above):
// its gates are ordered i, f, c, o, so the rows of W, R and the biases are picked in that order — a
// differentiable selection, so training still updates the ONNX-ordered weights. Reverse runs on the
// time-flipped sequence. Without peepholes, clip or input_forget only, which it does not have.
std::vector<Tensor> run_direction_fused(const Tensor& x, const Tensor& w, const Tensor& r, const Tensor& w_bias,
                                        const Tensor& r_bias, const Tensor& h, const Tensor& c, bool reverse) {
  const int64_t hidden = r.size(1);
  const Tensor order = torch::cat({torch::arange(0, hidden), torch::arange(2 * hidden, 4 * hidden),
                                   torch::arange(hidden, 2 * hidden)});
  std::vector<Tensor> params = {w.index_select(0, order), r.index_select(0, order)};
  if (w_bias.defined()) params.insert(params.end(), {w_bias.index_select(0, order), r_bias.index_select(0, order)});
  const Tensor input = reverse ? x.flip(0) : x;
  auto [y, h_n, c_n] = at::lstm(input, {h.unsqueeze(0), c.unsqueeze(0)}, params, w_bias.defined(), 1, 0.0, false,
                                false, false);
  return {reverse ? y.flip(0) : y, h_n[0], c_n[0]};
}

}  // namespace

std::vector<Tensor> lstm(const OpContext& ctx) {
  const Attributes& attrs = ctx.node.attrs;
  const LstmAttributes a{attrs.get_float("clip", 0.0f), attrs.get_int("input_forget", 0) == 1,
                         attrs.get_int("layout", 0) == 1, attrs.get_string("direction", "forward")};
  Tensor x = ctx.input(kX);
  if (a.batch_first) x = x.transpose(0, 1);  // [T, N, I] from here on
  const int64_t steps = x.size(0), batch = x.size(1);
  if (ctx.has_input(kSequenceLens) && (ctx.inputs[kSequenceLens] != steps).any().item<bool>())
    fail("node '{}' (LSTM): sequence_lens shorter than the sequence ({} steps) is not supported by torch",
         ctx.node.name, steps);
  const Tensor& w = ctx.input(kW);
  const Tensor& r = ctx.input(kR);
  const int64_t directions = w.size(0), hidden = r.size(2);
  auto initial = [&](size_t input) {
    if (!ctx.has_input(input)) return torch::zeros({directions, batch, hidden}, x.options());
    return a.batch_first ? ctx.inputs[input].transpose(0, 1) : ctx.inputs[input];
  };
  const Tensor h0 = initial(kInitialH), c0 = initial(kInitialC);

  std::vector<Tensor> ys, hs, cs;
  for (int64_t dir = 0; dir < directions; ++dir) {
    Tensor w_bias, r_bias;
    if (ctx.has_input(kB)) {
      const std::vector<Tensor> halves = ctx.inputs[kB][dir].chunk(2);
      w_bias = halves[0];
      r_bias = halves[1];
    }
    const Tensor peep = ctx.has_input(kP) ? ctx.inputs[kP][dir] : Tensor();
    const bool reverse = a.direction == "reverse" || dir == 1;
    const bool fused = !peep.defined() && a.clip <= 0 && !a.input_forget;
    std::vector<Tensor> out =
        fused ? run_direction_fused(x, w[dir], r[dir], w_bias, r_bias, h0[dir], c0[dir], reverse)
              : run_direction(x, w[dir], r[dir], w_bias.defined() ? w_bias + r_bias : Tensor(), peep, h0[dir], c0[dir],
                              reverse, a);
    ys.push_back(out[0]);
    hs.push_back(out[1]);
    cs.push_back(out[2]);
  }
  Tensor y = torch::stack(ys, 1);  // [T, D, N, H]
  Tensor y_h = torch::stack(hs), y_c = torch::stack(cs);
  if (a.batch_first) {
    y = y.permute({2, 0, 1, 3});
    y_h = y_h.transpose(0, 1);
    y_c = y_c.transpose(0, 1);
  }
  return {y, y_h, y_c};
}

}  // namespace stride::torch_ops
