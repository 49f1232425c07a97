#include "stride/video/track_video.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "stride/core/error.h"
#include "stride/core/staged_folder.h"
#include "stride/data/image_file.h"
#include "stride/video/frame_source.h"
#include "stride/video/gait_pretreatment.h"
#include "stride/video/label_images.h"
#include "stride/video/track_drawing.h"
#include "stride/video/video_file_writer.h"
#include "stride/video/tracking_metrics.h"

namespace stride::video {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point& start) {
  const Clock::time_point now = Clock::now();
  const double s = std::chrono::duration<double>(now - start).count();
  start = now;
  return s;
}

cv::Rect clipped(const Box& b, const cv::Size& size) {
  return cv::Rect(static_cast<int>(b.x), static_cast<int>(b.y), static_cast<int>(b.w), static_cast<int>(b.h)) &
         cv::Rect(0, 0, size.width, size.height);
}

void write_silhouette(const std::filesystem::path& folder, int64_t track, int64_t frame, const cv::Mat& silhouette) {
  const std::filesystem::path dir = folder / fmt::format("{:03d}", track);
  std::filesystem::create_directories(dir);
  cv::Mat bytes;
  silhouette.convertTo(bytes, CV_8U, 255.0);
  data::write_png(label_image_path(dir, frame), bytes);
}

}  // namespace

TrackedVideo track_video(const std::string& source_name, const TrackVideoOptions& options, const TrackProgress& progress) {
  FrameSource source(source_name, options.raw_size);
  PersonDetector detector(options.detector);
  PeopleTracker tracker(options.tracker);
  StagedFolder masks(options.masks), silhouettes(options.silhouettes);
  TrackedVideo out;
  out.fps = source.fps();
  std::unique_ptr<VideoFileWriter> annotated;
  cv::Mat frame;
  while (true) {
    Clock::time_point start = Clock::now(), stage = start;
    if (!source.next(frame)) break;
    out.stages.read += seconds_since(stage);
    if (out.frames == 0) out.size = frame.size();
    if (frame.size() != out.size)
      fail("video {}: frame {} is {}x{}, the first was {}x{}", source_name, out.frames + 1, frame.cols, frame.rows,
           out.size.width, out.size.height);
    ++out.frames;
    std::vector<Detection> detections = detector.detect(frame);
    out.stages.detect += seconds_since(stage);
    const std::vector<TrackedPerson> people = tracker.update(frame, std::move(detections));
    out.stages.track += seconds_since(stage);

    cv::Mat labels;
    if (!masks.path().empty()) labels = cv::Mat::zeros(frame.size(), CV_16UC1);
    for (const TrackedPerson& p : people) {
      out.rows.push_back({out.frames, p.id, p.box, p.conf});
      if (p.mask.empty()) continue;
      if (!labels.empty()) {
        const cv::Rect r = clipped(p.box, frame.size());
        labels(r).setTo(cv::Scalar(static_cast<double>(p.id)), p.mask(cv::Rect(0, 0, r.width, r.height)));
      }
      if (p.grouped) continue;  // a share of a group's blob: no silhouette to judge a gait by
      if (const auto silhouette = gaitset_pretreatment(p.mask)) {
        ++out.silhouettes[p.id];
        if (options.keep_walks) {
          TrackWalk& walk = out.walks[p.id];
          const double centre = p.box.x + p.box.w / 2;
          if (walk.frames.empty()) walk.first_centre_x = centre;
          walk.last_centre_x = centre;
          walk.silhouettes.push_back(*silhouette);
          walk.frames.push_back(out.frames);
        }
        if (!silhouettes.path().empty()) write_silhouette(silhouettes.path(), p.id, out.frames, *silhouette);
      }
    }
    if (!labels.empty()) write_label_image(masks.path(), out.frames, labels);
    if (!options.annotated.empty()) {
      if (!annotated) annotated = std::make_unique<VideoFileWriter>(options.annotated, out.fps, out.size);
      draw_tracks(frame, people);
      annotated->write(frame);
    }
    out.stages.silhouettes += seconds_since(stage);
    out.frame_ms.push_back(1000.0 * std::chrono::duration<double>(Clock::now() - start).count());
    if (progress) progress(out.frames, source.declared_frames());
  }
  if (annotated) annotated->finish();
  masks.finish();
  silhouettes.finish();
  out.tracks = tracker.tracks_started();
  return out;
}

}  // namespace stride::video
