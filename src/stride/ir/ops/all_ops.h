#pragma once
// One registration function per op family; op_registry() calls them all.
#include "stride/ir/op_registry.h"

namespace stride::ops {

void register_conv_ops(OpRegistry& registry);         // Conv
void register_pool_ops(OpRegistry& registry);         // MaxPool, AveragePool, GlobalAveragePool
void register_linear_ops(OpRegistry& registry);       // Gemm, MatMul
void register_norm_ops(OpRegistry& registry);         // BatchNormalization
void register_recurrent_ops(OpRegistry& registry);    // LSTM
void register_elementwise_ops(OpRegistry& registry);  // Relu, LeakyRelu, Sigmoid, Tanh, Exp, Log, Clip,
                                                      // Add, Sub, Mul, Div
void register_shape_ops(OpRegistry& registry);        // Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat,
                                                      // Identity, Dropout, Constant
void register_reduce_ops(OpRegistry& registry);       // ReduceMax, ReduceMean, ReduceSum, Softmax
void register_quant_ops(OpRegistry& registry);        // QuantizeLinear, DequantizeLinear
void register_cast_ops(OpRegistry& registry);         // Cast

}  // namespace stride::ops
