#pragma once
// Deterministic random draws for weight initialisation. The standard <random> distributions may
// produce different sequences with different standard libraries; these are fully specified here
// (on stride::Random's splitmix64 stream), so a seed names the same weights everywhere.
#include <cstdint>

#include "stride/core/random.h"

namespace stride::zoo {

class Rng {
 public:
  explicit Rng(uint64_t seed) : bits_(seed) {}

  uint64_t next_u64() { return bits_.next_u64(); }
  // Uniform in [0, 1), from the top 53 bits of one draw.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform between the bounds (rounding to float may give `high` itself).
  float uniform(float low, float high);
  // Normal by the Box–Muller transform; each pair of uniforms yields two values, used in turn.
  float normal(float mean, float stddev);

 private:
  Random bits_;
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace stride::zoo
