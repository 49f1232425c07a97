#pragma once
// Tensor shapes. A dimension of -1 means "not known until run time" (e.g. the batch of an
// imported ONNX model); every concrete shape has only non-negative dimensions.
#include <cstdint>
#include <string>
#include <vector>

namespace stride {

using Shape = std::vector<int64_t>;

// Element count of a concrete shape; throws stride::Error on a negative dimension or overflow.
int64_t shape_numel(const Shape& shape);
bool shape_is_concrete(const Shape& shape);
std::string shape_str(const Shape& shape);  // "[1,3,224,224]", "?" for unknown dims

// Largest tensor Stride agrees to allocate. A dimension in a malformed file that would need more
// is refused before any allocation.
inline constexpr int64_t kMaxTensorBytes = int64_t{8} << 30;

}  // namespace stride
