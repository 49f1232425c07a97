// The arena planner: buffers alive at the same time never share bytes, dead buffers are reused.
#include "stride/engine/onednn/arena_planner.h"

#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/core/random.h"

namespace stride::onednn {
namespace {

bool overlap_in_time(const ArenaRequest& a, const ArenaRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

void expect_valid(const std::vector<ArenaRequest>& requests, const ArenaLayout& layout) {
  ASSERT_EQ(layout.offsets.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(layout.offsets[i] % kArenaAlignment, 0u);
    EXPECT_LE(layout.offsets[i] + requests[i].bytes, layout.total_bytes);
    for (size_t j = i + 1; j < requests.size(); ++j) {
      if (!overlap_in_time(requests[i], requests[j])) continue;
      const bool apart = layout.offsets[i] + requests[i].bytes <= layout.offsets[j] ||
                         layout.offsets[j] + requests[j].bytes <= layout.offsets[i];
      EXPECT_TRUE(apart) << "buffers " << i << " and " << j << " are alive together and overlap";
    }
  }
}

TEST(ArenaPlanner, AChainNeedsOnlyTwoBuffersAtATime) {
  // x0 -> x1 -> x2 -> x3: each buffer is written by one step and read by the next.
  const std::vector<ArenaRequest> chain{{1000, 0, 1}, {3000, 1, 2}, {2000, 2, 3}, {1000, 3, 4}};
  const ArenaLayout layout = plan_arena(chain);
  expect_valid(chain, layout);
  // The largest pair alive together (3000 + 2000 bytes, each rounded up to 64), not the sum of all four.
  EXPECT_EQ(layout.total_bytes, 3008u + 2048u);
}

TEST(ArenaPlanner, BuffersAliveTogetherAreSideBySide) {
  const std::vector<ArenaRequest> together{{100, 0, 5}, {200, 2, 3}, {300, 3, 4}};
  const ArenaLayout layout = plan_arena(together);
  expect_valid(together, layout);
  EXPECT_EQ(layout.total_bytes, 128u + 256u + 320u);
}

TEST(ArenaPlanner, RandomLifetimesNeverCollide) {
  Random rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<ArenaRequest> requests;
    size_t peak_sum = 0;
    for (int i = 0; i < 40; ++i) {
      const size_t first = rng.next_u64() % 30;
      requests.push_back({1 + rng.next_u64() % 5000, first, first + rng.next_u64() % 8});
      peak_sum += (requests.back().bytes + 63) / 64 * 64;
    }
    const ArenaLayout layout = plan_arena(requests);
    expect_valid(requests, layout);
    EXPECT_LE(layout.total_bytes, peak_sum);
  }
}

TEST(ArenaPlanner, EmptyAndBackwardsRequests) {
  EXPECT_EQ(plan_arena({}).total_bytes, 0u);
  EXPECT_THROW(plan_arena({{10, 3, 2}}), Error);
}

}  // namespace
}  // namespace stride::onednn
