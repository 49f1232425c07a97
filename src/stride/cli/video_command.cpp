// `stride video`: people in a video — detected, tracked, their silhouettes normalised — and the
// tracks scored against a ground truth.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/json_output.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/core/usage_error.h"
#include "stride/measure/latency_stats.h"
#include "stride/measure/result_header.h"
#include "stride/video/track_statistics.h"
#include "stride/video/track_video.h"
#include "stride/video/tracking_metrics.h"

namespace stride::cli {
namespace {

struct TrackArgs {
  std::string video;
  std::string output;
  std::string detector = "mog2";
  std::string tracker = "iou";
  std::string masks;
  std::string silhouettes;
  std::string raw_size;
  std::string annotated;
  std::string json;
};

struct ScoreArgs {
  std::string tracks;
  std::string truth;
  std::string masks;
  std::string truth_masks;
  std::string json;
};

cv::Size parse_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0, extra = 0;
  if (text.empty()) return {};
  if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 16 || h < 16 || w > 8192 ||
      h > 8192)
    usage_fail("--raw-size {}: expected WIDTHxHEIGHT, like 640x480 (16 to 8192 each)", text);
  return {w, h};
}

void track(const TrackArgs& args) {
  const JsonOutput json_output(args.json);
  check_output_paths(args.video == "-" ? std::vector<InputPath>{} : std::vector<InputPath>{{"video", args.video}},
                     {{"-o", args.output},
                      {"--masks", args.masks, OutputPath::Kind::folder},
                      {"--silhouettes", args.silhouettes, OutputPath::Kind::folder},
                      {"--annotate", args.annotated},
                      json_output.output_path()});
  video::TrackVideoOptions options;
  options.detector.kind = video::parse_detector(args.detector);
  options.tracker.kind = video::parse_tracker(args.tracker);
  options.raw_size = parse_size(args.raw_size);
  options.masks = args.masks;
  options.silhouettes = args.silhouettes;
  options.annotated = args.annotated;
  ProgressBar bar("track " + args.video);
  const video::TrackedVideo t = video::track_video(args.video, options, [&](int64_t read, int64_t declared) {
    bar.update(static_cast<size_t>(read), static_cast<size_t>(std::max(read, declared)));
  });
  video::write_mot_csv(args.output, t.rows);

  const double total = t.stages.read + t.stages.detect + t.stages.track + t.stages.silhouettes;
  const double per_frame = t.frames > 0 ? 1000.0 / static_cast<double>(t.frames) : 0.0;
  const double median_ms = t.frame_ms.empty() ? 0.0 : percentile(t.frame_ms, 50);
  const double p95_ms = t.frame_ms.empty() ? 0.0 : percentile(t.frame_ms, 95);
  fmt::print("{}: {} frames of {}x{} at {:.1f} fps, {} detector, {} tracker\n", args.video, t.frames, t.size.width,
             t.size.height, t.fps, args.detector, args.tracker);
  if (t.tracks == 0)
    fmt::print("no people found: no track lasted {} frames\n", options.tracker.min_hits);
  else
    fmt::print("{} tracks, {} boxes, {} normalised silhouettes\n", t.tracks, t.rows.size(), [&] {
      int64_t n = 0;
      for (const auto& [id, count] : t.silhouettes) n += count;
      return n;
    }());
  const video::TrackStatistics stats = video::track_statistics(t.rows, t.frames, t.size);
  if (stats.tracks > 0)
    fmt::print("{} of {} tracks last {} frames or more (median {} frames); {} start and {} end away from the "
               "frame's edges (fragments, or doors)\n",
               stats.long_tracks, stats.tracks, video::kLongTrackFrames, stats.median_frames, stats.started_inside,
               stats.ended_inside);
  fmt::print("per frame: read {:.2f} ms, detect {:.2f} ms, track {:.2f} ms, silhouettes {:.2f} ms; "
             "latency median {:.2f} ms, p95 {:.2f} ms: {:.1f} frames per second\n",
             t.stages.read * per_frame, t.stages.detect * per_frame, t.stages.track * per_frame,
             t.stages.silhouettes * per_frame, median_ms, p95_ms,
             total > 0 ? static_cast<double>(t.frames) / total : 0.0);
  fmt::print("wrote {}{}{}{}\n", args.output, args.masks.empty() ? "" : ", label images in " + args.masks,
             args.silhouettes.empty() ? "" : ", silhouettes in " + args.silhouettes,
             args.annotated.empty() ? "" : ", the annotated video " + args.annotated);
  if (!json_output.requested()) return;
  nlohmann::json stages = {{"read_ms", t.stages.read * per_frame},
                           {"detect_ms", t.stages.detect * per_frame},
                           {"track_ms", t.stages.track * per_frame},
                           {"silhouettes_ms", t.stages.silhouettes * per_frame}};
  nlohmann::json j = {{"video", args.video},
                      {"detector", args.detector},
                      {"tracker", args.tracker},
                      {"frames", t.frames},
                      {"width", t.size.width},
                      {"height", t.size.height},
                      {"video_fps", t.fps},
                      {"tracks", t.tracks},
                      {"boxes", t.rows.size()},
                      {"per_frame", stages},
                      {"latency_ms", {{"median", median_ms}, {"p95", p95_ms}}},
                      {"frames_per_second", total > 0 ? static_cast<double>(t.frames) / total : 0.0},
                      {"long_tracks", stats.long_tracks},
                      {"median_track_frames", stats.median_frames},
                      {"tracks_started_inside", stats.started_inside},
                      {"tracks_ended_inside", stats.ended_inside},
                      {"output", args.output}};
  json_output.write(result_document("video-track", 1, j));
}

void score(const ScoreArgs& args) {
  const JsonOutput json_output(args.json);
  if (args.masks.empty() != args.truth_masks.empty())
    usage_fail("--masks and --gt-masks come together: mask IoU compares the tracks' label images with the truth's");
  check_output_paths({{"tracks", args.tracks}, {"ground truth", args.truth}}, {json_output.output_path()});
  const auto truth = video::read_mot_csv(args.truth);
  const auto tracks = video::read_mot_csv(args.tracks);
  const video::TrackingScore s = args.masks.empty()
                                     ? video::score_tracks(truth, tracks)
                                     : video::score_tracks(truth, tracks, args.truth_masks, args.masks);
  fmt::print("{} against {}: {} true boxes of {} people, {} tracked boxes of {} tracks\n", args.tracks, args.truth,
             s.truth_boxes, s.truth_ids, s.tracked_boxes, s.track_ids);
  fmt::print("IDF1 {:.3f} (ID precision {:.3f}, ID recall {:.3f})\n", s.idf1, s.id_precision, s.id_recall);
  fmt::print("MOTA {:.3f}  MOTP {:.3f}  ID switches {}  misses {}  false positives {}\n", s.mota, s.motp,
             s.id_switches, s.misses, s.false_positives);
  if (s.mask_iou) fmt::print("mask IoU {:.3f} over {} matched boxes\n", *s.mask_iou, s.masks_compared);
  if (!json_output.requested()) return;
  nlohmann::json j = {{"tracks", args.tracks},       {"truth", args.truth},          {"truth_boxes", s.truth_boxes},
                      {"tracked_boxes", s.tracked_boxes}, {"truth_ids", s.truth_ids}, {"track_ids", s.track_ids},
                      {"idf1", s.idf1},              {"id_precision", s.id_precision}, {"id_recall", s.id_recall},
                      {"mota", s.mota},              {"motp", s.motp},              {"id_switches", s.id_switches},
                      {"misses", s.misses},          {"false_positives", s.false_positives}};
  if (s.mask_iou) j["mask_iou"] = *s.mask_iou;
  json_output.write(result_document("video-score", 1, j));
}

}  // namespace

void add_video_command(CLI::App& app) {
  CLI::App* video = app.add_subcommand("video", "People in a video: detect, track and segment walkers; score tracks");
  video->require_subcommand(1);
  video->footer(
      "Example:\n"
      "  stride data synth-video --people 3 --seed 5 -o walk.avi --gt gt.csv --masks gt-masks\n"
      "  stride video track walk.avi -o tracks.csv --masks masks\n"
      "  stride video score tracks.csv --gt gt.csv --masks masks --gt-masks gt-masks");

  auto t = std::make_shared<TrackArgs>();
  CLI::App* track_cmd = video->add_subcommand(
      "track", "Detect and track people, frame by frame, into MOTChallenge CSV; normalise their silhouettes");
  track_cmd->add_option("video", t->video, "A video file, a camera (/dev/video0), or - for raw BGR frames on stdin")
      ->required();
  track_cmd->add_option("-o,--output", t->output, "The tracks, MOTChallenge CSV: frame,id,x,y,w,h,conf,-1,-1,-1")
      ->required();
  track_cmd->add_option("--detector", t->detector, "mog2 (background subtraction) or hog (HOG people detector)")
      ->capture_default_str();
  track_cmd->add_option("--tracker", t->tracker,
                        "iou (Kalman + IoU, Hungarian), or kcf / csrt: also an appearance tracker per person")
      ->capture_default_str();
  track_cmd->add_option("--masks", t->masks, "Folder for the tracks' label images (16-bit PNG per frame, pixel = id)");
  track_cmd->add_option("--silhouettes", t->silhouettes,
                        "Folder for each track's 64x44 silhouettes, normalised as GaitSet's pretreatment");
  track_cmd->add_option("--annotate", t->annotated, "A video (.avi) of the frames with the tracks drawn: masks, boxes, ids");
  track_cmd->add_option("--raw-size", t->raw_size, "WIDTHxHEIGHT of the raw BGR frames read from stdin (video -)");
  add_json_option(track_cmd, t->json);
  track_cmd->footer(
      "Example:\n"
      "  stride video track walk.avi -o tracks.csv --silhouettes tracks/\n"
      "  ffmpeg -i in.mp4 -f rawvideo -pix_fmt bgr24 - | stride video track - --raw-size 640x480 -o tracks.csv");
  track_cmd->callback([t] { track(*t); });

  auto s = std::make_shared<ScoreArgs>();
  CLI::App* score_cmd =
      video->add_subcommand("score", "Score tracks against a ground truth: IDF1, MOTA, ID switches, mask IoU");
  score_cmd->add_option("tracks", s->tracks, "The tracks (MOTChallenge CSV)")->required();
  score_cmd->add_option("--gt", s->truth, "The ground truth (MOTChallenge CSV)")->required();
  score_cmd->add_option("--masks", s->masks, "The tracks' label images (stride video track --masks)");
  score_cmd->add_option("--gt-masks", s->truth_masks, "The truth's label images (stride data synth-video --masks)");
  add_json_option(score_cmd, s->json);
  score_cmd->footer("Example:\n  stride video score tracks.csv --gt gt.csv --masks masks --gt-masks gt-masks");
  score_cmd->callback([s] { score(*s); });
}

}  // namespace stride::cli
