#include "stride/core/shape.h"

#include <limits>

#include "stride/core/error.h"

namespace stride {

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) fail("shape {} is not concrete", shape_str(shape));
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
      fail("shape {} has more elements than can be counted", shape_str(shape));
    n *= d;
  }
  return n;
}

bool shape_is_concrete(const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0) return false;
  return true;
}

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += shape[i] < 0 ? std::string("?") : std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace stride
