#include <gtest/gtest.h>

#include "stride/io/npy.h"

namespace stride {
namespace {

// The bytes numpy.save writes for np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4') (format 1.0).
std::string numpy_2x3_f32() {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');  // numpy aligns data to 64 bytes
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) bytes.append(reinterpret_cast<const char*>(&v), 4);
  return bytes;
}

TEST(Npy, ReadsWhatNumPyWrites) {
  const Tensor t = parse_npy(numpy_2x3_f32(), "a.npy");
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.values<float>()[5], 6.0f);
}

TEST(Npy, WritesTheSameBytesAsNumPy) {
  EXPECT_EQ(serialize_npy(parse_npy(numpy_2x3_f32(), "a.npy")), numpy_2x3_f32());
}

TEST(Npy, RoundTripsEveryTypeAndRank) {
  for (const Tensor& t : {Tensor::from_vector<int64_t>({3}, {1, -2, 3}), Tensor::from_vector<int8_t>({}, {-7}),
                          Tensor::from_vector<uint8_t>({1, 2, 1}, {9, 200}), Tensor(DType::f16, {2, 2}),
                          Tensor::from_vector<double>({2}, {0.1, -1e300})}) {
    const Tensor back = parse_npy(serialize_npy(t), "t.npy");
    EXPECT_EQ(back, t) << shape_str(t.shape());
  }
  EXPECT_NE(serialize_npy(Tensor::from_vector<int64_t>({3}, {1, 2, 3})).find("(3,)"), std::string::npos);
}

// np.array([1.5, -2.0]) is float64, '<f8': 8 little-endian bytes per element.
TEST(Npy, ReadsFloat64AsF64) {
  std::string bytes = numpy_2x3_f32();
  bytes.replace(bytes.find("<f4"), 3, "<f8");
  bytes.replace(bytes.find("(2, 3)"), 6, "(2,)  ");
  bytes.resize(bytes.size() - 24);
  for (double v : {1.5, -2.0}) bytes.append(reinterpret_cast<const char*>(&v), 8);
  EXPECT_EQ(parse_npy(bytes, "d.npy"), Tensor::from_vector<double>({2}, {1.5, -2.0}));
}

TEST(Npy, RefusesMalformedFilesClearly) {
  const std::string good = numpy_2x3_f32();
  EXPECT_THROW(parse_npy("not numpy at all", "x.npy"), Error);
  EXPECT_THROW(parse_npy(good.substr(0, 30), "x.npy"), Error);            // truncated header
  EXPECT_THROW(parse_npy(good.substr(0, good.size() - 4), "x.npy"), Error);  // truncated data
  std::string huge = good;
  huge.replace(huge.find("(2, 3)"), 6, "(99999999999, 99)");
  try {
    parse_npy(huge, "huge.npy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("huge.npy"), std::string::npos);
  }
  std::string complex = good;
  complex.replace(complex.find("<f4"), 3, "<c8");
  EXPECT_THROW(parse_npy(complex, "x.npy"), Error);
  EXPECT_THROW(serialize_npy(Tensor(DType::bf16, {1})), Error);
}

}  // namespace
}  // namespace stride
