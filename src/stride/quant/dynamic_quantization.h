#pragma once
// Dynamic-range quantization (Contoli and Lattanzi's (2023) TFLite "dynamic range", ONNX Runtime's quantize_dynamic):
// weights stored as s8 with one scale per output channel, activations quantized while the model
// runs, batch by batch, from their own range — no calibration data. In standard ONNX ops:
//   Gemm / MatMul with constant weights ([K, N], or [..., K, N] for MatMul):
//     x → DynamicQuantizeLinear → MatMulInteger(s8 [..., K, N])
//     → Cast to f32 → × (x's scale · weight scale[N]) → + bias: the product runs in integers.
//   Conv and LSTM: s8 weights behind DequantizeLinear, computed in f32 — ONNX has no integer LSTM, and
//     convolutions are what static int8 (`--precision int8`) is for (a run-time scale per batch buys
//     nothing over a calibrated one there; ONNX Runtime too recommends dynamic for RNNs, static for CNNs).
// Every weight is ¼ of its f32 size.
#include "stride/ir/graph.h"

namespace stride::quant {

struct DynamicRequest {
  bool per_channel = true;  // weights: one scale per output channel (else one per tensor)
};

// Throws stride::Error when the graph has nothing to quantize.
Graph quantize_dynamic(const Graph& graph, const DynamicRequest& request = {});

}  // namespace stride::quant
