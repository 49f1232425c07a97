#include "stride/pipeline/model_input.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>

#include "stride/core/error.h"
#include "stride/pipeline/gait_recordings.h"
#include "stride/zoo/zoo.h"

namespace stride::pipeline {
namespace {

TEST(ModelInput, ReadsEachZooModelsSampleForm) {
  const ModelInput gaitset = model_input_of(build_model("gaitset"));
  EXPECT_EQ(gaitset.kind, InputKind::silhouettes);
  EXPECT_EQ(gaitset.frames, 30);
  EXPECT_EQ(gaitset.height, 64);
  EXPECT_EQ(gaitset.width, 44);

  const ModelInput cnn2d = model_input_of(build_model("cnn2d", {.width_mult = 0.25}));
  EXPECT_EQ(cnn2d.kind, InputKind::optical_flow);
  EXPECT_EQ(cnn2d.frames, 25);
  EXPECT_FALSE(cnn2d.flow_volume);

  const ModelInput cnn3d = model_input_of(build_model("cnn3d", {.width_mult = 0.25}));
  EXPECT_EQ(cnn3d.kind, InputKind::optical_flow);
  EXPECT_EQ(cnn3d.frames, 25);
  EXPECT_EQ(cnn3d.height, 60);
  EXPECT_TRUE(cnn3d.flow_volume);
}

TEST(ModelInput, RefusesAModelThatDoesNotSayWhatItTakes) {
  Graph g = build_model("cnn2d", {.width_mult = 0.25});
  g.metadata.erase("stride.input_kind");
  EXPECT_THROW(model_input_of(g), Error);
  g.metadata["stride.input_kind"] = "audio";
  EXPECT_THROW(model_input_of(g), Error);
}

TEST(MakeBatch, FlowStacksBecomeComponentMajorVolumes) {
  // Two 1x1 flow fields stored x0, y0, x1, y1 → [2, T=2, 1, 1] = x0, x1, y0, y1.
  const ModelInput volume{InputKind::optical_flow, 2, 1, 1, true};
  const Tensor a = Tensor::from_vector<float>({4, 1, 1}, {1, 2, 3, 4});
  const Tensor b = Tensor::from_vector<float>({4, 1, 1}, {5, 6, 7, 8});
  const std::vector<const Tensor*> samples{&a, &b};
  const Tensor batch = make_batch(samples, volume);
  EXPECT_EQ(batch.shape(), (Shape{2, 2, 2, 1, 1}));
  const std::vector<float> expected{1, 3, 2, 4, 5, 7, 6, 8};
  EXPECT_EQ(std::vector<float>(batch.values<float>().begin(), batch.values<float>().end()), expected);

  const ModelInput stacked{InputKind::optical_flow, 2, 1, 1, false};
  const Tensor plain = make_batch(samples, stacked);
  EXPECT_EQ(plain.shape(), (Shape{2, 4, 1, 1}));
  EXPECT_EQ(plain.values<float>()[5], 6.0f);

  const Tensor wrong = Tensor::from_vector<float>({2, 1, 1}, {1, 2});
  const std::vector<const Tensor*> bad{&wrong};
  EXPECT_THROW(make_batch(bad, stacked), Error);
}

// A clip whose frame i holds the value i everywhere.
Tensor numbered_clip(int frames) {
  Tensor clip(DType::f32, {frames, 2, 3});
  for (int64_t i = 0; i < clip.numel(); ++i) clip.values<float>()[i] = static_cast<float>(i / 6);
  return clip;
}

std::vector<int> frame_numbers(const Tensor& sample) {
  std::vector<int> out;
  for (int64_t f = 0; f < sample.dim(0); ++f) out.push_back(static_cast<int>(sample.values<float>()[f * 6]));
  return out;
}

TEST(CutSample, EvaluationTakesTheFirstFramesInOrderCycling) {
  const Tensor material = numbered_clip(5);
  const ModelInput input{InputKind::silhouettes, 7, 2, 3, false};
  EXPECT_EQ(frame_numbers(cut_sample(material, input, nullptr)), (std::vector<int>{0, 1, 2, 3, 4, 0, 1}));
}

TEST(CutSample, TrainingTakesARandomSetWithoutRepeats) {
  const Tensor material = numbered_clip(9);
  const ModelInput input{InputKind::silhouettes, 4, 2, 3, false};
  Random random(3);
  std::set<std::vector<int>> seen;
  for (int draw = 0; draw < 20; ++draw) {
    const std::vector<int> frames = frame_numbers(cut_sample(material, input, &random));
    ASSERT_EQ(frames.size(), 4u);
    for (size_t i = 1; i < frames.size(); ++i) EXPECT_LT(frames[i - 1], frames[i]);  // distinct, in order
    for (int f : frames) EXPECT_TRUE(f >= 0 && f < 9);
    seen.insert(frames);
  }
  EXPECT_GT(seen.size(), 10u);  // 126 possible sets: twenty draws repeat few
}

TEST(CutSample, FlowTakesAWindowAtTheGivenOrARandomStart) {
  // Four 1x1 fields numbered 0..3 (x and y alike); windows of two fields start at 0, 1 or 2.
  const Tensor sequence = Tensor::from_vector<float>({8, 1, 1}, {0, 0, 1, 1, 2, 2, 3, 3});
  const ModelInput input{InputKind::optical_flow, 2, 1, 1, false};
  EXPECT_EQ(flow_windows_in(4, input), 3);
  auto values = [](const Tensor& t) { return std::vector<float>(t.values<float>().begin(), t.values<float>().end()); };
  EXPECT_EQ(values(cut_sample(sequence, input, nullptr)), (std::vector<float>{0, 0, 1, 1}));
  EXPECT_EQ(values(cut_sample(sequence, input, nullptr, 2)), (std::vector<float>{2, 2, 3, 3}));
  Random random(1);
  std::set<float> starts;
  for (int i = 0; i < 30; ++i) starts.insert(cut_sample(sequence, input, &random).values<float>()[0]);
  EXPECT_EQ(starts, (std::set<float>{0.0f, 1.0f, 2.0f}));
}

TEST(CutSample, TrainingMovesFlowWindowsByAFewPixels) {
  // One field of 30x30 with a single non-zero x flow at (15, 15): up to 30 / 15 = 2 pixels each way.
  Tensor sequence(DType::f32, {2, 30, 30});
  std::fill_n(sequence.data<float>(), sequence.numel(), 0.0f);
  sequence.data<float>()[15 * 30 + 15] = 1.0f;
  const ModelInput input{InputKind::optical_flow, 1, 30, 30, false};
  Random random(4);
  std::set<std::pair<int, int>> places;
  for (int draw = 0; draw < 40; ++draw) {
    const Tensor sample = cut_sample(sequence, input, &random);
    const auto v = sample.values<float>();
    ASSERT_EQ(std::count(v.begin(), v.end(), 1.0f), 1);  // moved, not lost or copied
    const auto at = std::find(v.begin(), v.end(), 1.0f) - v.begin();
    ASSERT_LT(at, 900);  // still in the x plane
    const int y = static_cast<int>(at / 30), x = static_cast<int>(at % 30);
    EXPECT_LE(std::abs(y - 15), 2);
    EXPECT_LE(std::abs(x - 15), 2);
    places.insert({y, x});
  }
  EXPECT_GT(places.size(), 8u);  // 25 possible places
}

}  // namespace
}  // namespace stride::pipeline
