#include "stride/io/npy.h"

#include <cstring>
#include <regex>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct NpyType {
  std::string_view descr;
  DType dtype;
};
constexpr NpyType kTypes[] = {{"<f4", DType::f32}, {"<f8", DType::f64}, {"<f2", DType::f16}, {"|i1", DType::s8},
                              {"<i1", DType::s8},  {"|u1", DType::u8},  {"<u1", DType::u8},  {"<i4", DType::s32},
                              {"<i8", DType::s64}};

DType dtype_of_descr(const std::string& descr, const std::string& source) {
  for (const auto& t : kTypes)
    if (t.descr == descr) return t.dtype;
  fail("'{}': NumPy dtype '{}' is not supported (float32, float64, float16, int8, uint8, int32, int64 are)", source,
       descr);
}

std::string_view descr_of_dtype(DType dtype) {
  for (const auto& t : kTypes)
    if (t.dtype == dtype) return t.descr;
  fail("{} tensors have no NumPy type; convert them to f32 first", dtype_name(dtype));
}

Shape parse_shape(const std::string& text, const std::string& source) {
  Shape shape;
  static const std::regex number(R"(\s*(\d+)\s*,?)");
  auto begin = std::sregex_iterator(text.begin(), text.end(), number);
  size_t consumed = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    if (static_cast<size_t>(it->position()) != consumed) fail("'{}': malformed shape '({})'", source, text);
    const std::string digits = (*it)[1];
    if (digits.size() > 15) fail("'{}': dimension {} is absurdly large", source, digits);
    shape.push_back(std::stoll(digits));
    consumed += static_cast<size_t>(it->length());
  }
  if (text.find_first_not_of(" \t", consumed) != std::string::npos) fail("'{}': malformed shape '({})'", source, text);
  return shape;
}

}  // namespace

Tensor parse_npy(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 10 || bytes.substr(0, 6) != kMagic) fail("'{}' is not a .npy file (bad magic)", source);
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail("'{}' is truncated", source);
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + i]);
    offset = 12;
  } else {
    fail("'{}': unsupported .npy format version {}", source, major);
  }
  if (header_len > bytes.size() - offset) fail("'{}' is truncated (header)", source);
  const std::string header(bytes.substr(offset, header_len));
  offset += header_len;

  static const std::regex descr_re(R"('descr'\s*:\s*'([^']*)')");
  static const std::regex order_re(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shape_re(R"('shape'\s*:\s*\(([^)]*)\))");
  std::smatch m;
  if (!std::regex_search(header, m, descr_re)) fail("'{}': .npy header has no 'descr'", source);
  const DType dtype = dtype_of_descr(m[1], source);
  if (!std::regex_search(header, m, order_re)) fail("'{}': .npy header has no 'fortran_order'", source);
  if (m[1] == "True") fail("'{}': Fortran-ordered arrays are not supported; save with C order", source);
  if (!std::regex_search(header, m, shape_re)) fail("'{}': .npy header has no 'shape'", source);
  const Shape shape = parse_shape(m[1], source);

  // Check the payload size before allocating, so a lying header cannot trigger a huge allocation.
  const int64_t numel = shape_numel(shape);
  const size_t elem = dtype_size(dtype);
  const size_t payload = bytes.size() - offset;
  if (numel > static_cast<int64_t>(payload / elem) || static_cast<size_t>(numel) * elem != payload)
    fail("'{}': shape {} needs {} bytes of data, the file has {}", source, shape_str(shape),
         static_cast<double>(numel) * static_cast<double>(elem), payload);
  Tensor t(dtype, shape);
  std::memcpy(t.raw(), bytes.data() + offset, payload);
  return t;
}

std::string serialize_npy(const Tensor& tensor) {
  std::string shape;  // NumPy's tuple syntax: "()", "(5,)", "(2, 3)"
  for (size_t i = 0; i < tensor.rank(); ++i) shape += (i ? ", " : "") + std::to_string(tensor.dim(i));
  if (tensor.rank() == 1) shape += ",";
  std::string header = "{'descr': '" + std::string(descr_of_dtype(tensor.dtype())) +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad with spaces so that the data starts on a 64-byte boundary, newline-terminated.
  const size_t unpadded = kMagic.size() + 4 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(tensor.raw()), tensor.nbytes());
  return out;
}

Tensor read_npy(const std::filesystem::path& path) { return parse_npy(read_file(path), path.string()); }

void write_npy(const std::filesystem::path& path, const Tensor& tensor) {
  write_file_atomically(path, serialize_npy(tensor));
}

}  // namespace stride
