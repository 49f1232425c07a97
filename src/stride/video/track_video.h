#pragma once
// A video through detection, tracking and silhouette normalisation, frame by frame: each frame is
// read, processed and dropped, so a stream of any length runs in constant memory, and the time of
// every stage of every frame is measured.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "stride/video/mot_csv.h"
#include "stride/video/people_tracker.h"
#include "stride/video/person_detector.h"

namespace stride::video {

struct TrackVideoOptions {
  DetectorOptions detector;
  TrackerOptions tracker;
  cv::Size raw_size;                  // frames on standard input ("-")
  // Folders, absent or empty, that appear whole once the video is done (core/staged_folder.h):
  std::filesystem::path masks;        // label images of the tracks (one per frame); empty: none
  std::filesystem::path silhouettes;  // TRACK/NNNNNN.png, 64x44 normalised silhouettes; empty: none
  std::filesystem::path annotated;    // a Motion JPEG .avi of the frames with the tracks drawn; empty: none
  // Keep every track's normalised silhouettes in memory (TrackedVideo::walks), for identification.
  bool keep_walks = false;
};

// One track's walk as a gait model sees it: its normalised silhouettes in frame order.
struct TrackWalk {
  std::vector<cv::Mat> silhouettes;  // 64x44 CV_32FC1
  std::vector<int64_t> frames;       // the frame (from 1) of each
  double first_centre_x = 0, last_centre_x = 0;  // of its boxes: the direction it walks
};

// Seconds spent in each stage over the whole video.
struct StageSeconds {
  double read = 0, detect = 0, track = 0, silhouettes = 0;
};

struct TrackedVideo {
  std::vector<MotRow> rows;  // every reported box, frame by frame
  int64_t frames = 0;
  int64_t tracks = 0;  // confirmed tracks
  double fps = 0;      // of the source
  cv::Size size;
  StageSeconds stages;
  std::vector<double> frame_ms;  // per frame, all stages together
  // Per track: how many normalised silhouettes it gave.
  std::map<int64_t, int64_t> silhouettes;
  std::map<int64_t, TrackWalk> walks;  // with keep_walks
};

// Called after every frame with the frames read so far and the source's declared count (0 unknown).
using TrackProgress = std::function<void(int64_t read, int64_t declared)>;

TrackedVideo track_video(const std::string& source, const TrackVideoOptions& options, const TrackProgress& progress = {});

}  // namespace stride::video
