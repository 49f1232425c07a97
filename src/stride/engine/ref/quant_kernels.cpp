#include "stride/engine/ref/kernels.h"

namespace stride::ref {

void register_quant_kernels(KernelRegistry&) {}

}  // namespace stride::ref
