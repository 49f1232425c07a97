#pragma once
// Lattice value noise: smooth pseudo-random fields used for clothing and background texture and for
// the shape of segmentation errors.
#include <cstdint>
#include <opencv2/core.hpp>

#include "stride/data/geometry.h"

namespace stride::data {

// Smooth noise in [0, 1] with features about one unit apart; a pure function of (p, seed).
double value_noise(const Vec3& p, uint64_t seed);

// A CV_32FC1 image of smooth noise in [0, 1] with features about `cell` pixels apart.
cv::Mat noise_image(int width, int height, double cell, uint64_t seed);

}  // namespace stride::data
