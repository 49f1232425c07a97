#pragma once
// Stride's version (the project's version in CMakeLists.txt), as `stride --version` and the C API's
// stride_version() report it, and the commit the build was configured from.

namespace stride {

// "0.1.0"; a static string.
const char* version();

// The git commit hash of the sources built, or "unknown" when they were not a git checkout; a
// static string.
const char* commit();

}  // namespace stride
