#include "stride/eval/softmax_classifier.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stride::eval {
namespace {

void check_scores(MatrixView scores) {
  if (scores.cols() == 0) fail("classifier scores have no classes: expected [N, C] with C >= 1");
  require_finite(scores, "classifier scores");
}

}  // namespace

Tensor softmax(const Tensor& logits) {
  const MatrixView in(logits, "softmax logits");
  check_scores(in);
  Tensor out(DType::f32, logits.shape());
  for (int64_t r = 0; r < in.rows(); ++r) {
    const auto row = in.row(r);
    float* out_row = out.data<float>() + r * in.cols();
    const float shift = *std::ranges::max_element(row);
    double sum = 0;
    for (size_t c = 0; c < row.size(); ++c) {
      out_row[c] = std::exp(row[c] - shift);
      sum += out_row[c];
    }
    for (size_t c = 0; c < row.size(); ++c) out_row[c] = static_cast<float>(out_row[c] / sum);
  }
  return out;
}

std::vector<int64_t> top1_classes(MatrixView scores) {
  check_scores(scores);
  std::vector<int64_t> best(static_cast<size_t>(scores.rows()));
  for (int64_t r = 0; r < scores.rows(); ++r) {
    const auto row = scores.row(r);
    best[static_cast<size_t>(r)] = std::ranges::max_element(row) - row.begin();  // first of equal maxima
  }
  return best;
}

std::vector<int64_t> top_k_classes(MatrixView scores, int k) {
  check_scores(scores);
  if (k < 1 || k > scores.cols()) fail("top-k needs 1 <= k <= {} (the class count), got k = {}", scores.cols(), k);
  const auto kk = static_cast<size_t>(k);
  std::vector<int64_t> classes(static_cast<size_t>(scores.cols()));
  std::vector<int64_t> out(static_cast<size_t>(scores.rows()) * kk);
  for (int64_t r = 0; r < scores.rows(); ++r) {
    const auto row = scores.row(r);
    std::iota(classes.begin(), classes.end(), 0);
    std::partial_sort(classes.begin(), classes.begin() + k, classes.end(), [&row](int64_t a, int64_t b) {
      return row[static_cast<size_t>(a)] > row[static_cast<size_t>(b)] ||
             (row[static_cast<size_t>(a)] == row[static_cast<size_t>(b)] && a < b);
    });
    std::copy_n(classes.begin(), k, out.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(r) * kk));
  }
  return out;
}

}  // namespace stride::eval
