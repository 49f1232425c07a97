#include "stride/io/npy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

TEST(Npy, WritesTheSameBytesAsNumPy) { EXPECT_EQ(serialize_npy(parse_npy(numpy_2x3_f32(), "a.npy")), numpy_2x3_f32()); }

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
  EXPECT_THROW(parse_npy(good.substr(0, 30), "x.npy"), Error);               // truncated header
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

// A version 1.0 file with `header` (padded as NumPy pads it) and the float values after it.
std::string npy_with_header(std::string header, const std::vector<float>& values) {
  header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size() & 0xff) +
                      static_cast<char>(header.size() >> 8) + header;
  for (float v : values) bytes.append(reinterpret_cast<const char*>(&v), 4);
  return bytes;
}

const std::vector<float> kSix = {1, 2, 3, 4, 5, 6};

// The header is a Python dict literal: quotes of either kind, any spacing, trailing commas.
TEST(NpyHeader, ReadsEveryWayOfWritingTheLiteral) {
  for (const std::string header : {
           "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
           "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
           "{ 'shape' :(2,3,) ,'fortran_order':False,'descr':'<f4'}",
           "{'descr': '<f4',\n 'fortran_order': False,\t'shape': (2L, 3L)}",  // Python 2's long ints
       }) {
    const Tensor t = parse_npy(npy_with_header(header, kSix), "ok.npy");
    EXPECT_EQ(t.shape(), (Shape{2, 3})) << header;
    EXPECT_EQ(t.values<float>()[4], 5.0f) << header;
  }
  EXPECT_EQ(
      parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), }", kSix), "a.npy").shape(),
      (Shape{6}));
  EXPECT_EQ(parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", {7}), "a.npy"),
            Tensor::from_vector<float>({}, {7}));
  EXPECT_EQ(
      parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", {}), "a.npy").shape(),
      (Shape{0, 3}));
}

// np.save(f, a.T) writes a Fortran-ordered file: the values come back in C order.
TEST(NpyHeader, ReadsFortranOrderIntoCOrder) {
  const Tensor t = parse_npy(
      npy_with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", {1, 4, 2, 5, 3, 6}), "f.npy");
  EXPECT_EQ(t, Tensor::from_vector<float>({2, 3}, kSix));
  std::vector<float> column_major(24);  // shape (2, 3, 4): element (i, j, k) at i + 2 j + 6 k
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) column_major[i + 2 * j + 6 * k] = static_cast<float>(100 * i + 10 * j + k);
  const Tensor cube = parse_npy(
      npy_with_header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }", column_major), "c.npy");
  ASSERT_EQ(cube.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(cube.values<float>()[1 * 12 + 2 * 4 + 3], 123.0f);
  EXPECT_EQ(cube.values<float>()[0 * 12 + 1 * 4 + 2], 12.0f);
}

void expect_refused(const std::string& header, const std::string& why) {
  try {
    parse_npy(npy_with_header(header, kSix), "bad.npy");
    ADD_FAILURE() << "accepted: " << header;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_THAT(message, ::testing::HasSubstr("bad.npy")) << header;
    EXPECT_THAT(message, ::testing::HasSubstr(why)) << header;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(NpyHeader, RefusesWhatIsNotExactlyTheThreeKeys) {
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 6), 'shape': (2, 3)}", "duplicate key 'shape'");
  expect_refused("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", "duplicate key 'descr'");
  // 'shape' inside a string value is text, not the key.
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'note': \"'shape': (6,)\", 'shape': (2, 3)}",
                 "unknown key 'note'");
  expect_refused("{'descr': '<f4', 'fortran_order': False}", "no 'shape'");
  expect_refused("{'fortran_order': False, 'shape': (2, 3)}", "no 'descr'");
  expect_refused("{'descr': '<f4', 'shape': (2, 3)}", "no 'fortran_order'");
}

TEST(NpyHeader, RefusesMalformedValues) {
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (6)}", "'shape'");  // an int, not a tuple
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}", "'shape'");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}", "'shape'");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2,, 3)}", "'shape'");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (,)}", "'shape'");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3.0)}", "'shape'");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 1)}", "large");
  expect_refused("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", "'fortran_order'");
  expect_refused("{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}", "'fortran_order'");
  expect_refused("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 3)}", "'descr'");
  expect_refused("{'descr': '<f4, 'fortran_order': False, 'shape': (2, 3)}", "header");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} junk", "header");
  expect_refused("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", "header");
  expect_refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", "header");
  expect_refused("'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", "header");
  expect_refused("", "header");
}

TEST(NpyHeader, RefusesAHeaderLongerThanTheFile) {
  std::string bytes = npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", kSix);
  bytes[8] = '\xff';
  bytes[9] = '\x7f';
  try {
    parse_npy(bytes, "long.npy");
    FAIL();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("long.npy"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("header"));
  }
}

// A tensor of rank 30,000 (accepted by the reader from a format 2.0 file) has a header of about
// 90 kB, more than format 1.0's 2-byte length holds: it must be written as 2.0 and read back whole.
TEST(Npy, WritesAHeaderOver64KiBAsFormat2) {
  const Tensor t = Tensor::from_vector<uint8_t>(Shape(30000, 1), {42});
  const std::string bytes = serialize_npy(t);
  EXPECT_EQ(bytes[6], '\x02');
  EXPECT_EQ((bytes.size() - 1) % 64, 0u);  // the data (one byte) still starts on a 64-byte boundary
  EXPECT_EQ(parse_npy(bytes, "rank30000.npy"), t);
  // Short headers keep format 1.0, as numpy.save writes them.
  EXPECT_EQ(serialize_npy(Tensor::from_vector<uint8_t>(Shape(100, 1), {42}))[6], '\x01');
}

}  // namespace
}  // namespace stride
