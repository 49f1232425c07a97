#pragma once
// A command line that cannot be satisfied as written (an option out of range, options that exclude
// each other, a name that means nothing): the tool exits 2 for it, 1 for a failure while working.
#include <string>

#include <fmt/format.h>

#include "stride/core/error.h"

namespace stride {

class UsageError : public Error {
 public:
  using Error::Error;
};

// Throws stride::UsageError with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void usage_fail(fmt::format_string<Args...> format, Args&&... args) {
  throw UsageError(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace stride
