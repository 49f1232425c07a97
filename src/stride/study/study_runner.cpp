#include "stride/study/study_runner.h"

#include <fmt/format.h>

#include <map>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/measure/machine_info.h"
#include "stride/study/child_process.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

constexpr const char* kResultName = "result.json";
constexpr const char* kLogName = "log.txt";

nlohmann::json read_result(const fs::path& folder) {
  const fs::path path = folder / kResultName;
  if (!fs::is_regular_file(path)) return nullptr;
  try {
    return nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not JSON ({})", path.string(), e.what());
  }
}

// Scales the cells' estimates by how the cells computed so far compared with theirs.
// Only cells still to compute count: `to_compute[i]` says whether cell i is.
class EtaEstimate {
 public:
  EtaEstimate(const std::vector<CellSpec>& cells, const std::vector<bool>& to_compute) {
    for (size_t i = 0; i < cells.size(); ++i)
      if (to_compute[i]) remaining_ += cells[i].estimated_seconds;
  }
  void done(const CellSpec& cell, const CellOutcome& outcome, bool was_to_compute) {
    if (was_to_compute) remaining_ -= cell.estimated_seconds;
    if (outcome.state == CellOutcome::State::computed) {
      estimated_ += cell.estimated_seconds;
      actual_ += outcome.seconds;
    }
  }
  double seconds() const { return std::max(0.0, remaining_) * (estimated_ > 0 ? actual_ / estimated_ : 1.0); }

 private:
  double remaining_ = 0, estimated_ = 0, actual_ = 0;
};

}  // namespace

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

std::vector<CellOutcome> run_cells(const std::vector<CellSpec>& cells, const CellCache& cache,
                                   const RunOptions& options) {
  check_cells(cells);
  std::unique_ptr<CellCache::WriteLock> lock;
  if (options.compute) {
    lock = cache.lock_for_writing();
    cache.remove_partial_folders();
  }
  // Every key first (a cell's key needs only those of the cells before it): the ETA then counts
  // only the cells not already in the cache.
  std::map<std::string, std::string> keys;
  std::vector<bool> to_compute;
  for (const CellSpec& cell : cells) {
    std::vector<std::string> dep_keys;
    for (const std::string& d : dependencies(cell)) dep_keys.push_back(keys.at(d));
    keys[cell.id] = CellCache::key(cell, dep_keys);
    to_compute.push_back(!cache.complete(cache.folder(cell, keys[cell.id])));
  }
  std::map<std::string, const CellOutcome*> outcome_of;
  std::vector<CellOutcome> outcomes;
  outcomes.reserve(cells.size());  // outcome_of points into it
  EtaEstimate eta(cells, to_compute);
  for (size_t i = 0; i < cells.size(); ++i) {
    const CellSpec& cell = cells[i];
    const std::vector<std::string> deps = dependencies(cell);
    const std::string& key = keys.at(cell.id);
    CellOutcome& outcome = outcomes.emplace_back();
    outcome.id = cell.id;
    outcome.folder = cache.folder(cell, key);
    outcome_of[cell.id] = &outcome;
    for (const std::string& arg : cell.args)
      outcome.command.push_back(resolve_tokens(
          arg, ".", [&](const std::string& id) { return fs::absolute(outcome_of.at(id)->folder).string(); }));

    if (const auto record = cache.record(outcome.folder)) {
      outcome.state = CellOutcome::State::cached;
      outcome.seconds = record->value("seconds", 0.0);
      outcome.result = read_result(outcome.folder);
    } else if (!options.compute) {
      outcome.state = CellOutcome::State::skipped;
      outcome.message = "not computed yet";
    } else {
      for (const std::string& d : deps) {
        const CellOutcome& before = *outcome_of.at(d);
        if (before.state == CellOutcome::State::failed || before.state == CellOutcome::State::skipped) {
          outcome.state = CellOutcome::State::skipped;
          outcome.message = fmt::format("needs {}, which {}", d, state_name(before.state));
          break;
        }
      }
    }
    if (outcome.state == CellOutcome::State::computed) {
      const fs::path partial = cache.begin(outcome.folder);
      const RunProgress running{i + 1, cells.size(), &cell, nullptr, eta.seconds(), -1, partial / kLogName};
      if (options.progress) options.progress(running);
      const ChildResult child =
          run_child(options.program, outcome.command, partial, partial / kLogName, [&](double seconds) {
            RunProgress now = running;
            now.running_seconds = seconds;
            if (options.progress) options.progress(now);
          });
      outcome.seconds = child.seconds;
      if (child.exit_code == 0) {
        outcome.result = read_result(partial);
        cache.commit(outcome.folder, {{"id", cell.id},
                                      {"key", key},
                                      {"command", outcome.command},
                                      {"seconds", child.seconds},
                                      {"date", utc_timestamp()}});
      } else {
        outcome.state = CellOutcome::State::failed;
        outcome.message = fmt::format("exit code {}: {} (log: {})", child.exit_code, last_line(partial / kLogName),
                                      (partial / kLogName).string());
      }
    }
    eta.done(cell, outcome, to_compute[i]);
    if (options.progress) options.progress({i + 1, cells.size(), &cell, &outcome, eta.seconds(), -1, {}});
  }
  return outcomes;
}

}  // namespace stride::study
