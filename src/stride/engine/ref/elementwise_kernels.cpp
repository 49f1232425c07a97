#include "stride/engine/ref/kernels.h"

#include <algorithm>

namespace stride::ref {

void register_elementwise_kernels(KernelRegistry& registry) {
  registry.add("Relu", [](const KernelContext& ctx) {
    auto x = ctx.input(0).values<float>();
    auto y = ctx.output(0).values<float>();
    std::transform(x.begin(), x.end(), y.begin(), [](float v) { return std::max(v, 0.0f); });
  });
}

}  // namespace stride::ref
