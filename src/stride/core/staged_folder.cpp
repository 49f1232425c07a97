#include "stride/core/staged_folder.h"

#include <fmt/format.h>
#include <unistd.h>

#include "stride/core/error.h"

namespace stride {

namespace fs = std::filesystem;

StagedFolder::StagedFolder(const fs::path& folder)
    : folder_(folder.has_filename() ? folder : folder.parent_path()) {  // "masks/" is the folder masks
  if (folder_.empty()) return;
  std::error_code error;
  if (fs::exists(folder_, error) && (!fs::is_directory(folder_, error) || !fs::is_empty(folder_, error)))
    fail("output {} exists and is not an empty folder: choose a new folder or delete it", folder.string());
  const fs::path parent = folder_.has_parent_path() ? folder_.parent_path() : fs::path(".");
  stage_ = parent / fmt::format(".{}.{}.partial", folder_.filename().string(), getpid());
  fs::remove_all(stage_, error);  // a stage this process id left when it was interrupted
  if (!fs::create_directories(stage_, error) || error)
    fail("cannot create output folder {}: {}", folder.string(), error ? error.message() : "it exists");
}

StagedFolder::~StagedFolder() {
  if (finished_ || stage_.empty()) return;
  std::error_code ignored;
  fs::remove_all(stage_, ignored);
}

void StagedFolder::finish() {
  if (stage_.empty()) return;
  std::error_code error;
  fs::remove(folder_, error);  // an empty folder that was there (checked when staging)
  fs::rename(stage_, folder_, error);
  if (error) fail("cannot put output folder {} in place: {}", folder_.string(), error.message());
  finished_ = true;
}

}  // namespace stride
