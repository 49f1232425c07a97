#include "stride/quant/calibration_checks.h"

#include <fmt/format.h>

#include "stride/core/finite_values.h"
#include "stride/core/shortfall.h"

namespace stride::quant {

void check_calibration_input(const Tensor& tensor, const ValueInfo& input, const std::string& source) {
  if (tensor.dtype() != input.dtype)
    fail("{}: holds {}, the model's input '{}' is {} (calibration inputs are not converted)", source,
         dtype_name(tensor.dtype()), input.name, dtype_name(input.dtype));
  if (const auto bad = first_non_finite(tensor))
    fail("{}: holds {} at index {}; calibration needs finite inputs", source, bad->value, bad->index);
}

int64_t check_calibration_batches(const Graph& model, const std::vector<TensorMap>& batches, int64_t asked) {
  int64_t rows = 0;
  for (size_t b = 0; b < batches.size(); ++b) {
    for (const ValueInfo& input : model.inputs) {
      const auto it = batches[b].find(input.name);
      if (it == batches[b].end()) fail("calibration batch {} has no input '{}'", b + 1, input.name);
      check_calibration_input(it->second, input, fmt::format("calibration batch {}", b + 1));
    }
    if (!model.inputs.empty() && batches[b].at(model.inputs.front().name).rank() > 0)
      rows += batches[b].at(model.inputs.front().name).dim(0);
  }
  if (rows == 0) fail("calibration has 0 inputs ({} asked): its files or recordings hold no sample", asked);
  check_met(
      rows >= asked, ShortfallRule::best_effort,
      fmt::format("calibrated on {} inputs, {} asked (--samples): the calibration data holds no more", rows, asked));
  return rows;
}

}  // namespace stride::quant
