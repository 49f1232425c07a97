#include "stride/quant/precision_choice.h"

#include "stride/core/error.h"

namespace stride::quant {

size_t choose_precision(const std::vector<PrecisionTrial>& trials, double float_accuracy, double max_drop) {
  if (trials.empty()) fail("no precision was tried");
  if (max_drop < 0) fail("the accuracy drop bound must be 0 or more points, got {}", max_drop);
  size_t best = 0;
  for (size_t i = 1; i < trials.size(); ++i)
    if (float_accuracy - trials[i].accuracy <= max_drop && trials[i].ms < trials[best].ms) best = i;
  return best;
}

}  // namespace stride::quant
