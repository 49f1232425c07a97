#pragma once
// Where a study keeps its cells: <root>/<id>-<key>/, with the cell's files, its log and, written
// last, "cell.json" (the command line, the time it took). A folder with cell.json is complete and
// is never computed again; a cell being computed lives in "<folder>.partial" until it succeeds and
// is renamed, so a study killed at any moment leaves only partial folders, which the next run
// removes. The key hashes the cell's command line and the keys of the cells it reads: change an
// option or an input upstream and every cell downstream gets a new folder. cell.json also holds a
// content hash of every file the cell wrote: a folder whose files no longer match (a truncated
// model, a file removed by hand) is not complete, and its cell is computed again.
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
  // cell.json is there and every file it lists has the content it was committed with.
  bool complete(const std::filesystem::path& folder) const;
  // The record written by commit(), or nothing when the cell is not complete.
  std::optional<nlohmann::json> record(const std::filesystem::path& folder) const;

  // An empty "<folder>.partial" to compute the cell in (a leftover one is removed first).
  std::filesystem::path begin(const std::filesystem::path& folder) const;
  // Writes `record`, with the content hash of each file in the partial folder, as cell.json into
  // the partial folder, then renames it to `folder`.
  void commit(const std::filesystem::path& folder, const nlohmann::json& record) const;

  // Removes the partial folders of runs that were killed; returns how many there were.
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
