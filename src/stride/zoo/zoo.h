#pragma once
// The model zoo: the gait-recognition models of the source paper (Ruiz-Barroso et al. 2022) as Stride graphs,
// with seeded random weights, and the paper's own figures for them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stride/ir/graph.h"

namespace stride {

struct ZooOptions {
  // Classes of the softmax head; 0 builds no head. Unset: the paper's choice (150 for the
  // TUM-GAID models, 0 for GaitSet, whose classifier is KNN over the features).
  std::optional<int64_t> classes;
  // Input height and width; unset: the paper's (60×60 optical flow, 64×44 silhouettes).
  std::optional<int64_t> height;
  std::optional<int64_t> width;
  // Frames per sample; unset: the paper's (25 optical-flow frames, 30 silhouettes).
  std::optional<int64_t> frames;
  // Scales every channel count and hidden width (rounded, at least 1), e.g. 0.25 for small test
  // models. The input channels and the number of classes are not scaled.
  double width_mult = 1.0;
  uint64_t seed = 0;
  // The batch dimension of the input; -1: chosen at run time.
  int64_t batch = -1;
};

struct ZooEntry {
  std::string name;
  std::string description;
};

// Table 2 of Ruiz-Barroso et al. 2022 for one model, as the paper printed it.
struct PaperFigures {
  std::string input;
  int layers = 0;
  double params_millions = 0;
  double activations_millions = 0;
  double gflop = 0;
};

std::vector<ZooEntry> zoo_list();

// Builds a zoo model. Throws stride::Error for an unknown name (listing the known ones) or for
// options the model cannot honour (e.g. an input too small for its layers).
Graph build_model(std::string_view name, const ZooOptions& options = {});

// The paper's Table 2 row for `name`; nullopt for models the paper's table does not have.
std::optional<PaperFigures> paper_table2(std::string_view name);

}  // namespace stride
