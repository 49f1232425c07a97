#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_recurrent_kernels(KernelRegistry&) {}

}  // namespace stride::ref
