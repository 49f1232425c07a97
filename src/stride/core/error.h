#pragma once
// Stride reports every user-facing failure as stride::Error with a one-line message that names
// the file, node or field at fault and what was expected.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace stride {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws stride::Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace stride
