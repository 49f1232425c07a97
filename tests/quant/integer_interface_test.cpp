// Full-integer quantization: the int8 model's inputs and outputs become u8/s8 (the input simply
// is the tensor its first QuantizeLinear made; a float output gets a QuantizeLinear on its range),
// and ir/float_interface.h turns it back into a model on real values that computes what the int8
// model does, up to the rounding of the outputs to their step.
#include "stride/quant/integer_interface.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "qdq_graphs.h"
#include "stride/engine/onednn/onednn_backend.h"
#include "stride/ir/float_interface.h"
#include "stride/onnx/onnx_export.h"
#include "stride/onnx/onnx_import.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"
#include "stride/zoo/zoo.h"

namespace stride::quant {
namespace {

using testing::branchy_graph;
using ::testing::HasSubstr;
using testing::run_on_ref;
using ::testing::ThrowsMessage;

struct FullInt {
  Graph int8, full_int;
};

FullInt quantize_branchy() {
  const Graph g = branchy_graph();
  std::vector<TensorMap> samples;
  for (uint64_t seed = 1; seed <= 3; ++seed) samples.push_back(random_inputs(g, {{"x", {1, 2, 6, 6}}}, seed));
  std::vector<std::string> values = activations_to_calibrate(g);
  values.push_back("probabilities");  // x is calibrated already: the first QuantizeLinear reads it
  const StatisticsMap stats = collect_statistics(g, values, RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::minmax, .samples = 3});
  return {q, with_integer_interface(q, calibrate_all(stats, {"probabilities"}, Method::minmax, {}))};
}

TEST(IntegerInterface, InputsAndOutputsBecomeEightBit) {
  const FullInt m = quantize_branchy();
  ASSERT_EQ(m.full_int.inputs.size(), 1u);
  EXPECT_EQ(m.full_int.inputs[0].dtype, DType::u8);   // x ≥ 0: the first QuantizeLinear made u8
  EXPECT_EQ(m.full_int.outputs[0].dtype, DType::u8);  // probabilities ≥ 0
  for (const Node& n : m.full_int.nodes)
    if (n.op_type == "QuantizeLinear") EXPECT_NE(n.inputs[0], "x") << "x is still quantized in the model";
  EXPECT_EQ(m.full_int.producer("probabilities")->op_type, "QuantizeLinear");
  const auto record = nlohmann::json::parse(m.full_int.metadata.at(kQuantizationKey));
  EXPECT_EQ(record["precision"], "full-int");
  EXPECT_EQ(record["interface"]["inputs"]["x"]["type"], "u8");
  // Probabilities lie in [0, 1]: the step is at most 1/255.
  EXPECT_LE(record["interface"]["outputs"]["probabilities"]["scale"].get<double>(), 1.0 / 255 + 1e-7);
}

TEST(IntegerInterface, OnRealValuesItComputesTheInt8ModelUpToTheOutputStep) {
  const FullInt m = quantize_branchy();
  const Graph on_real = with_float_interface(m.full_int);
  EXPECT_EQ(on_real.inputs[0].dtype, DType::f32);
  EXPECT_EQ(on_real.outputs[0].dtype, DType::f32);
  const TensorMap in = random_inputs(branchy_graph(), {{"x", {1, 2, 6, 6}}}, 9);
  const Tensor want = run_on_ref(m.int8, in).at("probabilities"), got = run_on_ref(on_real, in).at("probabilities");
  const double step =
      nlohmann::json::parse(m.full_int.metadata.at(kQuantizationKey))["interface"]["outputs"]["probabilities"]["scale"];
  double worst = 0;
  for (int64_t i = 0; i < want.numel(); ++i)
    worst = std::max(worst, std::fabs(double(want.values<float>()[i]) - got.values<float>()[i]));
  EXPECT_LE(worst, step / 2 + 1e-6);
}

TEST(IntegerInterface, OnednnTakesAndGivesIntegersAsRefDoes) {
  const FullInt m = quantize_branchy();
  const TensorMap in = random_inputs(m.full_int, {{"x", {1, 2, 6, 6}}}, 4);
  EXPECT_EQ(in.at("x").dtype(), DType::u8);
  const Tensor want = run_on_ref(m.full_int, in).at("probabilities");
  const Tensor got = OnednnBackend()
                         .compile(m.full_int, {.threads = 0, .input_shapes = {{"x", {1, 2, 6, 6}}}})
                         ->run(in)
                         .at("probabilities");
  ASSERT_EQ(got.dtype(), DType::u8);
  const std::vector<int64_t> a = want.to_int64_vector(), b = got.to_int64_vector();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_LE(std::abs(a[i] - b[i]), 1) << i;
}

// An output that the model also reads (cnn2d's feature, read by its classifier) comes back as the
// one value both the caller and the classifier read, as in the int8 model: evaluation cuts the model
// there (feature extractor, then the head).
TEST(IntegerInterface, AnOutputTheModelAlsoReadsIsOneValueOnRealData) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = 4;
  const Graph g = build_model("cnn2d", o);
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  std::vector<TensorMap> samples{random_inputs(g, shapes, 1), random_inputs(g, shapes, 2)};
  std::vector<std::string> values = activations_to_calibrate(g);
  values.push_back("probabilities");
  const StatisticsMap stats = collect_statistics(g, values, RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::minmax, .samples = 2});
  const Graph fi = with_integer_interface(q, calibrate_all(stats, {"probabilities"}, Method::minmax, {}));
  EXPECT_EQ(fi.outputs[0].dtype, DType::s8);  // feature
  const Graph on_real = with_float_interface(fi);
  size_t feature_readers = 0;
  for (const Node& n : on_real.nodes) feature_readers += std::count(n.inputs.begin(), n.inputs.end(), "feature");
  EXPECT_EQ(feature_readers, 1u);  // the classifier reads the real feature itself
  const TensorMap in = random_inputs(g, shapes, 3);
  const Tensor want = run_on_ref(q, in).at("feature"), got = run_on_ref(on_real, in).at("feature");
  EXPECT_EQ(want.values<float>().size(), got.values<float>().size());
  for (size_t i = 0; i < want.values<float>().size(); ++i) EXPECT_EQ(want.values<float>()[i], got.values<float>()[i]);
}

TEST(IntegerInterface, SurvivesTheOnnxRoundTrip) {
  const Graph fi = quantize_branchy().full_int;
  const Graph back = parse_onnx(serialize_onnx(fi), "full-int.onnx");
  EXPECT_EQ(back.inputs[0].dtype, DType::u8);
  EXPECT_EQ(back.outputs[0].dtype, DType::u8);
}

TEST(FloatInterface, LeavesFloatModelsAloneAndRefusesAnIntegerInputOfUnknownScale) {
  const Graph g = branchy_graph();
  EXPECT_EQ(with_float_interface(g), g);
  Graph bad;
  bad.inputs = {{"x", DType::u8, {2}}};
  bad.outputs = {{"y", DType::f32, {}}};
  bad.nodes = {{"cast", "Cast", {"x"}, {"y"}, {}}};
  EXPECT_THAT([&] { with_float_interface(bad); }, ThrowsMessage<Error>(HasSubstr("integer input 'x'")));
}

TEST(IntegerInterface, NeedsTheRangeOfAFloatOutput) {
  const Graph g = branchy_graph();
  std::vector<TensorMap> samples{random_inputs(g, {{"x", {1, 2, 6, 6}}}, 1)};
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = Method::minmax, .samples = 1});
  EXPECT_THAT([&] { with_integer_interface(q, {}); },
              ThrowsMessage<Error>(HasSubstr("no calibrated range for 'probabilities'")));
}

}  // namespace
}  // namespace stride::quant
