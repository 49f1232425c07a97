#pragma once
// Reading ONNX models (default domain, opsets 7 to 18) into the IR.
//
// Graph inputs are the ONNX inputs that are not initializers; symbolic or absent dims become -1.
// Constant nodes are normalized to attribute `value`, nodes of other opsets are rewritten into
// their opset-13 form, unnamed nodes are named "<op>_<index>" (repeated names get a suffix), and
// metadata_props become Graph::metadata. The graph is validated and every op checked against the
// registry, so a loaded graph is ready for shape inference.
#include <filesystem>
#include <string>
#include <string_view>

#include "stride/ir/graph.h"

namespace stride {

// Throws stride::Error naming the file and what is wrong with it: missing, empty, truncated or
// corrupt, over 2 GiB, an unsupported opset, domain, element type or attribute kind, a tensor
// whose data does not match its dims, a cycle, a dangling value, or unsupported ops (all of them).
Graph load_onnx(const std::filesystem::path& path);

// The same from the bytes of a model; `source_name` prefixes every error.
Graph parse_onnx(std::string_view bytes, std::string source_name);

}  // namespace stride
