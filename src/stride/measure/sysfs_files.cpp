#include "stride/measure/sysfs_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "stride/core/error.h"

namespace stride::sysfs {

std::optional<std::string> read_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return std::nullopt;
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : line.substr(first, last - first + 1);
}

int64_t read_integer(const std::filesystem::path& file) {
  const auto line = read_line(file);
  if (!line) fail("cannot read {}: {}", file.string(), unreadable_reason(file));
  try {
    size_t used = 0;
    const long long v = std::stoll(*line, &used);
    if (used == line->size()) return v;
  } catch (const std::exception&) {
  }
  fail("{}: expected an integer, found '{}'", file.string(), *line);
}

std::string unreadable_reason(const std::filesystem::path& file) {
  // open(2) directly: ifstream does not say why it failed.
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) return std::strerror(errno);
  char c;
  const ssize_t n = ::read(fd, &c, 1);
  const int error = errno;
  ::close(fd);
  if (n < 0) return std::strerror(error);
  return n == 0 ? "empty" : "";
}

std::vector<std::filesystem::path> entries(const std::filesystem::path& dir, const std::string& prefix) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) found.push_back(it->path());
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace stride::sysfs
