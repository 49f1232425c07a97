#include "stride/compress/ratio_check.h"

#include <fmt/format.h>

#include "stride/core/shortfall.h"

namespace stride::compress {

void check_ratio_met(const Selection& selection, const SelectionRequest& request, bool allow_short) {
  const double missing = (selection.requested - selection.real) * static_cast<double>(selection.filters);
  const bool met = missing <= static_cast<double>(selection.granularity) + 1e-6;
  const bool promised = request.max_layer_ratio < 1 || request.whole_blocks;
  const bool nothing = selection.real == 0 && selection.requested > 0;
  const ShortfallRule rule = allow_short           ? ShortfallRule::allowed
                             : promised || nothing ? ShortfallRule::refuse
                                                   : ShortfallRule::best_effort;
  const auto removed = static_cast<int64_t>(selection.real * static_cast<double>(selection.filters) + 0.5);
  check_met(met, rule,
            fmt::format("pruned {:.1f} % of the filters ({} of {}), {:.1f} % requested", 100 * selection.real, removed,
                        selection.filters, 100 * selection.requested));
}

}  // namespace stride::compress
