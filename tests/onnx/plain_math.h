#pragma once
// Independent oracles for the foreign-model tests: the layers those models use, as the plainest
// possible loops over row-major float arrays, written from the ONNX operator definitions.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace stride::testing {

struct Array {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

std::vector<float> seeded_values(size_t count, uint64_t seed, float lo = -1.0f, float hi = 1.0f);

// NCHW input, OIHW weight, one bias per output channel, equal stride and symmetric padding on
// both spatial axes.
Array conv2d(const Array& x, const Array& weight, const std::vector<float>& bias, int64_t stride, int64_t pad);
// Inference-mode batch normalization over axis 1.
Array batch_norm(const Array& x, const std::vector<float>& scale, const std::vector<float>& bias,
                 const std::vector<float>& mean, const std::vector<float>& var, float epsilon);
Array relu(Array x);
Array clip(Array x, float lo, float hi);
// NCHW max pooling, square window, no padding.
Array max_pool2d(const Array& x, int64_t kernel, int64_t stride);
// 4-D transpose: output axis i is input axis perm[i].
Array transpose4(const Array& x, const std::vector<int64_t>& perm);
// a [M,K] times b transposed (b is [N,K]) plus c [N].
Array gemm_transposed_b(const Array& a, const Array& b, const std::vector<float>& c);
// Softmax along the last axis of a 2-D array.
Array softmax_rows(const Array& x);

}  // namespace stride::testing
