#include "stride/onnx/tensor_proto.h"

#include <bit>
#include <cstring>
#include <limits>

#include "stride/core/error.h"

namespace stride::onnx_io {
namespace {

// raw_data is little-endian; copying it byte for byte is only right on a little-endian host.
static_assert(std::endian::native == std::endian::little, "ONNX raw_data import assumes a little-endian host");

struct ElementType {
  DType dtype;
  onnx::TensorProto::DataType onnx_type;
};
constexpr ElementType kElementTypes[] = {
    {DType::f32, onnx::TensorProto::FLOAT},     {DType::f16, onnx::TensorProto::FLOAT16},
    {DType::bf16, onnx::TensorProto::BFLOAT16}, {DType::s8, onnx::TensorProto::INT8},
    {DType::u8, onnx::TensorProto::UINT8},      {DType::s32, onnx::TensorProto::INT32},
    {DType::s64, onnx::TensorProto::INT64},     {DType::f64, onnx::TensorProto::DOUBLE}};

std::string onnx_type_name(int32_t data_type) {
  const std::string& name = onnx::TensorProto::DataType_IsValid(data_type)
                                ? onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(data_type))
                                : std::string();
  return name.empty() ? fmt::format("unknown data type {}", data_type) : name;
}

// The element count of `dims`, refusing negative dims and anything over kMaxTensorBytes without
// allocating, so that a small file cannot make Stride reserve terabytes.
int64_t checked_numel(const Shape& dims, DType dtype, std::string_view what) {
  const int64_t max_elements = kMaxTensorBytes / static_cast<int64_t>(dtype_size(dtype));
  int64_t numel = 1;
  for (int64_t d : dims) {
    if (d < 0) fail("{}: dims [{}] have a negative dimension", what, fmt::join(dims, ","));
    if (d != 0 && numel > max_elements / d)
      numel = max_elements + 1;  // saturate: stays "too big"
    else
      numel *= d;
  }
  if (numel > max_elements)
    fail("{}: dims [{}] ({}) exceed the {} GiB Stride allocates for one tensor", what, fmt::join(dims, ","),
         dtype_name(dtype), kMaxTensorBytes >> 30);
  return numel;
}

void check_count(std::string_view what, const Shape& dims, int64_t numel, int64_t found, std::string_view field) {
  if (found != numel)
    fail("{}: dims [{}] hold {} values, but {} has {}", what, fmt::join(dims, ","), numel, field, found);
}

// int32_data carries every element type narrower than 32 bits (float16/bfloat16 as their bit
// patterns); each value must fit the element type.
template <typename T>
void copy_int32_data(const onnx::TensorProto& proto, Tensor& out, std::string_view what) {
  std::byte* dst = out.raw();
  for (int i = 0; i < proto.int32_data_size(); ++i) {
    const int32_t v = proto.int32_data(i);
    if (v < std::numeric_limits<T>::lowest() || v > std::numeric_limits<T>::max())
      fail("{}: int32_data value {} at index {} does not fit {}", what, v, i, dtype_name(out.dtype()));
    const T narrow = static_cast<T>(v);
    std::memcpy(dst + static_cast<size_t>(i) * sizeof(T), &narrow, sizeof(T));
  }
}

// memcpy must not see the null pointer of an empty container, even for zero bytes.
void copy_bytes(std::byte* dst, const void* src, size_t n) {
  if (n != 0) std::memcpy(dst, src, n);
}

Tensor from_typed_fields(const onnx::TensorProto& proto, DType dtype, const Shape& dims, int64_t numel,
                         std::string_view what) {
  switch (dtype) {
    case DType::f32: {
      check_count(what, dims, numel, proto.float_data_size(), "float_data");
      Tensor t(dtype, dims);
      copy_bytes(t.raw(), proto.float_data().data(), t.nbytes());
      return t;
    }
    case DType::s64: {
      check_count(what, dims, numel, proto.int64_data_size(), "int64_data");
      Tensor t(dtype, dims);
      copy_bytes(t.raw(), proto.int64_data().data(), t.nbytes());
      return t;
    }
    case DType::f64: {
      check_count(what, dims, numel, proto.double_data_size(), "double_data");
      Tensor t(dtype, dims);
      copy_bytes(t.raw(), proto.double_data().data(), t.nbytes());
      return t;
    }
    default:
      break;
  }
  check_count(what, dims, numel, proto.int32_data_size(), "int32_data");
  Tensor t(dtype, dims);
  switch (dtype) {
    case DType::s32:
      copy_int32_data<int32_t>(proto, t, what);
      break;
    case DType::s8:
      copy_int32_data<int8_t>(proto, t, what);
      break;
    case DType::u8:
      copy_int32_data<uint8_t>(proto, t, what);
      break;
    case DType::f16:
    case DType::bf16:
      copy_int32_data<uint16_t>(proto, t, what);
      break;
    default:
      fail("{}: no typed field holds {}", what, dtype_name(dtype));
  }
  return t;
}

}  // namespace

DType dtype_from_onnx(int32_t data_type, std::string_view what) {
  for (const auto& e : kElementTypes)
    if (e.onnx_type == data_type) return e.dtype;
  fail("{}: element type {} is not supported (FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8, UINT8, INT32 and INT64 are)",
       what, onnx_type_name(data_type));
}

onnx::TensorProto::DataType dtype_to_onnx(DType dtype) {
  for (const auto& e : kElementTypes)
    if (e.dtype == dtype) return e.onnx_type;
  fail("dtype {} has no ONNX element type", dtype_name(dtype));
}

Tensor tensor_from_proto(const onnx::TensorProto& proto, std::string_view what) {
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    fail("{}: keeps its data in an external file, which Stride does not read", what);
  if (proto.has_segment()) fail("{}: is split into segments, which Stride does not read", what);
  const DType dtype = dtype_from_onnx(proto.data_type(), what);
  const Shape dims(proto.dims().begin(), proto.dims().end());
  const int64_t numel = checked_numel(dims, dtype, what);
  if (!proto.has_raw_data()) return from_typed_fields(proto, dtype, dims, numel, what);

  const std::string& raw = proto.raw_data();
  const auto expected = static_cast<size_t>(numel) * dtype_size(dtype);
  if (raw.size() != expected)
    fail("{}: dims [{}] of {} need {} bytes of raw_data, found {}", what, fmt::join(dims, ","), dtype_name(dtype),
         expected, raw.size());
  Tensor t(dtype, dims);
  copy_bytes(t.raw(), raw.data(), expected);
  return t;
}

onnx::TensorProto tensor_to_proto(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  if (!name.empty()) proto.set_name(name);
  proto.set_data_type(dtype_to_onnx(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto.add_dims(d);
  proto.set_raw_data(reinterpret_cast<const char*>(tensor.raw()), tensor.nbytes());
  return proto;
}

}  // namespace stride::onnx_io
