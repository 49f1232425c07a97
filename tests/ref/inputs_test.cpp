#include "stride/engine/inputs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace stride {
namespace {

Graph two_inputs() {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 3}}, {"q", DType::u8, {2}}};
  return g;
}

TEST(Inputs, UnknownDimensionsTakeTheBatch) {
  const auto shapes = input_shapes_at_batch(two_inputs(), 5);
  EXPECT_EQ(shapes.at("x"), (Shape{5, 3}));
  EXPECT_EQ(shapes.at("q"), (Shape{2}));
  EXPECT_THROW(input_shapes_at_batch(two_inputs(), 0), Error);
}

// A symbolic channel or spatial size is not the batch: given its value, a convolution failed with
// "spatial dimension 0 of size 2 is smaller than the window". Named where it is chosen instead.
TEST(Inputs, OnlyTheBatchIsChosenAtRunTime) {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, -1, -1, -1}}};
  try {
    input_shapes_at_batch(g, 2);
    FAIL() << "a symbolic channel count took the batch";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("input 'x' has shape [?,?,?,?]: its dimension 1 is symbolic"),
              std::string::npos)
        << e.what();
  }
}

TEST(Inputs, RandomInputsAreSeededUniformAndOfTheDeclaredType) {
  const Graph g = two_inputs();
  const auto shapes = input_shapes_at_batch(g, 4);
  const TensorMap a = random_inputs(g, shapes, 9), b = random_inputs(g, shapes, 9), c = random_inputs(g, shapes, 10);
  EXPECT_EQ(a.at("x"), b.at("x"));
  EXPECT_NE(a.at("x"), c.at("x"));
  EXPECT_EQ(a.at("q").dtype(), DType::u8);
  // 8-bit inputs spread over their type's range (not [0,1) cast to 0).
  const std::vector<int64_t> q = random_inputs(g, {{"q", {256}}}, 9).at("q").to_int64_vector();
  EXPECT_GT(*std::max_element(q.begin(), q.end()), 200);
  EXPECT_LT(*std::min_element(q.begin(), q.end()), 50);
  for (float v : a.at("x").values<float>()) {
    EXPECT_GE(v, 0.0f);
    EXPECT_LT(v, 1.0f);
  }
  EXPECT_THROW(random_inputs(g, {{"nope", {1}}}, 0), Error);
}

}  // namespace
}  // namespace stride
