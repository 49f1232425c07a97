#include "stride/onnx/constant_node.h"

namespace stride::onnx_io {

void normalize_constant_node(Node& node) {
  const auto& all = node.attrs.all();
  if (all.size() != 1)
    fail(
        "node '{}' (Constant) needs exactly one value attribute (value, value_float, value_floats, value_int or "
        "value_ints), it has {}",
        node.name, all.size());
  const auto& [name, value] = *all.begin();
  Tensor tensor;
  if (const auto* t = std::get_if<Tensor>(&value); t && name == "value") {
    return;
  } else if (const auto* f = std::get_if<float>(&value); f && name == "value_float") {
    tensor = Tensor::scalar(*f);
  } else if (const auto* fs = std::get_if<std::vector<float>>(&value); fs && name == "value_floats") {
    tensor = Tensor::from_vector<float>({static_cast<int64_t>(fs->size())}, *fs);
  } else if (const auto* i = std::get_if<int64_t>(&value); i && name == "value_int") {
    tensor = Tensor::from_vector<int64_t>({}, {*i});
  } else if (const auto* is = std::get_if<std::vector<int64_t>>(&value); is && name == "value_ints") {
    tensor = Tensor::from_vector<int64_t>({static_cast<int64_t>(is->size())}, *is);
  } else if (name == "value_string" || name == "value_strings") {
    fail("node '{}' (Constant): string constants are not supported", node.name);
  } else {
    fail(
        "node '{}' (Constant): attribute '{}' is not a value attribute of the expected kind (value: tensor, "
        "value_float: float, value_floats: floats, value_int: int, value_ints: ints)",
        node.name, name);
  }
  Attributes normalized;
  normalized.set("value", std::move(tensor));
  node.attrs = std::move(normalized);
}

}  // namespace stride::onnx_io
