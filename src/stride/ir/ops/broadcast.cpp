#include "stride/ir/ops/broadcast.h"

#include <algorithm>

#include "stride/ir/ops/node_checks.h"

namespace stride::ops {

Shape broadcast_shapes(const Node& node, const std::vector<Shape>& shapes) {
  size_t rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  // Remembers which input set each output dimension, to name both sides of a clash.
  std::vector<size_t> source(rank, 0);
  for (size_t i = 0; i < shapes.size(); ++i) {
    const Shape& s = shapes[i];
    const size_t offset = rank - s.size();
    for (size_t d = 0; d < s.size(); ++d) {
      int64_t& o = out[offset + d];
      if (s[d] == o || s[d] == 1) continue;
      if (o != 1)
        fail_at(node, "cannot broadcast input #{} {} with input #{} {}: dimension {} from the end is {} vs {}",
                source[offset + d], shape_str(shapes[source[offset + d]]), i, shape_str(s), s.size() - d, o, s[d]);
      o = s[d];
      source[offset + d] = i;
    }
  }
  return out;
}

}  // namespace stride::ops
