#pragma once
// ONNX LSTM in LibTorch operations, so that autograd trains it: LibTorch's fused LSTM where it has
// the node's features, else step by step. The weights keep ONNX's gate order (i, o, f, c), and the
// trained weights go back into the ONNX node as they are.
#include <vector>

#include "stride/engine/torch/torch_ops.h"

namespace stride::torch_ops {

// Y [T, D, N, H] (or [N, T, D, H] with layout=1), Y_h and Y_c [D, N, H] (or [N, D, H]). Refuses
// sequence_lens shorter than the sequence (training pads no sequences), naming the node.
std::vector<torch::Tensor> lstm(const OpContext& ctx);

}  // namespace stride::torch_ops
