#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_norm_kernels(KernelRegistry&) {}

}  // namespace stride::ref
