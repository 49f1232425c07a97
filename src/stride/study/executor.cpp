#include "stride/study/executor.h"

#include <fmt/format.h>

#include "stride/study/study_runner.h"

namespace stride::study {

std::string blocked_by(const CellTask& task, const std::vector<CellTask>& tasks) {
  for (size_t n : task.needs) {
    const CellOutcome& before = *tasks[n].outcome;
    if (before.state == CellOutcome::State::failed || before.state == CellOutcome::State::skipped)
      return fmt::format("needs {}, which {}", before.id, state_name(before.state));
  }
  return {};
}

}  // namespace stride::study
