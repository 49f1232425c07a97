#pragma once
// The IR's ops are ONNX ops as of opset 13. Models written for other opsets differ in a few
// places that matter to Stride's ops: some attributes became inputs (Reshape's shape in 5,
// Squeeze/Unsqueeze/ReduceSum axes in 13, Clip min/max in 11, Dropout ratio in 12), Reduce* axes
// became an input in 18 (opset 13 has an attribute), Softmax's default axis changed in 13,
// Concat's axis was optional before 4, Add/Sub/Mul/Div broadcast numpy-style only from 7, and
// attributes came and went (consumed_inputs before 6, BatchNormalization is_test before 7 and
// spatial before 9, training_mode and LSTM layout from 14, ...). The importer rewrites such nodes
// into their opset-13 form. One opset-14 attribute stays: Reshape's allowzero=1, whose zero-sized
// dims opset 13 cannot express when the shape is known only at run time.
#include <cstdint>

#include "stride/ir/graph.h"

namespace stride::onnx_io {

inline constexpr int64_t kMinOpset = 1;
inline constexpr int64_t kMaxOpset = 18;
inline constexpr int64_t kIrOpset = 13;

// Rewrites every node of `graph`, written for default-domain `opset`, into its opset-13 form.
// Refuses, naming the node and the reason, what opset 13 cannot express: an attribute value that
// opset 13 lacks (training-mode BatchNormalization, say), or a Reduce* axes input (opset 18) that
// is not a constant. Legacy broadcasts from an axis are left to align_legacy_broadcasts().
void convert_to_ir_opset(Graph& graph, int64_t opset);

// Before opset 13, Softmax, LogSoftmax and Hardmax normalized over all dims from `axis` on
// together; that equals opset 13's single-axis form only when every dim after `axis` is 1 (as
// in the usual [batch, classes] head). Refuses, naming the node, a converted node where that does
// not hold, rather than computing something else. Runs shape inference, so `graph` must be valid
// and use only supported ops; unknown dims count as 1.
void check_softmax_axes(const Graph& graph, int64_t opset);

}  // namespace stride::onnx_io
