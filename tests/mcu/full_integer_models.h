#pragma once
// Full-integer zoo models for the microcontroller tests: the activity models quantized on
// IMU-like windows (smooth signals of a few units), as `stride quantize --precision full-int` does.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "stride/engine/onednn/onednn_backend.h"
#include "stride/quant/activation_statistics.h"
#include "stride/quant/int8_quantization.h"
#include "stride/quant/integer_interface.h"
#include "stride/zoo/zoo.h"

namespace stride::mcu {

inline Tensor imu_windows(int64_t count, uint64_t seed) {
  Tensor t(DType::f32, {count, 9, 128});
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> noise(0.0f, 0.3f);
  std::uniform_real_distribution<float> phase(0.0f, 6.283f), level(-1.0f, 1.0f);
  auto v = t.values<float>();
  for (int64_t w = 0; w < count * 9; ++w) {
    const float p = phase(rng), l = level(rng);
    for (int64_t i = 0; i < 128; ++i) v[w * 128 + i] = l + std::sin(p + 0.2f * i) + noise(rng);
  }
  return t;
}

// A zoo model quantized to full integers on 16 calibration windows (min-max ranges).
inline Graph full_integer(const std::string& zoo_name) {
  const Graph g = build_model(zoo_name);
  const std::string in = g.inputs[0].name;
  std::vector<TensorMap> samples;
  const Tensor calibration = imu_windows(16, 3);
  for (int64_t i = 0; i < 16; ++i) {
    Tensor one(DType::f32, {1, 9, 128});
    std::copy_n(calibration.values<float>().begin() + i * 9 * 128, 9 * 128, one.values<float>().begin());
    samples.push_back({{in, one}});
  }
  std::vector<std::string> interface{in};
  for (const ValueInfo& v : g.outputs) interface.push_back(v.name);
  std::vector<std::string> values = quant::activations_to_calibrate(g);
  values.insert(values.end(), interface.begin(), interface.end());
  const quant::StatisticsMap stats = quant::collect_statistics(g, values, OnednnBackend(), samples);
  const Graph q = quant::quantize_int8(g, stats, {.method = quant::Method::minmax, .samples = 16});
  return quant::with_integer_interface(q, quant::calibrate_all(stats, interface, quant::Method::minmax, {}));
}

}  // namespace stride::mcu
