#pragma once
// Deterministic random numbers for the gait generator, on top of stride::Random (splitmix64)
// rather than the <random> distributions, whose algorithms differ between standard libraries: the
// same seed must give the same dataset with every compiler and on every platform.
#include <cstdint>
#include <initializer_list>

#include "stride/core/random.h"

namespace stride::data {

// One splitmix64 output of `state`: a strong 64-bit mix, used to hash lattice points and keys.
inline uint64_t mix64(uint64_t state) { return Random(state).next_u64(); }

// A seed for the stream named by `keys` (e.g. {kind, subject, sequence}): every piece of the
// dataset draws from its own stream, so the output does not depend on the order of the work.
inline uint64_t derive_seed(uint64_t seed, std::initializer_list<uint64_t> keys) {
  uint64_t mixed = mix64(seed);
  for (uint64_t key : keys) mixed = mix64(mixed ^ (key * 0xD6E8FEB86659FD93ull));
  return mixed;
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : bits_(seed) {}

  uint64_t next() { return bits_.next_u64(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n); n > 0.
  int below(int n) { return static_cast<int>(uniform() * n); }
  bool chance(double probability) { return uniform() < probability; }
  // Bell-shaped with the given mean and standard deviation: the sum of four uniforms (Irwin-Hall),
  // which needs no transcendental functions and never strays beyond +-3.46 standard deviations,
  // so no body part is ever absurdly sized.
  double gaussian(double mean, double sd) {
    double sum = uniform() + uniform() + uniform() + uniform();
    return mean + sd * (sum - 2.0) * 1.7320508075688772;  // sqrt(12 / 4) makes the variance 1
  }

 private:
  Random bits_;
};

}  // namespace stride::data
