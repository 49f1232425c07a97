#include "stride/train/reusing_cpu_allocator.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace stride::train {
namespace {

constexpr size_t kAlignment = 64;  // what LibTorch's own allocator guarantees (AVX-512 loads)

struct BlockPool {
  std::mutex mutex;
  std::unordered_map<void*, size_t> size_of;                    // every live or cached block
  std::unordered_map<size_t, std::vector<void*>> free_by_size;  // cached blocks
  size_t cached_bytes = 0;
  size_t max_cached_bytes = 0;
};

BlockPool& pool() {
  static BlockPool* p = new BlockPool;  // never destroyed: tensors may be freed during static teardown
  return *p;
}

void release(void* block) {
  if (!block) return;
  BlockPool& p = pool();
  std::lock_guard lock(p.mutex);
  const size_t bytes = p.size_of.at(block);
  if (p.cached_bytes + bytes > p.max_cached_bytes) {
    p.size_of.erase(block);
    std::free(block);
    return;
  }
  p.free_by_size[bytes].push_back(block);
  p.cached_bytes += bytes;
}

class ReusingCpuAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(size_t n) const override {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (n == 0) return {nullptr, nullptr, &release, cpu};
    const size_t bytes = (n + kAlignment - 1) / kAlignment * kAlignment;
    BlockPool& p = pool();
    {
      std::lock_guard lock(p.mutex);
      auto it = p.free_by_size.find(bytes);
      if (it != p.free_by_size.end() && !it->second.empty()) {
        void* block = it->second.back();
        it->second.pop_back();
        p.cached_bytes -= bytes;
        return {block, block, &release, cpu};
      }
    }
    void* block = std::aligned_alloc(kAlignment, bytes);
    if (!block) throw std::bad_alloc();
    std::lock_guard lock(p.mutex);
    p.size_of[block] = bytes;
    return {block, block, &release, cpu};
  }
  c10::DeleterFnPtr raw_deleter() const override { return &release; }
};

}  // namespace

void use_reusing_cpu_allocator(size_t max_cached_bytes) {
  static ReusingCpuAllocator allocator;
  static std::once_flag installed;
  std::call_once(installed, [&] {
    {
      std::lock_guard lock(pool().mutex);
      pool().max_cached_bytes = max_cached_bytes;
    }
    // Priority above the default allocator's, so that it stays in place.
    c10::SetCPUAllocator(&allocator, 1);
  });
}

size_t reusing_allocator_cached_bytes() {
  std::lock_guard lock(pool().mutex);
  return pool().cached_bytes;
}

}  // namespace stride::train
