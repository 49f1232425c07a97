// Every zoo model on the onednn backend against ref, at batch 1 and batch 8. The ref backend's
// plain loops would take minutes on the full-size models, so these run at reduced width (every
// channel count scaled; input sizes, layers and ops as in the paper's models).
#include <algorithm>

#include "onednn/onednn_test_support.h"
#include "stride/zoo/zoo.h"

namespace stride::testing {
namespace {

struct ZooCase {
  const char* model;
  int64_t batch;
  double width_mult;
};

class ZooModelVsRef : public ::testing::TestWithParam<ZooCase> {};

TEST_P(ZooModelVsRef, MatchesRef) {
  const ZooCase& c = GetParam();
  const Graph graph = build_model(c.model, {.width_mult = c.width_mult, .seed = 3});
  ASSERT_EQ(graph.inputs.size(), 1u);
  Shape shape = graph.inputs[0].shape;
  shape[0] = c.batch;
  auto plan = expect_matches_ref(graph, {{graph.inputs[0].name, shape}}, 1e-4);

  // No step, on this CPU or on the one ONEDNN_MAX_CPU_ISA stands for, runs a reference kernel.
  for (const auto& step : plan->steps()) {
    EXPECT_FALSE(is_reference_kernel(step))
        << step.primitive << " of " << (step.nodes.empty() ? "a layout conversion" : step.nodes.front());
  }
  // Every convolution or dense layer (the HAR models', yowo-lite's fusion) absorbs the activation after it.
  for (const auto& node : graph.nodes) {
    if (node.op_type == "Relu" || node.op_type == "LeakyRelu") {
      const OnednnStepInfo& step = step_computing(*plan, node.name);
      EXPECT_TRUE(step.primitive == "convolution" || step.primitive == "inner_product") << node.name;
      EXPECT_GE(step.nodes.size(), 2u) << node.name << " runs alone";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ZooModelVsRef,
                         ::testing::Values(ZooCase{"cnn2d", 1, 0.5}, ZooCase{"cnn2d", 8, 0.25},
                                           ZooCase{"cnn3d", 1, 0.5}, ZooCase{"cnn3d", 8, 0.25},
                                           ZooCase{"cnn3dto2d", 1, 0.5}, ZooCase{"cnn3dto2d", 8, 0.25},
                                           ZooCase{"gaitset", 1, 0.5}, ZooCase{"gaitset", 8, 0.25},
                                           ZooCase{"har-cnn", 1, 1.0}, ZooCase{"har-cnn", 8, 1.0},
                                           ZooCase{"har-lstm", 1, 1.0}, ZooCase{"har-lstm", 8, 1.0},
                                           ZooCase{"har-cnn-lstm", 1, 1.0}, ZooCase{"har-cnn-lstm", 8, 1.0},
                                           ZooCase{"yowo-lite", 1, 0.5}, ZooCase{"yowo-lite", 8, 0.25}),
                         [](const ::testing::TestParamInfo<ZooCase>& info) {
                           std::string name = info.param.model;
                           std::replace(name.begin(), name.end(), '-', '_');  // test names are identifiers
                           return name + "_batch" + std::to_string(info.param.batch);
                         });

}  // namespace
}  // namespace stride::testing
