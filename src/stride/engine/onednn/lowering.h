#pragma once
// Lowerings turn one fused group into plan steps. One registration function per op family; the
// op types registered here are exactly the ones the onednn backend supports.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stride/engine/onednn/plan_builder.h"

namespace stride::onednn {

using Lowering = std::function<void(PlanBuilder& builder, const FusedGroup& group)>;

class LoweringRegistry {
 public:
  void add(const std::string& op_type, Lowering lowering);
  const Lowering* find(std::string_view op_type) const;
  std::vector<std::string> op_types() const;

 private:
  std::map<std::string, Lowering, std::less<>> lowerings_;
};

const LoweringRegistry& lowering_registry();

void register_conv_lowerings(LoweringRegistry& registry);     // Conv
void register_linear_lowerings(LoweringRegistry& registry);   // Gemm, MatMul
void register_pool_lowerings(LoweringRegistry& registry);     // MaxPool, AveragePool, Global*Pool
void register_eltwise_lowerings(LoweringRegistry& registry);  // activations, Add, Sub, Mul, Div
void register_norm_lowerings(LoweringRegistry& registry);     // BatchNormalization
void register_shape_lowerings(LoweringRegistry& registry);    // views, Transpose, Concat, Constant
void register_reduce_lowerings(LoweringRegistry& registry);   // ReduceMax, ReduceMean, ReduceSum, Softmax
void register_quant_lowerings(LoweringRegistry& registry);    // QuantizeLinear, DequantizeLinear, Cast
void register_recurrent_lowerings(LoweringRegistry& registry);  // LSTM

}  // namespace stride::onednn
