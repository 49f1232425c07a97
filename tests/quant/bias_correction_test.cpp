// Empirical bias correction: after it, every corrected layer's output has the float model's
// per-channel mean on the calibration inputs (up to the int32 bias step), where a percentile range
// that clips a skewed input had shifted it.
#include "stride/quant/bias_correction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "qdq_graphs.h"
#include "stride/engine/probed_run.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/quantization_record.h"

namespace stride::quant {
namespace {

using testing::branchy_graph;

// Inputs with a long positive tail (u⁴·8 for uniform u), which a 99th percentile range clips.
std::vector<TensorMap> skewed_samples() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<TensorMap> samples;
  for (int s = 0; s < 4; ++s) {
    Tensor x(DType::f32, {1, 2, 6, 6});
    for (float& v : x.values<float>()) v = 8.0f * std::pow(u(rng), 4.0f);
    samples.push_back({{"x", x}});
  }
  return samples;
}

// Largest |mean_f32 − mean_int8| of any channel of any layer output, over the samples.
double largest_mean_shift(const Graph& f32, const Graph& int8, const std::vector<TensorMap>& samples) {
  const std::vector<std::string> layers{"a", "b", "c", "logits"};
  std::map<std::string, std::vector<double>> f32_sum, int8_sum;
  auto accumulate = [&](const Graph& g, std::map<std::string, std::vector<double>>& sums) {
    run_with_probes(g, layers, RefBackend(), samples, [&](const TensorMap& watched) {
      for (const auto& [value, t] : watched) {
        const int64_t channels = t.dim(1), inner = t.numel() / (t.dim(0) * channels);
        auto& sum = sums[value];
        sum.resize(static_cast<size_t>(channels));
        for (int64_t i = 0; i < t.numel(); ++i) sum[(i / inner) % channels] += t.values<float>()[i] / double(inner);
      }
    });
  };
  accumulate(f32, f32_sum);
  accumulate(int8, int8_sum);
  double worst = 0;
  for (const auto& [value, sum] : f32_sum)
    for (size_t c = 0; c < sum.size(); ++c)
      worst = std::max(worst, std::fabs(sum[c] - int8_sum.at(value)[c]) / double(samples.size()));
  return worst;
}

struct Quantized {
  Graph f32, plain;
  BiasCorrection corrected;
};

Quantized quantize_skewed(const std::vector<TensorMap>& samples) {
  const Graph g = branchy_graph();
  const StatisticsMap stats = collect_statistics(g, activations_to_calibrate(g), RefBackend(), samples);
  const Int8Request request{.method = Method::percentile, .calibration = {.percentile = 99.0}, .samples = 4};
  auto quantize = [&](const Graph& m) { return quantize_int8(m, stats, request); };
  return {g, quantize(g), correct_biases(g, quantize, RefBackend(), samples)};
}

TEST(BiasCorrection, RestoresEveryLayersChannelMeansOnTheCalibrationInputs) {
  const std::vector<TensorMap> samples = skewed_samples();
  const Quantized q = quantize_skewed(samples);
  const double before = largest_mean_shift(q.f32, q.plain, samples);
  const double after = largest_mean_shift(q.f32, q.corrected.model, samples);
  EXPECT_GT(before, 0.02) << "the clipped input should shift the layers' means";
  EXPECT_LT(after, before / 20);
  EXPECT_LT(after, 2e-3);  // the int32 bias step: input scale × weight scale, well under this here
}

TEST(BiasCorrection, CorrectsEachBiasedLayerAndRecordsThem) {
  const Quantized q = quantize_skewed(skewed_samples());
  EXPECT_EQ(q.corrected.nodes, (std::vector<std::string>{"conv_a", "conv_b", "conv_c", "dense"}));
  ASSERT_EQ(q.corrected.mean_shifts.size(), 4u);
  EXPECT_GT(q.corrected.mean_shifts[0], 0.0);
  const auto record = nlohmann::json::parse(q.corrected.model.metadata.at(kQuantizationKey));
  EXPECT_EQ(record["precision"], "int8");
  EXPECT_EQ(record["bias_correction"]["nodes"].size(), 4u);
  // Only the biases moved: the int8 weights are those of the uncorrected model.
  EXPECT_EQ(q.corrected.model.initializers.at("wa_quantized"), q.plain.initializers.at("wa_quantized"));
  EXPECT_NE(q.corrected.model.initializers.at("ba_quantized"), q.plain.initializers.at("ba_quantized"));
}

}  // namespace
}  // namespace stride::quant
