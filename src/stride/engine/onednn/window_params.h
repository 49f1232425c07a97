#pragma once
// A window geometry (Conv, pooling) in the form oneDNN's descriptors take it.
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::onednn {

struct OnednnWindow {
  memory::dims kernel;
  memory::dims strides;
  memory::dims dilations;  // oneDNN counts the gaps: ONNX dilation − 1
  memory::dims pads_begin;
  memory::dims pads_end;
};

// oneDNN derives the output size from the padding with floor division, so where ceil_mode makes the
// output one window longer, the end padding is widened to cover that window.
OnednnWindow onednn_window(const WindowGeometry& geometry);

}  // namespace stride::onednn
