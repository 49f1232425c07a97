#include "stride/ir/ops/all_ops.h"

namespace stride::ops {

void register_conv_ops(OpRegistry&) {}

}  // namespace stride::ops
