#include "stride/engine/onednn/lowering.h"

namespace stride::onednn {

void LoweringRegistry::add(const std::string& op_type, Lowering lowering) {
  if (!lowerings_.emplace(op_type, std::move(lowering)).second) fail("onednn lowering '{}' registered twice", op_type);
}

const Lowering* LoweringRegistry::find(std::string_view op_type) const {
  auto it = lowerings_.find(op_type);
  return it == lowerings_.end() ? nullptr : &it->second;
}

std::vector<std::string> LoweringRegistry::op_types() const {
  std::vector<std::string> out;
  for (const auto& [type, lowering] : lowerings_) out.push_back(type);
  return out;
}

const LoweringRegistry& lowering_registry() {
  static const LoweringRegistry registry = [] {
    LoweringRegistry r;
    register_conv_lowerings(r);
    register_linear_lowerings(r);
    register_pool_lowerings(r);
    register_eltwise_lowerings(r);
    register_norm_lowerings(r);
    register_shape_lowerings(r);
    register_reduce_lowerings(r);
    register_quant_lowerings(r);
    register_recurrent_lowerings(r);
    return r;
  }();
  return registry;
}

}  // namespace stride::onednn
