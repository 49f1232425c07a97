#include "stride/core/shortfall.h"

#include <fmt/format.h>

#include <cstdio>

#include "stride/core/error.h"

namespace stride {

void check_met(bool met, ShortfallRule rule, const std::string& message) {
  if (met) return;
  switch (rule) {
    case ShortfallRule::refuse:
      fail("{} (--allow-short accepts it)", message);
    case ShortfallRule::allowed:
      warn(message + " (accepted by --allow-short)");
      return;
    case ShortfallRule::best_effort:
      warn(message);
      return;
  }
}

void warn(const std::string& message) { fmt::print(stderr, "stride: warning: {}\n", message); }

}  // namespace stride
