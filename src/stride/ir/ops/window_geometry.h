#pragma once
// The geometry of a sliding window over the spatial dimensions of an N×C×D1×…×Dn tensor, as Conv,
// MaxPool and AveragePool define it in ONNX: kernel, strides, dilations, the padding actually
// applied at each end (auto_pad resolved) and the output sizes (ceil_mode applied).
//
// Every backend takes its pads and strides from here, so that they agree on the output shape.
#include <cstdint>
#include <vector>

#include "stride/core/shape.h"
#include "stride/ir/graph.h"

namespace stride {

struct WindowGeometry {
  std::vector<int64_t> kernel;  // taps per spatial dimension
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads_begin;  // implicit padding before the first element
  std::vector<int64_t> pads_end;    // implicit padding after the last element
  Shape input;                      // spatial input sizes
  Shape output;                     // spatial output sizes

  size_t rank() const { return kernel.size(); }
  // The extent one window covers along dimension d: (kernel - 1) × dilation + 1.
  int64_t dilated_kernel(size_t d) const { return (kernel[d] - 1) * dilations[d] + 1; }
  // The end padding with which a library that always rounds down (oneDNN) gets `output` along d.
  // It exceeds pads_end when ceil_mode added a partial window, and may be below it when the
  // last stride leaves input unused; windows still only count the real pads_end as padding.
  int64_t floor_pads_end(size_t d) const {
    return (output[d] - 1) * strides[d] + dilated_kernel(d) - input[d] - pads_begin[d];
  }
};

// Conv: X is [N, C, D1..Dn], W is [M, C/group, k1..kn]. The kernel comes from W (and must equal the
// kernel_shape attribute where one is given). Throws stride::Error naming the node on malformed
// attributes or an input too small for the window.
WindowGeometry conv_window(const Node& node, const Shape& x, const Shape& w);

// MaxPool / AveragePool: X is [N, C, D1..Dn]; kernel_shape is required; ceil_mode is honoured.
WindowGeometry pool_window(const Node& node, const Shape& x);

}  // namespace stride
