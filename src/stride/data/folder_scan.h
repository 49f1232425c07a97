#pragma once
// Listing dataset folders for the loaders, with errors that name the path.
#include <filesystem>
#include <string_view>
#include <vector>

namespace stride::data {

// Entries of `folder` sorted by name (the file system's order is unspecified). Throws stride::Error
// when `folder` is missing or not a folder; `what` names it in the message ("dataset", "sequence").
std::vector<std::filesystem::directory_entry> sorted_entries(const std::filesystem::path& folder,
                                                             std::string_view what);

// Throws stride::Error "<path>: <problem>; expected <expectation>".
[[noreturn]] void bad_entry(const std::filesystem::path& path, std::string_view problem, std::string_view expectation);

}  // namespace stride::data
