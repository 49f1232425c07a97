#pragma once
// An owned, cache-line aligned block of bytes whose address never changes.
#include <cstddef>
#include <cstdlib>
#include <memory>

#include "stride/core/error.h"

namespace stride::onednn {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(size_t bytes, size_t alignment) : size_(bytes) {
    if (bytes == 0) return;
    const size_t rounded = (bytes + alignment - 1) / alignment * alignment;
    bytes_.reset(static_cast<std::byte*>(std::aligned_alloc(alignment, rounded)));
    if (!bytes_) fail("could not allocate an arena of {} bytes", bytes);
  }

  std::byte* data() const { return bytes_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> bytes_;
  size_t size_ = 0;
};

}  // namespace stride::onednn
