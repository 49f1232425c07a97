#pragma once
// The one rule of Stride's results for a figure that could not be measured (docs/results.md): it is
// null, and a sibling string "<name>_reason" says why. Never a made-up number, never a string such
// as "n/a" where a number belongs.
#include <optional>
#include <string>
#include <nlohmann/json.hpp>

namespace stride {

inline void put_unmeasured(nlohmann::json& object, const std::string& name, const std::string& reason) {
  object[name] = nullptr;
  object[name + "_reason"] = reason;
}

// object[name] = value when there is one; otherwise null with the reason.
template <typename T>
void put_figure(nlohmann::json& object, const std::string& name, const std::optional<T>& value,
                const std::string& reason) {
  if (value)
    object[name] = *value;
  else
    put_unmeasured(object, name, reason);
}

}  // namespace stride
