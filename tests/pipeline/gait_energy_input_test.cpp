// Gait energy images as a model input (resnet50-gei, l-resnet50-gei): a CASIA-B recording becomes
// its one GEI at the model's size, and the CASIA-B protocol evaluates such models as it does GaitSet.
#include <gtest/gtest.h>

#include "stride/core/error.h"
#include "stride/data/casia_b.h"
#include "stride/data/gait_energy.h"
#include "stride/data/silhouette_align.h"
#include "stride/pipeline/gait_evaluation.h"
#include "stride/pipeline/gait_recordings.h"
#include "stride/zoo/zoo.h"
#include "support/data_test_support.h"

namespace stride::pipeline {
namespace {

using data::testing::expect_error_naming;
using data::testing::tiny_dataset;
using data::testing::tum_gaid_tiny_dataset;

// The GEI of a recording as data:: computes it: frames aligned at 64 rows × `columns`, averaged over
// whole gait cycles.
Tensor gei_of(const data::CasiaBSequence& s, int columns) {
  return data::gait_energy_image_over_cycles(data::align_silhouettes(data::read_silhouettes(s), columns));
}

TEST(GaitEnergyInput, ReadFromTheModel) {
  const ModelInput input = model_input_of(build_model("l-resnet50-gei", {.width_mult = 0.125}));
  EXPECT_EQ(input.kind, InputKind::gait_energy);
  EXPECT_EQ(input.frames, 1);
  EXPECT_EQ(input.height, 64);
  EXPECT_EQ(input.width, 64);
  Graph wrong = build_model("resnet50-gei", {.width_mult = 0.125});
  wrong.inputs[0].shape = {-1, 3, 64, 64};
  expect_error_naming([&] { model_input_of(wrong); }, "[N, 1, H, W]");
}

TEST(GaitEnergyInput, ABatchIsTheRecordingsGaitEnergyImages) {
  const ModelInput input{InputKind::gait_energy, 1, 64, 64, false};
  const GaitRecordings r = GaitRecordings::open(tiny_dataset(), input);
  EXPECT_EQ(r.size(), 160u);
  const data::CasiaBIndex index = data::CasiaBIndex::scan(tiny_dataset());
  const std::vector<size_t> rows{0, 7};
  const std::vector<Tensor> material = r.load(rows, 2, {});
  std::vector<Tensor> samples;
  Random random(3);
  for (const Tensor& m : material) {
    EXPECT_EQ(m.shape(), (Shape{1, 64, 64}));
    samples.push_back(cut_sample(m, input, nullptr));
    EXPECT_EQ(cut_sample(m, input, &random), samples.back());  // training sees the same one image
  }
  const Tensor batch = make_batch(std::vector<const Tensor*>{&samples[0], &samples[1]}, input);
  ASSERT_EQ(batch.shape(), (Shape{2, 1, 64, 64}));
  for (size_t i = 0; i < rows.size(); ++i) {
    // GaitRecordings keeps the index's order of recordings.
    const data::CasiaBSequence& s = index.sequences()[rows[i]];
    EXPECT_EQ(r.samples()[rows[i]].subject, s.subject);
    EXPECT_EQ(r.samples()[rows[i]].view, s.view);
    const Tensor gei = gei_of(s, 64);
    ASSERT_EQ(gei.shape(), (Shape{64, 64}));
    const auto expected = gei.values<float>();
    const auto got = batch.values<float>().subspan(i * 64 * 64, 64 * 64);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), got.begin())) << "row " << rows[i];
    double mass = 0;
    for (float v : expected) mass += v;
    EXPECT_GT(mass, 100.0);  // a walker, not an empty image
  }
}

// Another model size: the GEI at the model's aspect ratio (64 rows), then resized by area averaging.
TEST(GaitEnergyInput, OtherSizesAreTheGeiAtTheirAspectResized) {
  const data::CasiaBIndex index = data::CasiaBIndex::scan(tiny_dataset());
  const data::CasiaBSequence& s = index.sequences().front();
  // 64×44 is the GaitSet-aligned GEI itself.
  EXPECT_EQ(data::load_gait_energy_input(s, 64, 44), data::load_gait_energy_image(s));
  // 32×32: the 64×64 GEI with each 2×2 square averaged.
  const Tensor full = gei_of(s, 64), half = data::load_gait_energy_input(s, 32, 32);
  ASSERT_EQ(half.shape(), (Shape{32, 32}));
  const auto f = full.values<float>(), h = half.values<float>();
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      const float mean = (f[2 * y * 64 + 2 * x] + f[2 * y * 64 + 2 * x + 1] + f[(2 * y + 1) * 64 + 2 * x] +
                          f[(2 * y + 1) * 64 + 2 * x + 1]) /
                         4;
      ASSERT_NEAR(h[y * 32 + x], mean, 1e-6) << y << "," << x;
    }
  EXPECT_EQ(data::gait_energy_columns(128, 88), 44);
}

TEST(GaitEnergyInput, NeedsTheCasiaBLayout) {
  const ModelInput input{InputKind::gait_energy, 1, 64, 64, false};
  expect_error_naming([&] { GaitRecordings::open(tum_gaid_tiny_dataset(), input); }, "gait energy images");
}

// The CASIA-B protocol, per view, for a GEI model as for GaitSet: one feature per recording.
TEST(GaitEnergyInput, EvaluatedUnderTheCasiaBProtocol) {
  const Graph model = build_model("l-resnet50-gei", {.height = 32, .width = 32, .width_mult = 0.125, .seed = 5});
  EvaluationOptions options;
  options.backend = "ref";
  const Evaluation e = evaluate_model(model, tiny_dataset(), options);
  EXPECT_EQ(e.test_recordings, 60u);
  EXPECT_EQ(e.model_samples, 60u);
  const auto& casia = std::get<eval::CasiaBResult>(e.result);
  EXPECT_EQ(casia.views, (std::vector<int>{36, 90}));
  ASSERT_EQ(casia.conditions.size(), 3u);
  EXPECT_EQ(casia.conditions[0].per_probe_view.size(), 2u);
}

}  // namespace
}  // namespace stride::pipeline
