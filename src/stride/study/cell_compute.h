#pragma once
// Computing one cell where this process runs: its command in the cell's locked partial folder,
// the log beside it, and on success the folder committed with a record of where it ran: the
// results' header (measure/result_header.h: host, CPU, cores given, load, date of the cell's start)
// and, for a cell that measures time, whether it had the machine to itself, so that a report can
// tell timings from different machines apart.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/study/executor.h"

namespace stride::study {

// How a timing cell shared the machine while it measured: "alone" (a local study runs nothing
// beside it), "exclusive node" (a Slurm job with --exclusive), "shared node" (one without).
struct ComputeConditions {
  std::string timing = "alone";
  std::vector<int> cpus;  // pin the command to these CPUs (empty: those this process has)
};

// Sets the outcome's state (computed or failed), seconds, message and result.
void compute_cell(const CellTask& task, const CellCache& cache, const std::filesystem::path& program,
                  const ComputeConditions& conditions, const std::function<void(double)>& waiting = {});

// The log of a cell while it is computed, and after it failed: "<folder>.partial/log.txt".
std::filesystem::path partial_log(const std::filesystem::path& folder);

// The cell's result.json, or null when it wrote none. Throws stride::Error when it is not JSON.
nlohmann::json read_cell_result(const std::filesystem::path& folder);

}  // namespace stride::study
