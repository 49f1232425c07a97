#pragma once
// A folder of outputs written whole or not at all, as atomic_file.h does for one file: its files go
// into a hidden sibling, ".<name>.<pid>.partial", renamed to the folder by finish(); a stage dropped
// unfinished (an error on the way) is removed with everything in it. An interrupting signal leaves
// the hidden sibling behind (the handler removes files only, never folders), not the folder itself.
#include <filesystem>

namespace stride {

class StagedFolder {
 public:
  // Refuses (stride::Error naming it) a `folder` that exists and is not an empty folder, before any
  // work; then creates the stage. An empty `folder` stages nothing: path() is empty.
  explicit StagedFolder(const std::filesystem::path& folder);
  ~StagedFolder();
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  // Where the files go until finish().
  const std::filesystem::path& path() const { return stage_; }
  // Puts the stage in the folder's place; throws stride::Error naming the folder when it cannot.
  void finish();

 private:
  std::filesystem::path folder_, stage_;
  bool finished_ = false;
};

}  // namespace stride
