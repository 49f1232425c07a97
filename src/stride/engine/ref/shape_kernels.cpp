#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_shape_kernels(KernelRegistry&) {}

}  // namespace stride::ref
