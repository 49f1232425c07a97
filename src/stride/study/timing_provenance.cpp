#include "stride/study/timing_provenance.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

namespace stride::study {

std::vector<std::string> timing_notes(const Outcomes& outcomes) {
  std::map<std::string, std::vector<std::string>> cells_of_machine;  // "host (cpu)" → timing cells
  std::map<std::string, std::vector<std::string>> cells_by_sharing;  // "alone", "exclusive node", "shared node"
  for (const auto& [id, outcome] : outcomes) {
    const nlohmann::json& record = outcome->record;
    if (!record.is_object() || !record.contains("timing")) continue;  // not a timing cell, or older
    const nlohmann::json machine = record.value("machine", nlohmann::json::object());
    cells_of_machine[fmt::format("{} ({})", machine.value("hostname", "?"), machine.value("cpu_model", "?"))]
        .push_back(id);
    cells_by_sharing[record.value("timing", "?")].push_back(id);
  }
  std::vector<std::string> notes;
  if (cells_of_machine.size() == 1) {
    notes.push_back(fmt::format("every time measured on {}", cells_of_machine.begin()->first));
  } else if (cells_of_machine.size() > 1) {
    std::vector<std::string> parts;
    for (const auto& [machine, cells] : cells_of_machine)
      parts.push_back(fmt::format("{}: {} cells", machine, cells.size()));
    notes.push_back(fmt::format(
        "times measured on {} machines ({}): a ratio of two times may compare two machines; results.json names "
        "each cell's machine",
        cells_of_machine.size(), fmt::join(parts, "; ")));
  }
  if (const auto shared = cells_by_sharing.find("shared node"); shared != cells_by_sharing.end())
    notes.push_back(fmt::format("measured on a shared node (other jobs may have run beside them): {}",
                                fmt::join(shared->second, ", ")));
  if (cells_by_sharing.count("alone"))
    notes.push_back("on this machine each time was measured with no other cell running");
  if (cells_by_sharing.count("exclusive node"))
    notes.push_back("on the cluster each time was measured on a node of its own (sbatch --exclusive)");
  return notes;
}

}  // namespace stride::study
