// Inference-mode BatchNormalization against values worked out by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "ref/one_node.h"

namespace stride {
namespace {

using testing::attrs;
using ::testing::HasSubstr;
using testing::tensor_near;
using ::testing::ThrowsMessage;

Tensor t(const Shape& shape, const std::vector<float>& values) { return Tensor::from_vector<float>(shape, values); }
Tensor per_channel(const std::vector<float>& values) { return t({static_cast<int64_t>(values.size())}, values); }

testing::NamedTensors bn_inputs(const Tensor& x, const std::vector<float>& scale, const std::vector<float>& bias,
                                const std::vector<float>& mean, const std::vector<float>& var) {
  return {{"x", x},
          {"$scale", per_channel(scale)},
          {"$b", per_channel(bias)},
          {"$mean", per_channel(mean)},
          {"$var", per_channel(var)}};
}

Tensor batch_norm(const testing::NamedTensors& inputs, Attributes a = {}) {
  return testing::run_one_node_single("BatchNormalization", inputs, std::move(a));
}

TEST(BatchNormalization, ScalesAndShiftsEachChannel) {
  // Channel 0: 2·(x − 2)/sqrt(3 + 1) + 1; channel 1: 0.5·(x − 4)/sqrt(0 + 1) − 1.
  const Tensor x = t({1, 2, 2}, {1, 3, 2, 6});
  const Tensor y = batch_norm(bn_inputs(x, {2, 0.5f}, {1, -1}, {2, 4}, {3, 0}), attrs({{"epsilon", 1.0f}}));
  EXPECT_TRUE(tensor_near(y, {1, 2, 2}, {0, 2, -2, 0}));
}

TEST(BatchNormalization, ChannelIsAxisOneForEveryBatchRow) {
  const Tensor x = t({2, 2, 1, 1}, {1, 2, 3, 4});
  const Tensor y = batch_norm(bn_inputs(x, {1, 1}, {0, 0}, {1, 2}, {0, 0}), attrs({{"epsilon", 1.0f}}));
  EXPECT_TRUE(tensor_near(y, {2, 2, 1, 1}, {0, 0, 2, 2}));
  // Rank 2: [N, C] with no spatial dimension.
  const Tensor flat =
      batch_norm(bn_inputs(t({2, 2}, {1, 2, 3, 4}), {1, 1}, {0, 0}, {1, 2}, {0, 0}), attrs({{"epsilon", 1.0f}}));
  EXPECT_TRUE(tensor_near(flat, {2, 2}, {0, 0, 2, 2}));
}

TEST(BatchNormalization, DefaultEpsilonIsOneEMinusFive) {
  const Tensor y = batch_norm(bn_inputs(t({1, 1, 1}, {1}), {1}, {0}, {0}, {1}));
  EXPECT_TRUE(tensor_near(y, {1, 1, 1}, {0.999995f}, 1e-7f));
}

TEST(BatchNormalization, RefusesTrainingModeAndMismatchedShapes) {
  const Tensor x = t({1, 2, 2}, {1, 3, 2, 6});
  const auto inputs = bn_inputs(x, {1, 1}, {0, 0}, {0, 0}, {1, 1});
  EXPECT_THAT(
      [&] {
        batch_norm(inputs, attrs({{"training_mode", int64_t{1}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'batchnormalization' (BatchNormalization)"),
                                 HasSubstr("training_mode=1 is not supported"))));
  EXPECT_THAT([&] { testing::run_one_node("BatchNormalization", inputs, {}, size_t{3}); },
              ThrowsMessage<Error>(HasSubstr("only in training mode")));
  EXPECT_THAT(
      [&] {
        batch_norm(bn_inputs(x, {1, 1, 1}, {0, 0}, {0, 0}, {1, 1}));
      },
      ThrowsMessage<Error>(HasSubstr("scale must be [2]")));
  EXPECT_THAT(
      [&] {
        batch_norm(bn_inputs(x, {1, 1}, {0, 0}, {0, 0}, {1}));
      },
      ThrowsMessage<Error>(HasSubstr("input_var must be [2]")));
}

TEST(BatchNormalization, UnnamedTrainingOutputsAreFine) {
  const auto inputs = bn_inputs(t({1, 1, 1}, {3}), {1}, {0}, {1}, {0});
  const TensorMap out = testing::run_one_node("BatchNormalization", inputs, attrs({{"epsilon", 1.0f}}),
                                              std::vector<std::string>{"y", "", ""});
  EXPECT_TRUE(tensor_near(out.at("y"), {1, 1, 1}, {2}));
}

}  // namespace
}  // namespace stride
