#include "stride/video/scene_video.h"

#include <opencv2/imgproc.hpp>

#include "stride/core/error.h"
#include "stride/core/staged_folder.h"
#include "stride/video/label_images.h"
#include "stride/video/video_file_writer.h"

namespace stride::video {

int64_t write_scene_video(const data::WalkingScene& scene, const SceneVideoFiles& files,
                          const std::function<void(int64_t, int64_t)>& progress) {
  const data::SceneConfig& c = scene.config();
  VideoFileWriter writer(files.video, c.fps, {c.width, c.height});
  StagedFolder masks(files.masks);
  std::vector<MotRow> truth;
  cv::Mat bgr;
  for (int f = 0; f < c.frames; ++f) {
    const data::SceneFrame frame = scene.render(f);
    cv::cvtColor(frame.image, bgr, cv::COLOR_GRAY2BGR);
    writer.write(bgr);
    for (MotRow& row : label_boxes(frame.labels, f + 1, kMinVisiblePixels)) truth.push_back(row);
    if (!masks.path().empty()) write_label_image(masks.path(), f + 1, frame.labels);
    if (progress) progress(f + 1, c.frames);
  }
  write_mot_csv(files.truth, truth);
  writer.finish();
  masks.finish();
  return static_cast<int64_t>(truth.size());
}

}  // namespace stride::video
