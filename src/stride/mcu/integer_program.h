#pragma once
// A full-integer QDQ model (`stride quantize --precision full-int`) as the list of integer and float
// steps a microcontroller runs, with every buffer placed in one static arena: what `stride export-c`
// writes as C. The arithmetic is the onednn backend's (docs/mcu.md, "One integer arithmetic"):
//   - Conv / Gemm / MatMul reading an int8 activation and s8 weights: an exact s32 sum, then
//     v = (float(sum) + bias_acc[c]) · scale[c] in f32, ReLU when fused, and for an int8 result
//     q = saturate(round_half_even(v)), where bias_acc = bias / (s_x · s_w[c]) and
//     scale = s_x · s_w[c] / s_y (s_y = 1 for an f32 result);
//   - QuantizeLinear: saturate(round_half_even(x · (1 / s))); DequantizeLinear: q · s;
//   - MaxPool, Transpose, Reshape, Flatten, Squeeze, Unsqueeze between a DequantizeLinear and a
//     QuantizeLinear of one scale and type run on the integers; ReduceMean, GlobalAveragePool,
//     Softmax, an unfused Relu, a Transpose or reshape of f32 values and the LSTM (f32 weights, as
//     full-int leaves it) run in f32.
// Zero points are 0 and activation scales per tensor, as Stride's quantizer writes them. A
// dynamic-range model (`--precision dynamic`) takes and gives f32: DynamicQuantizeLinear finds its
// scale and zero point in the data (ONNX's rule), the integer product runs in int32, its rescale and
// bias in f32 as the graph writes them, and an LSTM reads s8 weights dequantized row by row.
#include <cstddef>
#include <string>
#include <vector>

#include "stride/ir/graph.h"
#include "stride/ir/ops/window_geometry.h"

namespace stride::mcu {

enum class Storage { s8, u8, f32 };
const char* storage_name(Storage storage);
size_t storage_bytes(Storage storage);
DType storage_dtype(Storage storage);

struct ProgramTensor {
  std::string name;
  Storage storage = Storage::f32;
  Shape shape;
  float scale = 1.0f;  // real = scale · integer (int8 storages whose scale is known before the run)
  int buffer = -1;     // index into IntegerProgram::buffers; -1: the model input, read in place
  int64_t numel() const;
};

struct ArenaBuffer {
  size_t bytes = 0;
  size_t first_step = 0, last_step = 0;  // lifetime in steps, inclusive
  size_t offset = 0;                     // in the arena
};

enum class StepKind {
  conv, dense, max_pool, quantize, dequantize, mean, softmax, relu, transpose, lstm,
  dynamic_quantize,  // DynamicQuantizeLinear: u8 data, its scale and zero point found at run time
  dynamic_dense,     // MatMulInteger, Cast, the rescale Mul and the bias Add of a dynamic-range layer
};

struct ProgramStep {
  StepKind kind = StepKind::relu;
  std::string node;  // the ONNX node it computes (the anchor, for fused groups)
  int input = -1, output = -1;
  // conv and dense: s8 weights ([M, C/group, k...] for conv, [N, K] for dense), per output channel
  // bias_acc and scale (above), the fused ReLU. A conv on f32 data (dynamic-range) has instead its
  // weights' scales in weight_scales and its f32 bias in gate_bias.
  Tensor weights;
  std::vector<float> bias_acc, scale;
  bool relu = false;
  int64_t group = 1;
  WindowGeometry window;  // conv, max_pool
  // quantize: the multiplier 1/s; dequantize: s.
  float multiplier = 1.0f;
  // mean and softmax: the input viewed as [outer, axis, inner], reduced (or normalised) along axis.
  int64_t outer = 1, axis = 1, inner = 1;
  // transpose: the output's dims (padded to 4 in front) and, for each, the input's stride along it.
  std::vector<int64_t> dims, strides;
  // lstm (ONNX gates i, o, f, c; batch 1): weights [4H, I], recurrent [4H, H] (f32), gate_bias
  // [8H] (Wb then Rb); `output` is Y (-1 when nothing reads it), `last_state` Y_h (or -1), `scratch`
  // the h, c and gate values of a step (6H floats).
  Tensor recurrent;
  std::vector<float> gate_bias;  // lstm: [8H]; dynamic_dense and a conv on f32 data: the bias
  // s8 weights (lstm, dynamic_dense): one scale per row of `weights` (and of `recurrent`); empty
  // when the lstm's weights are f32.
  std::vector<float> weight_scales, recurrent_scales;
  // dynamic_quantize writes, dynamic_dense reads: the run-time scale and zero point (2 floats).
  int params = -1;
  bool has_bias = false;  // dynamic_dense
  int64_t steps = 0, inputs = 0, hidden = 0;
  bool reverse = false;
  int last_state = -1, scratch = -1;
};

struct IntegerProgram {
  std::vector<ProgramTensor> tensors;
  std::vector<ProgramStep> steps;
  std::vector<ArenaBuffer> buffers;
  size_t arena_bytes = 0;  // the planner's layout of `buffers`
  int input = -1, output = -1;
  // Bytes of constants the C keeps in flash: weights, biases and scales.
  size_t constant_bytes() const;
};

// The C computes one output: `output`, or by default the model's only one, or "probabilities" (the
// zoo's classifiers also output their feature); only the nodes it depends on are lowered. Throws
// stride::UsageError, naming the node and its op, on anything the generated C cannot compute (a float
// Conv, an op outside the list above, asymmetric or per-channel activations), on an input or output
// that is neither int8 nor f32, on more than one input, or on several outputs and none chosen. The
// batch is 1.
IntegerProgram lower_to_integer_program(const Graph& model, const std::string& output = "");

}  // namespace stride::mcu
