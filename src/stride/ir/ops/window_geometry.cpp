#include "stride/ir/ops/window_geometry.h"

#include <algorithm>
#include <string>

#include "stride/core/error.h"

namespace stride {
namespace {

template <typename... Args>
[[noreturn]] void fail_at(const Node& node, fmt::format_string<Args...> format, Args&&... args) {
  fail("node '{}' ({}): {}", node.name, node.op_type, fmt::format(format, std::forward<Args>(args)...));
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// An ints attribute with one value per spatial dimension, each at least `min_value`.
std::vector<int64_t> per_dimension(const Node& node, const std::string& name, size_t count, int64_t fallback,
                                   int64_t min_value) {
  std::vector<int64_t> values = node.attrs.get_ints(name, std::vector<int64_t>(count, fallback));
  if (values.size() != count) fail_at(node, "'{}' has {} values, expected {}", name, values.size(), count);
  for (int64_t v : values)
    if (v < min_value) fail_at(node, "'{}' values must be at least {}, got {}", name, min_value, v);
  return values;
}

// The spatial sizes of X = [N, C, D1..Dn], for 1 to 3 spatial dimensions.
Shape spatial_sizes(const Node& node, const Shape& x) {
  if (x.size() < 3 || x.size() > 5)
    fail_at(node, "input X must be N×C×D1[×D2[×D3]] (rank 3 to 5), got {}", shape_str(x));
  Shape spatial(x.begin() + 2, x.end());
  for (int64_t d : spatial)
    if (d < 1) fail_at(node, "input X has an empty spatial dimension: {}", shape_str(x));
  return spatial;
}

void resolve_explicit_pads(const Node& node, WindowGeometry& g) {
  const size_t rank = g.rank();
  const std::vector<int64_t> pads = per_dimension(node, "pads", 2 * rank, 0, 0);
  g.pads_begin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(rank));
  g.pads_end.assign(pads.begin() + static_cast<std::ptrdiff_t>(rank), pads.end());
}

// SAME_UPPER / SAME_LOWER: output = ceil(input / stride); the padding that takes is split evenly,
// the odd element going to the end (UPPER) or to the beginning (LOWER).
void resolve_same_pads(WindowGeometry& g, bool extra_at_end) {
  for (size_t d = 0; d < g.rank(); ++d) {
    const int64_t out = ceil_div(g.input[d], g.strides[d]);
    const int64_t total = std::max<int64_t>(0, (out - 1) * g.strides[d] + g.dilated_kernel(d) - g.input[d]);
    const int64_t smaller_half = total / 2;
    g.pads_begin[d] = extra_at_end ? smaller_half : total - smaller_half;
    g.pads_end[d] = total - g.pads_begin[d];
  }
}

// Output sizes from explicit pads. With ceil_mode a partial last window counts, unless it would
// start in the end padding (it would see no input).
void resolve_output(const Node& node, WindowGeometry& g, bool ceil_mode) {
  g.output.resize(g.rank());
  for (size_t d = 0; d < g.rank(); ++d) {
    const int64_t span = g.input[d] + g.pads_begin[d] + g.pads_end[d] - g.dilated_kernel(d);
    if (span < 0)
      fail_at(node, "spatial dimension {} of size {} (padded {}+{}) is smaller than the window ({})", d, g.input[d],
              g.pads_begin[d], g.pads_end[d], g.dilated_kernel(d));
    int64_t out = (ceil_mode ? ceil_div(span, g.strides[d]) : span / g.strides[d]) + 1;
    if (ceil_mode && (out - 1) * g.strides[d] >= g.input[d] + g.pads_begin[d]) --out;
    g.output[d] = out;
  }
}

WindowGeometry resolve_window(const Node& node, Shape input, std::vector<int64_t> kernel, bool ceil_mode) {
  WindowGeometry g;
  const size_t rank = kernel.size();
  g.kernel = std::move(kernel);
  g.input = std::move(input);
  g.strides = per_dimension(node, "strides", rank, 1, 1);
  g.dilations = per_dimension(node, "dilations", rank, 1, 1);
  g.pads_begin.assign(rank, 0);
  g.pads_end.assign(rank, 0);

  const std::string auto_pad = node.attrs.get_string("auto_pad", "NOTSET");
  if (auto_pad == "NOTSET") {
    resolve_explicit_pads(node, g);
    resolve_output(node, g, ceil_mode);
    return g;
  }
  if (node.attrs.has("pads")) {
    const auto& pads = node.attrs.get_ints("pads");
    if (std::any_of(pads.begin(), pads.end(), [](int64_t p) { return p != 0; }))
      fail_at(node, "explicit 'pads' cannot be combined with auto_pad={}", auto_pad);
  }
  if (auto_pad == "VALID") {
    // ceil_mode makes no difference here: ONNX defines VALID as the windows that fit entirely.
    resolve_output(node, g, false);
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    resolve_same_pads(g, auto_pad == "SAME_UPPER");
    resolve_output(node, g, false);
  } else {
    fail_at(node, "auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '{}'", auto_pad);
  }
  return g;
}

}  // namespace

WindowGeometry conv_window(const Node& node, const Shape& x, const Shape& w) {
  Shape spatial = spatial_sizes(node, x);
  if (w.size() != x.size())
    fail_at(node, "weight W must have the rank of X ({}): got W {} for X {}", x.size(), shape_str(w), shape_str(x));
  std::vector<int64_t> kernel(w.begin() + 2, w.end());
  for (int64_t k : kernel)
    if (k < 1) fail_at(node, "weight W has an empty kernel dimension: {}", shape_str(w));
  if (node.attrs.has("kernel_shape") && node.attrs.get_ints("kernel_shape") != kernel)
    fail_at(node, "kernel_shape {} does not match the kernel of W {}", shape_str(node.attrs.get_ints("kernel_shape")),
            shape_str(w));
  return resolve_window(node, std::move(spatial), std::move(kernel), false);
}

WindowGeometry pool_window(const Node& node, const Shape& x) {
  Shape spatial = spatial_sizes(node, x);
  if (!node.attrs.has("kernel_shape")) fail_at(node, "attribute 'kernel_shape' is required");
  std::vector<int64_t> kernel = per_dimension(node, "kernel_shape", spatial.size(), 1, 1);
  const int64_t ceil_mode = node.attrs.get_int("ceil_mode", 0);
  if (ceil_mode != 0 && ceil_mode != 1) fail_at(node, "ceil_mode must be 0 or 1, got {}", ceil_mode);
  WindowGeometry g = resolve_window(node, std::move(spatial), std::move(kernel), ceil_mode == 1);
  // A pad as wide as the window makes windows of padding alone: an average of nothing (0/0) or a
  // max of nothing. oneDNN and LibTorch refuse such pads; so does every backend, from here.
  for (size_t d = 0; d < g.rank(); ++d)
    if (g.pads_begin[d] >= g.dilated_kernel(d) || g.pads_end[d] >= g.dilated_kernel(d))
      fail_at(
          node,
          "pads {}+{} of spatial dimension {} must be smaller than the window ({}): a window would hold padding only",
          g.pads_begin[d], g.pads_end[d], d, g.dilated_kernel(d));
  return g;
}

}  // namespace stride
