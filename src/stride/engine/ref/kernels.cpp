#include "stride/engine/ref/kernels.h"

#include "stride/core/error.h"

namespace stride::ref {

const Tensor& KernelContext::input(size_t i) const {
  if (i >= inputs.size() || !inputs[i]) fail("node '{}' ({}): input #{} is absent", node.name, node.op_type, i);
  return *inputs[i];
}

Tensor& KernelContext::output(size_t i) const {
  if (i >= outputs.size() || !outputs[i]) fail("node '{}' ({}): output #{} is absent", node.name, node.op_type, i);
  return *outputs[i];
}

void KernelRegistry::add(const std::string& op_type, Kernel kernel) {
  if (!kernels_.emplace(op_type, std::move(kernel)).second) fail("ref kernel '{}' registered twice", op_type);
}

const Kernel* KernelRegistry::find(std::string_view op_type) const {
  auto it = kernels_.find(op_type);
  return it == kernels_.end() ? nullptr : &it->second;
}

const KernelRegistry& kernel_registry() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    register_conv_kernels(r);
    register_pool_kernels(r);
    register_linear_kernels(r);
    register_norm_kernels(r);
    register_recurrent_kernels(r);
    register_elementwise_kernels(r);
    register_shape_kernels(r);
    register_reduce_kernels(r);
    register_quant_kernels(r);
    register_cast_kernels(r);
    return r;
  }();
  return registry;
}

}  // namespace stride::ref
