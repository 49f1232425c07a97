#pragma once
// Where a study keeps its cells: <root>/<id>-<key>/, with the cell's files, its log and, written
// last, "cell.json" (the command line, the time it took). A folder with cell.json is complete and
// is never computed again; a cell being computed lives in "<folder>.partial" until it succeeds and
// is renamed, so a study killed at any moment leaves only partial folders, which the next run
// removes. The key hashes the cell's command line and the keys of the cells it reads: change an
// option or an input upstream and every cell downstream gets a new folder. cell.json also holds a
// content hash of every file the cell wrote: a folder whose files no longer match (a truncated
// model, a file removed by hand) is not complete, and its cell is computed again.
// A partial folder is held by the process computing it (a lock on its ".computing" file), so that
// cells computed elsewhere at the same time — Slurm jobs on other nodes sharing the folder, a
// second study — are neither computed twice nor removed as leftovers.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stride/study/study_cell.h"

namespace stride::study {

class CellCache {
 public:
  explicit CellCache(std::filesystem::path root);

  // 16 hex digits; `dependency_keys` in the order of dependencies(cell).
  static std::string key(const CellSpec& cell, const std::vector<std::string>& dependency_keys);

  std::filesystem::path folder(const CellSpec& cell, const std::string& key) const;
  // "<folder>.partial": where the cell is computed, and what a failed one leaves.
  static std::filesystem::path partial_folder(const std::filesystem::path& folder);
  // cell.json is there and every file it lists has the content it was committed with.
  bool complete(const std::filesystem::path& folder) const;
  // The record written by commit(), or nothing when the cell is not complete.
  std::optional<nlohmann::json> record(const std::filesystem::path& folder) const;

  // The partial folder of a cell being computed, locked while this handle lives.
  class Computing {
   public:
    Computing(std::filesystem::path partial, int fd) : partial_(std::move(partial)), fd_(fd) {}
    ~Computing();
    Computing(const Computing&) = delete;
    Computing& operator=(const Computing&) = delete;
    const std::filesystem::path& folder() const { return partial_; }

   private:
    std::filesystem::path partial_;
    int fd_;
  };
  // An empty "<folder>.partial", locked, to compute the cell in (a leftover one is emptied first).
  // Throws stride::Error when another process is computing the cell now.
  std::unique_ptr<Computing> begin(const std::filesystem::path& folder) const;
  // Writes `record`, with the content hash of each file in the partial folder, as cell.json into
  // the partial folder, then renames it to `folder`.
  void commit(const std::filesystem::path& folder, const nlohmann::ordered_json& record) const;

  // Removes the partial folders of runs that were killed (not those being computed now); returns
  // how many there were.
  size_t remove_partial_folders() const;

  // Held by the one study computing cells here (an advisory lock on <root>/.lock, released when
  // the handle goes or the process ends): a second one is refused instead of removing the first
  // one's partial folders. Reading finished cells needs no lock.
  class WriteLock {
   public:
    explicit WriteLock(int fd) : fd_(fd) {}
    ~WriteLock();
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

   private:
    int fd_;
  };
  std::unique_ptr<WriteLock> lock_for_writing() const;

 private:
  std::filesystem::path root_;
};

}  // namespace stride::study
