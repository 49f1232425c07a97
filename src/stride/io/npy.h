#pragma once
// NumPy .npy tensor files (format versions 1–3, little-endian; C or Fortran order, read into C
// order): f4, f8, f2, i1, u1, i4, i8. The header is parsed by its grammar (npy_header.h).
#include <filesystem>
#include <string>
#include <string_view>

#include "stride/core/tensor.h"

namespace stride {

Tensor parse_npy(std::string_view bytes, const std::string& source_name);
std::string serialize_npy(const Tensor& tensor);  // bf16 has no NumPy type and is refused

Tensor read_npy(const std::filesystem::path& path);
void write_npy(const std::filesystem::path& path, const Tensor& tensor);

}  // namespace stride
