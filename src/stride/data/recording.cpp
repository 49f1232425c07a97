#include "stride/data/recording.h"

#include <cmath>

#include "stride/data/raycast.h"
#include "stride/data/rng.h"
#include "stride/data/segmentation_noise.h"
#include "stride/data/subject.h"
#include "stride/data/textured_frame.h"
#include "stride/data/walk_variation.h"
#include "stride/data/walker.h"

namespace stride::data {
namespace {

constexpr uint64_t kCameraStream = 3, kNoiseStream = 4, kTextureStream = 5, kBackgroundStream = 6, kSensorStream = 7;

uint64_t recording_seed(uint64_t seed, uint64_t stream, const RecordingId& id) {
  return derive_seed(seed, {stream, static_cast<uint64_t>(id.subject), static_cast<uint64_t>(id.condition),
                            static_cast<uint64_t>(id.sequence), static_cast<uint64_t>(id.view)});
}

double frame_time(const SynthConfig& config, int frame) {
  return (frame - 0.5 * (config.frames - 1)) / config.studio.fps;
}

// Renders each frame of the recording and hands its camera, body and ray hits to `emit`.
template <typename Emit>
void film(const SynthConfig& config, uint64_t seed, const RecordingId& id, Emit&& emit) {
  const Subject subject = sample_subject(seed, id.subject);
  const WalkVariation walk = sample_walk_variation(seed, id.subject, subject, id.condition, id.sequence);
  const Camera camera = recording_camera(config.studio, seed, id);
  for (int f = 0; f < config.frames; ++f) {
    const Body body = walker_at(subject, walk, frame_time(config, f));
    emit(f, camera, body, cast_rays(camera, body.parts), subject, walk);
  }
}

}  // namespace

Camera recording_camera(const Studio& studio, uint64_t seed, const RecordingId& id) {
  Rng rng(recording_seed(seed, kCameraStream, id));
  const double azimuth = degrees(id.view + rng.gaussian(0.0, 1.5));
  const double distance = studio.camera_distance * rng.gaussian(1.0, 0.03);
  const Vec3 eye{distance * std::cos(azimuth), -distance * std::sin(azimuth),
                 studio.camera_height + rng.gaussian(0.0, 0.05)};
  return look_at(eye, {0, 0, studio.target_height}, studio.focal * rng.gaussian(1.0, 0.02), studio.width,
                 studio.height);
}

std::vector<cv::Mat> render_silhouettes(const SynthConfig& config, uint64_t seed, const RecordingId& id) {
  const SegmentationCorruptor corrupt(config.noise, config.frames, recording_seed(seed, kNoiseStream, id));
  std::vector<cv::Mat> frames;
  film(config, seed, id,
       [&](int f, const Camera&, const Body&, const HitBuffer& hits, const Subject&, const WalkVariation&) {
         frames.push_back(corrupt.apply(silhouette(hits), f));
       });
  return frames;
}

std::vector<cv::Mat> render_grey_frames(const SynthConfig& config, uint64_t seed, const RecordingId& id) {
  const cv::Mat background =
      studio_background(config.studio.width, config.studio.height, recording_seed(seed, kBackgroundStream, id));
  const uint64_t texture = derive_seed(seed, {kTextureStream, static_cast<uint64_t>(id.subject)});
  const uint64_t sensor = recording_seed(seed, kSensorStream, id);
  std::vector<cv::Mat> frames;
  film(config, seed, id,
       [&](int f, const Camera& camera, const Body& body, const HitBuffer& hits, const Subject& subject,
           const WalkVariation& walk) {
         const FrameLook look{subject.appearance, walk.outfit, background, config.sensor_noise, texture};
         frames.push_back(shade_frame(camera, body, hits, look, derive_seed(sensor, {static_cast<uint64_t>(f)})));
       });
  return frames;
}

}  // namespace stride::data
