#include "stride/onnx/attribute_proto.h"

#include "stride/core/error.h"
#include "stride/onnx/tensor_proto.h"

namespace stride::onnx_io {

AttrValue attribute_from_proto(const onnx::AttributeProto& proto, std::string_view node) {
  const std::string what = fmt::format("{} attribute '{}'", node, proto.name());
  using A = onnx::AttributeProto;
  switch (proto.type()) {
    case A::INT:
      return proto.i();
    case A::FLOAT:
      return proto.f();
    case A::STRING:
      return proto.s();
    case A::TENSOR:
      return tensor_from_proto(proto.t(), what);
    case A::INTS:
      return std::vector<int64_t>(proto.ints().begin(), proto.ints().end());
    case A::FLOATS:
      return std::vector<float>(proto.floats().begin(), proto.floats().end());
    case A::STRINGS:
      return std::vector<std::string>(proto.strings().begin(), proto.strings().end());
    case A::UNDEFINED:
      fail("{} has no type", what);
    default:
      fail(
          "{} is of kind {}, which Stride does not support (INT, FLOAT, STRING, TENSOR, INTS, FLOATS and "
          "STRINGS are)",
          what,
          A::AttributeType_IsValid(proto.type()) ? A::AttributeType_Name(proto.type()) : std::to_string(proto.type()));
  }
}

onnx::AttributeProto attribute_to_proto(const std::string& name, const AttrValue& value) {
  onnx::AttributeProto proto;
  proto.set_name(name);
  using A = onnx::AttributeProto;
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, int64_t>) {
          proto.set_type(A::INT);
          proto.set_i(v);
        } else if constexpr (std::is_same_v<T, float>) {
          proto.set_type(A::FLOAT);
          proto.set_f(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          proto.set_type(A::STRING);
          proto.set_s(v);
        } else if constexpr (std::is_same_v<T, Tensor>) {
          proto.set_type(A::TENSOR);
          *proto.mutable_t() = tensor_to_proto(v, "");
        } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
          proto.set_type(A::INTS);
          proto.mutable_ints()->Add(v.begin(), v.end());
        } else if constexpr (std::is_same_v<T, std::vector<float>>) {
          proto.set_type(A::FLOATS);
          proto.mutable_floats()->Add(v.begin(), v.end());
        } else {
          static_assert(std::is_same_v<T, std::vector<std::string>>, "every AttrValue kind is written");
          proto.set_type(A::STRINGS);
          for (const auto& s : v) proto.add_strings(s);
        }
      },
      value);
  return proto;
}

}  // namespace stride::onnx_io
