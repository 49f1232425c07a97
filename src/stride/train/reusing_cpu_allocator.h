#pragma once
// LibTorch's CPU allocator replaced by one that keeps freed blocks for reuse. A training step
// allocates the same tensor sizes every time, and glibc hands blocks this large (hundreds of MiB
// of activations) back to the kernel on free, so every step paid for fresh zeroed pages: about 40 %
// of GaitSet's training CPU time was spent in the kernel. Reused blocks cost nothing.
#include <cstddef>

namespace stride::train {

// Installs the reusing allocator for every later LibTorch CPU allocation in this process (once;
// later calls do nothing). At most `max_cached_bytes` of free blocks are kept.
void use_reusing_cpu_allocator(size_t max_cached_bytes = size_t{8} << 30);

// Bytes of freed blocks held for reuse now (for tests).
size_t reusing_allocator_cached_bytes();

}  // namespace stride::train
