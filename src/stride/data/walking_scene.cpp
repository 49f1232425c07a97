#include "stride/data/walking_scene.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "stride/core/error.h"
#include "stride/data/raycast.h"
#include "stride/data/rng.h"
#include "stride/data/textured_frame.h"
#include "stride/data/value_noise.h"
#include "stride/data/walker.h"

namespace stride::data {
namespace {

constexpr uint64_t kWalkerStream = 11, kBackgroundStream = 12, kSensorStream = 13, kTextureStream = 14;
// The probe sequence of the CASIA-B protocol (nm-05): a walk the dataset's gallery never holds.
constexpr int kSceneSequence = 5;
constexpr double kLaneHalfWidth = 2.0, kLaneSpacing = 0.5;  // metres

// `count` lanes in [-kLaneHalfWidth, kLaneHalfWidth] at least kLaneSpacing apart (bodies never
// walk through each other), drawn by rejection.
std::vector<double> draw_lanes(Rng& rng, int count) {
  std::vector<double> lanes;
  while (static_cast<int>(lanes.size()) < count) {
    const double lane = rng.uniform(-kLaneHalfWidth, kLaneHalfWidth);
    if (std::all_of(lanes.begin(), lanes.end(), [&](double l) { return std::abs(l - lane) >= kLaneSpacing; }))
      lanes.push_back(lane);
  }
  return lanes;
}

std::vector<int> draw_subjects(Rng& rng, const SceneConfig& config) {
  if (!config.subjects.empty()) return config.subjects;
  std::vector<int> ids;
  while (static_cast<int>(ids.size()) < config.people) {
    const int id = 1 + rng.below(config.subject_pool);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

}  // namespace

void check_scene_config(const SceneConfig& c) {
  const int most_people = static_cast<int>(2 * kLaneHalfWidth / kLaneSpacing) + 1;
  const int people = c.subjects.empty() ? c.people : static_cast<int>(c.subjects.size());
  if (people < 1 || people > most_people)
    fail("scene: {} people; the walkway has lanes for 1 to {}", people, most_people);
  if (c.subjects.empty() && (c.subject_pool < people || c.subject_pool > 999))
    fail("scene: {} people drawn from {} subjects; expected a pool of {} to 999", people, c.subject_pool, people);
  for (size_t i = 0; i < c.subjects.size(); ++i) {
    if (c.subjects[i] < 1 || c.subjects[i] > 999) fail("scene: subject id {}; expected 1 to 999", c.subjects[i]);
    if (std::find(c.subjects.begin(), c.subjects.begin() + static_cast<long>(i), c.subjects[i]) !=
        c.subjects.begin() + static_cast<long>(i))
      fail("scene: subject {} is listed twice", c.subjects[i]);
  }
  if (c.width < 64 || c.height < 64 || c.width > 4096 || c.height > 4096)
    fail("scene: a {}x{} frame; expected 64 to 4096 pixels each way", c.width, c.height);
  if (c.frames < 1 || c.frames > 100000) fail("scene: {} frames; expected 1 to 100000", c.frames);
  if (!(c.fps >= 1 && c.fps <= 240)) fail("scene: {} frames per second; expected 1 to 240", c.fps);
}

WalkingScene::WalkingScene(const SceneConfig& config, uint64_t seed) : config_(config), seed_(seed) {
  check_scene_config(config_);
  camera_ = look_at({0, -config_.camera_distance, config_.camera_height}, {0, 0, config_.target_height}, config_.focal,
                    config_.width, config_.height);

  // The scene: textured wall and floor, and a pillar standing between the camera and the walkway.
  background_ = studio_background(config_.width, config_.height, derive_seed(seed, {kBackgroundStream}));
  Rng rng(derive_seed(seed, {kWalkerStream}));
  if (config_.pillar) {
    const int width = std::max(4, config_.width / 20);
    const int x = static_cast<int>(rng.uniform(0.3, 0.7) * config_.width);
    pillar_ = cv::Rect(x, 0, width, config_.height);
    const cv::Mat grain = noise_image(width, config_.height, 6.0, derive_seed(seed, {kBackgroundStream, 1}));
    for (int y = 0; y < config_.height; ++y)
      for (int i = 0; i < width; ++i) {
        // Lit from the left: brighter on one side, as a round column is.
        const double shade = 0.85 - 0.35 * i / width;
        background_.at<float>(y, x + i) = static_cast<float>(shade * (0.6 + 0.2 * grain.at<float>(y, i)));
      }
  }

  // Each walker passes the centre at its own time, spread over the video's middle, on its own lane;
  // directions alternate so that walkers cross (and hide each other).
  const std::vector<int> ids = draw_subjects(rng, config_);
  const std::vector<double> lanes = draw_lanes(rng, static_cast<int>(ids.size()));
  const double duration = config_.frames / config_.fps;
  const int first_direction = rng.chance(0.5) ? 1 : -1;
  for (size_t i = 0; i < ids.size(); ++i) {
    SceneWalker w;
    w.subject = ids[i];
    w.lane = lanes[i];
    w.direction = i % 2 == 0 ? first_direction : -first_direction;
    w.centre_time = duration * rng.uniform(0.25, 0.75);
    w.body = sample_subject(config_.subject_seed, w.subject);
    w.walk = sample_walk_variation(config_.subject_seed, w.subject, w.body, Condition::normal, kSceneSequence);
    w.walk.heading += w.direction > 0 ? 0.0 : 3.141592653589793;
    w.walk.path_offset = w.lane;
    walkers_.push_back(std::move(w));
  }
}

SceneFrame WalkingScene::render(int index) const {
  const double t = index / config_.fps;
  const size_t pixels = static_cast<size_t>(config_.width) * config_.height;
  // Per pixel, the nearest walker's hit: every walker is cast alone and the nearest surface wins.
  std::vector<Body> bodies;
  std::vector<HitBuffer> hits;
  std::vector<float> nearest(pixels, std::numeric_limits<float>::infinity());
  std::vector<int> owner(pixels, -1);
  for (size_t w = 0; w < walkers_.size(); ++w) {
    bodies.push_back(walker_at(walkers_[w].body, walkers_[w].walk, t - walkers_[w].centre_time));
    hits.push_back(cast_rays(camera_, bodies.back().parts));
    for (size_t p = 0; p < pixels; ++p)
      if (hits.back().part[p] >= 0 && hits.back().distance[p] < nearest[p]) {
        nearest[p] = hits.back().distance[p];
        owner[p] = static_cast<int>(w);
      }
  }

  SceneFrame frame{cv::Mat(config_.height, config_.width, CV_8UC1), cv::Mat::zeros(config_.height, config_.width, CV_16UC1)};
  Rng sensor(derive_seed(seed_, {kSensorStream, static_cast<uint64_t>(index)}));
  for (int y = 0; y < config_.height; ++y) {
    for (int x = 0; x < config_.width; ++x) {
      const int w = owner[static_cast<size_t>(y) * config_.width + x];
      double grey = background_.at<float>(y, x);
      if (w >= 0 && !pillar_.contains({x, y})) {
        const SceneWalker& walker = walkers_[static_cast<size_t>(w)];
        const FrameLook look{walker.body.appearance, walker.walk.outfit, background_, config_.sensor_noise,
                             derive_seed(seed_, {kTextureStream, static_cast<uint64_t>(walker.subject)})};
        grey = body_grey(camera_, bodies[static_cast<size_t>(w)], hits[static_cast<size_t>(w)], look, x, y);
        frame.labels.at<uint16_t>(y, x) = static_cast<uint16_t>(walker.subject);
      }
      frame.image.at<uint8_t>(y, x) = sensor_reading(grey, config_.sensor_noise, sensor);
    }
  }
  return frame;
}

}  // namespace stride::data
