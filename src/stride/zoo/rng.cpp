#include "stride/zoo/rng.h"

#include <cmath>
#include <numbers>

namespace stride::zoo {
namespace {

uint64_t rotate_left(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t splitmix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  for (auto& word : state_) word = splitmix64(seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotate_left(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotate_left(state_[3], 45);
  return result;
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

float Rng::uniform(float low, float high) {
  return static_cast<float>(low + (static_cast<double>(high) - low) * uniform01());
}

float Rng::normal(float mean, float stddev) {
  double z;
  if (has_spare_normal_) {
    z = spare_normal_;
    has_spare_normal_ = false;
  } else {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform01()));
    const double angle = 2.0 * std::numbers::pi * uniform01();
    z = radius * std::cos(angle);
    spare_normal_ = radius * std::sin(angle);
    has_spare_normal_ = true;
  }
  return static_cast<float>(mean + stddev * z);
}

}  // namespace stride::zoo
