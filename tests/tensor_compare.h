#pragma once
// Comparing backend outputs: the largest absolute difference relative to the largest magnitude
// of the reference, so that a tolerance means the same for features of any scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "stride/core/tensor.h"

namespace stride::testing {

inline double relative_error(const Tensor& actual, const Tensor& expected) {
  const Tensor a = actual.to_f32(), e = expected.to_f32();
  if (a.shape() != e.shape()) return INFINITY;
  double max_diff = 0, max_ref = 0;
  const auto av = a.values<float>(), ev = e.values<float>();
  for (size_t i = 0; i < av.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(static_cast<double>(av[i]) - ev[i]));
    max_ref = std::max(max_ref, std::abs(static_cast<double>(ev[i])));
  }
  return max_diff / std::max(max_ref, 1e-30);
}

inline ::testing::AssertionResult close_to(const Tensor& actual, const Tensor& expected, double tolerance) {
  if (actual.shape() != expected.shape())
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.shape()) << " vs " << shape_str(expected.shape());
  const double err = relative_error(actual, expected);
  if (err <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "relative error " << err << " > " << tolerance;
}

}  // namespace stride::testing
