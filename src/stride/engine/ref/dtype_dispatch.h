#pragma once
// Kernels that compute on several element types are written once as templates; this picks the
// instance for a tensor's dtype and refuses, naming the node, a dtype the kernel has no instance for.
#include <fmt/ranges.h>

#include <string_view>
#include <vector>

#include "stride/core/error.h"
#include "stride/engine/ref/kernels.h"

namespace stride::ref {

// Calls f(T{}) for the T among Ts whose DType is `dtype`.
template <typename... Ts, typename F>
void dispatch_dtype(const KernelContext& ctx, DType dtype, F&& f) {
  const bool found = ((dtype == DTypeOf<Ts>::value ? (f(Ts{}), true) : false) || ...);
  if (!found) {
    const std::vector<std::string_view> names{dtype_name(DTypeOf<Ts>::value)...};
    fail("node '{}' ({}): the ref backend computes {} on {} only, not on {}", ctx.node.name, ctx.node.op_type,
         ctx.node.op_type, fmt::join(names, ", "), dtype_name(dtype));
  }
}

}  // namespace stride::ref
