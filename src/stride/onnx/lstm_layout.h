#pragma once
// LSTM's `layout` attribute (opset 14) lets X, initial_h/c and the outputs put the batch first.
// The IR's LSTM (opset 13) is sequence-first only, so the importer wraps a batch-first LSTM in
// Transpose nodes: the backends then run one LSTM form, and the transposes are plain data moves.
#include "stride/ir/graph.h"
#include "stride/onnx/value_names.h"

namespace stride::onnx_io {

// Rewrites every LSTM with layout=1 into a layout-0 LSTM between Transposes that keep its
// inputs' and outputs' names and shapes. Refuses, naming the node, a layout other than 0 or 1.
void make_lstms_sequence_first(Graph& graph, ValueNames& names);

}  // namespace stride::onnx_io
