#pragma once
// The header of a .npy file: a Python dict literal with exactly the keys 'descr' (a string),
// 'fortran_order' (True or False) and 'shape' (a tuple of non-negative ints), as numpy.save writes
// it, followed by spaces and a newline. Parsed by its grammar, not searched: a duplicated key, an
// unknown key or 'shape' inside a string cannot be misread.
#include <string>
#include <string_view>

#include "stride/core/shape.h"

namespace stride {

struct NpyHeader {
  std::string descr;  // e.g. "<f4"
  bool fortran_order = false;
  Shape shape;
};

// Throws stride::Error naming `source` and what is wrong where.
NpyHeader parse_npy_header(std::string_view text, const std::string& source);

}  // namespace stride
