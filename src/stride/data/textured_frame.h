#pragma once
// Grey camera frames of the walker for optical flow: a shaded, textured body in front of a static
// textured background. The texture is fixed to each body segment, so it moves with the limbs the
// way clothes do and dense optical flow can follow it.
#include <cstdint>
#include <opencv2/core.hpp>

#include "stride/data/body_shape.h"
#include "stride/data/camera.h"
#include "stride/data/raycast.h"
#include "stride/data/rng.h"
#include "stride/data/subject.h"
#include "stride/data/walk_variation.h"

namespace stride::data {

// A static scene behind the walker: a wall above the horizon and a floor below, both textured
// (CV_32FC1, grey levels in [0, 1]).
cv::Mat studio_background(int width, int height, uint64_t seed);

struct FrameLook {
  const Appearance& appearance;
  const Outfit& outfit;
  const cv::Mat& background;
  double sensor_noise = 1.0;  // +- grey levels of independent per-pixel noise
  uint64_t texture_seed = 0;  // the clothes' texture, fixed per subject
};

// The grey level (about 0..1) of the body surface seen through pixel (x, y), which `hits` (cast_rays
// of the body) says is on the body: its material's albedo, lit from above, with its cloth texture.
double body_grey(const Camera& camera, const Body& body, const HitBuffer& hits, const FrameLook& look, int x, int y);

// An 8-bit camera reading of `grey` with +-sensor_noise grey levels of uniform noise drawn from `sensor`.
uint8_t sensor_reading(double grey, double sensor_noise, Rng& sensor);

// The 8-bit grey frame (CV_8UC1) of `body` as seen by `camera`; `hits` is cast_rays of the body.
// `frame_seed` draws the sensor noise.
cv::Mat shade_frame(const Camera& camera, const Body& body, const HitBuffer& hits, const FrameLook& look,
                    uint64_t frame_seed);

}  // namespace stride::data
