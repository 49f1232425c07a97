#include "stride/onnx/tensor_proto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "onnx/onnx_builders.h"
#include "onnx/temp_dir.h"
#include "stride/core/atomic_file.h"
#include "stride/core/half.h"
#include "stride/onnx/tensor_pb.h"

namespace stride {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::TempDir;
using ::testing::ThrowsMessage;

Tensor import(const onnx::TensorProto& proto) { return onnx_io::tensor_from_proto(proto, "tensor 't'"); }

// Element type numbers from onnx.proto (TensorProto.DataType), written out as the spec gives them.
struct DTypeCase {
  DType dtype;
  int onnx_number;
};
constexpr DTypeCase kDTypeCases[] = {{DType::f32, 1}, {DType::u8, 2},   {DType::s8, 3},   {DType::s32, 6},
                                     {DType::s64, 7}, {DType::f16, 10}, {DType::f64, 11}, {DType::bf16, 16}};

TEST(TensorProto, EveryDTypeIsWrittenAsRawDataAndReadBack) {
  const Tensor source = Tensor::from_vector<float>({2, 3}, {-3.0f, -1.5f, 0.0f, 1.0f, 2.5f, 100.0f});
  for (const auto& c : kDTypeCases) {
    const Tensor t = source.cast(c.dtype);
    const std::string bytes = serialize_tensor_pb(t, "weights");
    onnx::TensorProto proto;
    ASSERT_TRUE(proto.ParseFromString(bytes));
    EXPECT_EQ(proto.name(), "weights");
    EXPECT_EQ(proto.data_type(), c.onnx_number) << dtype_name(c.dtype);
    EXPECT_EQ(std::vector<int64_t>(proto.dims().begin(), proto.dims().end()), (std::vector<int64_t>{2, 3}));
    ASSERT_EQ(proto.raw_data().size(), t.nbytes());
    EXPECT_EQ(std::memcmp(proto.raw_data().data(), t.raw(), t.nbytes()), 0);
    EXPECT_EQ(parse_tensor_pb(bytes, "weights.pb"), t) << dtype_name(c.dtype);
  }
}

TEST(TensorProto, RawDataIsLittleEndian) {
  const std::string bytes = serialize_tensor_pb(Tensor::from_vector<int32_t>({1}, {0x01020304}), "");
  onnx::TensorProto proto;
  ASSERT_TRUE(proto.ParseFromString(bytes));
  EXPECT_EQ(proto.raw_data(), std::string("\x04\x03\x02\x01", 4));
  EXPECT_FALSE(proto.has_name());
}

TEST(TensorProto, TypedFieldsAreRead) {
  EXPECT_EQ(import(testing::typed_float_tensor("t", {2}, {1.5f, -2.0f})),
            Tensor::from_vector<float>({2}, {1.5f, -2.0f}));
  EXPECT_EQ(import(testing::typed_int64_tensor("t", {3}, {-1, 0, int64_t{1} << 40})),
            Tensor::from_vector<int64_t>({3}, {-1, 0, int64_t{1} << 40}));

  onnx::TensorProto p;
  p.add_dims(2);
  p.set_data_type(onnx::TensorProto::INT8);
  p.add_int32_data(-128);
  p.add_int32_data(127);
  EXPECT_EQ(import(p), Tensor::from_vector<int8_t>({2}, {-128, 127}));
  p.set_data_type(onnx::TensorProto::UINT8);
  p.set_int32_data(0, 200);
  EXPECT_EQ(import(p), Tensor::from_vector<uint8_t>({2}, {200, 127}));
  p.set_data_type(onnx::TensorProto::INT32);
  p.set_int32_data(0, -70000);
  EXPECT_EQ(import(p), Tensor::from_vector<int32_t>({2}, {-70000, 127}));

  onnx::TensorProto d;
  d.add_dims(2);
  d.set_data_type(onnx::TensorProto::DOUBLE);
  d.add_double_data(0.1);
  d.add_double_data(-1e300);
  EXPECT_EQ(import(d), Tensor::from_vector<double>({2}, {0.1, -1e300}));

  // float16 and bfloat16 travel in int32_data as their bit patterns: 0x3C00 and 0x3F80 are 1.0.
  p.set_data_type(onnx::TensorProto::FLOAT16);
  p.set_int32_data(0, 0x3C00);
  p.set_int32_data(1, 0xC000);  // -2.0
  const Tensor h = import(p);
  EXPECT_EQ(h.dtype(), DType::f16);
  EXPECT_EQ(h.to_f32(), Tensor::from_vector<float>({2}, {1.0f, -2.0f}));
  p.set_data_type(onnx::TensorProto::BFLOAT16);
  p.set_int32_data(0, 0x3F80);
  p.set_int32_data(1, 0x4040);  // 3.0
  const Tensor b = import(p);
  EXPECT_EQ(b.dtype(), DType::bf16);
  EXPECT_EQ(b.to_f32(), Tensor::from_vector<float>({2}, {1.0f, 3.0f}));
}

TEST(TensorProto, Int32DataOutOfRangeForTheElementTypeIsRefused) {
  onnx::TensorProto p;
  p.set_name("t");
  p.add_dims(1);
  p.set_data_type(onnx::TensorProto::INT8);
  p.add_int32_data(300);
  EXPECT_THAT([&] { import(p); }, ThrowsMessage<Error>(AllOf(HasSubstr("tensor 't'"), HasSubstr("300"))));
}

TEST(TensorProto, ScalarsAndEmptyTensors) {
  const Tensor scalar = import(testing::typed_float_tensor("t", {}, {4.0f}));
  EXPECT_EQ(scalar.shape(), Shape{});
  EXPECT_EQ(scalar.values<float>()[0], 4.0f);
  const Tensor empty = import(testing::raw_float_tensor("t", {0, 3}, {}));
  EXPECT_EQ(empty.shape(), (Shape{0, 3}));
  EXPECT_EQ(empty.numel(), 0);
  EXPECT_EQ(import(testing::typed_int64_tensor("t", {0}, {})).numel(), 0);
}

TEST(TensorProto, AbsurdDimsAreRefusedBeforeAllocating) {
  // 1e12 floats: far beyond the allocation limit.
  EXPECT_THAT(
      [] {
        import(testing::raw_float_tensor("t", {1000000, 1000000}, {1.0f}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("tensor 't'"), HasSubstr("1000000,1000000"), HasSubstr("GiB"))));
  // A product that overflows int64.
  EXPECT_THAT(
      [] {
        import(testing::raw_float_tensor("t", {1 << 30, 1 << 30, 1 << 30, 1 << 30}, {1.0f}));
      },
      ThrowsMessage<Error>(HasSubstr("GiB")));
  // 4 GiB is under the limit but the 4 bytes of data cannot fill it: refused by the length check,
  // which runs before the tensor is allocated (allocating 4 GiB would fail this test under ASan).
  EXPECT_THAT([] { import(testing::raw_float_tensor("t", {int64_t{1} << 30}, {1.0f})); },
              ThrowsMessage<Error>(AllOf(HasSubstr("4294967296 bytes"), HasSubstr("found 4"))));
  EXPECT_THAT([] { import(testing::typed_float_tensor("t", {int64_t{1} << 30}, {1.0f})); },
              ThrowsMessage<Error>(AllOf(HasSubstr("1073741824 values"), HasSubstr("float_data has 1"))));
}

TEST(TensorProto, DataThatDoesNotMatchTheDimsIsRefused) {
  EXPECT_THAT(
      [] {
        import(testing::raw_float_tensor("t", {2, 3}, {1, 2, 3, 4, 5}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("tensor 't'"), HasSubstr("24 bytes"), HasSubstr("found 20"))));
  EXPECT_THAT(
      [] {
        import(testing::typed_int64_tensor("t", {4}, {1, 2}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("4 values"), HasSubstr("int64_data has 2"))));
  // No data at all for a non-empty tensor.
  onnx::TensorProto p;
  p.set_data_type(onnx::TensorProto::FLOAT);
  p.add_dims(3);
  EXPECT_THROW(import(p), Error);
}

TEST(TensorProto, NegativeDimIsRefused) {
  EXPECT_THAT(
      [] {
        import(testing::raw_float_tensor("t", {2, -3}, {}));
      },
      ThrowsMessage<Error>(AllOf(HasSubstr("tensor 't'"), HasSubstr("negative"), HasSubstr("2,-3"))));
}

TEST(TensorProto, UnsupportedElementTypesAreRefusedByName) {
  const std::pair<onnx::TensorProto::DataType, const char*> cases[] = {{onnx::TensorProto::STRING, "STRING"},
                                                                       {onnx::TensorProto::BOOL, "BOOL"},
                                                                       {onnx::TensorProto::COMPLEX64, "COMPLEX64"},
                                                                       {onnx::TensorProto::COMPLEX128, "COMPLEX128"},
                                                                       {onnx::TensorProto::UINT16, "UINT16"}};
  for (const auto& [type, name] : cases) {
    onnx::TensorProto p;
    p.set_data_type(type);
    p.add_dims(1);
    p.set_raw_data(std::string(16, '\0'));
    EXPECT_THAT([&] { import(p); }, ThrowsMessage<Error>(AllOf(HasSubstr("tensor 't'"), HasSubstr(name))));
  }
  onnx::TensorProto p;
  p.set_data_type(12345);
  EXPECT_THAT([&] { import(p); }, ThrowsMessage<Error>(HasSubstr("12345")));
}

TEST(TensorProto, ExternalDataIsRefused) {
  onnx::TensorProto p = testing::raw_float_tensor("t", {1}, {1.0f});
  p.clear_raw_data();
  p.set_data_location(onnx::TensorProto::EXTERNAL);
  auto* entry = p.add_external_data();
  entry->set_key("location");
  entry->set_value("weights.bin");
  EXPECT_THAT([&] { import(p); }, ThrowsMessage<Error>(HasSubstr("external")));
}

TEST(TensorPbFile, WritesAndReadsBack) {
  TempDir dir;
  const auto path = dir / "input_0.pb";
  const Tensor t = Tensor::from_vector<float>({1, 2, 2}, {1.0f, 2.0f, 3.0f, 4.0f});
  write_tensor_pb(path, t, "x");
  EXPECT_FALSE(std::filesystem::exists(dir / "input_0.pb.tmp"));
  EXPECT_EQ(read_tensor_pb(path), t);
  // The file is a plain TensorProto, as ONNX's own test data.
  onnx::TensorProto proto;
  ASSERT_TRUE(proto.ParseFromString(read_file(path)));
  EXPECT_EQ(proto.name(), "x");
}

TEST(TensorPbFile, BadFilesAreRefusedNamingThePath) {
  TempDir dir;
  EXPECT_THAT([&] { read_tensor_pb(dir / "absent.pb"); }, ThrowsMessage<Error>(HasSubstr("absent.pb")));
  const auto empty = dir / "empty.pb";
  write_file_atomically(empty, "");
  EXPECT_THAT([&] { read_tensor_pb(empty); }, ThrowsMessage<Error>(AllOf(HasSubstr("empty.pb"), HasSubstr("empty"))));
  const auto garbage = dir / "garbage.pb";
  write_file_atomically(garbage, std::string("\xff\xff\xff\xff\xff\x01\x02", 7));
  EXPECT_THAT([&] { read_tensor_pb(garbage); },
              ThrowsMessage<Error>(AllOf(HasSubstr("garbage.pb"), HasSubstr("truncated or corrupt"))));
}

}  // namespace
}  // namespace stride
