#include "stride/ir/ops/all_ops.h"

namespace stride::ops {

void register_quant_ops(OpRegistry&) {}

}  // namespace stride::ops
