#pragma once
// A full-integer model (inputs and outputs u8/s8, as TFLite's full-integer quantization and
// `stride quantize --precision full-int` write them) seen with real-valued inputs and outputs: each
// integer input is quantized by a QuantizeLinear with the scale and zero point of the
// DequantizeLinear that reads it, each integer output dequantized with those of the QuantizeLinear
// that writes it — exactly what an application feeding real data does around the model. Lets every
// tool that feeds f32 data (evaluation, timing) run such a model unchanged; other graphs are returned
// as they are.
#include "stride/ir/graph.h"

namespace stride {

// Throws stride::Error naming the input (output) when an integer input (output) is not read by a
// DequantizeLinear (written by a QuantizeLinear) with constant parameters, so its real scale is unknown.
Graph with_float_interface(const Graph& graph);

}  // namespace stride
