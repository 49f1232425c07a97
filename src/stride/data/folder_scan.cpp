#include "stride/data/folder_scan.h"

#include <algorithm>
#include <system_error>

#include "stride/core/error.h"

namespace stride::data {
namespace fs = std::filesystem;

std::vector<fs::directory_entry> sorted_entries(const fs::path& folder, std::string_view what) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) fail("{} folder {} does not exist or is not a folder", what, folder.string());
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) entries.push_back(*it);
  if (error) fail("cannot list {} folder {}: {}", what, folder.string(), error.message());
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

void bad_entry(const fs::path& path, std::string_view problem, std::string_view expectation) {
  fail("{}: {}; expected {}", path.string(), problem, expectation);
}

}  // namespace stride::data
