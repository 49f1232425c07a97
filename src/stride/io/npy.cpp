#include "stride/io/npy.h"

#include <cstring>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"
#include "stride/io/npy_header.h"

namespace stride {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

struct NpyType {
  std::string_view descr;
  DType dtype;
};
constexpr NpyType kTypes[] = {{"<f4", DType::f32}, {"<f8", DType::f64}, {"<f2", DType::f16},
                              {"|i1", DType::s8},  {"<i1", DType::s8},  {"|u1", DType::u8},
                              {"<u1", DType::u8},  {"<i4", DType::s32}, {"<i8", DType::s64}};

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

// NumPy's Fortran order (column-major) into Stride's C order: element (i0, .., in-1) sits at
// i0 + d0 (i1 + d1 (i2 + ...)) in the file.
void fortran_to_c_order(const char* from, Tensor& to) {
  const Shape& shape = to.shape();
  const size_t elem = dtype_size(to.dtype()), rank = shape.size();
  std::vector<int64_t> index(rank, 0), stride(rank, 1);
  for (size_t d = 1; d < rank; ++d) stride[d] = stride[d - 1] * shape[d - 1];
  auto* out = reinterpret_cast<char*>(to.raw());
  int64_t source = 0;
  for (int64_t i = 0; i < to.numel(); ++i) {
    std::memcpy(out + static_cast<size_t>(i) * elem, from + static_cast<size_t>(source) * elem, elem);
    for (size_t d = rank; d-- > 0;) {  // the next index in C order; the last dimension fastest
      source += stride[d];
      if (++index[d] < shape[d]) break;
      source -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
}

}  // namespace

Tensor parse_npy(std::string_view bytes, const std::string& source) {
  if (bytes.size() < 10 || bytes.substr(0, 6) != kMagic) fail("'{}' is not a .npy file (bad magic)", source);
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len =
        static_cast<unsigned char>(bytes[8]) | (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail("'{}' is truncated", source);
    for (int i = 3; i >= 0; --i) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + i]);
    offset = 12;
  } else {
    fail("'{}': unsupported .npy format version {}", source, major);
  }
  if (header_len > bytes.size() - offset)
    fail("'{}' is truncated: its header says {} bytes, only {} follow", source, header_len, bytes.size() - offset);
  const std::string header(bytes.substr(offset, header_len));
  offset += header_len;

  const NpyHeader parsed = parse_npy_header(header, source);
  const DType dtype = dtype_of_descr(parsed.descr, source);
  const Shape& shape = parsed.shape;

  // Check the payload size before allocating, so a lying header cannot trigger a huge allocation.
  int64_t numel = 0;
  try {
    numel = shape_numel(shape);
  } catch (const Error& e) {
    fail("'{}': {}", source, e.what());
  }
  const size_t elem = dtype_size(dtype);
  const size_t payload = bytes.size() - offset;
  if (numel > static_cast<int64_t>(payload / elem) || static_cast<size_t>(numel) * elem != payload)
    fail("'{}': shape {} needs {} bytes of data, the file has {}", source, shape_str(shape),
         static_cast<double>(numel) * static_cast<double>(elem), payload);
  Tensor t(dtype, shape);
  if (parsed.fortran_order && shape.size() > 1)
    fortran_to_c_order(bytes.data() + offset, t);
  else if (payload > 0)  // an empty tensor owns no bytes: memcpy(null, ...) is undefined
    std::memcpy(t.raw(), bytes.data() + offset, payload);
  return t;
}

std::string serialize_npy(const Tensor& tensor) {
  std::string shape;  // NumPy's tuple syntax: "()", "(5,)", "(2, 3)"
  for (size_t i = 0; i < tensor.rank(); ++i) shape += (i ? ", " : "") + std::to_string(tensor.dim(i));
  if (tensor.rank() == 1) shape += ",";
  std::string header = "{'descr': '" + std::string(descr_of_dtype(tensor.dtype())) +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Format 1.0 stores the header length in 2 bytes; a longer header (a tensor of rank in the
  // thousands, which the reader accepts) needs 2.0 and its 4 bytes, as numpy.save does, or the
  // length would wrap and the file would be unreadable. Padded with spaces so that the data starts
  // on a 64-byte boundary, newline-terminated.
  const auto padded_size = [&](size_t preamble) {
    const size_t unpadded = preamble + header.size() + 1;
    return header.size() + (64 - unpadded % 64) % 64 + 1;
  };
  const bool version1 = padded_size(kMagic.size() + 4) <= 0xffff;
  const size_t preamble = kMagic.size() + (version1 ? 4 : 6);
  header.append(padded_size(preamble) - header.size() - 1, ' ');
  header += '\n';
  std::string out(kMagic);
  out += version1 ? '\x01' : '\x02';
  out += '\x00';
  for (size_t i = 0; i < preamble - kMagic.size() - 2; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  out += header;
  out.append(reinterpret_cast<const char*>(tensor.raw()), tensor.nbytes());
  return out;
}

Tensor read_npy(const std::filesystem::path& path) { return parse_npy(read_file(path), path.string()); }

void write_npy(const std::filesystem::path& path, const Tensor& tensor) {
  write_file_atomically(path, serialize_npy(tensor));
}

}  // namespace stride
