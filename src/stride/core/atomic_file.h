#pragma once
// Writing files so that an interrupted or failed write never leaves a half-written file behind:
// the bytes go to a temporary file next to `path` first, ".<name>.<pid>.<random>.tmp", created
// exclusively (two writers of one path never share it), which is renamed over `path` only once
// complete: a reader sees the old file or the new one, whole. The temporary is removed when the
// write fails, and by the SIGINT/SIGTERM handler (interrupt.h) when the process is interrupted.
// Every file Stride writes goes through here.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string_view>

namespace stride {

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);
// Streams into the temporary file through `writer`; a throw from `writer` removes the temporary.
// Throws stride::Error naming `path` when it cannot be written (missing folder, full disk).
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& writer);
// A secret (a key file): readable and writable by its owner only (0600) from the moment it exists.
void write_private_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// Reads a whole file; throws stride::Error naming the path when it is missing or unreadable.
std::string read_file(const std::filesystem::path& path);

}  // namespace stride
