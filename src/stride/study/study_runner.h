#pragma once
// Runs a study's cells, each as a `stride` child process in its cell folder, skipping the ones
// already complete in the cache; an executor (executor.h) computes the others, here or as jobs of a
// cluster. A failed cell does not stop the study: the cells that read it are skipped, and the
// outcome says why, so the report shows what ran.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stride/study/cell_cache.h"
#include "stride/study/executor.h"
#include "stride/study/study_cell.h"

namespace stride::study {

struct CellOutcome {
  enum class State { computed, cached, failed, skipped };
  std::string id;
  State state = State::computed;
  std::filesystem::path folder;
  double seconds = 0;                // computing time; for a cached cell, that of the run that computed it
  std::string message;               // failed or skipped: why
  nlohmann::json result;             // the cell's result.json, when it wrote one (null otherwise)
  std::vector<std::string> command;  // as run, relative to the cell's folder
  nlohmann::json record;             // the cache's cell.json once complete: where and how it ran
};

const char* state_name(CellOutcome::State state);

struct RunProgress {
  size_t index = 0;  // of the cell, from 1
  size_t total = 0;
  const CellSpec* cell = nullptr;
  const CellOutcome* outcome = nullptr;  // null while the cell runs
  double eta_seconds = 0;                // for the cells after this one
  double running_seconds = -1;           // while it runs: seconds so far (-1 as it starts)
  std::filesystem::path log;             // while it runs: its log
  bool side_by_side = false;             // other cells may run at the same time: one line per event
};

struct RunOptions {
  std::filesystem::path program;  // the `stride` binary the cells run
  std::function<void(const RunProgress&)> progress;
  bool compute = true;           // false: only read the finished cells back; the others are skipped
  Executor* executor = nullptr;  // null: one cell at a time, in this process
};

// Every cell's key, folder and command line (its tokens resolved to the folders of the cells they
// name), in the order of `cells`.
struct CellPlace {
  std::string key;
  std::filesystem::path folder;
  std::vector<std::string> command;
};
std::vector<CellPlace> place_cells(const std::vector<CellSpec>& cells, const CellCache& cache);

// Throws stride::Error on an invalid study (check_cells) or a cache that cannot be written.
std::vector<CellOutcome> run_cells(const std::vector<CellSpec>& cells, const CellCache& cache,
                                   const RunOptions& options);

// Computes the one cell `id` of a study here, as a cluster job does: the cells it reads must be
// complete; a cell already complete is left as it is. Takes no study lock (only the cell's own),
// so that cells run side by side on several machines sharing the folder. Returns the outcome.
CellOutcome run_single_cell(const std::vector<CellSpec>& cells, const CellCache& cache, const std::string& id,
                            const std::filesystem::path& program, const std::string& timing);

}  // namespace stride::study
