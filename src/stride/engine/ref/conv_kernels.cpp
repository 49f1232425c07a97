#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_conv_kernels(KernelRegistry&) {}

}  // namespace stride::ref
