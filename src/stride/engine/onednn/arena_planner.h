#pragma once
// Places buffers with known lifetimes in one arena so that buffers alive at the same time never
// overlap and a dead buffer's bytes are reused. Lifetimes are in plan steps (inclusive).
#include <cstddef>
#include <vector>

namespace stride::onednn {

inline constexpr size_t kArenaAlignment = 64;  // a cache line; what oneDNN's kernels prefer

struct ArenaRequest {
  size_t bytes = 0;
  size_t first_step = 0;  // the step that writes it first
  size_t last_step = 0;   // the step that reads it last
};

struct ArenaLayout {
  std::vector<size_t> offsets;  // per request, multiples of the alignment
  size_t total_bytes = 0;
};

// Greedy by size: the largest buffers are placed first, each at the lowest offset where it does
// not collide with an already placed buffer whose lifetime overlaps its own. Every buffer starts and
// ends on a multiple of `alignment` (a microcontroller's arena needs less than a cache line).
ArenaLayout plan_arena(const std::vector<ArenaRequest>& requests, size_t alignment = kArenaAlignment);

}  // namespace stride::onednn
