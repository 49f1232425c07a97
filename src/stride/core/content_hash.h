#pragma once
// A 64-bit fingerprint of content (FNV-1a), for telling whether two things are the same: a
// checkpoint's model and data against this run's, a cached result against its inputs. Not for
// security: collisions are possible, only unlikely by accident.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "stride/core/tensor.h"

namespace stride {

class ContentHash {
 public:
  ContentHash& add(const void* bytes, size_t size);
  ContentHash& add(std::string_view text);
  ContentHash& add(int64_t value) { return add(&value, sizeof value); }
  // The tensor's dtype, shape and bytes.
  ContentHash& add(const Tensor& tensor);
  uint64_t value() const { return state_; }

 private:
  uint64_t state_ = 0xcbf29ce484222325ull;
};

}  // namespace stride
