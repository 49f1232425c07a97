#include "stride/ir/op_registry.h"

#include "stride/ir/ops/all_ops.h"

namespace stride {

const TensorInfo& InferContext::input(size_t i) const {
  if (!has_input(i)) fail("input #{} is required but absent", i);
  return *inputs_[i];
}

void OpRegistry::add(OpDef def) {
  std::string type = def.type;
  if (!defs_.emplace(type, std::move(def)).second) fail("op '{}' registered twice", type);
}

const OpDef* OpRegistry::find(std::string_view type) const {
  auto it = defs_.find(type);
  return it == defs_.end() ? nullptr : &it->second;
}

std::vector<std::string> OpRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [type, def] : defs_) out.push_back(type);
  return out;
}

const OpRegistry& op_registry() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    ops::register_conv_ops(r);
    ops::register_pool_ops(r);
    ops::register_linear_ops(r);
    ops::register_norm_ops(r);
    ops::register_recurrent_ops(r);
    ops::register_elementwise_ops(r);
    ops::register_shape_ops(r);
    ops::register_reduce_ops(r);
    ops::register_quant_ops(r);
    ops::register_cast_ops(r);
    return r;
  }();
  return registry;
}

}  // namespace stride
