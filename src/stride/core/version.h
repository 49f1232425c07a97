#pragma once
// Stride's version (the project's version in CMakeLists.txt), as `stride --version` and the C API's
// stride_version() report it.

namespace stride {

// "0.1.0"; a static string.
const char* version();

}  // namespace stride
