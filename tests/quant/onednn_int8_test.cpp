// Zoo models quantized by Stride run in int8 on the onednn engine: every convolution, inner
// product and matmul computes on u8/s8 with its requantization fused, nothing runs on a reference
// kernel, and the outputs agree with ref (which runs the QDQ graph by the ONNX definitions in f32)
// within a few quantization steps: the int8 kernels round once per layer where ref rounds the f32
// sums, and a one-step difference in a layer may carry into the next. On CPUs without VNNI the
// weights are used with 7 bits (see int8_anchor.h), which doubles the allowance.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

#include "qdq_graphs.h"
#include "stride/engine/onednn/dnnl_util.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"
#include "stride/zoo/zoo.h"

namespace stride::quant {
namespace {

using testing::run_on_ref;

void expect_int8_on_onednn(const Graph& g, const std::string& value, double steps) {
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  std::vector<TensorMap> samples;
  for (uint64_t seed = 1; seed <= 3; ++seed) samples.push_back(random_inputs(g, shapes, seed));
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::percentile, .samples = 6});

  auto plan = OnednnBackend().compile_plan(q, {.threads = 0, .input_shapes = shapes});
  std::set<std::string> computed;
  for (const auto& step : plan->steps()) {
    EXPECT_FALSE(onednn::is_reference_implementation(step.implementation)) << step.primitive;
    computed.insert(step.nodes.begin(), step.nodes.end());
  }
  // Each quantized layer reads the int8 tensor itself: the DequantizeLinear of its data input is
  // computed by no step (unless that value is also a model output).
  size_t int8_layers = 0;
  for (const auto& step : plan->steps()) {
    if (step.primitive != "convolution" && step.primitive != "inner_product" && step.primitive != "matmul") continue;
    const Node* anchor = nullptr;
    for (const auto& n : q.nodes)
      if (n.name == step.nodes.front()) anchor = &n;
    ASSERT_NE(anchor, nullptr) << step.nodes.front();
    const Node* dq = q.producer(anchor->inputs.at(0));
    ASSERT_TRUE(dq && dq->op_type == "DequantizeLinear") << anchor->name;
    bool output = false;
    for (const auto& o : q.outputs) output = output || o.name == dq->outputs[0];
    EXPECT_TRUE(output || !computed.count(dq->name)) << anchor->name << " reads f32";
    ++int8_layers;
  }
  EXPECT_GT(int8_layers, 3u);
  const TensorMap in = random_inputs(g, shapes, 42);
  const Tensor want = run_on_ref(q, in).at(value), got = plan->run(in).at(value);
  const double step =
      nlohmann::json::parse(q.metadata.at(kQuantizationKey))["activations"][value]["scale"].get<double>();
  double worst = 0;
  for (int64_t i = 0; i < want.numel(); ++i)
    worst = std::max(worst, std::fabs(double(want.values<float>()[i]) - got.values<float>()[i]));
  const double allowed = (onednn::has_exact_int8_dot_product() ? 1 : 2) * steps * step;
  EXPECT_LE(worst, allowed) << value << ": step " << step;
}

ZooOptions small(int64_t classes) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = classes;
  return o;
}

TEST(OnednnInt8Zoo, Cnn2dRunsInInt8AndAgreesWithRef) { expect_int8_on_onednn(build_model("cnn2d", small(4)), "feature", 2); }

TEST(OnednnInt8Zoo, GaitsetRunsInInt8AndAgreesWithRef) {
  const Graph g = build_model("gaitset", small(0));
  expect_int8_on_onednn(g, g.outputs.front().name, 2);
}

}  // namespace
}  // namespace stride::quant
