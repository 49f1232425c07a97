#include "stride/study/study_runner.h"

#include <fmt/format.h>

#include <map>

#include "stride/core/error.h"
#include "stride/study/cell_compute.h"
#include "stride/study/local_executor.h"

namespace stride::study {
namespace fs = std::filesystem;

const char* state_name(CellOutcome::State state) {
  switch (state) {
    case CellOutcome::State::computed:
      return "computed";
    case CellOutcome::State::cached:
      return "cached";
    case CellOutcome::State::failed:
      return "failed";
    case CellOutcome::State::skipped:
      return "skipped";
  }
  return "?";
}

std::vector<CellPlace> place_cells(const std::vector<CellSpec>& cells, const CellCache& cache) {
  // A cell's key needs only those of the cells before it (check_cells).
  std::map<std::string, size_t> index;
  std::vector<CellPlace> places;
  for (const CellSpec& cell : cells) {
    CellPlace& place = places.emplace_back();
    std::vector<std::string> dep_keys;
    for (const std::string& d : dependencies(cell)) dep_keys.push_back(places[index.at(d)].key);
    place.key = CellCache::key(cell, dep_keys);
    place.folder = cache.folder(cell, place.key);
    for (const std::string& arg : cell.args)
      place.command.push_back(resolve_tokens(
          arg, ".", [&](const std::string& id) { return fs::absolute(places[index.at(id)].folder).string(); }));
    index[cell.id] = places.size() - 1;
  }
  return places;
}

std::vector<CellOutcome> run_cells(const std::vector<CellSpec>& cells, const CellCache& cache,
                                   const RunOptions& options) {
  check_cells(cells);
  std::unique_ptr<CellCache::WriteLock> lock;
  if (options.compute) {
    lock = cache.lock_for_writing();
    cache.remove_partial_folders();
  }
  const std::vector<CellPlace> places = place_cells(cells, cache);
  std::vector<CellOutcome> outcomes(cells.size());
  std::map<std::string, size_t> task_of;  // cell id → index in `tasks`
  std::vector<CellTask> tasks;
  for (size_t i = 0; i < cells.size(); ++i) {
    CellOutcome& outcome = outcomes[i];
    outcome.id = cells[i].id;
    outcome.folder = places[i].folder;
    outcome.command = places[i].command;
    if (auto record = cache.record(outcome.folder)) {
      outcome.state = CellOutcome::State::cached;
      outcome.seconds = record->value("compute_ms", 0.0) / 1000;
      outcome.record = std::move(*record);
      outcome.result = read_cell_result(outcome.folder);
    } else if (!options.compute) {
      outcome.state = CellOutcome::State::skipped;
      outcome.message = "not computed yet";
    } else {
      CellTask task{i, &cells[i], places[i].key, {}, &outcome, cells[i].estimated_seconds};
      for (const std::string& d : dependencies(cells[i]))
        if (const auto it = task_of.find(d); it != task_of.end()) task.needs.push_back(it->second);
      task_of[cells[i].id] = tasks.size();
      tasks.push_back(std::move(task));
    }
  }
  if (!tasks.empty()) {
    LocalExecutor one_at_a_time(1);
    Executor& executor = options.executor ? *options.executor : one_at_a_time;
    executor.compute(tasks, {cache, options.program, cells.size(), options.progress});
  }
  return outcomes;
}

CellOutcome run_single_cell(const std::vector<CellSpec>& cells, const CellCache& cache, const std::string& id,
                            const fs::path& program, const std::string& timing) {
  check_cells(cells);
  const std::vector<CellPlace> places = place_cells(cells, cache);
  size_t i = 0;
  while (i < cells.size() && cells[i].id != id) ++i;
  if (i == cells.size()) fail("the study has no cell '{}'", id);
  CellOutcome outcome;
  outcome.id = id;
  outcome.folder = places[i].folder;
  outcome.command = places[i].command;
  if (auto record = cache.record(outcome.folder)) {
    outcome.state = CellOutcome::State::cached;
    outcome.record = std::move(*record);
    return outcome;
  }
  for (const std::string& d : dependencies(cells[i])) {
    size_t j = 0;
    while (cells[j].id != d) ++j;
    if (!cache.complete(places[j].folder))
      fail("cell {} reads {}, which is not complete in {}", id, d, places[j].folder.string());
  }
  const CellTask task{i, &cells[i], places[i].key, {}, &outcome, 0};
  compute_cell(task, cache, program, {timing, {}});
  return outcome;
}

}  // namespace stride::study
