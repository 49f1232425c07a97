#pragma once
// Full-integer quantization (Contoli and Lattanzi's (2023) TFLite "full integer"): the static int8 QDQ model with its
// inputs and outputs u8/s8 too, for a device that takes and gives integers only. An input already
// quantized by the model's first QuantizeLinear simply is that quantized tensor; any other input or
// output gets the scale of its calibrated range. The scales are recorded in the metadata (the
// application needs them to feed real data), and ir/float_interface.h turns such a model back into
// one with f32 inputs and outputs.
#include <map>
#include <string>

#include "stride/ir/graph.h"
#include "stride/quant/calibration.h"

namespace stride::quant {

// `qdq` is a model written by quantize_int8; `ranges` has the calibrated range of every f32 input
// and output that the model does not quantize already (throws naming a missing one).
Graph with_integer_interface(const Graph& qdq, const std::map<std::string, Range>& ranges);

}  // namespace stride::quant
