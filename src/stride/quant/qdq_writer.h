#pragma once
// Writes a float graph as standard QDQ ONNX (the engine's contract, docs/quantize.md): s8
// per-channel weights and int32 biases behind DequantizeLinear, and QuantizeLinear →
// DequantizeLinear pairs on the chosen activations, each group of activations on one scale.
#include <map>
#include <string>

#include "stride/quant/calibration.h"
#include "stride/quant/qdq_selection.h"

namespace stride::quant {

struct QdqOptions {
  bool per_channel = true;  // weights: one scale per output channel (else one per tensor)
};

// `ranges` has the calibrated range of every activation of `selection` (throws naming a missing one).
Graph write_qdq(const Graph& graph, const QdqSelection& selection, const std::map<std::string, Range>& ranges,
                const QdqOptions& options = {});

}  // namespace stride::quant
