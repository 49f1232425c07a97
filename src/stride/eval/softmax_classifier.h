#pragma once
// The softmax classifier of the paper's pipeline: the model's last dense layer
// gives one score per class, and the prediction is the best-scoring class. Softmax is monotonic,
// so logits and probabilities rank the classes alike and either can be passed.
#include <cstdint>
#include <vector>

#include "stride/core/tensor.h"
#include "stride/eval/matrix_view.h"

namespace stride::eval {

// Row-wise softmax of [N, C] logits (shifted by the row maximum so that exp cannot overflow).
// Throws stride::Error unless `logits` is f32 [N, C] with C >= 1 and finite values.
Tensor softmax(const Tensor& logits);

// The best class of each row of [N, C] scores; equal scores go to the lower class index.
// Throws stride::Error when C is 0 or a score is not finite.
std::vector<int64_t> top1_classes(MatrixView scores);

// The k best classes of each row, best first, [N * k] row-major; ties as top1_classes.
// Throws stride::Error unless 1 <= k <= C.
std::vector<int64_t> top_k_classes(MatrixView scores, int k);

}  // namespace stride::eval
