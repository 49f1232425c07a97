#include "stride/video/scene_video.h"

#include <fmt/format.h>
#include <unistd.h>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "stride/core/error.h"
#include "stride/video/label_images.h"

namespace stride::video {

int64_t write_scene_video(const data::WalkingScene& scene, const SceneVideoFiles& files,
                          const std::function<void(int64_t, int64_t)>& progress) {
  const data::SceneConfig& c = scene.config();
  // The container follows the extension, so the temporary keeps it.
  const std::filesystem::path partial =
      files.video.parent_path() / fmt::format(".{}.{}.partial.avi", files.video.filename().string(), getpid());
  cv::VideoWriter writer(partial.string(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), c.fps, {c.width, c.height}, true);
  if (!writer.isOpened()) fail("{}: cannot be written as a Motion JPEG video", files.video.string());
  if (!files.masks.empty()) std::filesystem::create_directories(files.masks);
  std::vector<MotRow> truth;
  try {
    cv::Mat bgr;
    for (int f = 0; f < c.frames; ++f) {
      const data::SceneFrame frame = scene.render(f);
      cv::cvtColor(frame.image, bgr, cv::COLOR_GRAY2BGR);
      writer.write(bgr);
      for (MotRow& row : label_boxes(frame.labels, f + 1, kMinVisiblePixels)) truth.push_back(row);
      if (!files.masks.empty()) write_label_image(files.masks, f + 1, frame.labels);
      if (progress) progress(f + 1, c.frames);
    }
    writer.release();
    write_mot_csv(files.truth, truth);
    std::filesystem::rename(partial, files.video);
  } catch (...) {
    std::filesystem::remove(partial);
    throw;
  }
  return static_cast<int64_t>(truth.size());
}

}  // namespace stride::video
