// Shape ops: the output shapes ONNX defines and the bytes they move, on f32, s64 and u8 data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>

#include "one_node.h"
#include "stride/ir/op_registry.h"
#include "stride/ir/shape_inference.h"

namespace stride {
namespace {

using ::testing::AllOf;
using testing::attrs;
using testing::float_values;
using ::testing::HasSubstr;
using testing::run_one_node;
using testing::run_one_node_single;
using ::testing::ThrowsMessage;

// 0, 1, 2, ... in the given shape.
Tensor iota_f32(Shape shape) {
  std::vector<float> v(static_cast<size_t>(shape_numel(shape)));
  std::iota(v.begin(), v.end(), 0.0f);
  return Tensor::from_vector<float>(std::move(shape), v);
}

Tensor s64(Shape shape, std::vector<int64_t> values) { return Tensor::from_vector<int64_t>(std::move(shape), values); }
Tensor axes(std::vector<int64_t> values) { return s64({static_cast<int64_t>(values.size())}, values); }

TEST(Reshape, ZeroCopiesAnInputDimAndMinusOneTakesTheRest) {
  const Tensor x = iota_f32({2, 3, 4});
  const Tensor y = run_one_node_single("Reshape", {{"x", x}, {"$shape", axes({0, -1})}});
  EXPECT_EQ(y.shape(), (Shape{2, 12}));
  EXPECT_EQ(float_values(y), float_values(x));
  EXPECT_EQ(run_one_node_single("Reshape", {{"x", x}, {"$shape", axes({-1, 0, 2})}}).shape(), (Shape{4, 3, 2}));
  EXPECT_EQ(run_one_node_single("Reshape", {{"x", x}, {"$shape", axes({4, 6})}}).shape(), (Shape{4, 6}));
}

TEST(Reshape, AllowZeroKeepsALiteralZero) {
  const Tensor x(DType::f32, {3, 0});
  EXPECT_EQ(
      run_one_node_single("Reshape", {{"x", x}, {"$shape", axes({0, 5})}}, attrs({{"allowzero", int64_t{1}}})).shape(),
      (Shape{0, 5}));
  // Without allowzero the 0 copies the 3, and [3,5] cannot hold zero elements.
  EXPECT_THAT(
      [&] {
        run_one_node("Reshape", {{"x", x}, {"$shape", axes({0, 5})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'reshape'"), HasSubstr("[3,5]"))));
}

TEST(Reshape, MovesS64ShapeArithmetic) {
  const Tensor x = s64({2, 2}, {7, -8, 9, -10});
  const Tensor y = run_one_node_single("Reshape", {{"x", x}, {"$shape", axes({4})}});
  EXPECT_EQ(y.dtype(), DType::s64);
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{7, -8, 9, -10}));
}

TEST(Reshape, ShapeFromAConstantNode) {
  Graph g;
  g.inputs = {{"x", DType::f32, {2, 3}}};
  g.outputs = {{"y", DType::f32, {3, 2}}};
  g.nodes = {{"target_shape", "Constant", {}, {"target"}, attrs({{"value", axes({3, -1})}})},
             {"reshape", "Reshape", {"x", "target"}, {"y"}, {}}};
  const TensorMap out = RefBackend().compile(g, {})->run({{"x", iota_f32({2, 3})}});
  EXPECT_EQ(out.at("y").shape(), (Shape{3, 2}));
}

TEST(Reshape, ZeroFollowsARunTimeBatch) {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 3, 4}}};
  g.outputs = {{"y", DType::f32, {-1, 12}}};
  g.initializers = {{"target", axes({0, -1})}};
  g.nodes = {{"flat", "Reshape", {"x", "target"}, {"y"}, {}}};
  const auto plan = RefBackend().compile(g, {});
  EXPECT_EQ(plan->run({{"x", iota_f32({5, 3, 4})}}).at("y").shape(), (Shape{5, 12}));
  EXPECT_EQ(plan->run({{"x", iota_f32({1, 3, 4})}}).at("y").shape(), (Shape{1, 12}));
}

TEST(Reshape, RefusesBadTargets) {
  const Tensor x = iota_f32({2, 3});
  auto fails_with = [&](const Tensor& shape, const char* text) {
    EXPECT_THAT(
        [&] {
          run_one_node("Reshape", {{"x", x}, {"$shape", shape}});
        },
        ThrowsMessage<Error>(AllOf(HasSubstr("node 'reshape' (Reshape)"), HasSubstr(text))));
  };
  fails_with(axes({4, -1}), "no value of -1 fits");
  fails_with(axes({-1, -1}), "more than one -1");
  fails_with(axes({5}), "6 elements");
  fails_with(axes({-2, 3}), "invalid dimension -2");
  fails_with(axes({0, 0, 0}), "has rank 2");
  fails_with(Tensor::from_vector<float>({2}, {3.0f, 2.0f}), "integer");
  // A shape fed as a graph input is known to ref, which infers shapes per run, but not ahead of a run.
  const Graph fed = testing::one_node_graph("Reshape", {{"x", x}, {"shape", axes({6})}});
  EXPECT_EQ(testing::run_one_node_graph(fed, {{"x", x}, {"shape", axes({6})}}).at("out0").shape(), (Shape{6}));
  EXPECT_THAT([&] { infer_shapes(fed); },
              ThrowsMessage<Error>(AllOf(HasSubstr("node 'reshape'"), HasSubstr("before run time"))));
}

TEST(Flatten, SplitsAtTheAxis) {
  const Tensor x = iota_f32({2, 3, 4});
  EXPECT_EQ(run_one_node_single("Flatten", {{"x", x}}).shape(), (Shape{2, 12}));
  EXPECT_EQ(run_one_node_single("Flatten", {{"x", x}}, attrs({{"axis", int64_t{0}}})).shape(), (Shape{1, 24}));
  EXPECT_EQ(run_one_node_single("Flatten", {{"x", x}}, attrs({{"axis", int64_t{3}}})).shape(), (Shape{24, 1}));
  const Tensor y = run_one_node_single("Flatten", {{"x", x}}, attrs({{"axis", int64_t{-1}}}));
  EXPECT_EQ(y.shape(), (Shape{6, 4}));
  EXPECT_EQ(float_values(y), float_values(x));
  EXPECT_THAT(
      [&] {
        run_one_node("Flatten", {{"x", x}}, attrs({{"axis", int64_t{4}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'flatten'"), HasSubstr("axis 4"))));
}

TEST(Transpose, DefaultReversesTheDims) {
  const Tensor y = run_one_node_single("Transpose", {{"x", iota_f32({2, 3})}});
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(float_values(y), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

TEST(Transpose, FollowsPerm) {
  // x[i][j][k] = 6i + 3j + k; with perm (2,0,1), y[k][i][j] = x[i][j][k].
  const Tensor y =
      run_one_node_single("Transpose", {{"x", iota_f32({2, 2, 3})}}, attrs({{"perm", std::vector<int64_t>{2, 0, 1}}}));
  EXPECT_EQ(y.shape(), (Shape{3, 2, 2}));
  EXPECT_EQ(float_values(y), (std::vector<float>{0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11}));
}

TEST(Transpose, MovesAnyDtype) {
  const Tensor x = Tensor::from_vector<uint8_t>({2, 2}, {1, 2, 3, 4});
  const Tensor y = run_one_node_single("Transpose", {{"x", x}});
  EXPECT_EQ(y.dtype(), DType::u8);
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{1, 3, 2, 4}));
  EXPECT_EQ(run_one_node_single("Transpose", {{"x", s64({2, 1}, {5, 6})}}).to_int64_vector(),
            (std::vector<int64_t>{5, 6}));
}

TEST(Transpose, RefusesANonPermutation) {
  for (const auto& perm : {std::vector<int64_t>{0, 0}, std::vector<int64_t>{0, 2}, std::vector<int64_t>{0}})
    EXPECT_THAT(
        [&] {
          run_one_node("Transpose", {{"x", iota_f32({2, 3})}}, attrs({{"perm", perm}}));
        },
        ThrowsMessage<Error>(AllOf(HasSubstr("node 'transpose'"), HasSubstr("perm"))));
}

TEST(Squeeze, AxesAsInputAsAttributeOrAllOnes) {
  const Tensor x = iota_f32({1, 3, 1, 2});
  EXPECT_EQ(run_one_node_single("Squeeze", {{"x", x}, {"$axes", axes({0})}}).shape(), (Shape{3, 1, 2}));
  EXPECT_EQ(run_one_node_single("Squeeze", {{"x", x}}, attrs({{"axes", std::vector<int64_t>{-2}}})).shape(),
            (Shape{1, 3, 2}));
  const Tensor y = run_one_node_single("Squeeze", {{"x", x}});
  EXPECT_EQ(y.shape(), (Shape{3, 2}));
  EXPECT_EQ(float_values(y), float_values(x));
}

TEST(Squeeze, RefusesAnAxisThatIsNotOne) {
  EXPECT_THAT(
      [&] {
        run_one_node("Squeeze", {{"x", iota_f32({1, 3})}, {"$axes", axes({1})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'squeeze'"), HasSubstr("axis 1"), HasSubstr("not 1"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Squeeze", {{"x", iota_f32({1, 3})}, {"$axes", axes({0, -2})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'squeeze'"), HasSubstr("twice"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Squeeze", {{"x", iota_f32({1, 3})}, {"$axes", axes({0})}},
                     attrs({{"axes", std::vector<int64_t>{0}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'squeeze'"), HasSubstr("both"))));
}

TEST(Unsqueeze, AxesIndexTheOutput) {
  const Tensor x = iota_f32({2, 3});
  const Tensor y = run_one_node_single("Unsqueeze", {{"x", x}, {"$axes", axes({0, -1})}});
  EXPECT_EQ(y.shape(), (Shape{1, 2, 3, 1}));
  EXPECT_EQ(float_values(y), float_values(x));
  EXPECT_EQ(run_one_node_single("Unsqueeze", {{"x", x}}, attrs({{"axes", std::vector<int64_t>{1}}})).shape(),
            (Shape{2, 1, 3}));
  EXPECT_EQ(run_one_node_single("Unsqueeze", {{"x", s64({}, {4})}, {"$axes", axes({0})}}).shape(), (Shape{1}));
  EXPECT_THAT(
      [&] {
        run_one_node("Unsqueeze", {{"x", x}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'unsqueeze'"), HasSubstr("axes"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Unsqueeze", {{"x", x}, {"$axes", axes({3})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'unsqueeze'"), HasSubstr("out of range"))));
}

TEST(Concat, JoinsAlongTheAxis) {
  const Tensor a = Tensor::from_vector<float>({2, 1}, {1, 2});
  const Tensor b = Tensor::from_vector<float>({2, 2}, {3, 4, 5, 6});
  for (int64_t axis : {1, -1}) {
    const Tensor y = run_one_node_single("Concat", {{"a", a}, {"b", b}}, attrs({{"axis", axis}}));
    EXPECT_EQ(y.shape(), (Shape{2, 3}));
    EXPECT_EQ(float_values(y), (std::vector<float>{1, 3, 4, 2, 5, 6}));
  }
  const Tensor rows = run_one_node_single("Concat", {{"b", b}, {"a", Tensor::from_vector<float>({1, 2}, {7, 8})}},
                                          attrs({{"axis", int64_t{0}}}));
  EXPECT_EQ(rows.shape(), (Shape{3, 2}));
  EXPECT_EQ(float_values(rows), (std::vector<float>{3, 4, 5, 6, 7, 8}));
}

TEST(Concat, JoinsS64ShapesAndSkipsEmptyInputs) {
  const Tensor y =
      run_one_node_single("Concat", {{"a", axes({1, -1})}, {"none", Tensor(DType::s64, {0})}, {"b", axes({64})}},
                          attrs({{"axis", int64_t{0}}}));
  EXPECT_EQ(y.dtype(), DType::s64);
  EXPECT_EQ(y.to_int64_vector(), (std::vector<int64_t>{1, -1, 64}));
}

TEST(Concat, RefusesMismatches) {
  const Tensor a = iota_f32({2, 1});
  EXPECT_THAT(
      [&] {
        run_one_node("Concat", {{"a", a}, {"b", iota_f32({3, 1})}}, attrs({{"axis", int64_t{1}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'concat'"), HasSubstr("[3,1]"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Concat", {{"a", a}, {"b", s64({2, 1}, {1, 2})}}, attrs({{"axis", int64_t{1}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'concat'"), HasSubstr("s64"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Concat", {{"a", a}, {"b", a}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'concat'"), HasSubstr("'axis'"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Concat", {{"a", a}, {"b", a}}, attrs({{"axis", int64_t{2}}}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'concat'"), HasSubstr("out of range"))));
}

TEST(Identity, CopiesAnyDtype) {
  const Tensor x = s64({3}, {1, 2, 3});
  EXPECT_EQ(run_one_node_single("Identity", {{"x", x}}), x);
}

TEST(Dropout, IsTheIdentityAtInference) {
  const Tensor x = iota_f32({2, 2});
  EXPECT_EQ(run_one_node_single("Dropout", {{"x", x}, {"$ratio", Tensor::scalar(0.4f)}}), x);
  EXPECT_EQ(run_one_node_single("Dropout", {{"x", x}, {"", {}}, {"$training", Tensor::from_vector<uint8_t>({}, {0})}}),
            x);
}

TEST(Dropout, RefusesTheMaskAndTrainingMode) {
  const Tensor x = iota_f32({2});
  EXPECT_THAT(
      [&] {
        run_one_node("Dropout", {{"x", x}}, {}, {"y", "mask"});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'dropout'"), HasSubstr("mask"), HasSubstr("bool"))));
  EXPECT_THAT(
      [&] {
        run_one_node("Dropout", {{"x", x}, {"", {}}, {"$training", Tensor::from_vector<uint8_t>({}, {1})}});
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("node 'dropout'"), HasSubstr("training"))));
}

TEST(Constant, OutputsItsValue) {
  const Tensor value = s64({2}, {3, -1});
  Graph g;
  g.nodes = {{"c", "Constant", {}, {"y"}, attrs({{"value", value}})}};
  g.outputs = {{"y", DType::s64, {2}}};
  EXPECT_EQ(RefBackend().compile(g, {})->run({}).at("y"), value);
  g.nodes[0].attrs = {};
  EXPECT_THAT([&] { RefBackend().compile(g, {})->run({}); },
              ThrowsMessage<Error>(AllOf(HasSubstr("node 'c' (Constant)"), HasSubstr("'value'"))));
}

TEST(ShapeOps, OnlyRelabellingOpsAreViews) {
  for (const char* view : {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"})
    EXPECT_TRUE(op_registry().find(view)->is_view) << view;
  for (const char* copy : {"Transpose", "Concat", "Constant"}) EXPECT_FALSE(op_registry().find(copy)->is_view) << copy;
}

}  // namespace
}  // namespace stride
