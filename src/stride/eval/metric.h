#pragma once
// The distances a KNN classifier can rank gallery vectors by.
#include <string_view>

namespace stride::eval {

enum class Metric {
  l1,      // sum |a_i - b_i|
  l2,      // Euclidean: sqrt(sum (a_i - b_i)^2)
  cosine,  // 1 - a.b / (|a| |b|); 1 when either vector is zero
};

std::string_view metric_name(Metric metric);  // "l1", "l2", "cosine"
// Reads metric_name()'s spellings and "euclidean"; throws stride::Error listing them otherwise.
Metric metric_from_name(std::string_view name);

}  // namespace stride::eval
