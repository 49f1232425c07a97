// `stride data`: make the procedural gait datasets and look at them.
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
