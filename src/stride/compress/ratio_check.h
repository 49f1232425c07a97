#pragma once
// Whether a prune removed what it was asked to (core/shortfall.h's rule). Filters are whole, so the
// real ratio may fall short of the requested one by the most filters the threshold takes at once.
// Beyond that, --max-layer-ratio and --whole-blocks promise the ratio and refuse a shortfall, as
// does a prune that removed nothing of a positive ratio; the paper's rule (one filter kept after
// the threshold) and --round-to without whole blocks are documented best effort and warn.
#include "stride/compress/channel_selection.h"

namespace stride::compress {

// Throws stride::Error naming both ratios when the shortfall is refused; `allow_short` (the user's
// --allow-short) turns it into a warning line.
void check_ratio_met(const Selection& selection, const SelectionRequest& request, bool allow_short);

}  // namespace stride::compress
