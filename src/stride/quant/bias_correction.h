#pragma once
// Empirical bias correction of a static int8 model (Nagel et al. 2019, "Data-Free Quantization
// Through Weight Equalization and Bias Correction", §4.2, in its empirical form): rounding the
// weights and clipping the activations shift the mean of a layer's output — a percentile range
// cuts one tail of a skewed input more than the other. The shift per output channel,
// E[y_f32] − E[y_int8] over the calibration inputs, is added to the layer's bias. Layers are
// corrected one at a time in graph order, each measured with the layers before it corrected, as
// the shifts of earlier layers reach the later ones.
#include <functional>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::quant {

struct BiasCorrection {
  Graph model;                      // the int8 model of the corrected float model
  std::vector<std::string> nodes;   // the layers whose bias moved, in graph order
  std::vector<double> mean_shifts;  // per node: mean |E[y_f32] − E[y_int8]| over its channels, before
};

// `quantize` makes the int8 model of a float one, with one calibration for every call. The layers
// corrected are the Conv and Gemm nodes that the int8 model computes on int8 weights and whose bias
// is a 1-D f32 initializer of their own, one value per output channel (axis 1 of their output).
// The int8 model's metadata records them ("bias_correction" in stride.quantization).
BiasCorrection correct_biases(const Graph& float_model, const std::function<Graph(const Graph&)>& quantize,
                              const Backend& backend, const std::vector<TensorMap>& samples);

}  // namespace stride::quant
