#include "stride/eval/matrix_view.h"

#include <algorithm>
#include <cmath>

namespace stride::eval {

MatrixView::MatrixView(const Tensor& tensor, std::string_view what) {
  if (tensor.dtype() != DType::f32 || tensor.rank() != 2)
    fail("{}: expected an f32 tensor of shape [N, D], got {} {}", what, dtype_name(tensor.dtype()),
         shape_str(tensor.shape()));
  data_ = tensor.data<float>();
  rows_ = tensor.dim(0);
  cols_ = tensor.dim(1);
}

MatrixView::MatrixView(std::span<const float> values, int64_t rows, int64_t cols, std::string_view what) {
  if (rows < 0 || cols < 0) fail("{}: dimensions must not be negative, got [{}, {}]", what, rows, cols);
  const auto count = static_cast<int64_t>(values.size());
  // Division, not rows * cols, so that absurd dimensions cannot overflow.
  const bool fits = cols == 0 ? count == 0 : count % cols == 0 && count / cols == rows;
  if (!fits) fail("{}: a [{}, {}] matrix does not match the {} values given", what, rows, cols, count);
  data_ = values.data();
  rows_ = rows;
  cols_ = cols;
}

MatrixView MatrixView::slice(int64_t begin, int64_t end) const {
  if (begin < 0 || end < begin || end > rows_) fail("rows [{}, {}) are outside a matrix of {} rows", begin, end, rows_);
  return MatrixView(data_ + begin * cols_, end - begin, cols_);
}

Matrix gather_rows(MatrixView source, std::span<const size_t> rows) {
  Matrix out;
  out.rows = static_cast<int64_t>(rows.size());
  out.cols = source.cols();
  out.values.resize(rows.size() * static_cast<size_t>(source.cols()));
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= static_cast<size_t>(source.rows()))
      fail("row {} is outside a matrix of {} rows", rows[i], source.rows());
    const auto row = source.row(static_cast<int64_t>(rows[i]));
    std::copy(row.begin(), row.end(), out.values.begin() + static_cast<std::ptrdiff_t>(i * row.size()));
  }
  return out;
}

void require_finite(MatrixView matrix, std::string_view what) {
  for (int64_t r = 0; r < matrix.rows(); ++r) {
    const auto row = matrix.row(r);
    const auto bad = std::find_if(row.begin(), row.end(), [](float v) { return !std::isfinite(v); });
    if (bad != row.end())
      fail("{}: row {} column {} is {}, expected a finite number", what, r, bad - row.begin(), *bad);
  }
}

}  // namespace stride::eval
