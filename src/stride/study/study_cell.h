#pragma once
// One cell of a study: a `stride` command line whose result the study keeps. Arguments name
// folders by token: "{out}" is the cell's own folder, "{ID}" the folder of the cell called ID,
// which then runs first. A cell's files and its JSON result stay in its folder, so that a later
// study with the same inputs finds them instead of computing them again (see cell_cache.h).
#include <functional>
#include <string>
#include <vector>

namespace stride::study {

struct CellSpec {
  std::string id;                 // "train/cnn2d", "bench/gaitset/int8": unique within a study
  std::string title;              // what the progress line says it is doing
  std::vector<std::string> args;  // after the program name: {"bench", "{train/cnn2d}/model.onnx", ...}
  double estimated_seconds = 10;  // on a 2-core machine: the ETA's guess until real times are known
  // Its result holds times the report shows: it runs with nothing beside it (local_executor.h), or
  // on a node of its own (slurm_executor.h), and its record says which.
  bool measures_time = false;
  // Its result depends on how many threads compute it: training sums gradients over batches split
  // by thread, so a model trained with 1 and with 2 threads differs. Its arguments fix the thread
  // count (the study's --train-threads, hence part of its cache key) and it never runs on a share of
  // the cores, so --jobs, Slurm and a rerun elsewhere give the same model.
  bool fixed_threads = false;

  // Runs with no other cell beside it on this machine (local_executor.h).
  bool runs_alone() const { return measures_time || fixed_threads; }
};

// The ids of the cells `cell` reads from, in order of first mention, each once ("{out}" excluded).
std::vector<std::string> dependencies(const CellSpec& cell);

// `text` with "{out}" replaced by `out` and every other "{ID}" by `folder_of(ID)`. Throws
// stride::Error on an unclosed or empty brace.
std::string resolve_tokens(const std::string& text, const std::string& out,
                           const std::function<std::string(const std::string&)>& folder_of);

// Checks a whole study before anything runs: ids unique and non-empty, every token naming a cell
// listed before the one using it (so the list is already in an order that can run).
void check_cells(const std::vector<CellSpec>& cells);

}  // namespace stride::study
