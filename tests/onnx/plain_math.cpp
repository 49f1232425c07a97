#include "onnx/plain_math.h"

#include <algorithm>
#include <cmath>

#include "stride/core/random.h"

namespace stride::testing {

std::vector<float> seeded_values(size_t count, uint64_t seed, float lo, float hi) {
  Random rng(seed);
  std::vector<float> v(count);
  for (float& x : v) x = lo + (hi - lo) * rng.uniform();
  return v;
}

Array conv2d(const Array& x, const Array& weight, const std::vector<float>& bias, int64_t stride, int64_t pad) {
  const int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t m = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
  const int64_t oh = (h + 2 * pad - kh) / stride + 1, ow = (w + 2 * pad - kw) / stride + 1;
  Array y{{n, m, oh, ow}, std::vector<float>(static_cast<size_t>(n * m * oh * ow))};
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < m; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double sum = bias[static_cast<size_t>(o)];
          for (int64_t ci = 0; ci < c; ++ci)
            for (int64_t p = 0; p < kh; ++p)
              for (int64_t q = 0; q < kw; ++q) {
                const int64_t r = i * stride - pad + p, s = j * stride - pad + q;
                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                sum += static_cast<double>(x.data[static_cast<size_t>(((b * c + ci) * h + r) * w + s)]) *
                       weight.data[static_cast<size_t>(((o * c + ci) * kh + p) * kw + q)];
              }
          y.data[static_cast<size_t>(((b * m + o) * oh + i) * ow + j)] = static_cast<float>(sum);
        }
  return y;
}

Array batch_norm(const Array& x, const std::vector<float>& scale, const std::vector<float>& bias,
                 const std::vector<float>& mean, const std::vector<float>& var, float epsilon) {
  Array y = x;
  const int64_t c = x.shape[1];
  int64_t inner = 1;
  for (size_t d = 2; d < x.shape.size(); ++d) inner *= x.shape[d];
  for (size_t i = 0; i < y.data.size(); ++i) {
    const auto ch = static_cast<size_t>((static_cast<int64_t>(i) / inner) % c);
    y.data[i] = scale[ch] * (x.data[i] - mean[ch]) / std::sqrt(var[ch] + epsilon) + bias[ch];
  }
  return y;
}

Array relu(Array x) { return clip(std::move(x), 0.0f, INFINITY); }

Array clip(Array x, float lo, float hi) {
  for (float& v : x.data) v = std::min(std::max(v, lo), hi);
  return x;
}

Array max_pool2d(const Array& x, int64_t kernel, int64_t stride) {
  const int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
  const int64_t oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
  Array y{{n, c, oh, ow}, std::vector<float>(static_cast<size_t>(n * c * oh * ow))};
  for (int64_t plane = 0; plane < n * c; ++plane)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        float best = -INFINITY;
        for (int64_t p = 0; p < kernel; ++p)
          for (int64_t q = 0; q < kernel; ++q)
            best = std::max(best, x.data[static_cast<size_t>((plane * h + i * stride + p) * w + j * stride + q)]);
        y.data[static_cast<size_t>((plane * oh + i) * ow + j)] = best;
      }
  return y;
}

Array transpose4(const Array& x, const std::vector<int64_t>& perm) {
  Array y;
  for (int64_t p : perm) y.shape.push_back(x.shape[static_cast<size_t>(p)]);
  y.data.resize(x.data.size());
  const auto& s = x.shape;
  std::vector<int64_t> in_index(4);
  for (int64_t a = 0; a < y.shape[0]; ++a)
    for (int64_t b = 0; b < y.shape[1]; ++b)
      for (int64_t c = 0; c < y.shape[2]; ++c)
        for (int64_t d = 0; d < y.shape[3]; ++d) {
          const int64_t out[4] = {a, b, c, d};
          for (size_t i = 0; i < 4; ++i) in_index[static_cast<size_t>(perm[i])] = out[i];
          const int64_t src = ((in_index[0] * s[1] + in_index[1]) * s[2] + in_index[2]) * s[3] + in_index[3];
          const int64_t dst = ((a * y.shape[1] + b) * y.shape[2] + c) * y.shape[3] + d;
          y.data[static_cast<size_t>(dst)] = x.data[static_cast<size_t>(src)];
        }
  return y;
}

Array gemm_transposed_b(const Array& a, const Array& b, const std::vector<float>& c) {
  const int64_t m = a.shape[0], k = a.shape[1], n = b.shape[0];
  Array y{{m, n}, std::vector<float>(static_cast<size_t>(m * n))};
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = c[static_cast<size_t>(j)];
      for (int64_t p = 0; p < k; ++p)
        sum += static_cast<double>(a.data[static_cast<size_t>(i * k + p)]) * b.data[static_cast<size_t>(j * k + p)];
      y.data[static_cast<size_t>(i * n + j)] = static_cast<float>(sum);
    }
  return y;
}

Array softmax_rows(const Array& x) {
  Array y = x;
  const int64_t rows = x.shape[0], cols = x.shape[1];
  for (int64_t r = 0; r < rows; ++r) {
    float* row = y.data.data() + r * cols;
    const float top = *std::max_element(row, row + cols);
    double total = 0;
    for (int64_t j = 0; j < cols; ++j) total += std::exp(static_cast<double>(row[j] - top));
    for (int64_t j = 0; j < cols; ++j) row[j] = static_cast<float>(std::exp(static_cast<double>(row[j] - top)) / total);
  }
  return y;
}

}  // namespace stride::testing
