// Zoo models quantized end to end on `ref`: calibrated on some random inputs, run on others, the
// int8 model stays within a few quantization steps of the float one.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "qdq_graphs.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"
#include "stride/zoo/zoo.h"

namespace stride::quant {
namespace {

using testing::run_on_ref;

struct Gap {
  double worst = 0;  // max |int8 - float|
  double step = 0;   // the quantization step (scale) of the compared value
};

Gap int8_gap(const Graph& g, const std::string& value, Method method) {
  const std::map<std::string, Shape> shapes = input_shapes_at_batch(g, 2);
  std::vector<TensorMap> samples;
  for (uint64_t seed = 1; seed <= 3; ++seed) samples.push_back(random_inputs(g, shapes, seed));
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples);
  const Graph q = quantize_int8(g, stats, {.method = method, .samples = 6});
  const TensorMap in = random_inputs(g, shapes, 42);
  const Tensor f = run_on_ref(g, in).at(value), r = run_on_ref(q, in).at(value);
  Gap gap;
  for (int64_t i = 0; i < f.numel(); ++i)
    gap.worst = std::max(gap.worst, std::fabs(double(f.values<float>()[i]) - r.values<float>()[i]));
  gap.step = nlohmann::json::parse(q.metadata.at(kQuantizationKey))["activations"][value]["scale"].get<double>();
  return gap;
}

ZooOptions small(int64_t classes) {
  ZooOptions o;
  o.width_mult = 0.125;
  o.classes = classes;
  return o;
}

TEST(ZooQuantization, Cnn2dFeatureStaysWithinAFewStepsOfItsScale) {
  // The feature is a model output read by the quantized classifier: its DequantizeLinear is the
  // output. Min–max clips nothing it saw, so the error is rounding carried through the layers; the
  // clipping calibrators trade larger errors on the clipped values for finer steps.
  const Gap gap = int8_gap(build_model("cnn2d", small(4)), "feature", Method::minmax);
  EXPECT_GT(gap.worst, 0.0);
  EXPECT_LE(gap.worst, 4 * gap.step) << "step " << gap.step;
}

TEST(ZooQuantization, GaitsetLastQuantizedActivationStaysWithinAFewStepsOfItsScale) {
  Graph g = build_model("gaitset", small(0));
  const std::string last = select_qdq(g).groups.back().back();
  g.outputs.push_back({last, DType::f32, {}});
  const Gap gap = int8_gap(g, last, Method::minmax);
  EXPECT_GT(gap.worst, 0.0);
  EXPECT_LE(gap.worst, 4 * gap.step) << last << ": step " << gap.step;
}

}  // namespace
}  // namespace stride::quant
