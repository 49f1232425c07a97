#include "stride/mcu/c_kernels.h"

#include <fmt/format.h>

#include "stride/core/error.h"

namespace stride::mcu {
namespace {

// Each template reads its input as $X (the C type) and is named with the suffix $S.
// One convolution for both variants: int8 data (an exact int32 sum, then the requantization rule) and
// f32 data (a dynamic-range model: each s8 weight dequantized as q * k_scale[oc], as the
// DequantizeLinear before it computes it, an f32 sum plus the bias). $K, $ACC, $TERM, $OUT and $STORE
// are the differences.
constexpr const char* kConv = R"(/* Convolution, NCHW, batch 1, groups; padding never contributes. */
static void stride_conv_$S(const $X* x, int32_t c, int32_t h, int32_t w, $K int32_t m, int32_t groups, int32_t kh,
                           int32_t kw, int32_t sh, int32_t sw, int32_t dh, int32_t dw, int32_t pt, int32_t pl,
                           int32_t oh, int32_t ow, $OUT) {
  const int32_t cg = c / groups, mg = m / groups;
  int32_t oc, oy, ox, ic, ky, kx;
  for (oc = 0; oc < m; ++oc) {
    const int32_t first = (oc / mg) * cg;
    for (oy = 0; oy < oh; ++oy) {
      for (ox = 0; ox < ow; ++ox) {
        $ACC acc = 0;
        for (ic = 0; ic < cg; ++ic) {
          const $X* plane = x + (first + ic) * h * w;
          const int8_t* taps = k + (oc * cg + ic) * kh * kw;
          for (ky = 0; ky < kh; ++ky) {
            const int32_t iy = oy * sh - pt + ky * dh;
            if (iy < 0 || iy >= h) continue;
            for (kx = 0; kx < kw; ++kx) {
              const int32_t ix = ox * sw - pl + kx * dw;
              if (ix < 0 || ix >= w) continue;
              acc += $TERM;
            }
          }
        }
        $STORE;
      }
    }
  }
}
)";

constexpr const char* kDense = R"(/* Fully connected: rows of x times the weights' rows, then the requantization rule. */
static void stride_dense_$S(const $X* x, int32_t rows, int32_t depth, const int8_t* k, int32_t n, const float* bias,
                            const float* scale, int relu, int out_kind, void* y) {
  int32_t r, o, i;
  for (r = 0; r < rows; ++r) {
    for (o = 0; o < n; ++o) {
      int32_t acc = 0;
      for (i = 0; i < depth; ++i) acc += (int32_t)x[r * depth + i] * (int32_t)k[o * depth + i];
      stride_store(y, r * n + o, out_kind, stride_scaled(acc, bias[o], scale[o], relu));
    }
  }
}
)";

constexpr const char* kMaxPool = R"(/* Max pooling on the integers (exact: one scale in and out); padding never wins. */
static void stride_max_pool_$S(const $X* x, int32_t c, int32_t h, int32_t w, int32_t kh, int32_t kw, int32_t sh,
                               int32_t sw, int32_t dh, int32_t dw, int32_t pt, int32_t pl, int32_t oh, int32_t ow,
                               $X* y) {
  int32_t ch, oy, ox, ky, kx;
  for (ch = 0; ch < c; ++ch) {
    for (oy = 0; oy < oh; ++oy) {
      for (ox = 0; ox < ow; ++ox) {
        int found = 0;
        $X best = 0;
        for (ky = 0; ky < kh; ++ky) {
          const int32_t iy = oy * sh - pt + ky * dh;
          if (iy < 0 || iy >= h) continue;
          for (kx = 0; kx < kw; ++kx) {
            const int32_t ix = ox * sw - pl + kx * dw;
            if (ix < 0 || ix >= w) continue;
            if (!found || x[(ch * h + iy) * w + ix] > best) best = x[(ch * h + iy) * w + ix];
            found = 1;
          }
        }
        y[(ch * oh + oy) * ow + ox] = best;
      }
    }
  }
}
)";

constexpr const char* kDequantize = R"(static void stride_dequantize_$S(const $X* x, int32_t n, float s, float* y) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = (float)x[i] * s;
}
)";

constexpr const char* kQuantize = R"(/* QuantizeLinear as the onednn backend runs it: x times 1/s, rounded half to even, saturated. */
static void stride_quantize(const float* x, int32_t n, float inverse_scale, int out_kind, void* y) {
  int32_t i;
  for (i = 0; i < n; ++i) stride_store(y, i, out_kind, x[i] * inverse_scale);
}
)";

constexpr const char* kMean = R"(static void stride_mean(const float* x, int32_t outer, int32_t n, int32_t inner, float* y) {
  int32_t o, i, j;
  for (o = 0; o < outer; ++o) {
    for (j = 0; j < inner; ++j) {
      float sum = 0.0f;
      for (i = 0; i < n; ++i) sum += x[(o * n + i) * inner + j];
      y[o * inner + j] = sum / (float)n;
    }
  }
}
)";

constexpr const char* kSoftmax = R"(static void stride_softmax(const float* x, int32_t outer, int32_t n, int32_t inner, float* y) {
  int32_t o, i, j;
  for (o = 0; o < outer; ++o) {
    for (j = 0; j < inner; ++j) {
      float top = x[o * n * inner + j], sum = 0.0f;
      for (i = 1; i < n; ++i)
        if (x[(o * n + i) * inner + j] > top) top = x[(o * n + i) * inner + j];
      for (i = 0; i < n; ++i) {
        const float e = expf(x[(o * n + i) * inner + j] - top);
        y[(o * n + i) * inner + j] = e;
        sum += e;
      }
      for (i = 0; i < n; ++i) y[(o * n + i) * inner + j] /= sum;
    }
  }
}
)";

constexpr const char* kRelu = R"(static void stride_relu(const float* x, int32_t n, float* y) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
)";

constexpr const char* kTranspose = R"(/* A permutation: the output's dims d0..d3, and the input's stride along each of them. */
static void stride_transpose_$S(const $X* x, int32_t d0, int32_t d1, int32_t d2, int32_t d3, int32_t s0, int32_t s1,
                                int32_t s2, int32_t s3, $X* y) {
  int32_t a, b, c, d;
  for (a = 0; a < d0; ++a)
    for (b = 0; b < d1; ++b)
      for (c = 0; c < d2; ++c)
        for (d = 0; d < d3; ++d) *y++ = x[a * s0 + b * s1 + c * s2 + d * s3];
}
)";

// $S: f32 weights (w[row * columns + column]) or s8 ones times the row's scale, which is what the
// DequantizeLinear before the LSTM computes for each weight.
constexpr const char* kLstm = R"(/* ONNX's LSTM, one direction, batch 1, from a zero state: gates i, o, f, c; weights w [4H, I],
   r [4H, H]$WEIGHT_NOTE, biases b [8H] (Wb then Rb). y: every step's h ([T, H], or NULL), y_h: the
   last h (or NULL); state: 6H floats of scratch. */
static float stride_sigmoid_$S(float v) { return 1.0f / (1.0f + expf(-v)); }

static void stride_lstm_$S(const float* x, int32_t steps, int32_t inputs, int32_t hidden, const $W* w,$WS const $W* r,$RS
                           const float* b, int reverse, float* state, float* y, float* y_h) {
  float* h = state;
  float* c = state + hidden;
  float* g = state + 2 * hidden;
  int32_t s, j, k;
  for (j = 0; j < 2 * hidden; ++j) state[j] = 0.0f;
  for (s = 0; s < steps; ++s) {
    const int32_t t = reverse ? steps - 1 - s : s;
    const float* xt = x + t * inputs;
    for (j = 0; j < 4 * hidden; ++j) {
      float acc = b[j] + b[4 * hidden + j];
      for (k = 0; k < inputs; ++k) acc += $WJK * xt[k];
      for (k = 0; k < hidden; ++k) acc += $RJK * h[k];
      g[j] = acc;
    }
    for (j = 0; j < hidden; ++j) {
      const float in_gate = stride_sigmoid_$S(g[j]), out_gate = stride_sigmoid_$S(g[hidden + j]);
      const float forget = stride_sigmoid_$S(g[2 * hidden + j]), candidate = tanhf(g[3 * hidden + j]);
      c[j] = forget * c[j] + in_gate * candidate;
      h[j] = out_gate * tanhf(c[j]);
    }
    if (y) memcpy(y + t * hidden, h, (size_t)hidden * sizeof(float));
  }
  if (y_h) memcpy(y_h, h, (size_t)hidden * sizeof(float));
}
)";

constexpr const char* kDynamicQuantize = R"(/* DynamicQuantizeLinear (ONNX): the range over the data and 0, scale = range / 255, zero point =
   round(-min / scale), q = saturate(round(x / scale) + zero point), rounding half to even; a NaN
   gives the zero point. params: the scale and the zero point, for the dense layers that read q. */
static void stride_dynamic_quantize(const float* x, int32_t n, uint8_t* q, float* params) {
  float lo = 0.0f, hi = 0.0f, scale = 1.0f, zero_point;
  int32_t i;
  for (i = 0; i < n; ++i) {
    if (x[i] < lo) lo = x[i];
    if (hi < x[i]) hi = x[i];
  }
  if (hi > lo) scale = (hi - lo) / 255.0f;
  zero_point = -lo / scale;
  zero_point = nearbyintf(zero_point < 0.0f ? 0.0f : zero_point > 255.0f ? 255.0f : zero_point);
  for (i = 0; i < n; ++i) {
    float v = nearbyintf(x[i] / scale);
    if (v != v) {
      q[i] = (uint8_t)zero_point;
      continue;
    }
    v += zero_point;
    q[i] = (uint8_t)(v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v);
  }
  params[0] = scale;
  params[1] = zero_point;
}
)";

constexpr const char* kDynamicDense = R"(/* A dynamic-range dense layer: (x - zero point) . w in int32, then in f32 as the graph writes it:
   times (w_scale[o] * x_scale), plus the bias. w [n, depth] s8. */
static void stride_dynamic_dense(const uint8_t* x, const float* params, int32_t rows, int32_t depth, const int8_t* w,
                                 const float* w_scale, const float* bias, int32_t n, float* y) {
  const float x_scale = params[0];
  const int32_t zero_point = (int32_t)params[1];
  int32_t r, o, i;
  for (r = 0; r < rows; ++r) {
    for (o = 0; o < n; ++o) {
      int32_t acc = 0;
      float v;
      for (i = 0; i < depth; ++i) acc += ((int32_t)x[r * depth + i] - zero_point) * (int32_t)w[o * depth + i];
      v = (float)acc * (w_scale[o] * x_scale);
      y[r * n + o] = bias ? v + bias[o] : v;
    }
  }
}
)";

const char* suffix(Storage s) { return s == Storage::s8 ? "s8" : s == Storage::u8 ? "u8" : "f32"; }

bool has_variants(StepKind kind) {
  return kind == StepKind::conv || kind == StepKind::dense || kind == StepKind::max_pool ||
         kind == StepKind::dequantize || kind == StepKind::transpose || kind == StepKind::lstm;
}

const char* kernel_template(StepKind kind) {
  switch (kind) {
    case StepKind::conv: return kConv;
    case StepKind::dense: return kDense;
    case StepKind::max_pool: return kMaxPool;
    case StepKind::dequantize: return kDequantize;
    case StepKind::quantize: return kQuantize;
    case StepKind::mean: return kMean;
    case StepKind::softmax: return kSoftmax;
    case StepKind::relu: return kRelu;
    case StepKind::transpose: return kTranspose;
    case StepKind::lstm: return kLstm;
    case StepKind::dynamic_quantize: return kDynamicQuantize;
    case StepKind::dynamic_dense: return kDynamicDense;
  }
  fail("unknown step kind");
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::string c_common_kernels() {
  return R"(/* The requantization rule (docs/mcu.md): (sum + bias) times the scale in f32, ReLU when fused. */
static float stride_scaled(int32_t acc, float bias, float scale, int relu) {
  const float v = ((float)acc + bias) * scale;
  return relu && v < 0.0f ? 0.0f : v;
}

/* Saturate, then round half to even (lrintf in the default rounding mode), as the CPU engine does. */
static void stride_store(void* y, int32_t i, int out_kind, float v) {
  if (out_kind == STRIDE_F32) {
    ((float*)y)[i] = v;
  } else if (out_kind == STRIDE_U8) {
    v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
    ((uint8_t*)y)[i] = (uint8_t)lrintf(v);
  } else {
    v = v < -128.0f ? -128.0f : v > 127.0f ? 127.0f : v;
    ((int8_t*)y)[i] = (int8_t)lrintf(v);
  }
}
)";
}

std::string c_kernel_name(StepKind kind, Storage variant) {
  static const char* names[] = {"stride_conv",    "stride_dense",   "stride_max_pool", "stride_quantize",
                                "stride_dequantize", "stride_mean", "stride_softmax",  "stride_relu",
                                "stride_transpose",  "stride_lstm", "stride_dynamic_quantize",
                                "stride_dynamic_dense"};
  std::string name = names[static_cast<int>(kind)];
  return has_variants(kind) ? name + "_" + suffix(variant) : name;
}

std::string c_kernel_source(StepKind kind, Storage variant) {
  std::string text = kernel_template(kind);
  if (kind == StepKind::conv) {
    const bool f32 = variant == Storage::f32;
    text = replace_all(text, "$K", f32 ? "const int8_t* k, const float* k_scale," : "const int8_t* k,");
    text = replace_all(text, "$OUT",
                       f32 ? "const float* bias, float* y"
                           : "const float* bias, const float* scale, int relu, int out_kind, void* y");
    text = replace_all(text, "$ACC", f32 ? "float" : "int32_t");
    text = replace_all(text, "$TERM",
                       f32 ? "plane[iy * w + ix] * ((float)taps[ky * kw + kx] * k_scale[oc])"
                           : "(int32_t)plane[iy * w + ix] * (int32_t)taps[ky * kw + kx]");
    text = replace_all(text, "$STORE",
                       f32 ? "y[(oc * oh + oy) * ow + ox] = acc + bias[oc]"
                           : "stride_store(y, (oc * oh + oy) * ow + ox, out_kind, "
                             "stride_scaled(acc, bias[oc], scale[oc], relu))");
  }
  if (kind == StepKind::lstm) {
    const bool s8 = variant == Storage::s8;
    text = replace_all(text, "$WEIGHT_NOTE", s8 ? " (s8, times ws and rs per row)" : "");
    text = replace_all(text, "$WS", s8 ? " const float* ws," : "");
    text = replace_all(text, "$RS", s8 ? " const float* rs," : "");
    text = replace_all(text, "$WJK", s8 ? "((float)w[j * inputs + k] * ws[j])" : "w[j * inputs + k]");
    text = replace_all(text, "$RJK", s8 ? "((float)r[j * hidden + k] * rs[j])" : "r[j * hidden + k]");
    text = replace_all(text, "$W", s8 ? "int8_t" : "float");
  }
  return replace_all(replace_all(text, "$S", suffix(variant)), "$X", storage_name(variant));
}

}  // namespace stride::mcu
