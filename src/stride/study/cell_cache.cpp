#include "stride/study/cell_cache.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "stride/core/atomic_file.h"
#include "stride/core/content_hash.h"
#include "stride/core/error.h"

namespace stride::study {
namespace fs = std::filesystem;
namespace {

// Bumped when what a cell's folder holds changes meaning, so that old caches are not reused.
constexpr std::string_view kCacheFormat = "stride-study-cell-1";
constexpr std::string_view kPartialSuffix = ".partial";
constexpr std::string_view kRecordName = "cell.json";
constexpr std::string_view kFilesField = "files";
// In a partial folder: locked by the process computing the cell; never part of a finished one.
constexpr std::string_view kComputingName = ".computing";

// The lock of a partial folder, taken without waiting: its descriptor, or -1 when another process
// holds it. flock on a file (not the folder) works on NFS too, where Linux maps it to an fcntl lock.
int try_lock_partial(const fs::path& partial) {
  const fs::path path = partial / kComputingName;
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open {}: {}", path.string(), std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  close(fd);
  return -1;
}

// {relative path: content hash} of every file under `folder` but the record.
nlohmann::json file_hashes(const fs::path& folder) {
  nlohmann::json files = nlohmann::json::object();
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file() || e.path() == folder / kRecordName || e.path() == folder / kComputingName) continue;
    const std::string bytes = read_file(e.path());
    files[fs::relative(e.path(), folder).generic_string()] =
        fmt::format("{:016x}", ContentHash().add(std::string_view(bytes)).value());
  }
  return files;
}

// Whether the files a record lists still hold what was committed (files added since do not count).
bool files_match(const fs::path& folder, const nlohmann::json& record) {
  const auto listed = record.find(kFilesField);
  if (listed == record.end() || !listed->is_object()) return false;
  const nlohmann::json now = file_hashes(folder);
  for (const auto& [name, hash] : listed->items())
    if (!now.contains(name) || now[name] != hash) return false;
  return true;
}

std::optional<nlohmann::json> parsed_record(const fs::path& folder) {
  if (!fs::is_regular_file(folder / kRecordName)) return std::nullopt;
  try {
    return nlohmann::json::parse(read_file(folder / kRecordName));
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not a study cell record ({}); remove the folder to compute the cell again",
         (folder / kRecordName).string(), e.what());
  }
}

}  // namespace

CellCache::CellCache(fs::path root) : root_(std::move(root)) {
  std::error_code error;
  fs::create_directories(root_, error);
  if (error) fail("cannot create the study's cell folder {}: {}", root_.string(), error.message());
}

std::string CellCache::key(const CellSpec& cell, const std::vector<std::string>& dependency_keys) {
  ContentHash hash;
  hash.add(kCacheFormat);
  for (const std::string& arg : cell.args) hash.add(arg).add(std::string_view("\0", 1));
  for (const std::string& k : dependency_keys) hash.add(k);
  return fmt::format("{:016x}", hash.value());
}

fs::path CellCache::folder(const CellSpec& cell, const std::string& key) const {
  std::string name = cell.id;
  std::replace(name.begin(), name.end(), '/', '-');
  return root_ / (name + "-" + key);
}

fs::path CellCache::partial_folder(const fs::path& folder) {
  return fs::path(folder.string() + std::string(kPartialSuffix));
}

bool CellCache::complete(const fs::path& folder) const { return record(folder).has_value(); }

std::optional<nlohmann::json> CellCache::record(const fs::path& folder) const {
  std::optional<nlohmann::json> r = parsed_record(folder);
  if (!r || !files_match(folder, *r)) return std::nullopt;
  return r;
}

CellCache::Computing::~Computing() { close(fd_); }

std::unique_ptr<CellCache::Computing> CellCache::begin(const fs::path& folder) const {
  const fs::path partial = partial_folder(folder);
  std::error_code error;
  fs::create_directories(partial, error);
  if (error) fail("cannot create {}: {}", partial.string(), error.message());
  const int fd = try_lock_partial(partial);
  if (fd < 0) fail("{} is being computed by another process (it holds {})", partial.string(), kComputingName);
  auto computing = std::make_unique<Computing>(partial, fd);
  for (const fs::directory_entry& e : fs::directory_iterator(partial))
    if (e.path().filename() != kComputingName) fs::remove_all(e.path(), error);
  if (error) fail("cannot empty {}: {}", partial.string(), error.message());
  return computing;
}

void CellCache::commit(const fs::path& folder, const nlohmann::ordered_json& record) const {
  const fs::path partial = partial_folder(folder);
  nlohmann::ordered_json with_hashes = record;  // the record's fields in its order, then the hashes
  with_hashes[kFilesField] = file_hashes(partial);
  write_file_atomically(partial / kRecordName, with_hashes.dump(2) + "\n");
  std::error_code error;
  fs::remove(partial / kComputingName, error);  // still locked through the open descriptor
  fs::remove_all(folder, error);                // an incomplete folder of that name (cell.json removed by hand)
  fs::rename(partial, folder, error);
  if (error) fail("cannot rename {} to {}: {}", partial.string(), folder.string(), error.message());
}

CellCache::WriteLock::~WriteLock() { close(fd_); }

std::unique_ptr<CellCache::WriteLock> CellCache::lock_for_writing() const {
  const fs::path path = root_ / ".lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open {}: {}", path.string(), std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    fail("another study is computing cells in {} (it holds {}): wait for it, or use --report-only", root_.string(),
         path.string());
  }
  return std::make_unique<WriteLock>(fd);
}

size_t CellCache::remove_partial_folders() const {
  std::vector<fs::path> partial;
  for (const fs::directory_entry& e : fs::directory_iterator(root_))
    if (e.is_directory() && e.path().string().ends_with(kPartialSuffix)) partial.push_back(e.path());
  size_t removed = 0;
  for (const fs::path& p : partial) {
    const int fd = try_lock_partial(p);
    if (fd < 0) continue;  // being computed now
    fs::remove_all(p);
    close(fd);
    ++removed;
  }
  return removed;
}

}  // namespace stride::study
