#pragma once
// Deterministic random numbers for weight initialisation. The standard <random> distributions
// may produce different sequences with different standard libraries; these functions are
// fully specified here, so a seed names the same weights everywhere.
#include <array>
#include <cstdint>

namespace stride::zoo {

// One step of splitmix64: advances `state` and returns the next output. Used to expand a
// 64-bit seed into the generator's state.
uint64_t splitmix64(uint64_t& state);

// xoshiro256** seeded through splitmix64, with uniform and normal (Box–Muller) draws.
class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t next_u64();
  // Uniform in [0, 1), from the top 53 bits of one draw.
  double uniform01();
  float uniform(float low, float high);
  // Normal by the Box–Muller transform; each pair of uniforms yields two values, used in turn.
  float normal(float mean, float stddev);

 private:
  std::array<uint64_t, 4> state_{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace stride::zoo
