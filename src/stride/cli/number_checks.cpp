#include "stride/cli/number_checks.h"

#include <fmt/format.h>

#include <functional>
#include <string>

namespace stride::cli {
namespace {

// The user's text, shortened: it is echoed in the message.
std::string shown(const std::string& text) { return text.size() <= 24 ? text : text.substr(0, 24) + "..."; }

CLI::Validator number_check(std::function<std::string(double, const std::string&)> check, std::string description) {
  return CLI::Validator(
      [check = std::move(check)](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return fmt::format("'{}' is not a number", shown(text));
        return check(value, shown(text));
      },
      std::move(description));
}

}  // namespace

CLI::Validator positive() {
  return number_check(
      [](double v, const std::string& text) { return v > 0 ? std::string() : fmt::format("{} must be above 0", text); },
      "POSITIVE");
}

CLI::Validator non_negative() {
  return number_check(
      [](double v, const std::string& text) {
        return v >= 0 ? std::string() : fmt::format("{} must be 0 or more", text);
      },
      "NONNEGATIVE");
}

CLI::Validator in_range(double low, double high) {
  return number_check(
      [low, high](double v, const std::string& text) {
        return v >= low && v <= high ? std::string()
                                     : fmt::format("{} is out of range: expected {:g} to {:g}", text, low, high);
      },
      fmt::format("in [{:g}, {:g}]", low, high));
}

CLI::Validator thread_count() { return in_range(0, kMaxThreads); }

}  // namespace stride::cli
