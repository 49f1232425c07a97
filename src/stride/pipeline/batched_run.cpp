#include "stride/pipeline/batched_run.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

#include "stride/core/error.h"

namespace stride::pipeline {

BatchedOutput run_in_batches(Plan& plan, const std::string& input_name, const std::string& output_name, int64_t batch,
                             size_t count, const std::function<Tensor(size_t first, size_t count)>& make_batch,
                             const TimedRunHooks& hooks) {
  if (count == 0) fail("nothing to run: no samples");
  if (batch < 1) fail("batch size must be at least 1, got {}", batch);
  BatchedOutput result;
  size_t row_bytes = 0;
  for (size_t first = 0; first < count; first += static_cast<size_t>(batch)) {
    const size_t n = std::min(count - first, static_cast<size_t>(batch));
    TensorMap inputs;
    inputs.emplace(input_name, make_batch(first, n));
    if (hooks.begin) hooks.begin();
    const auto start = std::chrono::steady_clock::now();
    TensorMap outputs = plan.run(inputs);
    const auto stop = std::chrono::steady_clock::now();
    if (hooks.end) hooks.end();
    result.plan_seconds += std::chrono::duration<double>(stop - start).count();
    auto it = outputs.find(output_name);
    if (it == outputs.end()) fail("the plan has no output '{}'", output_name);
    const Tensor& out = it->second;
    if (out.dtype() != DType::f32 || out.rank() == 0 || out.dim(0) != batch)
      fail("output '{}' has shape {}, expected f32 with {} rows", output_name, shape_str(out.shape()), batch);
    if (first == 0) {
      Shape shape = out.shape();
      shape[0] = static_cast<int64_t>(count);
      result.rows = Tensor(DType::f32, shape);
      row_bytes = out.nbytes() / static_cast<size_t>(batch);
    }
    std::memcpy(result.rows.raw() + first * row_bytes, out.raw(), n * row_bytes);
  }
  return result;
}

Tensor mean_rows_per_group(const Tensor& rows, std::span<const size_t> group_of_row, size_t groups) {
  if (rows.rank() < 1 || rows.dtype() != DType::f32 || static_cast<size_t>(rows.dim(0)) != group_of_row.size())
    fail("mean_rows_per_group: {} rows of f32 expected, got {}", group_of_row.size(), shape_str(rows.shape()));
  Shape shape = rows.shape();
  shape[0] = static_cast<int64_t>(groups);
  Tensor means(DType::f32, shape);
  const int64_t width = rows.dim(0) > 0 ? rows.numel() / rows.dim(0) : 0;
  std::vector<double> sums(groups * static_cast<size_t>(width), 0.0);
  std::vector<size_t> counts(groups, 0);
  const float* in = rows.data<float>();
  for (size_t i = 0; i < group_of_row.size(); ++i) {
    const size_t g = group_of_row[i];
    if (g >= groups) fail("mean_rows_per_group: row {} is in group {} of {}", i, g, groups);
    ++counts[g];
    for (int64_t j = 0; j < width; ++j) sums[g * width + j] += in[i * width + j];
  }
  float* out = means.data<float>();
  for (size_t g = 0; g < groups; ++g) {
    if (counts[g] == 0) fail("mean_rows_per_group: group {} has no rows", g);
    for (int64_t j = 0; j < width; ++j) out[g * width + j] = static_cast<float>(sums[g * width + j] / counts[g]);
  }
  return means;
}

}  // namespace stride::pipeline
