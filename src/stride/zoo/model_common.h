#pragma once
// What the zoo's model builders share: options resolved against a model's defaults, window
// arithmetic with clear errors, and the common ending (feature output, softmax head, metadata).
#include <cstdint>
#include <string>
#include <string_view>

#include "stride/zoo/graph_builder.h"
#include "stride/zoo/zoo.h"

namespace stride::zoo {

// Every zoo model's outputs: the feature vector (what KNN compares) and, with a classifier, the
// class probabilities.
inline const std::string kFeatureOutput = "feature";
inline const std::string kProbabilitiesOutput = "probabilities";

// The values a model takes for options left unset.
struct ModelDefaults {
  int64_t classes = 0;
  int64_t height = 0;
  int64_t width = 0;
  int64_t frames = 0;
  std::string_view input_kind;  // "optical_flow", "silhouettes" or "gait_energy"
};

// TUM-GAID optical flow as the paper's 2D-CNN, 3D-CNN and 3Dto2D-CNN take it.
inline constexpr ModelDefaults kTumGaidFlow{
    .classes = 150, .height = 60, .width = 60, .frames = 25, .input_kind = "optical_flow"};

// The options of one build, defaults filled in and checked.
struct ModelSetup {
  std::string model;
  std::string input_kind;
  int64_t classes = 0;
  int64_t height = 0;
  int64_t width = 0;
  int64_t frames = 0;
  int64_t batch = -1;
  double width_mult = 1.0;
  uint64_t seed = 0;

  // A channel count of the paper's model scaled by width_mult (rounded, at least 1).
  int64_t channels(int64_t paper_channels) const;
  // Output length of a convolution or pooling window along one axis. Fails, naming the model and
  // `layer`, when the window does not fit the input.
  int64_t window_output(std::string_view layer, int64_t in, int64_t kernel, int64_t stride,
                        int64_t pad_total = 0) const;
};

// Fills unset options from `defaults` and refuses values no model can be built with.
ModelSetup resolve_options(std::string_view model, const ZooOptions& options, const ModelDefaults& defaults);

// Makes `feature` (of shape [batch] + feature_shape) the output "feature"; when setup.classes > 0
// adds the classifier (dense to the classes, then Softmax) as output "probabilities"; records
// Stride's metadata; returns the finished graph.
Graph finish_model(GraphBuilder builder, const ModelSetup& setup, const std::string& feature,
                   const Shape& feature_shape);

}  // namespace stride::zoo
