#include "stride/ir/attributes.h"

namespace stride {

template <typename T>
const T& Attributes::get(const std::string& name, const char* kind) const {
  auto it = values_.find(name);
  if (it == values_.end()) fail("missing attribute '{}'", name);
  const T* v = std::get_if<T>(&it->second);
  if (!v) fail("attribute '{}' is not of kind {}", name, kind);
  return *v;
}

int64_t Attributes::get_int(const std::string& name) const { return get<int64_t>(name, "int"); }
int64_t Attributes::get_int(const std::string& name, int64_t fallback) const {
  return has(name) ? get_int(name) : fallback;
}
float Attributes::get_float(const std::string& name) const { return get<float>(name, "float"); }
float Attributes::get_float(const std::string& name, float fallback) const {
  return has(name) ? get_float(name) : fallback;
}
const std::string& Attributes::get_string(const std::string& name) const {
  return get<std::string>(name, "string");
}
std::string Attributes::get_string(const std::string& name, const std::string& fallback) const {
  return has(name) ? get_string(name) : fallback;
}
const std::vector<int64_t>& Attributes::get_ints(const std::string& name) const {
  return get<std::vector<int64_t>>(name, "ints");
}
std::vector<int64_t> Attributes::get_ints(const std::string& name, const std::vector<int64_t>& fallback) const {
  return has(name) ? get_ints(name) : fallback;
}
const std::vector<float>& Attributes::get_floats(const std::string& name) const {
  return get<std::vector<float>>(name, "floats");
}
const std::vector<std::string>& Attributes::get_strings(const std::string& name) const {
  return get<std::vector<std::string>>(name, "strings");
}
const Tensor& Attributes::get_tensor(const std::string& name) const { return get<Tensor>(name, "tensor"); }

}  // namespace stride
