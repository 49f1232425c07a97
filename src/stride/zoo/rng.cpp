#include "stride/zoo/rng.h"

#include <cmath>
#include <numbers>

namespace stride::zoo {

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
