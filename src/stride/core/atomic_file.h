#pragma once
// Writing files so that an interrupted or failed write never leaves a half-written file behind:
// the bytes go to "<path>.tmp" first, which is renamed over `path` only once complete.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace stride {

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);
// Streams into the temporary file through `writer`; a throw from `writer` removes the temporary.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& writer);

// Reads a whole file; throws stride::Error naming the path when it is missing or unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace stride
