#pragma once
// Writing the IR as ONNX: ir_version 8, opset 13 (the IR's own), producer "stride", weights as
// raw_data initializers, Graph::metadata as metadata_props. Exporting, importing and exporting
// again gives the same bytes.
#include <filesystem>
#include <string>

#include "stride/ir/graph.h"

namespace stride {

// Nodes are written in topological order (ONNX requires it). Throws stride::Error on a graph
// that fails validate() or would exceed protobuf's 2 GiB message limit.
std::string serialize_onnx(const Graph& graph);

// Written to "<path>.tmp" and renamed, so an interrupted write never leaves a partial model.
void save_onnx(const Graph& graph, const std::filesystem::path& path);

}  // namespace stride
