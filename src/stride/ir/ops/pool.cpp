#include <algorithm>

#include "stride/ir/ops/all_ops.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::ops {
namespace {

std::vector<TensorInfo> infer_window_pool(const InferContext& ctx) {
  const TensorInfo& x = ctx.input(0);
  const WindowGeometry g = pool_window(ctx.node(), x.shape);
  Shape y{x.shape[0], x.shape[1]};
  y.insert(y.end(), g.output.begin(), g.output.end());
  return {{x.dtype, y}};
}

// Y, and the optional Indices output: Y's shape, s64 (each max's flat index into X).
std::vector<TensorInfo> infer_max_pool(const InferContext& ctx) {
  const int64_t storage_order = ctx.attrs().get_int("storage_order", 0);
  if (storage_order != 0 && storage_order != 1)
    ctx.fail("storage_order must be 0 (row-major) or 1 (column-major), got {}", storage_order);
  std::vector<TensorInfo> result = infer_window_pool(ctx);
  const auto& outputs = ctx.node().outputs;
  if (outputs.size() > 1 && !outputs[1].empty()) result.push_back({DType::s64, result[0].shape});
  result.resize(std::max<size_t>(1, outputs.size()));  // an unnamed Indices slot stays empty
  return result;
}

std::vector<TensorInfo> infer_average_pool(const InferContext& ctx) {
  const int64_t count_include_pad = ctx.attrs().get_int("count_include_pad", 0);
  if (count_include_pad != 0 && count_include_pad != 1)
    ctx.fail("count_include_pad must be 0 or 1, got {}", count_include_pad);
  return infer_window_pool(ctx);
}

// [N, C, D1..Dn] -> [N, C, 1..1].
std::vector<TensorInfo> infer_global_average_pool(const InferContext& ctx) {
  const TensorInfo& x = ctx.input(0);
  if (x.shape.size() < 3) ctx.fail("input X must be N×C×D1×…, got {}", shape_str(x.shape));
  for (size_t d = 2; d < x.shape.size(); ++d)
    if (x.shape[d] < 1) ctx.fail("input X has an empty spatial dimension: {}", shape_str(x.shape));
  Shape y(x.shape.size(), 1);
  y[0] = x.shape[0];
  y[1] = x.shape[1];
  return {{x.dtype, y}};
}

}  // namespace

void register_pool_ops(OpRegistry& registry) {
  registry.add({.type = "MaxPool", .min_inputs = 1, .max_inputs = 1, .infer = infer_max_pool});
  registry.add({.type = "AveragePool", .min_inputs = 1, .max_inputs = 1, .infer = infer_average_pool});
  registry.add({.type = "GlobalAveragePool", .min_inputs = 1, .max_inputs = 1, .infer = infer_global_average_pool});
}

}  // namespace stride::ops
