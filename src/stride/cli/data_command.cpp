// `stride data`: make the procedural gait datasets and videos, and look at them.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <string>

#include "stride/cli/commands.h"
#include "stride/cli/common_options.h"
#include "stride/cli/number_checks.h"
#include "stride/cli/output_paths.h"
#include "stride/cli/progress_bar.h"
#include "stride/data/imu_synth.h"
#include "stride/data/preview.h"
#include "stride/data/synthesizer.h"
#include "stride/data/walking_scene.h"
#include "stride/video/scene_video.h"

namespace stride::cli {
namespace {

struct SynthArgs {
  std::string preset = "tiny";
  uint64_t seed = 1;
  std::string output;
  int threads = 0;
};

struct SynthImuArgs {
  std::string preset = "har-mini";
  uint64_t seed = 1;
  std::string output;
};

struct SynthVideoArgs {
  data::SceneConfig scene;
  uint64_t seed = 1;
  std::string output;
  std::string truth;
  std::string masks;
};

struct PreviewArgs {
  std::string dataset;
  std::string output = "preview.png";
  data::PreviewOptions options;
};

void synth(const SynthArgs& args) {
  check_output_paths({}, {{"-o", args.output, OutputPath::Kind::folder}});
  data::SynthConfig config = data::synth_preset(args.preset);
  config.threads = args.threads;
  ProgressBar bar("synth " + config.preset);
  const size_t recordings =
      data::synthesize(config, args.seed, args.output, [&](size_t done, size_t total) { bar.update(done, total); });
  fmt::print("wrote {} recordings of {} frames ({} preset, seed {}) to {} in {}\n", recordings, config.frames,
             config.preset, args.seed, args.output, clock_time(bar.elapsed()));
}

void synth_imu(const SynthImuArgs& args) {
  check_output_paths({}, {{"-o", args.output, OutputPath::Kind::folder}});
  const data::ImuSynthConfig config = data::imu_synth_preset(args.preset);
  ProgressBar bar("synth-imu " + config.preset);
  const data::ImuDataset dataset =
      data::synthesize_imu(config, args.seed, args.output, [&](size_t done, size_t total) { bar.update(done, total); });
  fmt::print("wrote {} train and {} test windows of {} subjects ({} preset, seed {}) to {} in {}\n",
             dataset.train.labels.size(), dataset.test.labels.size(), config.subjects, config.preset, args.seed,
             args.output, clock_time(bar.elapsed()));
}

void synth_video(const SynthVideoArgs& args) {
  check_output_paths({}, {{"-o", args.output}, {"--gt", args.truth}, {"--masks", args.masks, OutputPath::Kind::folder}});
  const data::WalkingScene scene(args.scene, args.seed);
  ProgressBar bar("synth-video");
  const int64_t boxes = video::write_scene_video(scene, {args.output, args.truth, args.masks},
                                                 [&](int64_t done, int64_t total) { bar.update(done, total); });
  std::vector<int> subjects;
  for (const data::SceneWalker& w : scene.walkers()) subjects.push_back(w.subject);
  fmt::print("wrote {} frames of {}x{} at {} fps with subjects {} (of data synth --seed {}) to {}, {} true boxes to "
             "{}{} in {}\n",
             args.scene.frames, args.scene.width, args.scene.height, args.scene.fps, fmt::join(subjects, ", "),
             args.scene.subject_seed, args.output, boxes, args.truth,
             args.masks.empty() ? "" : ", label images to " + args.masks, clock_time(bar.elapsed()));
}

void preview(const PreviewArgs& args) {
  check_output_paths({{"dataset", args.dataset}}, {{"-o", args.output}});
  data::write_preview(args.dataset, args.output, args.options);
  fmt::print("wrote the preview of {} to {}\n", args.dataset, args.output);
}

}  // namespace

void add_data_command(CLI::App& app) {
  CLI::App* data =
      app.add_subcommand("data", "Gait and body-worn sensor datasets: synthesize the procedural ones, preview any");
  data->require_subcommand(1);
  data->footer(
      "Example:\n  stride data synth --preset casia-b-mini --seed 1 -o data/casia-b-mini\n"
      "  stride data synth-imu --preset har-mini --seed 1 -o data/har-mini\n"
      "  stride data preview data/casia-b-mini -o preview.png");

  auto s = std::make_shared<SynthArgs>();
  CLI::App* synth_cmd = data->add_subcommand(
      "synth", "Render a procedural gait dataset: CASIA-B style silhouettes or TUM-GAID style grey frames");
  synth_cmd
      ->add_option("--preset", s->preset,
                   fmt::format("Dataset size and kind: {}", fmt::join(data::synth_preset_names(), ", ")))
      ->capture_default_str();
  add_seed_option(synth_cmd, s->seed, "of every subject, sequence and frame");
  synth_cmd->add_option("--output,-o", s->output, "Folder to create (must be absent or empty)")->required();
  add_threads_option(synth_cmd, s->threads, "rendering; never changes the output");
  synth_cmd->footer(
      "Example:\n  stride data synth --preset tiny --seed 7 -o data/tiny\n"
      "  stride data synth --preset tum-gaid-mini -o data/tum-gaid-mini\n"
      "Layouts are described in docs/data.md.");
  synth_cmd->callback([s] { synth(*s); });

  auto i = std::make_shared<SynthImuArgs>();
  CLI::App* imu_cmd = data->add_subcommand(
      "synth-imu", "Simulate a smartphone on the waist (UCI HAR layout): 6 activities, 50 Hz, windows of 128 samples");
  imu_cmd
      ->add_option("--preset", i->preset,
                   fmt::format("Dataset size: {}", fmt::join(data::imu_synth_preset_names(), ", ")))
      ->capture_default_str();
  add_seed_option(imu_cmd, i->seed, "of every subject, recording and sensor reading");
  imu_cmd->add_option("--output,-o", i->output, "Folder to create (must be absent or empty)")->required();
  imu_cmd->footer(
      "Example:\n  stride data synth-imu --preset har-mini --seed 1 -o data/har-mini\n"
      "  stride data synth-imu --preset har -o data/har\n"
      "The UCI HAR layout and the simulation are described in docs/data.md.");
  imu_cmd->callback([i] { synth_imu(*i); });

  auto v = std::make_shared<SynthVideoArgs>();
  CLI::App* video_cmd = data->add_subcommand(
      "synth-video", "Render generated walkers crossing a scene as a video, with ground-truth boxes, ids and masks");
  video_cmd->add_option("--people", v->scene.people, "Walkers in the scene (ids drawn from 1..124 unless --subjects)")
      ->capture_default_str()
      ->check(CLI::Range(1, 9));
  video_cmd->add_option("--subjects", v->scene.subjects, "The subject ids that walk, e.g. 75,80,93 (sets --people)")
      ->delimiter(',');
  video_cmd->add_option("--subject-seed", v->scene.subject_seed,
                        "The `data synth --seed` whose subjects walk here (their bodies and gaits)")
      ->capture_default_str();
  add_seed_option(video_cmd, v->seed, "of the scene: lanes, directions, timing, pillar, sensor noise");
  video_cmd->add_option("--frames", v->scene.frames, "Length of the video (25 frames per second)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  video_cmd->add_option("--output,-o", v->output, "The video to write (.avi, Motion JPEG, 640x480)")->required();
  video_cmd->add_option("--gt", v->truth, "The ground truth to write: MOTChallenge CSV, ids = subject ids")->required();
  video_cmd->add_option("--masks", v->masks, "Folder for the true label images (16-bit PNG per frame, pixel = id)");
  video_cmd->footer(
      "Example:\n  stride data synth-video --people 3 --seed 5 -o walk.avi --gt gt.csv --masks gt-masks\n"
      "  stride data synth-video --subjects 75,80,93,101 --subject-seed 1 -o walk.avi --gt gt.csv\n"
      "The scene is described in docs/video.md.");
  video_cmd->callback([v] {
    if (!v->scene.subjects.empty()) v->scene.people = static_cast<int>(v->scene.subjects.size());
    synth_video(*v);
  });

  auto p = std::make_shared<PreviewArgs>();
  CLI::App* preview_cmd = data->add_subcommand("preview",
                                               "Draw a PNG sheet of a dataset: frames per subject, condition and view "
                                               "(gait), or windows per activity (UCI HAR)");
  add_data_argument(preview_cmd, p->dataset, "the one drawn")->required();
  preview_cmd->add_option("--output,-o", p->output, "PNG file to write")->capture_default_str();
  preview_cmd->add_option("--subjects", p->options.subjects, "First subjects shown (UCI HAR: of the train split)")
      ->capture_default_str()
      ->check(positive());
  preview_cmd->add_option("--frames", p->options.frames, "Frames per row (UCI HAR: windows per activity)")
      ->capture_default_str()
      ->check(positive());
  preview_cmd->add_option("--scale", p->options.scale, "Size of the frames (or windows) in the sheet")
      ->capture_default_str()
      ->check(in_range(0.05, 4.0));
  preview_cmd->footer(
      "Example:\n  stride data preview data/tiny -o tiny-preview.png --subjects 3 --frames 10\n"
      "  stride data preview data/har-mini -o har-preview.png --frames 4");
  preview_cmd->callback([p] { preview(*p); });
}

}  // namespace stride::cli
