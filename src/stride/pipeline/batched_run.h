#pragma once
// Runs a compiled plan over any number of samples in batches of its compiled size, so that one
// plan serves a whole dataset: the last batch is padded by repeating its final sample and the
// padding's outputs are dropped.
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "stride/engine/backend.h"

namespace stride::pipeline {

struct BatchedOutput {
  Tensor rows;              // f32 [count, ...]: the output of every sample, in sample order
  double plan_seconds = 0;  // time inside Plan::run only (batch assembly excluded)
};

// Called just before and just after each timed Plan::run, e.g. to open and close an energy meter's
// window around exactly the time that plan_seconds counts.
struct TimedRunHooks {
  std::function<void()> begin, end;
};

// `make_batch(first, count)` returns the input for samples [first, first + count) with `batch`
// rows (padding included). Throws stride::Error when count is 0 or the output is not f32.
BatchedOutput run_in_batches(Plan& plan, const std::string& input_name, const std::string& output_name, int64_t batch,
                             size_t count, const std::function<Tensor(size_t first, size_t count)>& make_batch,
                             const TimedRunHooks& hooks = {});

// The mean of the rows of each group: row i of `rows` ([N, ...]) belongs to group `group_of_row[i]`
// (< groups); the result is [groups, ...]. Throws stride::Error for a group without rows.
Tensor mean_rows_per_group(const Tensor& rows, std::span<const size_t> group_of_row, size_t groups);

}  // namespace stride::pipeline
