// `stride bench --explain` on the engines whose steps it can show: onednn's primitives and kernels,
// xnnpack's operators with the ops it leaves to the ref kernels marked as reference code, and the
// ref engine's nodes.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "stride/zoo/zoo.h"
#include "support/command_support.h"

namespace stride::testing {
namespace {

class BenchExplain : public CommandTest {
 protected:
  Outcome explain(const std::string& backend) const {
    const std::string model = save(build_model("gaitset", {.width_mult = 0.125}), "g.onnx");
    return run_stride(
        {"bench", model, "--backend", backend, "--batch", "1", "--warmup", "1", "--runs", "1", "--explain"});
  }
};

TEST_F(BenchExplain, XnnpackListsItsOperatorsAndWhatRunsOnRef) {
  const Outcome o = explain("xnnpack");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("xnnpack plan at batch 1"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("convolution2d_nhwc_f32  XNNPACK"), std::string::npos) << o.output;
  // GaitSet's set pooling has no XNNPACK operator yet: it runs on ref, and the table says so.
  EXPECT_TRUE(std::regex_search(o.output, std::regex("ReduceMax +ref \\(stride's kernels\\) +<- reference kernel")))
      << o.output;
  EXPECT_NE(o.output.find("step(s) run a reference kernel"), std::string::npos) << o.output;
}

TEST_F(BenchExplain, OnednnStillShowsItsKernels) {
  const Outcome o = explain("onednn");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("onednn plan at batch 1"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("convolution"), std::string::npos) << o.output;
}

TEST_F(BenchExplain, RefListsEveryNodeAsAReferenceStep) {
  const Outcome o = explain("ref");
  ASSERT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("ref plan at batch 1"), std::string::npos) << o.output;
  EXPECT_TRUE(std::regex_search(o.output, std::regex("Conv +ref \\(stride's kernels\\) +<- reference kernel")))
      << o.output;
}

#ifdef STRIDE_WITH_TORCH
TEST_F(BenchExplain, ABackendWithoutStepsIsRefusedBeforeAnyTiming) {
  const Outcome o = explain("torch");
  EXPECT_NE(o.exit_code, 0);
  EXPECT_NE(
      o.output.find("--explain: only the onednn, xnnpack and ref engines have steps to show; --backend is 'torch'"),
      std::string::npos)
      << o.output;
  EXPECT_EQ(o.output.find("median ms"), std::string::npos) << "it timed first: " << o.output;
}
#endif

}  // namespace
}  // namespace stride::testing
