#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_reduce_kernels(KernelRegistry&) {}

}  // namespace stride::ref
