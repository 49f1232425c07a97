#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_linear_kernels(KernelRegistry&) {}

}  // namespace stride::ref
