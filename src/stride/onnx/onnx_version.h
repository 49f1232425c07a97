#pragma once
// The versions of the ONNX and protobuf libraries that read and write Stride's model files, as the
// results' header records them beside the engines' libraries.
#include <string>

namespace stride {

// "ONNX 1.12.0, protobuf 3.21.12"
std::string onnx_library_version();

}  // namespace stride
