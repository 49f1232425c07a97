#pragma once
// The cost model: per layer and in total, parameters, multiply-accumulates, FLOPs (= 2 × MACs),
// activation elements, and weight bytes by precision.
#include <map>
#include <string>
#include <vector>

#include "stride/ir/shape_inference.h"

namespace stride {

struct LayerCost {
  std::string node;
  std::string op_type;
  Shape output_shape;       // of the first output
  int64_t params = 0;       // elements of the non-int64 initializers this node reads first
  int64_t macs = 0;
  int64_t activations = 0;  // output elements (0 for view ops such as Reshape)
  int64_t flops() const { return 2 * macs; }
};

struct ModelCost {
  std::vector<LayerCost> layers;  // in topological order
  int64_t params = 0;
  int64_t macs = 0;
  int64_t activations = 0;
  std::map<DType, int64_t> weight_bytes;  // initializer bytes by element type
  int64_t flops() const { return 2 * macs; }
  int64_t total_weight_bytes() const;
};

// Counts with the given input shapes (see infer_shapes); batch 1 by default.
ModelCost model_cost(const Graph& graph, const std::map<std::string, Shape>& input_shapes = {});

}  // namespace stride
