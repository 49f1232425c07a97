#include "stride/core/content_hash.h"

namespace stride {

ContentHash& ContentHash::add(const void* bytes, size_t size) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (size_t i = 0; i < size; ++i) state_ = (state_ ^ p[i]) * 0x100000001b3ull;
  return *this;
}

ContentHash& ContentHash::add(std::string_view text) {
  add(static_cast<int64_t>(text.size()));
  return add(text.data(), text.size());
}

ContentHash& ContentHash::add(const Tensor& tensor) {
  add(static_cast<int64_t>(tensor.dtype()));
  add(static_cast<int64_t>(tensor.shape().size()));
  for (int64_t d : tensor.shape()) add(d);
  return add(tensor.raw(), tensor.nbytes());
}

}  // namespace stride
