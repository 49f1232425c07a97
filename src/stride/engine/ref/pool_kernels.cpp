#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_pool_kernels(KernelRegistry&) {}

}  // namespace stride::ref
