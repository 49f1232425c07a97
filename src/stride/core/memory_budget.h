#pragma once
// One memory budget for a whole command: what a plan, a tensor, a file read or an image needs is
// checked against it before the memory is asked for, so that work that cannot finish is refused
// at once with the figure and the limit, instead of growing until the kernel kills the process.
// The limit is 3/4 of the machine's physical memory unless set: the `stride` tool sets it from
// `--memory-limit` or STRIDE_MEMORY_LIMIT; the runtime library reads no environment for it.
#include <cstdint>
#include <string>
#include <string_view>

#include "stride/core/error.h"

namespace stride {

// What check_memory throws: the work was refused before it started.
class MemoryLimitExceeded : public Error {
 public:
  using Error::Error;
};

// The limit in bytes.
uint64_t memory_limit();
// Sets the limit for the rest of the process; 0 restores the default.
void set_memory_limit(uint64_t bytes);

// "512M", "8G", "1.5G", "123456" (bytes); K, M, G, T are powers of 1024. Throws stride::Error
// naming `text` for anything else, and for 0.
uint64_t parse_byte_size(std::string_view text);
// "1.50 GiB", "512 MiB", "12 KiB", "100 B".
std::string byte_size_str(uint64_t bytes);

// Throws MemoryLimitExceeded "<what> needs <bytes>, more than the memory limit of <limit> ..." when
// `bytes` exceeds the limit.
void check_memory(uint64_t bytes, std::string_view what);

}  // namespace stride
