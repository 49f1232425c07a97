#include "stride/ir/ops/all_ops.h"

namespace stride::ops {

void register_elementwise_ops(OpRegistry& registry) {
  registry.add({.type = "Relu", .min_inputs = 1, .max_inputs = 1, .infer = [](const InferContext& ctx) {
                  return std::vector<TensorInfo>{ctx.input(0)};
                }});
}

}  // namespace stride::ops
