// The activity-recognition models: shapes, weight counts worked out by hand from their layers, and a
// run on the ref backend.
#include <gtest/gtest.h>

#include <numeric>

#include "stride/core/random.h"
#include "stride/engine/ref/ref_backend.h"
#include "stride/ir/cost.h"
#include "stride/zoo/zoo.h"

namespace stride {
namespace {

// conv: in·out·5 + out; dense: in·out + out; LSTM (one direction): 4H·I + 4H·H + 8H.
constexpr int64_t conv(int64_t in, int64_t out) { return in * out * 5 + out; }
constexpr int64_t dense(int64_t in, int64_t out) { return in * out + out; }
constexpr int64_t lstm(int64_t in, int64_t hidden) { return 4 * hidden * (in + hidden) + 8 * hidden; }

TEST(HarModels, WeightCountsAsTheLayersSay) {
  EXPECT_EQ(model_cost(build_model("har-cnn")).params,
            conv(9, 16) + conv(16, 32) + conv(32, 64) + dense(64, 6));  // 14,022
  EXPECT_EQ(model_cost(build_model("har-lstm")).params, dense(9, 32) + lstm(32, 32) + lstm(32, 32) + dense(32, 6));
  EXPECT_EQ(model_cost(build_model("har-cnn-lstm")).params, conv(9, 32) + conv(32, 32) + lstm(32, 32) + dense(32, 6));
}

TEST(HarModels, TensOfKilobytesAsInt8) {
  for (const char* name : {"har-cnn", "har-lstm", "har-cnn-lstm"}) {
    const int64_t params = model_cost(build_model(name)).params;
    EXPECT_GT(params, 10'000) << name;
    EXPECT_LT(params, 20'000) << name;
  }
}

TEST(HarModels, TakeAUciWindowAndGiveSixActivityProbabilities) {
  Tensor window(DType::f32, {3, 9, 128});
  Random rng(7);
  for (float& v : window.values<float>()) v = 2 * rng.uniform() - 1;
  for (const char* name : {"har-cnn", "har-lstm", "har-cnn-lstm"}) {
    const Graph g = build_model(name);
    EXPECT_EQ(g.metadata.at("stride.input_kind"), "imu") << name;
    ASSERT_EQ(g.inputs.size(), 1u);
    EXPECT_EQ(g.inputs[0].shape, (Shape{-1, 9, 128})) << name;
    CompileOptions options;
    options.input_shapes["imu"] = window.shape();
    const TensorMap out = RefBackend().compile(g, options)->run({{"imu", window}});
    const Tensor& p = out.at("probabilities");
    ASSERT_EQ(p.shape(), (Shape{3, 6})) << name;
    for (int64_t n = 0; n < 3; ++n) {
      const auto row = p.values<float>().subspan(static_cast<size_t>(n * 6), 6);
      EXPECT_NEAR(std::accumulate(row.begin(), row.end(), 0.0), 1.0, 1e-5) << name;
    }
  }
}

TEST(HarModels, WindowLengthFollowsFramesAndChannelsAreFixed) {
  ZooOptions o;
  o.frames = 64;
  EXPECT_EQ(build_model("har-cnn-lstm", o).inputs[0].shape, (Shape{-1, 9, 64}));
  o.height = 6;
  try {
    build_model("har-cnn", o);
    FAIL() << "6 channels accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("9 channels"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stride
