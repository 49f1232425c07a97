#pragma once
// How far a converted (Ghost, pruned, quantized...) model's feature maps are from the original's: both
// models run on the same inputs and every intermediate value they share — the same name and the same
// shape in both graphs — is compared element by element. Wang and Yuan report the mean squared
// error of the first three convolutions' maps between ResNet-50 and L-ResNet-50 this way (3.3, 11.0 and
// 23.9 ×10⁻³). A Ghost module keeps its convolution's output name on its Concat
// (compress/ghost_conversion.h, GraphBuilder::ghost_conv), so its maps match the convolution's.
#include <cstdint>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride {

struct FeatureMapDifference {
  std::string value;         // its name in both graphs
  std::string op_type;       // of its producer in the first graph
  Shape shape;               // at the first batch
  double mse = 0;            // mean of (a − b)² over every element of every sample
  double max_abs = 0;        // largest |a − b|
  double mean_square = 0;    // mean of a²: the scale the MSE is to be read against
  bool convolution = false;  // a convolution's output in either graph (a Conv, or a Ghost module's Concat)
};

struct FeatureMapComparison {
  std::vector<FeatureMapDifference> layers;  // in the first graph's node order
  int64_t samples = 0;                       // inputs compared (the batches' first dimensions)
  int64_t unmatched = 0;                     // node outputs of the first graph without a counterpart in the second
};

// Runs `a` and `b` on every batch (inputs by the names of `a`'s inputs; a second model with one input of
// another name takes the first model's one input) on `backend`, with `threads` (0: all cores), and
// compares their shared float values. Throws stride::Error when the models' inputs differ, when they
// share no value, or when a batch does not fit them.
FeatureMapComparison compare_feature_maps(const Graph& a, const Graph& b, const std::vector<TensorMap>& batches,
                                          const Backend& backend, int threads = 0);

// The first `count` matched convolution outputs, in node order: Wang and Yuan's "first three convolutions".
std::vector<const FeatureMapDifference*> first_convolutions(const FeatureMapComparison& comparison, size_t count = 3);

}  // namespace stride
