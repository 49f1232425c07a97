#include "stride/core/version.h"

namespace stride {

// STRIDE_VERSION is defined for this file alone (src/CMakeLists.txt), so a new version rebuilds one file.
const char* version() { return STRIDE_VERSION; }

}  // namespace stride
