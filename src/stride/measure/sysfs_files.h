#pragma once
// Reading the one-number files of Linux sysfs (powercap, hwmon), with errors that say which file
// and why (permission is the usual reason: RAPL counters are readable by root only since Linux 5.10).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stride::sysfs {

// The file's first line without surrounding white space; nullopt when it cannot be read.
std::optional<std::string> read_line(const std::filesystem::path& file);
// The file's integer; throws stride::Error naming the file when unreadable or not a number.
int64_t read_integer(const std::filesystem::path& file);
// Why the file cannot be read, or empty when it can ("permission denied", "no such file").
std::string unreadable_reason(const std::filesystem::path& file);
// The entries of a folder whose names start with prefix, sorted; none when it does not exist.
std::vector<std::filesystem::path> entries(const std::filesystem::path& dir, const std::string& prefix);

}  // namespace stride::sysfs
