#pragma once
// Node attributes, with ONNX's attribute kinds and names (Stride's ops are ONNX ops).
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "stride/core/tensor.h"

namespace stride {

using AttrValue = std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>,
                               std::vector<std::string>, Tensor>;

class Attributes {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void set(const std::string& name, AttrValue value) { values_[name] = std::move(value); }
  void erase(const std::string& name) { values_.erase(name); }
  const std::map<std::string, AttrValue>& all() const { return values_; }

  // Typed getters: the one-argument forms throw if the attribute is absent; all throw on a kind
  // mismatch, naming the attribute.
  int64_t get_int(const std::string& name) const;
  int64_t get_int(const std::string& name, int64_t fallback) const;
  float get_float(const std::string& name) const;
  float get_float(const std::string& name, float fallback) const;
  const std::string& get_string(const std::string& name) const;
  std::string get_string(const std::string& name, const std::string& fallback) const;
  const std::vector<int64_t>& get_ints(const std::string& name) const;
  std::vector<int64_t> get_ints(const std::string& name, const std::vector<int64_t>& fallback) const;
  const std::vector<float>& get_floats(const std::string& name) const;
  const std::vector<std::string>& get_strings(const std::string& name) const;
  const Tensor& get_tensor(const std::string& name) const;

  bool operator==(const Attributes&) const = default;

 private:
  template <typename T>
  const T& get(const std::string& name, const char* kind) const;
  std::map<std::string, AttrValue> values_;
};

}  // namespace stride
