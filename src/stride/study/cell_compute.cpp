#include "stride/study/cell_compute.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "stride/core/atomic_file.h"
#include "stride/core/cpu_count.h"
#include "stride/core/error.h"
#include "stride/measure/result_header.h"
#include "stride/study/child_process.h"
#include "stride/study/study_runner.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

constexpr const char* kResultName = "result.json";
constexpr const char* kLogName = "log.txt";

// Where, when and how the cell ran (the results' header, measure/result_header.h, dated and loaded
// as of the cell's start): the report compares timings only between cells of one machine.
nlohmann::ordered_json cell_record(const CellTask& task, const ComputeConditions& conditions, const WorkStart& start,
                                   double seconds) {
  const int cores = conditions.cpus.empty() ? usable_cores() : static_cast<int>(conditions.cpus.size());
  nlohmann::ordered_json record = result_header("study-cell", cores, start);
  record["id"] = task.cell->id;
  record["key"] = task.key;
  record["cell_command"] = task.outcome->command;
  record["compute_ms"] = 1000 * seconds;
  if (const char* job = std::getenv("SLURM_JOB_ID")) record["slurm_job"] = job;
  if (task.cell->measures_time) record["timing"] = conditions.timing;
  return record;
}

}  // namespace

fs::path partial_log(const fs::path& folder) { return CellCache::partial_folder(folder) / kLogName; }

nlohmann::json read_cell_result(const fs::path& folder) {
  const fs::path path = folder / kResultName;
  if (!fs::is_regular_file(path)) return nullptr;
  try {
    return nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not JSON ({})", path.string(), e.what());
  }
}

void compute_cell(const CellTask& task, const CellCache& cache, const fs::path& program,
                  const ComputeConditions& conditions, const std::function<void(double)>& waiting) {
  CellOutcome& outcome = *task.outcome;
  const std::unique_ptr<CellCache::Computing> computing = cache.begin(outcome.folder);
  const fs::path& partial = computing->folder();
  const WorkStart start = work_start_now();
  const ChildResult child = run_child(program, outcome.command, partial, partial / kLogName, waiting, conditions.cpus);
  outcome.seconds = child.seconds;
  if (child.exit_code != 0) {
    outcome.state = CellOutcome::State::failed;
    outcome.message = fmt::format("exit code {}: {} (log: {})", child.exit_code, last_line(partial / kLogName),
                                  (partial / kLogName).string());
    return;
  }
  outcome.state = CellOutcome::State::computed;
  outcome.result = read_cell_result(partial);
  const nlohmann::ordered_json record = cell_record(task, conditions, start, child.seconds);
  cache.commit(outcome.folder, record);
  outcome.record = record;
}

}  // namespace stride::study
