// FP16/BF16 storage: weights become f16/bf16 initializers behind Cast nodes, the file about halves,
// and the model computes on `ref` what the float model computes with its weights rounded.
#include <gtest/gtest.h>

#include <cmath>

#include "qdq_graphs.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "stride/quant/float_precision.h"
#include "stride/zoo/zoo.h"

namespace stride::quant {
namespace {

using testing::branchy_graph;
using testing::run_on_ref;

// The float graph with every f32 weight rounded through `dtype` and back: what the converted
// graph must compute exactly.
Graph rounded_weights(Graph g, DType dtype) {
  for (auto& [name, w] : g.initializers)
    if (w.dtype() == DType::f32) w = w.cast(dtype).to_f32();
  return g;
}

class FloatPrecision : public ::testing::TestWithParam<DType> {};

TEST_P(FloatPrecision, WeightsAreStoredNarrowBehindCastsAndComputeAsRounded) {
  const Graph g = branchy_graph();
  const Graph h = store_weights_as(g, GetParam());
  int casts = 0;
  for (const Node& n : h.nodes) {
    if (n.op_type != "Cast") continue;
    ++casts;
    EXPECT_EQ(h.initializers.at(n.inputs[0]).dtype(), GetParam());
    EXPECT_EQ(g.initializers.at(n.outputs[0]).dtype(), DType::f32);  // the Cast gives back the f32 weight's name
  }
  EXPECT_EQ(casts, static_cast<int>(g.initializers.size()));
  const TensorMap in = random_inputs(g, input_shapes_at_batch(g, 1), 4);
  EXPECT_EQ(run_on_ref(h, in).at("probabilities"), run_on_ref(rounded_weights(g, GetParam()), in).at("probabilities"));
  // Through ONNX and back, unchanged.
  EXPECT_EQ(serialize_onnx(parse_onnx(serialize_onnx(h), "narrow")), serialize_onnx(h));
}

INSTANTIATE_TEST_SUITE_P(HalfTypes, FloatPrecision, ::testing::Values(DType::f16, DType::bf16),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

TEST(FloatPrecision, TheFileOfAZooModelAboutHalves) {
  ZooOptions o;
  o.width_mult = 0.25;
  o.classes = 10;
  const Graph g = build_model("cnn2d", o);
  const double ratio = double(serialize_onnx(store_weights_as(g, DType::f16)).size()) / double(serialize_onnx(g).size());
  EXPECT_GT(ratio, 0.45);
  EXPECT_LT(ratio, 0.55);
}

TEST(FloatPrecision, WeightsBeyondF16sRangeStayF32) {
  Graph g = branchy_graph();
  g.initializers["wa"].values<float>()[0] = 1e6f;  // f16's largest is 65504
  const Graph h = store_weights_as(g, DType::f16);
  EXPECT_EQ(h.initializers.at("wa").dtype(), DType::f32);
  EXPECT_EQ(h.initializers.at("wb_fp16").dtype(), DType::f16);
}

TEST(FloatPrecision, UnknownPrecisionNamesAreRefused) {
  EXPECT_EQ(float_precision("fp16"), DType::f16);
  EXPECT_EQ(float_precision("bf16"), DType::bf16);
  EXPECT_THROW(float_precision("fp8"), Error);
  EXPECT_THROW(store_weights_as(branchy_graph(), DType::s8), Error);
}

}  // namespace
}  // namespace stride::quant
