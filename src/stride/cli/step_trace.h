#pragma once
// `stride bench --profile FILE`: every step of every profiled run (plan_explain.h) as a Chrome
// trace, the JSON that Perfetto, chrome://tracing and ONNX Runtime's profiler use:
//   {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}
// with one complete event ("ph": "X") per step and run: name (the nodes it computes), cat (their
// op types, or the conversion), ts and dur in microseconds from the first step profiled, pid (this
// process), tid (the batch size, so that each batch size is a track of its own) and args (op,
// input and output shapes, kernel, primitive, backend, batch, run, step).
#include <nlohmann/json.hpp>
#include <vector>

#include "stride/cli/plan_explain.h"
#include "stride/ir/graph.h"

namespace stride::cli {

nlohmann::json chrome_trace(const Graph& graph, const std::vector<PlanExplanation>& explanations,
                            nlohmann::json other_data);

}  // namespace stride::cli
