#pragma once
// The ref backend's kernels: plain loops that read like the ONNX operator specification. They are
// the oracle every faster backend is tested against, so clarity beats speed here.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/ir/graph.h"

namespace stride::ref {

struct KernelContext {
  const Node& node;
  std::vector<const Tensor*> inputs;  // nullptr for an absent optional input
  std::vector<Tensor*> outputs;       // allocated with the inferred dtype and shape; nullptr if unnamed
  const Tensor& input(size_t i) const;
  Tensor& output(size_t i) const;
};

using Kernel = std::function<void(const KernelContext& ctx)>;

class KernelRegistry {
 public:
  void add(const std::string& op_type, Kernel kernel);
  const Kernel* find(std::string_view op_type) const;

 private:
  std::map<std::string, Kernel, std::less<>> kernels_;
};

const KernelRegistry& kernel_registry();

// One registration function per op family, mirroring stride/ir/ops/all_ops.h.
void register_conv_kernels(KernelRegistry& registry);
void register_pool_kernels(KernelRegistry& registry);
void register_linear_kernels(KernelRegistry& registry);
void register_norm_kernels(KernelRegistry& registry);
void register_recurrent_kernels(KernelRegistry& registry);
void register_elementwise_kernels(KernelRegistry& registry);
void register_shape_kernels(KernelRegistry& registry);
void register_reduce_kernels(KernelRegistry& registry);
void register_quant_kernels(KernelRegistry& registry);
void register_cast_kernels(KernelRegistry& registry);

}  // namespace stride::ref
