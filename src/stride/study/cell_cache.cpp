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

// {relative path: content hash} of every file under `folder` but the record.
nlohmann::json file_hashes(const fs::path& folder) {
  nlohmann::json files = nlohmann::json::object();
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(folder)) {
    if (!e.is_regular_file() || e.path() == folder / kRecordName) continue;
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

fs::path partial_of(const fs::path& folder) { return fs::path(folder.string() + std::string(kPartialSuffix)); }

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

bool CellCache::complete(const fs::path& folder) const { return record(folder).has_value(); }

std::optional<nlohmann::json> CellCache::record(const fs::path& folder) const {
  std::optional<nlohmann::json> r = parsed_record(folder);
  if (!r || !files_match(folder, *r)) return std::nullopt;
  return r;
}

fs::path CellCache::begin(const fs::path& folder) const {
  const fs::path partial = partial_of(folder);
  std::error_code error;
  fs::remove_all(partial, error);
  fs::create_directories(partial, error);
  if (error) fail("cannot create {}: {}", partial.string(), error.message());
  return partial;
}

void CellCache::commit(const fs::path& folder, const nlohmann::json& record) const {
  const fs::path partial = partial_of(folder);
  nlohmann::json with_hashes = record;
  with_hashes[kFilesField] = file_hashes(partial);
  write_file_atomically(partial / kRecordName, with_hashes.dump(2) + "\n");
  std::error_code error;
  fs::remove_all(folder, error);  // an incomplete folder of that name (cell.json removed by hand)
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
  for (const fs::path& p : partial) fs::remove_all(p);
  return partial.size();
}

}  // namespace stride::study
