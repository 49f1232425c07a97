#include "stride/core/version.h"

namespace stride {

// STRIDE_VERSION and STRIDE_COMMIT are defined for this file alone (src/CMakeLists.txt), so a new
// version or commit rebuilds one file.
const char* version() { return STRIDE_VERSION; }

const char* commit() { return STRIDE_COMMIT; }

}  // namespace stride
