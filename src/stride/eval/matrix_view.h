#pragma once
// A borrowed, read-only [rows, cols] f32 matrix in row-major order: feature vectors (one per row)
// or classifier scores (one row per sample). The owner must outlive the view.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "stride/core/tensor.h"

namespace stride::eval {

class MatrixView {
 public:
  // `what` names the matrix in error messages ("probe features"). Throws stride::Error unless the
  // tensor is f32 of rank 2, or unless `values` holds exactly rows * cols numbers.
  MatrixView(const Tensor& tensor, std::string_view what);
  MatrixView(std::span<const float> values, int64_t rows, int64_t cols, std::string_view what);

  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  const float* data() const { return data_; }
  std::span<const float> row(int64_t i) const { return {data_ + i * cols_, static_cast<size_t>(cols_)}; }
  // Rows [begin, end) as a view of the same memory.
  MatrixView slice(int64_t begin, int64_t end) const;

 private:
  MatrixView(const float* data, int64_t rows, int64_t cols) : data_(data), rows_(rows), cols_(cols) {}

  const float* data_ = nullptr;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
};

// An owned row-major matrix, e.g. the rows of a larger one gathered into a gallery.
struct Matrix {
  std::vector<float> values;
  int64_t rows = 0;
  int64_t cols = 0;

  MatrixView view(std::string_view what) const { return MatrixView(values, rows, cols, what); }
};

// The listed rows of `source`, in the order given. Throws stride::Error on a row out of range.
Matrix gather_rows(MatrixView source, std::span<const size_t> rows);

// Throws stride::Error naming `what`, the row and the column of the first NaN or infinity: distances
// and orderings of such values are meaningless.
void require_finite(MatrixView matrix, std::string_view what);

}  // namespace stride::eval
