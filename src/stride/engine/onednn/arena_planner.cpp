#include "stride/engine/onednn/arena_planner.h"

#include <algorithm>
#include <numeric>

#include "stride/core/error.h"

namespace stride::onednn {
namespace {

size_t aligned(size_t bytes, size_t alignment) { return (bytes + alignment - 1) / alignment * alignment; }

bool lifetimes_overlap(const ArenaRequest& a, const ArenaRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

struct Placed {
  size_t begin;
  size_t end;
};

// The lowest offset at which `bytes` fit between the `busy` ranges.
size_t lowest_free_offset(std::vector<Placed> busy, size_t bytes) {
  std::sort(busy.begin(), busy.end(), [](const Placed& a, const Placed& b) { return a.begin < b.begin; });
  size_t candidate = 0;
  for (const Placed& range : busy) {
    if (range.begin >= candidate + bytes) break;
    candidate = std::max(candidate, range.end);
  }
  return candidate;
}

}  // namespace

ArenaLayout plan_arena(const std::vector<ArenaRequest>& requests, size_t alignment) {
  if (alignment == 0) fail("arena alignment 0");
  for (const auto& r : requests)
    if (r.first_step > r.last_step) fail("arena request lives from step {} to step {}", r.first_step, r.last_step);

  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return requests[a].bytes > requests[b].bytes; });

  ArenaLayout layout;
  layout.offsets.assign(requests.size(), 0);
  std::vector<size_t> placed;
  for (size_t i : order) {
    const size_t bytes = aligned(requests[i].bytes, alignment);
    std::vector<Placed> busy;
    for (size_t j : placed)
      if (lifetimes_overlap(requests[i], requests[j]))
        busy.push_back({layout.offsets[j], layout.offsets[j] + aligned(requests[j].bytes, alignment)});
    layout.offsets[i] = lowest_free_offset(std::move(busy), bytes);
    layout.total_bytes = std::max(layout.total_bytes, layout.offsets[i] + bytes);
    placed.push_back(i);
  }
  return layout;
}

}  // namespace stride::onednn
