#include "stride/eval/metric.h"

#include "stride/core/error.h"
#include "stride/core/usage_error.h"

namespace stride::eval {

std::string_view metric_name(Metric metric) {
  switch (metric) {
    case Metric::l1:
      return "l1";
    case Metric::l2:
      return "l2";
    case Metric::cosine:
      return "cosine";
  }
  fail("unknown KNN metric {}", static_cast<int>(metric));
}

Metric metric_from_name(std::string_view name) {
  if (name == "l1") return Metric::l1;
  if (name == "l2" || name == "euclidean") return Metric::l2;
  if (name == "cosine") return Metric::cosine;
  usage_fail("unknown KNN metric '{}': expected l1, l2 (euclidean) or cosine", name);
}

}  // namespace stride::eval
