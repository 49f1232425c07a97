#pragma once
// Calibration inputs where they enter: scales are derived from their values, so an input of the
// wrong dtype (cast silently, its scales ~100× off), one holding NaN or infinity, or no input at
// all would still give a model that looks sound. `stride run` refuses such inputs; so does this.
#include <cstdint>
#include <string>
#include <vector>

#include "stride/engine/backend.h"

namespace stride::quant {

// Throws stride::Error naming `source` (a file, a batch) when `tensor` is not of `input`'s dtype
// or holds a value that is not finite.
void check_calibration_input(const Tensor& tensor, const ValueInfo& input, const std::string& source);

// The rows of `batches` (their first dimension) after checking every model input of each; throws
// stride::Error when there are none, naming both figures (`asked` and 0). Fewer than `asked`
// (documented: --samples is at most N) gives a warning line.
int64_t check_calibration_batches(const Graph& model, const std::vector<TensorMap>& batches, int64_t asked);

}  // namespace stride::quant
