#pragma once
// A small, fast, deterministic random generator (splitmix64). Stride uses it instead of the
// standard distributions so that seeded results are identical with every standard library.
#include <cstdint>

namespace stride {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next_u64() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // The stream's position: Random(r.state()) continues exactly where `r` is (for checkpoints).
  uint64_t state() const { return state_; }
  // Uniform in [0, 1) with 24 random bits.
  float uniform() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }

 private:
  uint64_t state_;
};

}  // namespace stride
