#include "stride/engine/onednn/window_params.h"

#include <algorithm>

namespace stride::onednn {

OnednnWindow onednn_window(const WindowGeometry& g) {
  OnednnWindow w{g.kernel, g.strides, onednn_dilations(g.dilations), g.pads_begin, g.pads_end};
  for (size_t d = 0; d < g.rank(); ++d) {
    const int64_t covered = (g.output[d] - 1) * g.strides[d] + g.dilated_kernel(d);
    w.pads_end[d] = std::max(w.pads_end[d], covered - g.input[d] - g.pads_begin[d]);
  }
  return w;
}

}  // namespace stride::onednn
