#include <gtest/gtest.h>

#include "stride/engine/ref/ref_backend.h"

namespace stride {
namespace {

TEST(RefBackend, RunsAGraphAndChecksInputs) {
  Graph g;
  g.inputs = {{"x", DType::f32, {-1, 2}}};
  g.outputs = {{"y", DType::f32, {-1, 2}}};
  g.nodes = {{"relu", "Relu", {"x"}, {"y"}, {}}};
  auto plan = RefBackend().compile(g, {});
  TensorMap out = plan->run({{"x", Tensor::from_vector<float>({2, 2}, {-1.0f, 2.0f, 0.5f, -0.0f})}});
  auto y = out.at("y").values<float>();
  EXPECT_EQ(std::vector<float>(y.begin(), y.end()), (std::vector<float>{0.0f, 2.0f, 0.5f, 0.0f}));
  EXPECT_THROW(plan->run({}), Error);
  EXPECT_THROW(plan->run({{"x", Tensor(DType::f32, {2, 3})}}), Error);
}

}  // namespace
}  // namespace stride
